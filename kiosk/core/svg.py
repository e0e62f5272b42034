"""Reading lesson SVGs without Qt: safe parsing, element ids, target rectangles and texts.

A tap or type target named by an element id resolves to the element's bounding box in the user
units of the root ``viewBox``, after the transforms of the element and of all its ancestors.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import xml.etree.ElementTree as ET

SVG_NS = "{http://www.w3.org/2000/svg}"
MAX_SVG_BYTES = 5 * 1024 * 1024
MAX_SVG_SIZE = 4096.0

Matrix = tuple[float, float, float, float, float, float]  # a b c d e f, as in SVG
Rect = tuple[float, float, float, float]  # x y width height
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)

_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_TRANSFORM = re.compile(r"(matrix|translate|scale|rotate|skewX|skewY)\s*\(([^)]*)\)")


class SvgError(ValueError):
    """An SVG that the app refuses; the message says why in words an author understands."""


@dataclass(frozen=True)
class SvgDocument:
    root: ET.Element
    width: float
    height: float
    view_box: Rect

    def ids(self) -> list[str]:
        return sorted({el.get("id", "") for el in self.root.iter() if el.get("id")})

    def texts(self) -> list[str]:
        """Text content of every ``<text>`` element, in document order (messages to translate)."""
        found = []
        for el in self.root.iter(SVG_NS + "text"):
            text = element_text(el)
            if text:
                found.append(text)
        return found

    def element_rect(self, element_id: str) -> Rect | None:
        """Bounding box of the element in root user units, or None when no such element exists."""
        path = _path_to(self.root, element_id)
        if path is None:
            return None
        matrix = IDENTITY
        for ancestor in path[1:-1]:  # the element's own transform is applied by _bbox
            matrix = multiply(matrix, parse_transform(ancestor.get("transform", "")))
        box = _bbox(path[-1], matrix)
        if box is None:
            return None
        x0, y0, x1, y1 = box
        return (x0, y0, x1 - x0, y1 - y0)


def element_text(el: ET.Element) -> str:
    return " ".join("".join(el.itertext()).split())


def parse_svg_bytes(data: bytes, name: str = "picture") -> SvgDocument:
    if len(data) > MAX_SVG_BYTES:
        raise SvgError(f"{name} is larger than 5 MB")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SvgError(f"{name} is not UTF-8 text (byte {exc.start})") from None
    # Entity declarations are how XML "bombs" blow up; lesson pictures never need them.
    if re.search(r"<!ENTITY", text, re.IGNORECASE) or re.search(r"<!DOCTYPE[^>]*\[", text):
        raise SvgError(f"{name} declares XML entities, which lesson pictures may not use")
    import xml.etree.ElementTree as ET  # only when a picture is checked (start-up time)

    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        line, column = exc.position
        raise SvgError(f"{name} is not valid SVG: XML error at line {line}, column {column + 1}") from None
    if root.tag != SVG_NS + "svg":
        raise SvgError(f"{name} is not an SVG picture (its root element is <{_local(root.tag)}>)")
    view_box = _parse_view_box(root.get("viewBox"), name)
    width = _length(root.get("width"))
    height = _length(root.get("height"))
    if view_box is None:
        if width is None or height is None:
            raise SvgError(f"{name} needs a viewBox or a width and height")
        view_box = (0.0, 0.0, width, height)
    if width is None:
        width = view_box[2]
    if height is None:
        height = view_box[3]
    if not (0 < width <= MAX_SVG_SIZE and 0 < height <= MAX_SVG_SIZE):
        raise SvgError(f"{name} is {width:g}×{height:g}; pictures may be at most 4096×4096")
    return SvgDocument(root=root, width=width, height=height, view_box=view_box)


def parse_svg(path: Path) -> SvgDocument:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise SvgError(f"{path.name} cannot be read: {exc.strerror}") from None
    if size > MAX_SVG_BYTES:
        raise SvgError(f"{path.name} is larger than 5 MB")
    return parse_svg_bytes(path.read_bytes(), path.name)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _parse_view_box(value: str | None, name: str) -> Rect | None:
    if value is None:
        return None
    numbers = [float(n) for n in _NUMBER.findall(value)]
    if len(numbers) != 4 or numbers[2] <= 0 or numbers[3] <= 0:
        raise SvgError(f"{name} has a bad viewBox {value!r}")
    return (numbers[0], numbers[1], numbers[2], numbers[3])


def _length(value: str | None) -> float | None:
    if value is None or value.strip().endswith("%"):
        return None
    match = _NUMBER.match(value.strip())
    return float(match.group()) if match else None


def _path_to(root: ET.Element, element_id: str) -> list[ET.Element] | None:
    """The chain root → … → element with that id."""
    stack: list[tuple[ET.Element, list[ET.Element]]] = [(root, [root])]
    while stack:
        element, chain = stack.pop()
        if element.get("id") == element_id:
            return chain
        for child in element:
            stack.append((child, [*chain, child]))
    return None


def multiply(m: Matrix, n: Matrix) -> Matrix:
    """m × n: apply n first, then m."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (a * a2 + c * b2, b * a2 + d * b2,
            a * c2 + c * d2, b * c2 + d * d2,
            a * e2 + c * f2 + e, b * e2 + d * f2 + f)


