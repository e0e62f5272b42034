"""Tap-to-explain words (ux10): the glossary beside the lessons, read without Qt."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.core.catalog import Catalog, lesson_folders
from kiosk.core.extract import extract_words
from kiosk.core.i18n import SHIPPED_LANGUAGES, SOURCE_LANGUAGE, Translator
from kiosk.core.paths import bundled
from kiosk.core.words import CONTEXT, load_glossary, read_words

LIBRARY = bundled("lessons")
STARTING_WORDS = {"app", "link", "wachtwoord", "pincode", "aanmelden", "bevestigen", "weigeren",
                  "downloaden", "afdrukken", "eID", "kaartlezer", "itsme", "e-mail", "website",
                  "sms", "scherm", "tikken"}


def test_ux10_the_bundled_glossary_has_the_starting_words_with_pictures() -> None:
    glossary = load_glossary([LIBRARY])
    assert glossary.problems == []
    assert {w.word for w in glossary.words} >= STARTING_WORDS
    for word in glossary.words:
        assert word.picture.is_file() and word.picture.suffix == ".svg"
        assert word.explain.endswith(".") and len(word.explain.split()) <= 15


def test_ux10_forms_are_found_whatever_the_case_never_inside_other_words() -> None:
    glossary = load_glossary([LIBRARY])
    text = "Apps en een App. Je eID past in de kaartlezer. Typ je e-mailadres. Lees je mails."
    found = [(text[m.start:m.start + m.length], m.word.word) for m in glossary.find(text)]
    assert found == [("Apps", "app"), ("App", "app"), ("eID", "eID"), ("kaartlezer", "kaartlezer"),
                     ("mails", "e-mail")]
    french = glossary.find("Ouvrez l'application.", translate=lambda w: {"app": "application"}
                           .get(w, w))
    assert [m.word.word for m in french] == ["app"]


def test_ux10_vowel_marks_and_case_endings_do_not_hide_a_word() -> None:
    glossary = load_glossary([LIBRARY])
    word = "الشُّبَّاكُ الْإِلِكْتْرُونِيّ"  # e-loket, as the card shows it
    text = "أَحْيَانًا يَكُونُ الزِّرُّ فِي الشُّبَّاكِ الْإِلِكْتْرُونِيّ."  # after "in": another ending
    found = glossary.find(text, translate=lambda w: {"e-loket": word}.get(w, w))
    assert [(text[m.start:m.start + m.length], m.word.word) for m in found] == [
        ("الشُّبَّاكِ الْإِلِكْتْرُونِيّ", "e-loket")]  # the marks on the last letter included


def test_ux10_translators_give_the_forms_of_a_word_in_their_language() -> None:
    glossary = load_glossary([LIBRARY])
    forms = glossary.get("downloaden").forms_message
    text = "Hane halkı satırında İndir düğmesi var. Belgeyi indirin."
    found = glossary.find(text, translate=lambda m: "indirmek, indir, indirin" if m == forms else m)
    assert [text[m.start:m.start + m.length] for m in found] == ["İndir", "indirin"]


@pytest.mark.parametrize("language", [x for x in SHIPPED_LANGUAGES if x != SOURCE_LANGUAGE])
def test_ux10_each_language_marks_the_words_its_dutch_step_text_marks(language: str) -> None:
    glossary = load_glossary([LIBRARY])
    catalog = Catalog.load([LIBRARY])
    translator = Translator(language)
    assert translator.lesson(CONTEXT, "app") != "app" or language == "en"

    def translate(message: str) -> str:
        return translator.lesson(CONTEXT, message)

    missing, count = [], 0
    for lesson in catalog.lessons:
        for step in lesson.steps:
            dutch = {m.word.word for m in glossary.find(step.text)}
            shown = translator.lesson(lesson.id, step.text)
            count += len(dutch)
            marked = {m.word.word for m in glossary.find(shown, translate)}
            missing += [f"{lesson.id} step {step.number}: {w!r} in {shown!r}"
                        for w in sorted(dutch - marked)]
    assert count > 150
    assert not missing, f"{len(missing)} of {count} marks missing:\n" + "\n".join(missing)


def test_ux10_every_starting_word_is_marked_somewhere_in_the_lessons() -> None:
    glossary = load_glossary([LIBRARY])
    catalog = Catalog.load([LIBRARY])
    marked = {m.word.word for lesson in catalog.lessons for step in lesson.steps
              for m in glossary.find(step.text)}
    assert marked >= STARTING_WORDS, STARTING_WORDS - marked


def test_the_words_folder_is_not_a_lesson() -> None:
    assert all(folder.name != "_words" for folder in lesson_folders([LIBRARY]))
    assert Catalog.load([LIBRARY]).broken == []


def write(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "words.toml").write_text(text, encoding="utf-8")
    (folder / "app.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 2 2"/>',
                                    encoding="utf-8")
    return folder


GOOD = '[[word]]\nword = "app"\nexplain = "Een app is een programma."\npicture = "app.svg"\n'


def test_a_broken_entry_is_one_clear_line_and_the_others_still_load(tmp_path: Path) -> None:
    folder = write(tmp_path / "_words", GOOD + '\n[[word]]\nword = "link"\nexplain = "Een link."\n'
                   'picture = "link.svg"\n\n[[word]]\nword = "sms"\npicture = "app.svg"\n')
    glossary = read_words(folder)
    assert [w.word for w in glossary.words] == ["app"]
    assert len(glossary.problems) == 2
    assert "word 2 (link): picture link.svg does not exist" in glossary.problems[0]
    assert "word 3 (sms): 'explain' is missing" in glossary.problems[1]


def test_not_toml_is_one_line(tmp_path: Path) -> None:
    folder = write(tmp_path / "_words", "[[word]\nword = ")
    glossary = read_words(folder)
    assert glossary.words == () and len(glossary.problems) == 1
    assert "is not valid TOML" in glossary.problems[0]


def test_kiosk_lessons_check_reports_a_broken_word_without_a_traceback(tmp_path: Path) -> None:
    folder = write(tmp_path / "_words", GOOD + '\n[[word]]\nword = "link"\nexplane = "x"\n')
    done = subprocess.run([sys.executable, "-m", "kiosk", "lessons", "check", str(folder)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode != 0
    assert "word 2 (link): unknown key 'explane'" in done.stdout or \
        "word 2: unknown key 'explane'" in done.stdout, done.stdout
    assert "Traceback" not in done.stdout + done.stderr
    ok = subprocess.run([sys.executable, "-m", "kiosk", "lessons", "check",
                         str(write(tmp_path / "good" / "_words", GOOD))],
                        capture_output=True, text=True, timeout=60)
    assert ok.returncode == 0 and "words: 1" in ok.stdout, ok.stdout + ok.stderr


def test_translators_get_each_word_and_its_explanation(tmp_path: Path) -> None:
    with (LIBRARY / "_words" / "words.toml").open("rb") as f:
        messages = list(extract_words(f, None, None, None))
    texts = {m[2][1] for m in messages}
    assert {m[2][0] for m in messages} == {CONTEXT}
    assert "app" in texts
    assert "Een app is een klein programma op je smartphone, tablet of computer." in texts
    assert "app, apps, app's" in texts  # its forms, which translators give in their language
    assert load_glossary([LIBRARY]).get("app").forms_message == "app, apps, app's"
