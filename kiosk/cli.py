"""The command line (a contract: staff scripts and checks call it).

Exit status: 0 fine, 1 problems found, 2 usage error. Every error is one readable line; Qt is
imported only by the commands that draw or speak.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from kiosk import APP_NAME, __version__

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """Wrong words on the command line: exit 2 with one line."""


class Problem(Exception):
    """Bad input found (a lesson, a file, a voice): exit 1 with one line."""


def _size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"size must look like 1366x768, not {text!r}") from None
    if not (320 <= width <= 7680 and 240 <= height <= 4320):
        raise argparse.ArgumentTypeError(f"size {text} is out of range")
    return width, height


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kiosk", description=f"{APP_NAME}: digital skills, step by step.")
    parser.add_argument("--version", action="version", version=f"kiosk {__version__}")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--kiosk", dest="kiosk_mode", action="store_true", default=None,
                      help="fill the screen and keep the app open (overrides the settings)")
    mode.add_argument("--windowed", dest="kiosk_mode", action="store_false",
                      help="run in a window (overrides the settings)")
    parser.add_argument("--lang", help="start in this language, e.g. nl, fr, ar")
    parser.add_argument("--config", type=Path, help="a settings file read after the others")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    lessons = commands.add_parser("lessons", help="check and render lessons")
    lesson_commands = lessons.add_subparsers(dest="lessons_command", metavar="ACTION", required=True)
    check = lesson_commands.add_parser("check", help="validate lessons")
    check.add_argument("paths", nargs="*", type=Path, metavar="PATH")
    check.add_argument("--json", action="store_true", help="print one JSON object")
    new = lesson_commands.add_parser("new", help="create a starter lesson folder to edit")
    new.add_argument("lesson_id", metavar="ID")
    new.add_argument("--dir", type=Path, default=Path("."), help="where to create it")
    render = lesson_commands.add_parser("render", help="one PNG per step, as the learner sees it")
    render.add_argument("lesson", metavar="ID|PATH")
    render.add_argument("--out", type=Path, required=True)
    render.add_argument("--lang")
    render.add_argument("--size", type=_size, default=(1366, 768))
    render.add_argument("--theme", choices=("normal", "contrast"))
    render.add_argument("--text-size", choices=("A", "A+", "A++"))

    screens = commands.add_parser("screens", help="one PNG per screen of the app")
    screens.add_argument("--out", type=Path, required=True)
    screens.add_argument("--lang")
    screens.add_argument("--theme", choices=("normal", "contrast"))
    screens.add_argument("--text-size", choices=("A", "A+", "A++"))
    screens.add_argument("--size", type=_size, default=(1366, 768))

    commands.add_parser("doctor", help="check this machine; exit 0 only when all is well")
    set_pin = commands.add_parser("set-pin", help="set the digibuddy or staff PIN")
    set_pin.add_argument("role", choices=("buddy", "staff"))
    stats = commands.add_parser("stats", help="anonymous usage counts")
    stats_commands = stats.add_subparsers(dest="stats_command", metavar="ACTION", required=True)
    export = stats_commands.add_parser("export", help="counts per lesson and per day, as CSV")
    export.add_argument("--out", type=Path, required=True)

    room = commands.add_parser("room", help="the room's shared PostgreSQL database")
    room_commands = room.add_subparsers(dest="room_command", metavar="ACTION", required=True)
    room_commands.add_parser("check", help="reach it, create or migrate its schema, one line")

    speech = commands.add_parser("speech", help="voices and read-aloud")
    speech_commands = speech.add_subparsers(dest="speech_command", metavar="ACTION", required=True)
    voices = speech_commands.add_parser(
        "voices", help="languages offered, the voice found for each, Piper and pyttsx3 voices")
    voices.add_argument("--all", action="store_true", help="list every voice, of any language")
    say = speech_commands.add_parser("say", help="speak a text, or write it to a WAV file")
    say.add_argument("text")
    say.add_argument("--lang", required=True)
    say.add_argument("--out", type=Path)
    prepare = speech_commands.add_parser("prepare", help="synthesise all lesson texts into the cache")
    prepare.add_argument("--lang", action="append", dest="languages")
    add_voice = speech_commands.add_parser(
        "add-voice", help="install a Piper voice (NAME.onnx and NAME.onnx.json) and check it")
    add_voice.add_argument("model", type=Path, metavar="PATH.onnx")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse already printed usage and one line
        return int(exc.code or 0)
    try:
        return _dispatch(args)
    except UsageError as exc:
        print(f"kiosk: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except Problem as exc:
        print(f"kiosk: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    except KeyboardInterrupt:
        return EXIT_PROBLEMS


def _context(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from kiosk.core.logs import configure_logging
    from kiosk.core.paths import AppPaths
    from kiosk.core.settings import Settings, settings_files

    paths = AppPaths.default()
    if args.config is not None and not args.config.is_file():
        raise UsageError(f"settings file {args.config} does not exist")
    configure_logging(paths.log)
    settings = Settings.load(settings_files(paths.site_config, paths.user_config, args.config))
    return paths, settings


def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "lessons" and args.lessons_command == "check":
        return _lessons_check(args)
    if args.command == "lessons" and args.lessons_command == "new":
        return _lessons_new(args)
    paths, settings = _context(args)
    if args.command is None:
        from kiosk.app import run

        kiosk_mode = settings.kiosk_mode if args.kiosk_mode is None else args.kiosk_mode
        return run(paths, settings, args.lang, kiosk_mode)
    if args.command == "lessons":
        return _lessons_render(args, paths, settings)
    if args.command == "screens":
        return _screens(args, paths, settings)
    if args.command == "doctor":
        from kiosk.doctor import run_doctor

        return run_doctor(paths, settings, args.config)
    if args.command == "set-pin":
        return _set_pin(args, paths)
    if args.command == "stats":
        return _stats_export(args, paths, settings)
    if args.command == "room":
        return _room_check(paths, settings)
    if args.command == "speech":
        from kiosk.speech import commands

        return commands.run(args, paths, settings)
    raise UsageError(f"unknown command {args.command}")


def _lessons_check(args: argparse.Namespace) -> int:
    from kiosk.core.catalog import lesson_folders, read_topics
    from kiosk.core.lessons import LessonLoader

    if args.paths:
        folders = list(args.paths)
        for folder in folders:
            if not folder.exists():
                raise UsageError(f"{folder} does not exist")
    else:
        from kiosk.core.catalog import library_folders

        folders = library_folders(_context(args)[1])
    topics: set[str] = set()
    for folder in folders:
        topics |= set(read_topics(folder)) | set(read_topics(folder.parent))
    loader = LessonLoader(known_topics=topics or None)
    results = [loader.check(folder) for folder in lesson_folders(folders)]
    glossaries = _words_check(folders)
    if args.json:
        print(json.dumps({"lessons": [r.as_json() for r in results],
                          "words": [{"folder": str(path), "words": count, "errors": problems}
                                    for path, count, problems in glossaries]},
                         ensure_ascii=False, indent=1))
    else:
        for path, count, problems in glossaries:
            print(f"{'✗' if problems else '✓'} words: {count} ({path})")
            for line in problems:
                print(f"    error: {line}")
        for result in results:
            mark = "✓" if result.ok else "✗"
            print(f"{mark} {result.lesson_id} ({result.folder})")
            for line in result.errors:
                print(f"    error: {line}")
            for line in result.warnings:
                print(f"    warning: {line}")
        bad = sum(not r.ok for r in results)
        print(f"{len(results)} lessons checked, {bad} with errors")
    if not results and not glossaries:
        print("kiosk: no lessons found in " + ", ".join(str(f) for f in folders), file=sys.stderr)
        return EXIT_PROBLEMS
    words_ok = not any(problems for _, _, problems in glossaries)
    return EXIT_OK if all(r.ok for r in results) and words_ok else EXIT_PROBLEMS


def _words_check(folders: list[Path]) -> list[tuple[Path, int, list[str]]]:
    """The tap-to-explain words beside the lessons (a library's ``_words`` folder, or that
    folder itself): how many load, and one line per broken entry."""
    from kiosk.core.words import WORDS_FILE, read_words, words_folder

    found = []
    for folder in folders:
        for candidate in (folder, words_folder(folder)):
            if (candidate / WORDS_FILE).is_file():
                glossary = read_words(candidate)
                found.append((candidate, len(glossary.words), glossary.problems))
                break
    return found


def _lessons_new(args: argparse.Namespace) -> int:
    from kiosk.core.lessons import LessonLoader
    from kiosk.core.starter import StarterError, create_starter

    try:
        folder = create_starter(args.dir, args.lesson_id)
    except StarterError as exc:
        raise UsageError(str(exc)) from None
    except OSError as exc:
        raise Problem(f"cannot create {args.dir / args.lesson_id}: {exc.strerror}") from None
    result = LessonLoader().check(folder)
    print(f"created {folder}: lesson.toml, scherm.svg, icon.svg "
          f"({'valid' if result.ok else 'has problems'}). Edit lesson.toml, then run "
          f"'kiosk lessons check {folder}'.")
    return EXIT_OK if result.ok else EXIT_PROBLEMS


def _read_pin_twice() -> tuple[str, str]:
    """Asks twice on a terminal; reads two lines from standard input when it is not one."""
    if sys.stdin.isatty():
        import getpass

        return getpass.getpass("New PIN: "), getpass.getpass("The same PIN again: ")
    first, second = sys.stdin.readline(), sys.stdin.readline()
    return first.strip(), second.strip()


def _set_pin(args: argparse.Namespace, paths) -> int:  # type: ignore[no-untyped-def]
    import time

    from kiosk.core.roles import PinBook, PinError, Role

    first, second = _read_pin_twice()
    if first != second:
        raise Problem("the two PINs differ; nothing was changed")
    book = PinBook(paths.user_config, paths.data, time.time)
    try:
        book.set_pin(Role(args.role), first)
    except PinError as exc:
        raise Problem(f"{exc}; nothing was changed") from None
    except OSError as exc:
        raise Problem(f"cannot write {book.path}: {exc.strerror}") from None
    print(f"PIN for {args.role} set (stored as a salted hash in {book.path})")
    return EXIT_OK


def _room(paths, settings):  # type: ignore[no-untyped-def]
    from kiosk.core.room import load_config

    return load_config(settings.room, [paths.site_config, paths.user_config],
                       settings.room_pc_name, settings.room_name)


def _room_check(paths, settings) -> int:  # type: ignore[no-untyped-def]
    from kiosk.core.room import RoomError, check

    config = _room(paths, settings)
    if config is None:
        raise Problem("no room is set: add room = \"postgresql://…\" to settings.toml "
                      "or a room.toml beside it")
    try:
        print(check(config))
    except RoomError as exc:
        raise Problem(str(exc)) from None
    return EXIT_OK


def _stats_export(args: argparse.Namespace, paths, settings) -> int:  # type: ignore[no-untyped-def]
    import csv

    from kiosk.core.room import RoomError, lesson_rows
    from kiosk.core.store import ProgressStore, StoreError, day_counts

    config = _room(paths, settings)
    if config is not None:  # the whole room's counts
        try:
            counts = day_counts(lesson_rows(config))
        except RoomError as exc:
            raise Problem(f"{exc}; no counts written") from None
    else:
        try:
            store = ProgressStore(paths.store_file)
        except StoreError as exc:
            raise Problem(str(exc)) from None
        try:
            counts = store.day_counts()
        finally:
            store.close()
    tags = _digcomp_tags(settings)
    try:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        with args.out.open("w", newline="", encoding="utf-8") as f:
            writer = csv.writer(f)
            writer.writerow(["day", "lesson", "sessions", "starts", "finishes", "median_minutes",
                             "digcomp"])
            for c in counts:
                writer.writerow([c.day, c.lesson_id, c.sessions, c.starts, c.finishes,
                                 c.median_minutes, tags.get(c.lesson_id, "")])
    except OSError as exc:
        raise Problem(f"cannot write {args.out}: {exc.strerror}") from None
    print(f"{len(counts)} rows written to {args.out}")
    return EXIT_OK


def _digcomp_tags(settings) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Each lesson's DigComp 2.2 competence numbers, space-separated, for the stats export."""
    from kiosk.core.catalog import Catalog, library_folders

    catalog = Catalog.load(library_folders(settings))
    return {lesson.id: " ".join(lesson.digcomp) for lesson in catalog.lessons}


