"""Rule 8 on the home screen: the languages are one choice there ("Taal · Langue · …"), and a
tap on it shows the other languages, at most five at once, more behind "Meer talen"."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton

from kiosk.core.i18n import SHIPPED_LANGUAGES, Translator, language_name
from kiosk.speech.silent import SilentSpeaker
from kiosk.ui.screens.welcome import LANGUAGE_WORDS, WelcomeScreen
from kiosk.ui.theme import Theme


def visible_buttons(widget) -> list[QAbstractButton]:  # type: ignore[no-untyped-def]
    return [b for b in widget.findChildren(QAbstractButton) if b.isVisible()]


def test_ux08_the_home_screen_offers_one_language_button_in_every_script(make_window,  # type: ignore[no-untyped-def]
                                                                         qtbot) -> None:
    window = make_window()
    welcome = window.welcome
    shown = visible_buttons(welcome)
    assert welcome.language_button in shown
    assert not any(b in shown for b in welcome.language_buttons.values())
    assert len(shown) <= 5 + 1  # Begin, Verder gaan, language, text size, help; speaker button
    label = welcome.language_button.text()
    for code in SHIPPED_LANGUAGES:
        assert LANGUAGE_WORDS[code] in label, code  # each resident finds their own word
    assert label.startswith(LANGUAGE_WORDS["nl"])  # the language in use comes first

    qtbot.mouseClick(welcome.language_button, Qt.MouseButton.LeftButton)
    offered = [b for b in visible_buttons(welcome) if b in welcome.language_buttons.values()]
    assert sorted(b.text() for b in offered) == sorted(
        language_name(c) for c in SHIPPED_LANGUAGES if c != "nl")
    assert len(offered) <= 5
    assert welcome.languages_back.isVisible()

    qtbot.mouseClick(welcome.language_buttons["ar"], Qt.MouseButton.LeftButton)
    assert window.t.language == "ar"
    assert welcome.pages.currentWidget() is welcome.main_page
    assert window.welcome.language_button.text().startswith(LANGUAGE_WORDS["ar"])

    qtbot.mouseClick(window.welcome.language_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(window.welcome.languages_back, Qt.MouseButton.LeftButton)
    assert window.welcome.pages.currentWidget() is window.welcome.main_page
    assert window.t.language == "ar"  # going back changes nothing


def test_ux08_more_than_six_languages_page_behind_meer(qtbot) -> None:  # type: ignore[no-untyped-def]
    languages = [*SHIPPED_LANGUAGES, "de", "es", "pl"]
    welcome = WelcomeScreen(Theme(), Translator("nl"), SilentSpeaker(), languages)
    qtbot.addWidget(welcome)
    welcome.resize(1366, 768)
    welcome.show()
    welcome.show_languages()
    seen: list[str] = []
    for _ in range(2):  # eight other languages, four a page
        page = [c for c, b in welcome.language_buttons.items() if b.isVisible()]
        assert welcome.more_button.isVisible()
        assert len(page) + 1 <= 5  # with "Meer talen", five choices at most
        seen += page
        qtbot.mouseClick(welcome.more_button, Qt.MouseButton.LeftButton)
    assert sorted(seen) == sorted(c for c in languages if c != "nl")  # each once, none missing
    assert [c for c, b in welcome.language_buttons.items() if b.isVisible()] == seen[:4]
