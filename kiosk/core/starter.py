"""``kiosk lessons new ID``: a valid starter lesson folder an author can edit."""

from __future__ import annotations

from pathlib import Path

from kiosk.core.lessons import ID_PATTERN

STARTER_TOML = '''format = 1
id = "{id}"
title = "Mijn nieuwe les"
summary = "Zeg in één korte zin wat je leert."
topic = "basis"
level = 1
minutes = 5
icon = "icon.svg"
language = "nl"

# A step that only shows and tells.
[[step]]
kind = "show"
text = "Dit is een scherm met een knop."
image = "scherm.svg"

# A practice step: the learner taps the element with id "knop" in scherm.svg.
[[step]]
kind = "tap"
text = "Tik op de groene knop."
image = "scherm.svg"
target = "knop"
hint = "De knop is groen. Hij staat in het midden."
done = "Goed zo!"

# A question with two answers; one is right.
[[step]]
kind = "choose"
text = "Was dat moeilijk?"

[[step.choice]]
text = "Nee, het ging goed"
correct = true
why = "Fijn!"

[[step.choice]]
text = "Ja, een beetje"
correct = true
why = "Oefen gerust nog eens."
'''

STARTER_SVG = '''<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 800 600" width="800" height="600">
  <rect x="0" y="0" width="800" height="600" fill="#ffffff"/>
  <rect x="40" y="40" width="720" height="520" rx="24" fill="#f2f2f2" stroke="#1a1a1a" stroke-width="6"/>
  <g id="knop">
    <rect x="275" y="250" width="250" height="100" rx="20" fill="#14532d" stroke="#0a2e18" stroke-width="4"/>
    <text x="400" y="313" font-family="sans-serif" font-size="36" font-weight="bold" fill="#ffffff" text-anchor="middle">Start</text>
  </g>
</svg>
'''

STARTER_ICON = '''<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 128 128" width="128" height="128">
  <circle cx="64" cy="64" r="52" fill="#14532d" stroke="#1a1a1a" stroke-width="6"/>
  <path d="M 40 66 L 58 84 L 90 46" fill="none" stroke="#ffffff" stroke-width="12" stroke-linecap="round" stroke-linejoin="round"/>
</svg>
'''


class StarterError(ValueError):
    pass


def create_starter(parent: Path, lesson_id: str) -> Path:
    if not ID_PATTERN.fullmatch(lesson_id) or not 3 <= len(lesson_id) <= 48:
        raise StarterError(f"{lesson_id!r} is not a lesson id: use 3–48 lowercase letters, "
                           "digits and single dashes, like 'email-sturen'")
    folder = parent / lesson_id
    if folder.exists():
        raise StarterError(f"{folder} already exists")
    folder.mkdir(parents=True)
    (folder / "lesson.toml").write_text(STARTER_TOML.format(id=lesson_id), encoding="utf-8")
    (folder / "scherm.svg").write_text(STARTER_SVG, encoding="utf-8")
    (folder / "icon.svg").write_text(STARTER_ICON, encoding="utf-8")
    return folder
