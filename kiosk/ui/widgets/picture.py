"""The pictured screen of a step: drawn to fit, tapped on, and marked with ✓ or ✗ where it was tapped."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QByteArray, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QImage,
    QImageReader,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
)
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QLineEdit, QSizePolicy, QWidget

from kiosk.core.svg import Rect, translated_svg
from kiosk.ui.theme import TARGET, Theme

logger = logging.getLogger(__name__)

TAP_MARGIN_PX = 12  # a tap this close to the target counts: shaky hands miss by a little


def ring_on_light(theme: Theme) -> str:
    """The focus ring on a lesson picture, which is light in every theme: the contrast theme's
    own ring (magenta) is made for black and is too pale there."""
    p = theme.palette
    return p.focus if p.name == "normal" else p.focus_on_primary


class StepPicture(QWidget):
    """Shows one image scaled to fit; emits where it was tapped, in the image's own units."""

    tapped = Signal(float, float)
    activated = Signal()  # Enter or Space while focused: "tap the target" for keyboard users

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.theme = theme
        self._svg: QSvgRenderer | None = None
        self._renderer: QSvgRenderer | None = None
        self._image: QImage | None = None
        self._view = QRectF(0, 0, 1, 1)  # the image's own coordinate box
        self._mark: tuple[str, QPointF] | None = None
        self._shown_target: Rect | None = None
        self.tappable = False
        self._field_rect: Rect | None = None
        self.field = QLineEdit(self)  # where a type step is typed, on the pictured field
        self.field.setAccessibleName("")
        self.field.setLayoutDirection(Qt.LayoutDirection.LeftToRight)  # answers are typed in Latin
        # The field belongs to the pictured screen: white with dark text in every theme.
        self.field.setStyleSheet(
            "QLineEdit { background: #ffffff; color: #1a1a1a; border: 3px solid #1a1a1a; }"
            f"QLineEdit:focus {{ border: 5px solid {ring_on_light(theme)}; }}")
        self.field.hide()
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(200, 150)

    def sizeHint(self) -> QSize:
        return QSize(800, 520)

    # -- content ---------------------------------------------------------------------------

    def set_image(self, path: Path | None, translate=None) -> None:  # type: ignore[no-untyped-def]
        self._svg, self._image, self._mark, self._shown_target = None, None, None, None
        if path is not None:
            try:
                if path.suffix.lower() == ".svg":
                    data = path.read_bytes()
                    if translate is not None:
                        data = translated_svg(data, translate)
                    # One renderer for the widget's life: a new one per step would pile up.
                    if self._renderer is None:
                        self._renderer = QSvgRenderer(self)
                    if self._renderer.load(QByteArray(data)) and self._renderer.isValid():
                        self._svg = self._renderer
                        self._view = self._renderer.viewBoxF()
                else:
                    reader = QImageReader(str(path))
                    image = reader.read()
                    if not image.isNull():
                        self._image = image
                        self._view = QRectF(0, 0, image.width(), image.height())
            except Exception as exc:  # a picture that cannot be drawn must not stop the lesson
                logger.warning("picture %s cannot be drawn: %s", path, exc)
            if self._svg is None and self._image is None:
                logger.warning("picture %s cannot be drawn", path)
        self.setVisible(path is not None)
        self.update()

    def show_field(self, rect: Rect | None, text: str = "") -> None:
        """Put the typing field over the pictured field (None hides it)."""
        self._field_rect = rect
        self.field.setText(text)
        self.field.setVisible(rect is not None)
        self._place_field()

    def _place_field(self) -> None:
        if self._field_rect is None:
            return
        area = self.widget_rect(self._field_rect).toRect()
        # At least a finger's height (64 px), but no more than the pictured box needs: a field
        # grown with the text size would cover the picture's label above it.
        height = max(TARGET, area.height())
        area.setTop(area.center().y() - height // 2)
        area.setHeight(height)
        self.field.setGeometry(area)
        font = self.field.font()
        font.setPixelSize(max(self.theme.body_px, round(height * 0.45)))
        self.field.setFont(font)

    def resizeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        super().resizeEvent(event)
        self._place_field()

    def mark(self, kind: str, x: float, y: float) -> None:
        """Draw ✓ ("good") or ✗ ("bad") at a point in image units."""
        self._mark = (kind, QPointF(x, y))
        self.update()

    def show_target(self, rect: Rect | None) -> None:
        """Outline where to tap (after repeated wrong tries)."""
        self._shown_target = rect
        self.update()

    @property
    def shown_target(self) -> Rect | None:
        """Where the picture outlines the place to tap, if it does (image units)."""
        return self._shown_target

    def clear_marks(self) -> None:
        self._mark, self._shown_target = None, None
        self.update()

    # -- geometry --------------------------------------------------------------------------

    def view_box(self) -> QRectF:
        """The image's own coordinate box (the SVG viewBox, or the pixels of a raster image)."""
        return QRectF(self._view)

    def image_rect(self) -> QRectF:
        """Where the image is drawn in the widget: as large as fits, centred, aspect kept."""
        view = self._view
        if view.width() <= 0 or view.height() <= 0:
            return QRectF(self.rect())
        scale = min(self.width() / view.width(), self.height() / view.height())
        w, h = view.width() * scale, view.height() * scale
        return QRectF((self.width() - w) / 2, (self.height() - h) / 2, w, h)

    def scale(self) -> float:
        return self.image_rect().width() / self._view.width() if self._view.width() else 1.0

    def to_image(self, point: QPointF) -> QPointF:
        area = self.image_rect()
        s = self.scale()
        return QPointF(self._view.x() + (point.x() - area.x()) / s,
                       self._view.y() + (point.y() - area.y()) / s)

    def to_widget(self, point: QPointF) -> QPointF:
        area = self.image_rect()
        s = self.scale()
        return QPointF(area.x() + (point.x() - self._view.x()) * s,
                       area.y() + (point.y() - self._view.y()) * s)

    def widget_rect(self, rect: Rect) -> QRectF:
        top_left = self.to_widget(QPointF(rect[0], rect[1]))
        s = self.scale()
        return QRectF(top_left.x(), top_left.y(), rect[2] * s, rect[3] * s)

    def tap_margin(self) -> float:
        """The tap margin in image units."""
        return TAP_MARGIN_PX / self.scale() if self.scale() else 0.0

    # -- events ----------------------------------------------------------------------------

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self.tappable and event.button() == Qt.MouseButton.LeftButton:
            point = self.to_image(event.position())
            self.tapped.emit(point.x(), point.y())
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.tappable and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.activated.emit()
            return
        super().keyPressEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        p = self.theme.palette
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        area = self.image_rect()
        painter.fillRect(area, QColor("#ffffff"))
        if self._svg is not None:
            self._svg.render(painter, area)
        elif self._image is not None:
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            painter.drawImage(area, self._image)
        painter.setPen(QPen(QColor(p.border), 3))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(area)
        if self.hasFocus():
            painter.setPen(QPen(QColor(ring_on_light(self.theme)), 5))
            painter.drawRect(area.adjusted(3, 3, -3, -3))
        if self._shown_target is not None:
            rect = self.widget_rect(self._shown_target).adjusted(-8, -8, 8, 8)
            painter.setPen(QPen(QColor("#000000"), 9))
            painter.drawRoundedRect(rect, 10, 10)
            painter.setPen(QPen(QColor(p.focus if p.name == "normal" else "#ffff00"), 5,
                                Qt.PenStyle.DashLine))
            painter.drawRoundedRect(rect, 10, 10)
        if self._mark is not None:
            kind, point = self._mark
            self._draw_mark(painter, kind, self.to_widget(point))
        painter.end()

    def _draw_mark(self, painter: QPainter, kind: str, centre: QPointF) -> None:
        p = self.theme.palette
        radius = max(28.0, self.theme.body_px * 1.3)
        fill = QColor(p.good if kind == "good" else p.bad)
        ink = QColor(p.good_text if kind == "good" else p.bad_text)
        painter.setPen(QPen(QColor("#000000"), 4))
        painter.setBrush(fill)
        painter.drawEllipse(centre, radius, radius)
        font = QFont(painter.font())
        font.setPixelSize(round(radius * 1.3))
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(ink)
        box = QRectF(centre.x() - radius, centre.y() - radius, radius * 2, radius * 2)
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, "✓" if kind == "good" else "✗")
