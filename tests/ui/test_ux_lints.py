"""Plain-language rules checked on the Dutch text of the lesson library (shared/ux-rules.md):
ux07 one instruction per step, ux08 at most five answers, ux11 active voice, present tense, "je",
no double negatives. Every lesson folder counts, also the ones `kiosk lessons check` accepts from
authors outside the bundled library."""

from __future__ import annotations

import re
from pathlib import Path

from kiosk.core.catalog import Catalog
from kiosk.core.lessons import LessonLoader
from kiosk.core.paths import bundled

CATALOG = Catalog.load([bundled("lessons")])

# Dutch verbs as their imperative (the stem). A sentence or clause that opens with one of these,
# not followed by "je"/"jij" (then it is a question or a condition: "Tik je erop, dan …"),
# is an instruction.
VERB_STEMS = frozenset("""
    activeer antwoord bel betaal bevestig bewaar blijf check controleer deel denk doe download druk
    ga gebruik geef herhaal hou houd kies kijk klik koop kopieer laat leg lees let log luister
    maak meld neem noteer onthoud open plak print probeer schrijf schuif scroll sla sleep sluit
    stop stuur tik toon typ veeg verstuur verwijder vraag vul wacht weiger wis zeg zet zoek
""".split())
PRONOUNS = frozenset({"je", "jij", "u", "ik", "we", "wij", "ze", "zij", "hij"})
SENTENCES = re.compile(r"[^.!?]+[.!?]*")
CLAUSE_BREAK = re.compile(r",\s+|;\s+|:\s+|\s+en\s+(?=\w)|\s+daarna\s+")
WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")

# Past tense: strong forms, and weak forms made of a verb stem and -de/-te(n).
STRONG_PAST = frozenset("""
    was waren had hadden deed deden gaf gaven kreeg kregen ging gingen zag zagen kwam kwamen zei
    zeiden wist wisten kon konden moest moesten wou wilde wilden mocht mochten vond vonden nam
    namen liet lieten stond stonden zat zaten lag lagen bleef bleven schreef schreven koos kozen
    las lazen sloot sloten vroeg vroegen
""".split())
PAST_ENDINGS = ("den", "ten", "de", "te")
NEGATIONS = frozenset({"niet", "geen", "nooit", "niets", "niemand", "nergens", "noch"})
NEGATIVE_ADJECTIVE = re.compile(r"\b(niet|geen|nooit)\s+(on\w{4,}|zonder)\b", re.IGNORECASE)
POLITE = re.compile(r"\b(u|uw)\b", re.IGNORECASE)
PASSIVE = re.compile(r"\b(wordt|worden|werd|werden)\b[^.!?]*\bdoor\b", re.IGNORECASE)


def words(text: str) -> list[str]:
    return WORD.findall(text)


def imperatives(text: str) -> list[str]:
    """The instructions in a text: each sentence or clause that opens with a verb's stem."""
    found = []
    for sentence in SENTENCES.findall(text.replace("\n", " ")):
        if sentence.strip().endswith("?"):
            continue
        for clause in CLAUSE_BREAK.split(sentence):
            first = words(clause)[:2]
            if first and first[0].lower() in VERB_STEMS \
                    and (len(first) < 2 or first[1].lower() not in PRONOUNS):
                found.append(clause.strip(" .!"))
    return found


def _weak_past(word: str) -> bool:
    lower = word.lower()
    for ending in PAST_ENDINGS:
        if lower.endswith(ending) and len(lower) > len(ending) + 1:
            stem = lower[:-len(ending)]
            # "zette" → "zet", "wachtte" → "wacht": a doubled last letter belongs to the ending
            candidates = {stem, stem[:-1] if len(stem) > 2 and stem[-1] == stem[-2] else stem}
            if candidates & VERB_STEMS:
                return True
    return False


def past_tense(text: str) -> list[str]:
    return [w for w in words(text) if w.lower() in STRONG_PAST or _weak_past(w)]


def double_negatives(text: str) -> list[str]:
    found = []
    for sentence in SENTENCES.findall(text.replace("\n", " ")):
        for clause in re.split(r",\s+|\s+en\s+", sentence):
            said = {w.lower() for w in words(clause)} & NEGATIONS
            if len(said) >= 2:
                found.append(clause.strip())
        found += [m.group(0) for m in NEGATIVE_ADJECTIVE.finditer(sentence)]
    return found


