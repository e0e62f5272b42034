"""Our own target rectangles agree with what Qt's SVG renderer computes for the same elements."""

from __future__ import annotations

import pytest
from PySide6.QtSvg import QSvgRenderer

from kiosk.core.catalog import Catalog
from kiosk.core.paths import bundled


def targets():  # type: ignore[no-untyped-def]
    catalog = Catalog.load([bundled("lessons")])
    for lesson in catalog.lessons:
        for step in lesson.steps:
            if step.target_id and step.image is not None:
                yield pytest.param(step, id=f"{lesson.id}-{step.number}")


@pytest.mark.parametrize("step", list(targets()))
def test_target_rect_matches_qsvgrenderer(qapp, step) -> None:  # type: ignore[no-untyped-def]
    renderer = QSvgRenderer(str(step.image))
    assert renderer.elementExists(step.target_id)
    qt_rect = renderer.transformForElement(step.target_id).mapRect(
        renderer.boundsOnElement(step.target_id))
    x, y, w, h = step.target
    # Qt's box includes half the stroke width; ours is the geometry. They agree within a stroke.
    tolerance = 12.0
    assert abs(qt_rect.x() - x) <= tolerance
    assert abs(qt_rect.y() - y) <= tolerance
    assert abs(qt_rect.width() - w) <= 2 * tolerance
    assert abs(qt_rect.height() - h) <= 2 * tolerance
