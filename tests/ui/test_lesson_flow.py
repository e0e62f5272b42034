"""A resident goes through a whole lesson by tapping real widgets, and comes back after a restart."""

from __future__ import annotations

from PySide6.QtCore import QPointF, Qt

from kiosk.core.settings import Settings
from kiosk.ui.navigator import Navigator
from kiosk.ui.screens.lessons import LessonTile

LESSON = "tikken"


def tile_for(window: Navigator, lesson_id: str) -> LessonTile:
    if window.stack.currentWidget() is window.welcome:
        window.welcome.begin_button.click()
    assert window.stack.currentWidget() is window.lessons
    for _ in range(window.lessons.pages()):
        for tile in window.lessons.tiles:
            if tile.lesson.id == lesson_id:
                return tile
        window.lessons.next_page()
    raise AssertionError(f"no tile for {lesson_id}")


def tap_image_point(qtbot, window: Navigator, x: float, y: float) -> None:  # type: ignore[no-untyped-def]
    picture = window.lesson.picture
    point = picture.to_widget(QPointF(x, y)).toPoint()
    qtbot.mouseClick(picture, Qt.MouseButton.LeftButton, pos=point)


def tap_target(qtbot, window: Navigator) -> None:  # type: ignore[no-untyped-def]
    x, y, w, h = window.lesson.step.target
    tap_image_point(qtbot, window, x + w / 2, y + h / 2)


def tap_beside_target(qtbot, window: Navigator) -> None:  # type: ignore[no-untyped-def]
    x, y, w, h = window.lesson.step.target
    view = window.lesson.picture.view_box()
    far_x = view.left() + 5 if x - view.left() > view.right() - (x + w) else view.right() - 5
    tap_image_point(qtbot, window, far_x, view.top() + 5)


def click(qtbot, button) -> None:  # type: ignore[no-untyped-def]
    assert button.isVisible() and button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_whole_lesson_with_a_wrong_tap_then_done_then_home(qtbot, make_window, speaker):  # type: ignore[no-untyped-def]
    window = make_window()
    assert window.stack.currentWidget() is window.welcome
    click(qtbot, window.welcome.begin_button)
    assert window.stack.currentWidget() is window.lessons
    click(qtbot, tile_for(window, LESSON))
    lesson = window.lesson
    assert window.stack.currentWidget() is lesson
    count = len(lesson.lesson.steps)
    wrong_tries = 0
    while True:
        step = lesson.step
        assert lesson.counter.text() == f"Stap {step.number} van {count}"
        assert lesson.text.plain_text() == step.text
        assert speaker.said[-1][0] == (step.say or step.text)  # read aloud when it opens
        if step.kind == "tap":
            assert not lesson.next_button.isEnabled()
            if wrong_tries == 0:
                tap_beside_target(qtbot, window)
                wrong_tries += 1
                assert lesson.feedback_kind == "bad"
                assert lesson.feedback.plain_text().startswith("✗ ")
                assert step.hint in lesson.feedback.plain_text()
                assert speaker.said[-1][0] == step.hint  # the hint is spoken
                assert speaker.chimes[-1] == "try-again"  # after a short sound
                assert not lesson.next_button.isEnabled()  # another go
            tap_target(qtbot, window)
            assert lesson.feedback_kind == "good"
            assert lesson.feedback.plain_text().startswith("✓ ")
            assert speaker.said[-1][0] == step.done  # praise is spoken
            assert speaker.chimes[-1] == "right"
        if step.number == count:
            assert lesson.next_button.text() == "Klaar"
            click(qtbot, lesson.next_button)
            break
        click(qtbot, lesson.next_button)
    assert wrong_tries == 1
    assert window.stack.currentWidget() is window.done
    assert "Tikken en scrollen" in window.done.message.label.plain_text()
    click(qtbot, window.done.primary)
    assert window.stack.currentWidget() is window.lessons
    assert tile_for(window, LESSON).text().startswith("✓ ")


def test_back_keeps_a_solved_practice_step(qtbot, make_window):  # type: ignore[no-untyped-def]
    window = make_window()
    click(qtbot, tile_for(window, LESSON))
    lesson = window.lesson
    while lesson.step.kind != "tap":
        click(qtbot, lesson.next_button)
    tap_target(qtbot, window)
    solved_number = lesson.step.number
    click(qtbot, lesson.next_button)
    click(qtbot, lesson.back_button)
    assert lesson.step.number == solved_number
    assert lesson.next_button.isEnabled()  # nothing done is lost by going back
    assert lesson.feedback_kind == "good"


def test_repeated_wrong_taps_show_where_to_tap(qtbot, make_window):  # type: ignore[no-untyped-def]
    window = make_window()
    click(qtbot, tile_for(window, LESSON))
    lesson = window.lesson
    while lesson.step.kind != "tap":
        click(qtbot, lesson.next_button)
    tap_beside_target(qtbot, window)
    assert lesson.picture.shown_target is None
    tap_beside_target(qtbot, window)
    assert lesson.picture.shown_target == lesson.step.target


def test_restart_in_the_middle_offers_to_continue_at_the_same_step(qtbot, make_window):  # type: ignore[no-untyped-def]
    window = make_window()
    click(qtbot, tile_for(window, LESSON))
    lesson = window.lesson
    for _ in range(2):
        click(qtbot, lesson.next_button) if lesson.next_button.isEnabled() else tap_target(qtbot, window)
    while not lesson.next_button.isEnabled():
        tap_target(qtbot, window)
    click(qtbot, lesson.next_button)
    reached = lesson.step.number
    assert reached >= 3
    window.services.progress.flush()
    window.close()
    window.services.progress.close()

    again = make_window()  # a new start on the same store
    assert again.stack.currentWidget() is again.resume
    assert f"stap {reached} van" in again.resume.message.label.plain_text()
    click(qtbot, again.resume.primary)
    assert again.stack.currentWidget() is again.lesson
    assert again.lesson.lesson.id == LESSON
    assert again.lesson.step.number == reached