def all_texts():  # type: ignore[no-untyped-def]
    """Every Dutch text a resident sees or hears, with where it stands."""
    for lesson in CATALOG.lessons:
        yield f"{lesson.id} title", lesson.title
        yield f"{lesson.id} summary", lesson.summary
        for step in lesson.steps:
            where = f"{lesson.id} step {step.number}"
            for key in ("text", "say", "hint", "done"):
                if getattr(step, key):
                    yield f"{where} {key}", getattr(step, key)
            for index, choice in enumerate(step.choices, start=1):
                yield f"{where} answer {index}", choice.text
                if choice.why:
                    yield f"{where} answer {index} why", choice.why


def step_texts():  # type: ignore[no-untyped-def]
    for lesson in CATALOG.lessons:
        for step in lesson.steps:
            yield f"{lesson.id} step {step.number}", step.text
            if step.say:
                yield f"{lesson.id} step {step.number} say", step.say


def test_the_lints_recognise_what_they_look_for() -> None:
    assert imperatives("Tik op de knop. Wacht dan even.") == ["Tik op de knop", "Wacht dan even"]
    assert imperatives("Tik op Lena en kies een foto.") == ["Tik op Lena", "kies een foto"]
    assert imperatives("Tik je erop, dan ga je naar een website. Typ je iets fout?") == []
    assert past_tense("Je betaalde. Gaf je je code? Je zette het aan.") == ["betaalde", "Gaf",
                                                                           "zette"]
    assert past_tense("De rode knop staat bovenaan op de tweede witte rij.") == []
    assert double_negatives("Dat is niet onveilig. Je krijgt nooit niets.") != []
    assert double_negatives("Niet via mail, niet via sms en niet aan de telefoon.") == []
    assert POLITE.search("Tik op uw naam.") and not POLITE.search("Uur en duur.")
    assert PASSIVE.search("De brief wordt door de overheid gestuurd.")


def test_ux07_one_instruction_per_step_text() -> None:
    found = [f"{where}: {len(said)} instructions: {' / '.join(said)}"
             for where, text in step_texts() if len(said := imperatives(text)) > 1]
    assert not found, "\n".join(found)


def test_ux11_step_texts_are_in_the_present_tense() -> None:
    found = [f"{where}: {', '.join(past)} — {text}"
             for where, text in step_texts() if (past := past_tense(text))]
    assert not found, "\n".join(found)


def test_ux11_je_not_u_active_voice_no_double_negatives() -> None:
    found = []
    for where, text in all_texts():
        if POLITE.search(text):
            found.append(f"{where}: says \"u\": {text}")
        if PASSIVE.search(text):
            found.append(f"{where}: passive voice: {text}")
        found += [f"{where}: double negative: {d}" for d in double_negatives(text)]
    assert not found, "\n".join(found)


def test_ux08_at_most_five_answers_in_every_question() -> None:
    found = [f"{lesson.id} step {step.number}: {len(step.choices)} answers"
             for lesson in CATALOG.lessons for step in lesson.steps if len(step.choices) > 5]
    assert not found, "\n".join(found)


def test_ux08_the_lesson_rules_refuse_a_sixth_answer(tmp_path: Path) -> None:
    folder = tmp_path / "zes"
    folder.mkdir()
    answers = "".join(f'\n[[step.choice]]\ntext = "Antwoord {n}"\ncorrect = {str(n == 1).lower()}\n'
                      for n in range(1, 7))
    (folder / "lesson.toml").write_text(
        'format = 1\nid = "zes"\ntitle = "Zes"\nsummary = "Zes antwoorden."\ntopic = "basis"\nlevel = 1\n'
        'minutes = 5\nlanguage = "nl"\n\n[[step]]\nkind = "show"\ntext = "Dit is een les."\n'
        '\n[[step]]\nkind = "choose"\ntext = "Welk antwoord?"\n' + answers, encoding="utf-8")
    result = LessonLoader().check(folder)
    assert any("6" in line and "choice" in line for line in result.errors), result.errors
    five = answers.rsplit("\n[[step.choice]]", 1)[0] + "\n"
    (folder / "lesson.toml").write_text(
        (folder / "lesson.toml").read_text(encoding="utf-8").replace(answers, five),
        encoding="utf-8")
    assert LessonLoader().check(folder).ok, LessonLoader().check(folder).errors
