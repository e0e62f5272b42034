"""Languages: gettext catalogs for the app (domain ``kiosk``) and the lessons (domain ``lessons``).

Texts are translated when a screen is drawn, never at import time, so switching the language
re-translates what is on screen. Lesson messages use the lesson id as gettext context; a missing
translation falls back to the lesson's own text.
"""

from __future__ import annotations

import gettext
import logging
from functools import lru_cache
from pathlib import Path

from kiosk.core.paths import bundled

logger = logging.getLogger(__name__)

SOURCE_LANGUAGE = "nl"
SHIPPED_LANGUAGES = ("nl", "fr", "en", "ar", "tr", "uk")
RTL_LANGUAGES = frozenset({"ar", "fa", "he", "ur", "ps", "prs"})


def base_language(code: str) -> str:
    return code.replace("_", "-").split("-")[0].lower()


def is_rtl(code: str) -> bool:
    return base_language(code) in RTL_LANGUAGES


# Babel's names of the languages offered most, written out so the home screen needs no locale
# data at start-up (loading it took longer than the rest of the screen). A test keeps them
# equal to Babel's; Arabic carries its vowel marks, as all Arabic text in the app does.
OWN_NAMES = {
    "nl": "Nederlands",
    "fr": "Français",
    "en": "English",
    "ar": "العَرَبِيَّة",
    "tr": "Türkçe",
    "uk": "Українська",
    "ru": "Русский",
    "ro": "Română",
    "fa": "فارسی",
    "pl": "Polski",
    "bg": "Български",
    "ti": "ትግርኛ",
    "so": "Soomaali",
    "de": "Deutsch",
    "es": "Español",
    "it": "Italiano",
    "pt": "Português",
    "zh": "中文",
    "sq": "Shqip",
    "am": "አማርኛ",
    "ps": "پښتو",
    "ku": "Kurdî (kurmancî)",
}


@lru_cache(maxsize=64)
def language_name(code: str) -> str:
    """The language's own name in its own script ("Nederlands", "العَرَبِيَّة", "Українська")."""
    if code in OWN_NAMES:
        return OWN_NAMES[code]
    from babel import Locale, UnknownLocaleError  # Babel's locale data loads only when needed

    try:
        locale = Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return code
    name = locale.get_display_name(locale) or code
    return name[:1].upper() + name[1:]


class Translator:
    """Translations for one language, with the source language as fallback."""

    def __init__(self, language: str = SOURCE_LANGUAGE, folder: Path | None = None) -> None:
        self.language = language
        folder = folder or bundled("translations")
        self._kiosk = _catalog(folder, "kiosk", language)
        self._lessons = _catalog(folder, "lessons", language)

    @property
    def rtl(self) -> bool:
        return is_rtl(self.language)

    def gettext(self, message: str) -> str:
        return self._kiosk.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self._kiosk.ngettext(singular, plural, n)

    def lesson(self, lesson_id: str, message: str) -> str:
        """A lesson text in this language, or the lesson's own text when not translated."""
        if not message:
            return message
        return self._lessons.pgettext(lesson_id, message)


def _catalog(folder: Path, domain: str, language: str) -> gettext.NullTranslations:
    candidates = [language.replace("-", "_"), base_language(language)]
    for candidate in dict.fromkeys(candidates):
        mo = folder / candidate / "LC_MESSAGES" / f"{domain}.mo"
        if mo.is_file():
            try:
                with mo.open("rb") as f:
                    return gettext.GNUTranslations(f)
            except Exception as exc:  # a damaged catalog must not stop the app
                logger.warning("translation %s cannot be read: %s", mo, exc)
    return gettext.NullTranslations()