def _offscreen() -> None:
    """Pictures need no screen: draw offscreen unless a platform was chosen."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _render_services(args: argparse.Namespace, paths, settings, extra_folders=()):  # type: ignore[no-untyped-def]
    from dataclasses import replace

    from kiosk.app import build_services, make_application
    from kiosk.speech.silent import SilentSpeaker

    _offscreen()
    if getattr(args, "theme", None):
        settings = replace(settings, theme=args.theme)
    if getattr(args, "text_size", None):
        settings = replace(settings, text_size=args.text_size)
    settings = replace(settings, read_aloud=False,
                       lesson_folders=[*settings.lesson_folders, *map(str, extra_folders)])
    app = make_application(["kiosk"])
    services = build_services(paths, settings, args.lang, speaker=SilentSpeaker(), store=False)
    return app, services


def _lessons_render(args: argparse.Namespace, paths, settings) -> int:  # type: ignore[no-untyped-def]
    from kiosk.core.lessons import LessonLoader

    target = Path(args.lesson)
    extra: list[Path] = []
    lesson_id = args.lesson
    if target.exists():
        result = LessonLoader().check(target)
        if result.lesson is None:
            raise Problem(f"{target}: " + "; ".join(result.errors))
        extra = [target]
        lesson_id = result.lesson.id
    app, services = _render_services(args, paths, settings, extra)
    lesson = services.catalog.open(lesson_id)
    if lesson is None:
        broken = [b for b in services.catalog.broken if b.lesson_id == lesson_id]
        if broken:
            raise Problem(f"lesson {lesson_id}: " + "; ".join(broken[0].errors))
        raise Problem(f"no lesson {lesson_id!r}; known: "
                      + ", ".join(lesson.id for lesson in services.catalog.lessons))
    from kiosk.ui.render import make_window, render_lesson

    window = make_window(services, args.size)
    written = render_lesson(window, lesson, args.out)
    window.close()
    print(f"{len(written)} pictures written to {args.out}")
    return EXIT_OK


def _screens(args: argparse.Namespace, paths, settings) -> int:  # type: ignore[no-untyped-def]
    from kiosk.ui.render import make_window, render_screens

    app, services = _render_services(args, paths, settings)
    window = make_window(services, args.size)
    written = render_screens(window, args.out)
    window.close()
    print(f"{len(written)} pictures written to {args.out}")
    return EXIT_OK
