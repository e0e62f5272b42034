"""P20: any malformed lesson is refused with a clear reason; the loader never crashes and never
reads outside the lesson folder."""

from __future__ import annotations

import os
import sys
import tomllib
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.core.lessons import STEP_KEYS, LessonError, LessonLoader

SVG = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 800 600">'
       '<g transform="rotate(10 50 50)"><rect id="knop" x="100" y="100" width="200" height="100"/></g></svg>')
BASE = '''format = 1
id = "proef"
title = "Proef"
topic = "basis"
icon = "scherm.svg"

[[step]]
kind = "tap"
text = "Tik op de knop."
image = "scherm.svg"
target = "knop"
hint = "Links."

[[step]]
kind = "choose"
text = "Kies."
[[step.choice]]
text = "Ja"
correct = true
[[step.choice]]
text = "Nee"
'''

_reads: list[str] = []
_watching = [False]


def _audit(event: str, args: tuple) -> None:  # type: ignore[type-arg]
    if _watching[0] and event == "open" and isinstance(args[0], (str, bytes, os.PathLike)):
        _reads.append(os.fsdecode(args[0]))


sys.addaudithook(_audit)

PATHS = st.sampled_from([
    "scherm.svg", "../scherm.svg", "/etc/passwd", "sub/../../x.svg", "C:/x.png", "a\\b.svg",
    "link-out.svg", "nep.png", "groot.png", "bom.svg", "", " ", "scherm.SVG", "x" * 5000 + ".svg",
    "\x00.svg", "lesson.toml",
])
VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True),
              st.text(max_size=300),
              st.integers(10_000, 12_000).map(lambda n: "é" * n), PATHS),
    lambda children: st.one_of(st.lists(children, max_size=5),
                               st.dictionaries(st.sampled_from(STEP_KEYS), children, max_size=5)),
    max_leaves=15)


def _toml_value(value) -> str:  # type: ignore[no-untyped-def]
    if value is None:
        return '""'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value) if value == value and abs(value) != float("inf") else "nan"
    if isinstance(value, str):
        return '"' + "".join(c if c.isprintable() and c not in '"\\' else f"\\u{ord(c):04x}"
                             for c in value) + '"'
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return "{" + ", ".join(f"{k} = {_toml_value(v)}" for k, v in value.items()) + "}"


def make_folder(root: Path) -> Path:
    folder = root / "proef"
    if not folder.exists():
        folder.mkdir(parents=True)
        (folder / "scherm.svg").write_text(SVG, encoding="utf-8")
        (folder / "bom.svg").write_text(
            '<!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
            + SVG.replace("</svg>", "<text>&b;</text></svg>"), encoding="utf-8")
        (folder / "nep.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\xff" * 40)
        (folder / "groot.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
                                           + (100000).to_bytes(4, "big") * 2 + b"\x08\x02\x00\x00\x00")
        outside = root / "buiten.svg"
        outside.write_text(SVG, encoding="utf-8")
        os.symlink(outside, folder / "link-out.svg")
    return folder


def run_loader(folder: Path, data: bytes) -> None:
    (folder / "lesson.toml").write_bytes(data)
    _reads.clear()
    _watching[0] = True
    try:
        result = LessonLoader(known_topics={"basis"}).check(folder)
        try:
            LessonLoader().load(folder)
        except LessonError as exc:
            assert exc.problems and all(isinstance(p, str) and p for p in exc.problems)
    finally:
        _watching[0] = False
    assert result.ok or result.errors
    inside = str(folder.resolve())
    for path in _reads:
        assert os.path.realpath(path).startswith(inside), f"read outside the lesson: {path}"


SETTINGS = settings(max_examples=3334, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow, HealthCheck.data_too_large])


@SETTINGS
@given(data=st.data())
def test_p20_mutated_bytes(tmp_path_factory, data) -> None:  # type: ignore[no-untyped-def]
    folder = make_folder(tmp_path_factory.getbasetemp() / "p20-bytes")
    raw = bytearray(BASE.encode("utf-8"))
    for _ in range(data.draw(st.integers(1, 8))):
        action = data.draw(st.sampled_from(["flip", "insert", "delete", "bad-utf8"]))
        at = data.draw(st.integers(0, len(raw) - 1))
        if action == "flip":
            raw[at] = data.draw(st.integers(0, 255))
        elif action == "insert":
            raw[at:at] = data.draw(st.binary(min_size=1, max_size=20))
        elif action == "delete":
            del raw[at:at + data.draw(st.integers(1, 20))]
        else:
            raw[at:at] = b"\xc3\x28"
    run_loader(folder, bytes(raw))


@SETTINGS
@given(key=st.sampled_from(["format", "id", "title", "topic", "level", "minutes", "icon",
                            "language", "requires", "summary", "onbekend"]),
       value=VALUES)
def test_p20_wrong_types_and_huge_values_at_the_top(tmp_path_factory, key, value) -> None:  # type: ignore[no-untyped-def]
    folder = make_folder(tmp_path_factory.getbasetemp() / "p20-top")
    lines = [line for line in BASE.split("\n[[step]]")[0].splitlines()
             if not line.startswith(f"{key} =")]
    text = "\n".join([f"{key} = {_toml_value(value)}", *lines]) + "\n[[step]]" + \
        BASE.split("\n[[step]]", 1)[1]
    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        pass  # also a fine input: a syntax error
    run_loader(folder, text.encode("utf-8", "surrogatepass"))


@SETTINGS
@given(step=st.dictionaries(st.sampled_from(STEP_KEYS + ("kind",)), VALUES, max_size=8),
       kind=st.sampled_from(["show", "tap", "choose", "type", "swipe", ""]))
def test_p20_random_steps_paths_and_images(tmp_path_factory, step, kind) -> None:  # type: ignore[no-untyped-def]
    folder = make_folder(tmp_path_factory.getbasetemp() / "p20-steps")
    step = {**step, "kind": kind}
    body = "\n".join(f"{k} = {_toml_value(v)}" for k, v in step.items())
    text = BASE.split("\n[[step]]")[0] + "\n[[step]]\n" + body + "\n"
    run_loader(folder, text.encode("utf-8", "surrogatepass"))


def test_p20_count(capsys) -> None:  # type: ignore[no-untyped-def]
    print(f"P20: {3 * SETTINGS.max_examples} malformed lessons per run")
