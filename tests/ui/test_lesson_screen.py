"""The lesson screen draws its run: "Opnieuw", "Les opnieuw", home mid-lesson, stopping speech,
word highlighting, and a text-size change that keeps everything shown. Real widgets, offscreen."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPointF, Qt

from kiosk.speech.silent import SilentSpeaker


class SpeakingSpeaker(SilentSpeaker):
    """Says it is speaking from ``say`` until ``stop``, as the real speaker reports it."""

    def __init__(self) -> None:
        super().__init__()
        self.said: list[tuple[str, str]] = []

    def say(self, text: str, language: str, recorded: Path | None = None,
            chime: str = "") -> None:
        super().say(text, language, recorded, chime)
        self.said.append((text, language))
        self._set_state("speaking")


def click(qtbot, button) -> None:  # type: ignore[no-untyped-def]
    assert button.isVisible() and button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def tile_for(window, lesson_id: str):  # type: ignore[no-untyped-def]
    if window.stack.currentWidget() is window.welcome:
        window.welcome.begin_button.click()
    for _ in range(window.lessons.pages()):
        for tile in window.lessons.tiles:
            if tile.lesson.id == lesson_id:
                return tile
        window.lessons.next_page()
    raise AssertionError(f"no tile for {lesson_id}")


def tap_image_point(qtbot, window, x: float, y: float) -> None:  # type: ignore[no-untyped-def]
    picture = window.lesson.picture
    qtbot.mouseClick(picture, Qt.MouseButton.LeftButton,
                     pos=picture.to_widget(QPointF(x, y)).toPoint())


def tap_target(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    x, y, w, h = window.lesson.step.target
    tap_image_point(qtbot, window, x + w / 2, y + h / 2)


def tap_beside_target(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    x, y, w, h = window.lesson.step.target
    view = window.lesson.picture.view_box()
    far_x = view.left() + 5 if x - view.left() > view.right() - (x + w) else view.right() - 5
    tap_image_point(qtbot, window, far_x, view.top() + 5)


def to_kind(window, kind: str) -> None:  # type: ignore[no-untyped-def]
    lesson = window.lesson
    while lesson.step.kind != kind:
        if lesson.step.kind == "tap":
            lesson.tap_at(*lesson.run.target_centre)
        click_next(window)


def click_next(window) -> None:  # type: ignore[no-untyped-def]
    button = window.lesson.next_button
    assert button.isEnabled()
    button.click()


def test_again_makes_a_solved_step_new_and_reads_it_again(qtbot, make_window, speaker):  # type: ignore[no-untyped-def]
    window = make_window()
    click(qtbot, tile_for(window, "tikken"))
    lesson = window.lesson
    to_kind(window, "tap")
    tap_target(qtbot, window)
    assert lesson.feedback_kind == "good" and lesson.next_button.isEnabled()
    said = len(speaker.said)
    click(qtbot, lesson.again_button)
    assert lesson.feedback_kind == "" and not lesson.feedback.isVisible()
    assert not lesson.next_button.isEnabled()  # to be done once more
    assert lesson.picture._mark is None
    assert speaker.said[said:] == [(lesson.step.say or lesson.step.text, "nl")]
    tap_target(qtbot, window)
    assert lesson.feedback_kind == "good"


def test_les_opnieuw_on_the_done_screen_starts_at_step_one(qtbot, make_window):  # type: ignore[no-untyped-def]
    window = make_window()
    click(qtbot, tile_for(window, "tikken"))
    lesson = window.lesson
    while window.stack.currentWidget() is lesson:
        if lesson.step.kind == "tap":
            tap_target(qtbot, window)
        click(qtbot, lesson.next_button)
    assert window.stack.currentWidget() is window.done
    assert window.services.progress.is_finished("tikken")
    assert window.done.secondary.text() == "Les opnieuw"
    click(qtbot, window.done.secondary)
    assert window.stack.currentWidget() is window.lesson
    assert window.lesson.step.number == 1 and window.lesson.solved == set()
    assert window.lesson.counter.text().startswith("Stap 1 van")
    assert window.visit.lesson_run is window.lesson.run and not window.lesson.run.finished


def test_home_in_the_middle_of_a_lesson_keeps_the_progress(qtbot, make_window):  # type: ignore[no-untyped-def]
    window = make_window()
    click(qtbot, tile_for(window, "tikken"))
    lesson = window.lesson
    to_kind(window, "tap")
    tap_target(qtbot, window)
    click(qtbot, lesson.next_button)
    reached = lesson.step.number
    click(qtbot, lesson.home_button)
    assert window.stack.currentWidget() is window.lessons
    assert window.services.progress.step_of("tikken") == reached
    click(qtbot, tile_for(window, "tikken"))
    assert window.stack.currentWidget() is window.lesson
    assert window.lesson.step.number == reached  # on where the resident left off


def test_ux13_the_speaker_button_stops_speech_at_once(qtbot, make_window):  # type: ignore[no-untyped-def]
    speaker = SpeakingSpeaker()
    window = make_window(speaker_=speaker)
    click(qtbot, tile_for(window, "tikken"))  # the step is read aloud by itself
    button = window.lesson.speak_button
    assert speaker.state == "speaking" and button.speaking and button.text() == "Stop"
    click(qtbot, button)
    assert speaker.state == "idle" and not button.speaking and button.text() == "Lees voor"
    said = len(speaker.said)
    click(qtbot, button)  # and a tap reads it again
    assert len(speaker.said) == said + 1 and button.text() == "Stop"


def test_ux13_the_real_speaker_stops_and_a_late_voice_stays_silent(qtbot, paths):  # type: ignore[no-untyped-def]
    from kiosk.app import build_services
    from kiosk.core.settings import Settings
    from kiosk.ui.navigator import Navigator

    services = build_services(paths, Settings())
    speaker = services.speaker
    window = Navigator(services)
    qtbot.addWidget(window)
    try:
        window.show()
        window.start()
        window.begin()
        window.open_lesson("tikken")
        button = window.lesson.speak_button
        qtbot.waitUntil(lambda: button.speaking, timeout=20000)
        assert button.text() == "Stop"
        text = window.lesson.run.words().spoken_instruction()
        click(qtbot, button)
        assert speaker.state == "idle" and button.text() == "Lees voor"
        client = speaker.client
        assert client is not None
        qtbot.waitUntil(lambda: client.state != client.STARTING, timeout=30000)
        request = client.request_for(text, "nl", speaker.rate)
        assert request is not None, "no Dutch voice"
        # The voice is made anyway (it is kept for later); once it is there, it does not start.
        qtbot.waitUntil(lambda: client.cached(request) is not None, timeout=30000)
        qtbot.wait(200)
        assert speaker.state == "idle" and not button.speaking
    finally:
        speaker.shutdown()
        services.progress.close()


def test_spoken_words_light_up_also_after_the_feedback_mark(qtbot, make_window, speaker):  # type: ignore[no-untyped-def]
    window = make_window()
    click(qtbot, tile_for(window, "tikken"))
    lesson = window.lesson
    to_kind(window, "tap")
    words = lesson.text.plain_text().split()
    start = lesson.text.plain_text().index(words[1])
    speaker.wordChanged.emit(start, len(words[1]))
    assert lesson.text.highlighted_word() == words[1]
    tap_beside_target(qtbot, window)
    spoken, _ = speaker.said[-1]
    assert lesson.feedback.plain_text() == f"✗ {spoken}"  # the mark is shown, not spoken
    for word in spoken.split()[:3]:
        speaker.wordChanged.emit(spoken.index(word), len(word))
        assert lesson.feedback.highlighted_word() == word
        assert lesson.text.highlighted_word() == ""  # only the text being read lights up
    tap_target(qtbot, window)
    spoken, _ = speaker.said[-1]
    assert lesson.feedback.plain_text() == f"✓ {spoken}"
    last = spoken.split()[-1]
    speaker.wordChanged.emit(spoken.rindex(last), len(last))
    assert lesson.feedback.highlighted_word() == last
    speaker.wordChanged.emit(-1, 0)
    assert lesson.feedback.highlighted_word() == ""


def test_the_speaker_button_reads_the_step_then_its_feedback_lighting_each(qtbot, make_window, speaker):  # type: ignore[no-untyped-def]
    window = make_window()
    click(qtbot, tile_for(window, "tikken"))
    lesson = window.lesson
    to_kind(window, "tap")
    while lesson.step.say:  # a step whose instruction is read as shown
        lesson.tap_at(*lesson.run.target_centre)
        click_next(window)
        to_kind(window, "tap")
    tap_beside_target(qtbot, window)
    hint, _ = speaker.said[-1]
    click(qtbot, lesson.speak_button)
    spoken, language = speaker.said[-1]
    instruction = lesson.text.plain_text()
    assert (spoken, language) == (f"{instruction}\n{hint}", "nl")
    assert spoken in window.lesson.run.words().all()  # prepared ahead like every step text
    second = instruction.split()[1]
    speaker.wordChanged.emit(spoken.index(second), len(second))
    assert lesson.text.highlighted_word() == second and lesson.feedback.highlighted_word() == ""
    for word in hint.split()[:3]:  # in the feedback line, after its ✗
        speaker.wordChanged.emit(len(instruction) + 1 + hint.index(word), len(word))
        assert lesson.feedback.highlighted_word() == word
        assert lesson.text.highlighted_word() == ""


def test_a_step_read_from_its_own_say_text_lights_nothing_up(qtbot, make_window, speaker):  # type: ignore[no-untyped-def]
    window = make_window()
    catalog = window.services.catalog
    found = next((lesson, step) for listed in catalog.lessons
                 for lesson in [catalog.open(listed.id)] if lesson is not None
                 for step in lesson.steps if step.say and step.kind == "show")
    lesson, step = found
    window.begin()
    window.open_lesson(lesson.id, step.number)
    assert speaker.said[-1][0] == step.say
    speaker.wordChanged.emit(0, 3)
    assert window.lesson.text.highlighted_word() == ""


def test_a_text_size_change_keeps_step_answers_feedback_and_language(qtbot, make_window, speaker):  # type: ignore[no-untyped-def]
    window = make_window(language="ar")
    window.choose_language("ar")
    click(qtbot, tile_for(window, "betrouwbaar"))
    lesson = window.lesson
    while lesson.step.kind != "choose":
        click_next(window)
    first_question = lesson.step.number
    lesson.choose(next(i for i, c in enumerate(lesson.step.choices) if c.correct))
    click_next(window)
    while lesson.step.kind != "choose":
        click_next(window)
    wrong = next(i for i, c in enumerate(lesson.step.choices) if not c.correct)
    lesson.choose(wrong)
    click(qtbot, lesson.language_button)  # "my language": the step in Dutch
    assert lesson.content_language == "nl"
    before = (lesson.step.number, set(lesson.solved), lesson.feedback_kind,
              lesson.feedback.plain_text(), lesson.text.plain_text(),
              lesson.language_button.text(), lesson.next_button.isEnabled())
    assert before[2] == "bad" and before[3].startswith("✗ ")
    assert before[3][2:] == (lesson.step.choices[wrong].why or lesson.step.hint)
    for _ in range(2):  # A+ and A++
        window.next_text_size()
        assert window.lesson is not lesson  # new widgets, drawn from the same run
        lesson = window.lesson
        after = (lesson.step.number, set(lesson.solved), lesson.feedback_kind,
                 lesson.feedback.plain_text(), lesson.text.plain_text(),
                 lesson.language_button.text(), lesson.next_button.isEnabled())
        assert after == before
        assert lesson.feedback.isVisible() and lesson.content_language == "nl"
    assert window.theme.text_size == "A++"
    lesson.go_back()
    while lesson.step.number != first_question:
        lesson.go_back()
    assert lesson.feedback_kind == "good" and lesson.next_button.isEnabled()  # still solved


def test_keyboard_enter_on_a_solved_type_step_changes_nothing(qtbot, make_window, speaker):  # type: ignore[no-untyped-def]
    window = make_window()
    click(qtbot, tile_for(window, "typen"))
    lesson = window.lesson
    to_kind(window, "type")
    lesson.picture.field.setText(lesson.step.answer)
    assert lesson.feedback_kind == "good" and lesson.picture.field.isReadOnly()
    said = len(speaker.said)
    qtbot.keyClick(lesson.picture.field, Qt.Key.Key_Return)
    assert len(speaker.said) == said and lesson.feedback_kind == "good"


def test_a_word_card_left_open_goes_with_the_lesson_and_the_visit(qtbot, make_window, speaker):  # type: ignore[no-untyped-def]
    from kiosk.ui.widgets.words import WordCard

    window = make_window()
    window.begin()
    window.open_lesson("tikken", 2)
    lesson = window.lesson
    assert lesson.text.marks, lesson.text.plain_text()
    lesson.text.linkActivated.emit("word:0")
    assert lesson.word_card is not None and lesson.word_card.isVisible()

    def open_cards() -> list:  # type: ignore[type-arg]
        return [card for card in window.findChildren(WordCard) if card.isVisible()]

    window.next_text_size()  # the screens are rebuilt under the card
    assert open_cards() == []
    window.lesson.text.linkActivated.emit("word:0")  # a new card, in the new text size
    assert len(open_cards()) == 1 and window.lesson.word_card.theme is window.theme
    window.end_visit("idle")  # the resident walked away with the card open
    assert window.current_screen() is window.welcome
    assert open_cards() == []  # nothing of the last lesson over the next resident's screen


def _question_after_a_wrong_answer(window, lesson_id: str, number: int) -> bool:  # type: ignore[no-untyped-def]
    lesson = window.lesson
    wrong = next(i for i, c in enumerate(lesson.step.choices) if not c.correct)
    if lesson.run.feedback is None:
        lesson.choose(wrong)
    window.grab()  # laid out and drawn, as on screen
    return lesson.text.isVisible()


def test_a_question_rebuilt_in_a_new_text_size_looks_as_if_opened_in_it(qtbot, make_window):  # type: ignore[no-untyped-def]
    from kiosk.core.settings import Settings

    lesson_id = "betrouwbaar"
    window = make_window()
    window.begin()
    catalog = window.services.catalog
    number = next(s.number for s in catalog.open(lesson_id).steps if s.kind == "choose")
    window.open_lesson(lesson_id, number)
    rebuilt = {"A": _question_after_a_wrong_answer(window, lesson_id, number)}
    for size in ("A+", "A++"):
        window.next_text_size()
        assert window.theme.text_size == size
        rebuilt[size] = _question_after_a_wrong_answer(window, lesson_id, number)
    fresh = {}
    for size in ("A", "A+", "A++"):
        other = make_window(Settings(text_size=size))
        other.begin()
        other.open_lesson(lesson_id, number)
        fresh[size] = _question_after_a_wrong_answer(other, lesson_id, number)
    assert rebuilt == fresh  # the question stays unless it and the feedback do not fit
    assert fresh["A"]