def test_declining_the_offer_goes_home_and_is_not_offered_again(qtbot, make_window):  # type: ignore[no-untyped-def]
    window = make_window()
    click(qtbot, tile_for(window, LESSON))
    click(qtbot, window.lesson.next_button)
    window.services.progress.flush()
    window.services.progress.close()
    second = make_window()
    assert second.stack.currentWidget() is second.resume
    click(qtbot, second.resume.secondary)
    assert second.stack.currentWidget() is second.welcome
    second.services.progress.flush()
    second.services.progress.close()
    third = make_window()
    assert third.stack.currentWidget() is third.welcome


def test_keyboard_alone_finishes_a_tap_step(qtbot, make_window):  # type: ignore[no-untyped-def]
    window = make_window()
    click(qtbot, tile_for(window, LESSON))
    lesson = window.lesson
    while lesson.step.kind != "tap":
        click(qtbot, lesson.next_button)
    lesson.picture.setFocus()
    qtbot.keyClick(lesson.picture, Qt.Key.Key_Return)
    assert lesson.feedback_kind == "good"
    assert window.focusWidget() is lesson.next_button


def test_no_voice_shows_on_the_speaker_button(qtbot, make_window):  # type: ignore[no-untyped-def]
    from kiosk.speech.speaker import Speaker

    class Voiceless(Speaker):
        def __init__(self) -> None:
            super().__init__(None)

    window = make_window(speaker_=Voiceless())  # type: ignore[arg-type]
    click(qtbot, tile_for(window, LESSON))
    button = window.lesson.speak_button
    assert not button.isEnabled()
    assert button.text() == "Geen stem"
    click(qtbot, window.lesson.next_button)  # the lesson goes on without a voice
    assert window.lesson.step.number == 2


def test_settings_read_aloud_off_speaks_only_on_request(qtbot, make_window, speaker):  # type: ignore[no-untyped-def]
    window = make_window(Settings(read_aloud=False))
    click(qtbot, tile_for(window, LESSON))
    assert speaker.said == []
    click(qtbot, window.lesson.speak_button)
    assert speaker.said[-1][0] == window.lesson.step.text




def key_for(keyboard, character: str):  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QPushButton

    for key in keyboard.findChildren(QPushButton):
        if key.accessibleName() == character or key.text() == character:
            return key
    raise AssertionError(f"no key {character!r}")


def test_type_step_with_the_on_screen_keyboard(qtbot, make_window, speaker, caplog):  # type: ignore[no-untyped-def]
    window = make_window()
    click(qtbot, tile_for(window, "typen"))
    lesson = window.lesson
    while lesson.step.kind != "type":
        if lesson.step.kind == "tap":
            tap_target(qtbot, window)
        click(qtbot, lesson.next_button)
    step = lesson.step
    keyboard = lesson.keyboard
    field = lesson.picture.field
    assert keyboard.isVisible() and field.isVisible()
    assert not lesson.next_button.isEnabled()
    for character in "Xyz":
        if character.isupper():
            click(qtbot, keyboard.shift_key)
        click(qtbot, key_for(keyboard, character.lower() if not keyboard.capital else character))
    assert field.text() == "Xyz"
    click(qtbot, keyboard.done_key)
    assert lesson.feedback_kind == "bad"
    assert "Xyz" not in lesson.feedback.plain_text()  # what was typed is not repeated
    for _ in range(3):
        click(qtbot, keyboard.erase_key)
    assert field.text() == ""
    answer = step.answer
    for character in answer:
        if character.isupper():
            click(qtbot, keyboard.shift_key)
            character_key = key_for(keyboard, character)
        elif character == " ":
            character_key = keyboard.space_key
        else:
            character_key = key_for(keyboard, character)
        click(qtbot, character_key)
    assert field.text() == answer
    assert lesson.feedback_kind == "good"  # praised as soon as the answer is complete
    assert lesson.next_button.isEnabled() and not keyboard.isVisible()
    assert "Xyz" not in caplog.text  # nothing a learner typed reaches the log


def test_type_answer_is_trimmed_and_case_insensitive(qtbot, make_window):  # type: ignore[no-untyped-def]
    window = make_window()
    click(qtbot, tile_for(window, "typen"))
    lesson = window.lesson
    while lesson.step.kind != "type" or lesson.step.match_case:
        if lesson.step.kind == "tap":
            tap_target(qtbot, window)
        if lesson.step.kind == "type":
            lesson.picture.field.setText(lesson.step.answer)
        click(qtbot, lesson.next_button)
    lesson.picture.field.setText("  " + lesson.step.answer.upper() + " ")
    qtbot.keyClick(lesson.picture.field, Qt.Key.Key_Return)
    assert lesson.feedback_kind == "good"


def test_a_case_sensitive_answer_wants_the_capital(qtbot, make_window):  # type: ignore[no-untyped-def]
    window = make_window()
    click(qtbot, tile_for(window, "typen"))
    lesson = window.lesson
    while not (lesson.step.kind == "type" and lesson.step.match_case):
        if lesson.step.kind == "tap":
            tap_target(qtbot, window)
        click(qtbot, lesson.next_button)
    lesson.picture.field.setText(lesson.step.answer.lower())
    qtbot.keyClick(lesson.picture.field, Qt.Key.Key_Return)
    assert lesson.feedback_kind == "bad" and "hoofdletter" in lesson.feedback.plain_text()
    lesson.picture.field.setText(lesson.step.answer)
    assert lesson.feedback_kind == "good"
