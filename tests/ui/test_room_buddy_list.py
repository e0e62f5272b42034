"""In a room the digibuddy list shows the room's visits, and its title says so: the room's name
when it has one, "all computers" otherwise; a PC alone still says "this computer"."""

from __future__ import annotations

import socket

import pytest

from kiosk.core.i18n import Translator
from kiosk.core.roles import Role
from kiosk.core.settings import Settings


@pytest.mark.parametrize("language", ["nl", "ar"])
def test_buddy_list_title_names_the_room(qtbot, language: str) -> None:  # type: ignore[no-untyped-def]
    from kiosk.core.catalog import Catalog
    from kiosk.core.sessions import pictograms
    from kiosk.ui.screens.buddy import BuddyScreen
    from kiosk.ui.theme import Theme

    theme, t = Theme.named("normal", "A"), Translator(language)
    alone, room, named = (t.gettext(text) for text in (
        "Bezoeken op deze computer", "Bezoeken op alle computers", "Bezoeken in {room}"))
    if language == "nl":
        assert named == "Bezoeken in {room}"
    else:  # translated, with the room's name in it
        assert "{room}" in named and len({alone, room, named} & {
            "Bezoeken op deze computer", "Bezoeken op alle computers", "Bezoeken in {room}"}) == 0
    named = named.format(room="Bib Centrum")
    catalog = Catalog.load([])
    for room_name, title in ((None, alone), ("", room), ("Bib Centrum", named)):
        screen = BuddyScreen(theme, t, catalog, pictograms(), room_name=room_name)
        qtbot.addWidget(screen)
        screen.show_role(Role.BUDDY, settings=False)
        assert screen.heading.text() == title
        screen.show_role(Role.STAFF, settings=True)  # the switch button names it too
        assert ("Bib Centrum" in screen.switch_button.accessibleDescription()) == bool(room_name)


def test_the_room_name_setting_reaches_the_digibuddy_list(make_window) -> None:  # type: ignore[no-untyped-def]
    with socket.socket() as probe:  # a port where no server listens: the name is a setting
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    window = make_window(Settings(room=f"postgresql://kiosk@127.0.0.1:{port}/room",
                                  room_name="Bib Centrum"))
    window.staff.open_role(Role.BUDDY)
    assert window.buddy.heading.text() == "Bezoeken in Bib Centrum"
    window.set_language("fr")
    assert window.buddy.heading.text() == "Visites : Bib Centrum"
