"""SVG target rectangles: element boxes after the transforms of the element and all ancestors."""

from __future__ import annotations

import pytest

from kiosk.core.svg import SvgError, parse_svg_bytes, translated_svg

HEAD = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 800 600" width="800" height="600">'


def rect_of(body: str, element_id: str):  # type: ignore[no-untyped-def]
    return parse_svg_bytes((HEAD + body + "</svg>").encode()).element_rect(element_id)


def approx(rect):  # type: ignore[no-untyped-def]
    return pytest.approx(rect, abs=1e-6)


def test_plain_rect() -> None:
    assert rect_of('<rect id="a" x="10" y="20" width="30" height="40"/>', "a") == approx(
        (10, 20, 30, 40))


def test_ancestor_translate_and_scale_apply() -> None:
    body = ('<g transform="translate(100,50)"><g transform="scale(2)">'
            '<rect id="a" x="10" y="20" width="30" height="40"/></g></g>')
    assert rect_of(body, "a") == approx((120, 90, 60, 80))


def test_the_elements_own_transform_applies_once() -> None:
    body = '<rect id="a" transform="translate(5 5)" x="0" y="0" width="10" height="10"/>'
    assert rect_of(body, "a") == approx((5, 5, 10, 10))


def test_rotate_about_a_point_gives_the_bounding_box() -> None:
    body = '<rect id="a" transform="rotate(90 50 50)" x="40" y="0" width="20" height="10"/>'
    assert rect_of(body, "a") == approx((90, 40, 10, 20))


def test_matrix_and_group_union() -> None:
    body = ('<g id="g" transform="matrix(1 0 0 1 10 10)"><circle cx="0" cy="0" r="5"/>'
            '<rect x="20" y="20" width="5" height="5"/></g>')
    assert rect_of(body, "g") == approx((5, 5, 30, 30))


def test_path_and_polygon() -> None:
    assert rect_of('<path id="p" d="M 10 10 l 20 0 v 30 h -20 z"/>', "p") == approx((10, 10, 20, 30))
    assert rect_of('<polygon id="q" points="0,0 50,10 20,40"/>', "q") == approx((0, 0, 50, 40))


def test_missing_id_gives_none_and_ids_are_listed() -> None:
    document = parse_svg_bytes((HEAD + '<rect id="knop" width="1" height="1"/></svg>').encode())
    assert document.element_rect("nope") is None
    assert document.ids() == ["knop"]


def test_entity_declarations_are_refused() -> None:
    bomb = ('<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa">'
            '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>' + HEAD + "<text>&b;</text></svg>")
    with pytest.raises(SvgError, match="entities"):
        parse_svg_bytes(bomb.encode())


def test_oversized_and_not_utf8_and_broken_xml_are_refused() -> None:
    with pytest.raises(SvgError, match="4096"):
        parse_svg_bytes(b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 5000 10"/>')
    with pytest.raises(SvgError, match="UTF-8"):
        parse_svg_bytes(HEAD.encode() + b"<text>\xff</text></svg>")
    with pytest.raises(SvgError, match="line 1"):
        parse_svg_bytes(HEAD.encode() + b"<rect></svg>")


def test_text_elements_are_translated_whole() -> None:
    source = (HEAD + '<text id="t" x="1" y="2">Verzenden</text><text>Blijft</text></svg>').encode()
    out = translated_svg(source, {"Verzenden": "Envoyer"}.get).decode()
    assert "Envoyer" in out and "Verzenden" not in out and "Blijft" in out
    assert translated_svg(source, lambda s: s) == source


def test_arc_box_is_the_half_circle_it_draws() -> None:
    # A half circle of radius 10 from (0,10) to (20,10), bulging upwards.
    x, y, w, h = rect_of('<path id="a" d="M 0 10 A 10 10 0 0 1 20 10"/>', "a")
    assert (x, w) == approx((0, 20))
    assert (y, h) == pytest.approx((0, 10), abs=0.2)
