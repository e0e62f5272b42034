"""Settings: typed keys with defaults; a bad value is one line naming the key, unknown keys warn."""

from __future__ import annotations

from pathlib import Path

from kiosk.core.settings import KEYS, Settings, settings_files


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_every_key_has_a_default_a_description_and_a_field() -> None:
    defaults = Settings()
    for key in KEYS:
        assert key.description.strip()
        assert getattr(defaults, key.name) == key.default


def test_site_then_user_then_config_file(tmp_path: Path) -> None:
    site = write(tmp_path / "site" / "settings.toml", 'idle_seconds = 600\ntheme = "contrast"\n')
    user = write(tmp_path / "user" / "settings.toml", "idle_seconds = 900\n")
    extra = write(tmp_path / "extra.toml", 'text_size = "A++"\n')
    files = settings_files(site.parent, user.parent, extra)
    settings = Settings.load(files)
    assert (settings.idle_seconds, settings.theme, settings.text_size) == (900, "contrast", "A++")


def test_bad_values_are_one_line_each_and_the_default_stays(tmp_path: Path, caplog) -> None:  # type: ignore[no-untyped-def]
    config = write(tmp_path / "s.toml", 'idle_seconds = "lang"\nidle_warning_seconds = 30\n'
                                        'theme = "paars"\nlanguages = []\nkiosk_mode = "ja"\n'
                                        "onbekend = 1\n")
    problems: list[str] = []
    settings = Settings.load([config], problems)
    assert settings == Settings()
    text = "\n".join(problems)
    assert "'idle_seconds' must be a whole number; using 300" in text
    assert "'idle_warning_seconds' must be from 120 to 3600" in text
    assert "'theme' must be one of 'normal', 'contrast'" in text
    assert "'languages' needs at least one language" in text
    assert "'kiosk_mode' must be true or false" in text
    assert "unknown key 'onbekend', ignored" in text
    assert all("\n" not in line and str(config) in line for line in problems)
    assert len(caplog.records) == len(problems)


def test_broken_toml_is_ignored_with_a_line(tmp_path: Path) -> None:
    config = write(tmp_path / "s.toml", "idle_seconds = = 3\n")
    problems: list[str] = []
    assert Settings.load([config], problems) == Settings()
    assert "cannot be read, ignored" in problems[0]


def test_default_language_must_be_offered(tmp_path: Path) -> None:
    config = write(tmp_path / "s.toml", 'languages = ["fr", "ar"]\ndefault_language = "nl"\n')
    problems: list[str] = []
    settings = Settings.load([config], problems)
    assert settings.default_language == "fr"
    assert "'default_language' 'nl' is not in 'languages'" in problems[0]