def parse_transform(value: str) -> Matrix:
    matrix = IDENTITY
    for kind, args in _TRANSFORM.findall(value or ""):
        n = [float(x) for x in _NUMBER.findall(args)]
        step: Matrix
        if kind == "matrix" and len(n) == 6:
            step = (n[0], n[1], n[2], n[3], n[4], n[5])
        elif kind == "translate" and n:
            step = (1, 0, 0, 1, n[0], n[1] if len(n) > 1 else 0.0)
        elif kind == "scale" and n:
            step = (n[0], 0, 0, n[1] if len(n) > 1 else n[0], 0, 0)
        elif kind == "rotate" and n:
            r = math.radians(n[0])
            cos, sin = math.cos(r), math.sin(r)
            step = (cos, sin, -sin, cos, 0, 0)
            if len(n) == 3:
                cx, cy = n[1], n[2]
                step = multiply(multiply((1, 0, 0, 1, cx, cy), step), (1, 0, 0, 1, -cx, -cy))
        elif kind == "skewX" and n:
            step = (1, 0, math.tan(math.radians(n[0])), 1, 0, 0)
        elif kind == "skewY" and n:
            step = (1, math.tan(math.radians(n[0])), 0, 1, 0, 0)
        else:
            continue
        matrix = multiply(matrix, step)
    return matrix


def _apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = m
    return (a * x + c * y + e, b * x + d * y + f)


def _num(el: ET.Element, key: str, default: float = 0.0) -> float:
    value = _length(el.get(key))
    return default if value is None else value


def _local_points(el: ET.Element) -> list[tuple[float, float]]:
    """Points whose hull contains the element, in its own coordinates."""
    tag = _local(el.tag)
    if tag in ("rect", "image", "use", "foreignObject"):
        x, y = _num(el, "x"), _num(el, "y")
        w, h = _num(el, "width"), _num(el, "height")
        return [(x, y), (x + w, y), (x, y + h), (x + w, y + h)] if w > 0 and h > 0 else []
    if tag in ("circle", "ellipse"):
        cx, cy = _num(el, "cx"), _num(el, "cy")
        rx = _num(el, "r") if tag == "circle" else _num(el, "rx")
        ry = _num(el, "r") if tag == "circle" else _num(el, "ry")
        # The corners of the box around an ellipse contain it under any affine transform.
        return [(cx - rx, cy - ry), (cx + rx, cy - ry), (cx - rx, cy + ry), (cx + rx, cy + ry)]
    if tag == "line":
        return [(_num(el, "x1"), _num(el, "y1")), (_num(el, "x2"), _num(el, "y2"))]
    if tag in ("polyline", "polygon"):
        n = [float(v) for v in _NUMBER.findall(el.get("points", ""))]
        return list(zip(n[0::2], n[1::2]))
    if tag == "path":
        return _path_points(el.get("d", ""))
    if tag == "text":
        x, y = _num(el, "x"), _num(el, "y")
        size = _num(el, "font-size", 16.0)
        width = 0.6 * size * len(element_text(el))
        anchor = el.get("text-anchor", "start")
        left = x - width / 2 if anchor == "middle" else x - width if anchor == "end" else x
        return [(left, y - size), (left + width, y + 0.25 * size)]
    return []


_PATH_TOKEN = re.compile(r"([MmZzLlHhVvCcSsQqTtAa])|" + _NUMBER.pattern)
_PATH_ARGS = {"M": 2, "L": 2, "H": 1, "V": 1, "C": 6, "S": 4, "Q": 4, "T": 2, "A": 7, "Z": 0}


