"""Translation catalogs: valid, complete, and compiled from their current sources."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from kiosk.core.i18n import SHIPPED_LANGUAGES, Translator
from kiosk.core.paths import bundled

FOLDER = bundled("translations")
CATALOGS = [pytest.param(lang, domain, id=f"{lang}-{domain}")
            for lang in SHIPPED_LANGUAGES if lang != "nl" for domain in ("kiosk", "lessons")]


def may_stay_untranslated(message: str) -> bool:
    """Letters, digits, signs, numbers and units drawn in pictures (no word of 3 letters)."""
    return re.search(r"[^\W\d_]{3,}", message) is None


@pytest.mark.parametrize("language,domain", CATALOGS)
def test_msgfmt_check_passes(language: str, domain: str) -> None:
    if shutil.which("msgfmt") is None:
        pytest.fail("msgfmt is missing: install gettext (.ci/system-packages does)")
    po = FOLDER / language / "LC_MESSAGES" / f"{domain}.po"
    done = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(po)],
                          capture_output=True, text=True)
    assert done.returncode == 0 and not done.stderr.strip(), done.stderr


@pytest.mark.parametrize("language,domain", CATALOGS)
def test_catalog_is_complete_and_matches_the_template(language: str, domain: str) -> None:
    with (FOLDER / f"{domain}.pot").open("rb") as f:
        template = read_po(f)
    with (FOLDER / language / "LC_MESSAGES" / f"{domain}.po").open("rb") as f:
        catalog = read_po(f)
    wanted = {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in template if m.id}
    have = {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in catalog if m.id}
    assert wanted <= have, f"run pybabel update: missing {sorted(wanted - have)[:5]}"
    missing = []
    for message in catalog:
        if not message.id:
            continue
        source = message.id if isinstance(message.id, str) else message.id[0]
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy:
            missing.append(f"fuzzy: {source!r}")
        elif not all(strings) and not may_stay_untranslated(source):
            missing.append(f"untranslated: {source!r}")
    assert not missing, "\n".join(missing[:20])


@pytest.mark.parametrize("language,domain", CATALOGS)
def test_compiled_catalog_is_up_to_date(language: str, domain: str) -> None:
    folder = FOLDER / language / "LC_MESSAGES"
    def key(m):  # type: ignore[no-untyped-def]
        return (m.context, tuple(m.id) if isinstance(m.id, (list, tuple)) else m.id)

    def value(m):  # type: ignore[no-untyped-def]
        return tuple(m.string) if isinstance(m.string, (list, tuple)) else m.string

    with (folder / f"{domain}.po").open("rb") as f:
        source = {key(m): value(m) for m in read_po(f) if m.id and m.string and not m.fuzzy
                  and all(value(m) if isinstance(value(m), tuple) else [value(m)])}
    with (folder / f"{domain}.mo").open("rb") as f:
        compiled = {key(m): value(m) for m in read_mo(f) if m.id}
    assert source == compiled, "run: pybabel compile -D %s -d translations" % domain


def test_lessons_show_in_the_active_language_with_fallback() -> None:
    french = Translator("fr")
    assert french.lesson("tikken", "Tik op de groene knop.") != "Tik op de groene knop."
    assert french.lesson("tikken", "Een zin die er niet is.") == "Een zin die er niet is."
    assert french.gettext("Terug") != "Terug"
    assert Translator("xx").gettext("Terug") == "Terug"


def test_plural_forms_follow_the_language() -> None:
    ukrainian = Translator("uk")
    forms = {ukrainian.ngettext("{n} les klaar", "{n} lessen klaar", n) for n in (1, 2, 5)}
    assert len(forms) == 3  # Ukrainian has three forms