def _path_points(d: str) -> list[tuple[float, float]]:
    """End and control points of a path (its convex hull contains the curve; arcs by their box)."""
    points: list[tuple[float, float]] = []
    x = y = start_x = start_y = 0.0
    command = ""
    args: list[float] = []
    tokens = [(m.group(1), m.group(0)) for m in _PATH_TOKEN.finditer(d)]
    i = 0
    while i < len(tokens):
        letter, text = tokens[i]
        if letter:
            command = letter
            i += 1
            if command in "Zz":
                x, y = start_x, start_y
            continue
        if not command or command in "Zz":
            i += 1
            continue
        count = _PATH_ARGS[command.upper()]
        args = []
        while len(args) < count and i < len(tokens) and not tokens[i][0]:
            args.append(float(tokens[i][1]))
            i += 1
        if len(args) < count:
            break
        relative = command.islower()
        upper = command.upper()
        if upper == "H":
            x = x + args[0] if relative else args[0]
            points.append((x, y))
        elif upper == "V":
            y = y + args[0] if relative else args[0]
            points.append((x, y))
        elif upper == "A":
            end_x = x + args[5] if relative else args[5]
            end_y = y + args[6] if relative else args[6]
            points.extend(_arc_points(x, y, args[0], args[1], args[2], bool(args[3]),
                                      bool(args[4]), end_x, end_y))
            x, y = end_x, end_y
        else:
            pairs = list(zip(args[0::2], args[1::2]))
            for px, py in pairs:
                points.append((x + px, y + py) if relative else (px, py))
            x, y = points[-1]
            if upper == "M":
                start_x, start_y = x, y
                command = "l" if relative else "L"
    return points


def _arc_points(x1: float, y1: float, rx: float, ry: float, angle: float, large: bool,
                sweep: bool, x2: float, y2: float, samples: int = 24) -> list[tuple[float, float]]:
    """Points along an elliptical arc (SVG 1.1 implementation notes, F.6.5)."""
    rx, ry = abs(rx), abs(ry)
    if rx == 0 or ry == 0 or (x1, y1) == (x2, y2):
        return [(x2, y2)]
    phi = math.radians(angle)
    cos, sin = math.cos(phi), math.sin(phi)
    dx, dy = (x1 - x2) / 2, (y1 - y2) / 2
    px, py = cos * dx + sin * dy, -sin * dx + cos * dy
    grow = (px * px) / (rx * rx) + (py * py) / (ry * ry)
    if grow > 1:
        rx, ry = rx * math.sqrt(grow), ry * math.sqrt(grow)
    numerator = rx * rx * ry * ry - rx * rx * py * py - ry * ry * px * px
    denominator = rx * rx * py * py + ry * ry * px * px
    factor = math.sqrt(max(0.0, numerator / denominator)) if denominator else 0.0
    if large == sweep:
        factor = -factor
    cxp, cyp = factor * rx * py / ry, -factor * ry * px / rx
    cx = cos * cxp - sin * cyp + (x1 + x2) / 2
    cy = sin * cxp + cos * cyp + (y1 + y2) / 2

    def angle_of(ux: float, uy: float) -> float:
        return math.atan2(uy, ux)

    start = angle_of((px - cxp) / rx, (py - cyp) / ry)
    end = angle_of((-px - cxp) / rx, (-py - cyp) / ry)
    delta = end - start
    if sweep and delta < 0:
        delta += 2 * math.pi
    elif not sweep and delta > 0:
        delta -= 2 * math.pi
    found = []
    for i in range(samples + 1):
        t = start + delta * i / samples
        ex, ey = rx * math.cos(t), ry * math.sin(t)
        found.append((cx + cos * ex - sin * ey, cy + sin * ex + cos * ey))
    return found


def _bbox(el: ET.Element, matrix: Matrix) -> tuple[float, float, float, float] | None:
    matrix = multiply(matrix, parse_transform(el.get("transform", "")))
    corners = [_apply(matrix, px, py) for px, py in _local_points(el)]
    boxes = [b for child in el for b in [_bbox(child, matrix)] if b is not None]
    if corners:
        xs = [p[0] for p in corners]
        ys = [p[1] for p in corners]
        boxes.append((min(xs), min(ys), max(xs), max(ys)))
    if not boxes:
        return None
    return (min(b[0] for b in boxes), min(b[1] for b in boxes),
            max(b[2] for b in boxes), max(b[3] for b in boxes))


def translated_svg(data: bytes, translate: Callable[[str], str]) -> bytes:
    """The SVG with the text of every ``<text>`` element passed through ``translate``.

    A text element's content is replaced as a whole (its child elements dropped) only when the
    translation differs, so untranslated pictures come back unchanged.
    """
    import xml.etree.ElementTree as ET

    ET.register_namespace("", SVG_NS[1:-1])
    ET.register_namespace("xlink", "http://www.w3.org/1999/xlink")
    root = ET.fromstring(data)
    changed = False
    for el in root.iter(SVG_NS + "text"):
        source = element_text(el)
        if not source:
            continue
        target = translate(source)
        if target and target != source:
            for child in list(el):
                el.remove(child)
            el.text = target
            changed = True
    if not changed:
        return data
    written: bytes = ET.tostring(root, encoding="utf-8")
    return written
