"""Picture codes: shown (and printable) when a visit ends, asked for when a learner comes back."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, QSize, Qt, Signal, Slot
from PySide6.QtGui import QFontMetricsF, QIcon, QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk import APP_NAME
from kiosk.core.i18n import Translator
from kiosk.core.sessions import CODE_LENGTH, Pictogram, parse_code
from kiosk.speech.protocol import Speaker
from kiosk.ui.theme import GAP, MARGIN, Theme
from kiosk.ui.widgets.controls import BigButton, KeyButton
from kiosk.ui.widgets.spoken import SpokenText


def pictogram_label(pictogram: Pictogram | None, side: int) -> QLabel:
    label = QLabel()
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setMinimumSize(side, side)
    if pictogram is not None:
        label.setPixmap(QIcon(str(pictogram.path)).pixmap(QSize(side, side)))
    return label


class CodeScreen(QWidget):
    """The end of a visit: the three pictures to remember, read aloud, with a printable card."""

    doneChosen = Signal()

    def __init__(self, theme: Theme, translator: Translator, speaker: Speaker,
                 pictograms: list[Pictogram], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.theme = theme
        self.t = translator
        self.by_key = {p.key: p for p in pictograms}
        self.code = ""
        self.finished: tuple[tuple[str, str], ...] = ()  # (lesson id, title) done in this visit
        self.card_t = translator  # the card speaks the learner's language
        self.heading = QLabel()
        self.heading.setProperty("role", "title")
        self.heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message = SpokenText(theme, translator, speaker)
        self.pictures = QHBoxLayout()
        self.pictures.setSpacing(GAP * 3)
        self.names: list[QLabel] = []
        self.print_button = BigButton("print", theme)
        self.print_button.clicked.connect(self.print_card)
        self.done_button = BigButton("good", theme, role="primary")
        self.done_button.clicked.connect(self.doneChosen)
        self.status = QLabel()
        buttons = QHBoxLayout()
        buttons.setSpacing(GAP * 2)
        buttons.addStretch(1)
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.done_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(MARGIN * 2, MARGIN, MARGIN * 2, MARGIN)
        layout.setSpacing(GAP * 2 if theme.scale < 1.5 else GAP)  # room for large text
        layout.addWidget(self.heading)
        layout.addWidget(self.message)
        layout.addStretch(1)
        layout.addLayout(self.pictures)
        layout.addStretch(1)
        layout.addWidget(self.status)
        layout.addLayout(buttons)

    def show_code(self, code: str, translator: Translator,
                  finished: Sequence[tuple[str, str]] | None = None) -> None:
        """Shows ``code`` in ``translator``'s language; ``finished`` (lesson id and title of each
        lesson done) goes on the card to take home, in that language too. Without them (the
        screen in another language), what the card says stays."""
        self.code = code
        if finished is not None:
            self.finished = tuple(finished)
            self.card_t = translator
        self.t = t = translator
        # The screen is in the resident's language even when the app is back in its usual one.
        self.setLayoutDirection(Qt.LayoutDirection.RightToLeft if t.rtl
                                else Qt.LayoutDirection.LeftToRight)
        while self.pictures.count():
            item = self.pictures.takeAt(0)
            if item.widget() is not None:
                item.widget().hide()
                item.widget().deleteLater()
        self.pictures.addStretch(1)
        names = []
        side = min(round(self.theme.target_px * 2), 160)
        for key in parse_code(code):
            pictogram = self.by_key.get(key)
            name = t.gettext(pictogram.name) if pictogram else key
            names.append(name)
            box = QVBoxLayout()
            cell = QWidget()
            cell.setLayout(box)
            box.addWidget(pictogram_label(pictogram, side))
            caption = QLabel(name)
            caption.setProperty("role", "heading")
            caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
            box.addWidget(caption)
            self.pictures.addWidget(cell)
            cell.show()
        self.pictures.addStretch(1)
        self.heading.setText(t.gettext("Tot ziens!"))
        self.message.set_text(
            t.gettext("Onthoud deze drie prenten: {names}. Zo ga je de volgende keer verder.")
            .format(names=", ".join(names)), t)
        self.print_button.set_label(t.gettext("Afdrukken"), t.gettext("Druk een kaartje af"))
        self.done_button.set_label(t.gettext("Klaar"), t.gettext("Ga naar het begin"))
        self.status.setText("")
        self.status.hide()  # takes room only when it says something

    def speak(self) -> None:
        self.message.speak()

    def card_pdf(self, path: Path) -> Path:
        """A card to take home, as a PDF: the three pictures and their names, large."""
        from PySide6.QtGui import QPdfWriter

        writer = QPdfWriter(str(path))
        writer.setPageSize(QPageSize(QPageSize.PageSizeId.A6))
        writer.setPageOrientation(QPageLayout.Orientation.Landscape)
        writer.setPageMargins(QMarginsF(8, 8, 8, 8), QPageLayout.Unit.Millimeter)
        writer.setResolution(150)
        painter = QPainter(writer)
        self._paint_card(painter, QRectF(0, 0, writer.width(), writer.height()))
        painter.end()
        return path

    def card_lines(self) -> list[str]:
        """What the card says besides its pictures: the names of the three pictures, and what
        the learner can do now: "Ik kan:" and the title of each lesson finished, in the
        learner's language. No name, nothing else about the person."""
        t = self.card_t
        names = [t.gettext(p.name) for p in map(self.by_key.get, parse_code(self.code)) if p]
        if not self.finished:
            return names
        return names + [t.gettext("Ik kan:")] + [t.lesson(lesson_id, title)
                                                 for lesson_id, title in self.finished]

    def card_image(self, path: Path, width: int = 1240) -> Path:
        """The card as a PNG (A6 landscape, white), to look at it without a printer."""
        image = QImage(width, round(width * 105 / 148), QImage.Format.Format_RGB32)
        image.fill(Qt.GlobalColor.white)
        painter = QPainter(image)
        margin = width * 0.05
        self._paint_card(painter, QRectF(margin, margin, image.width() - 2 * margin,
                                         image.height() - 2 * margin))
        painter.end()
        image.save(str(path))
        return path

    def _paint_card(self, painter: QPainter, area: QRectF) -> None:
        painter.save()
        painter.translate(area.topLeft())
        area = QRectF(0, 0, area.width(), area.height())
        done = bool(self.finished)
        # With lessons to list, the pictures make room for them in the lower part of the card.
        title_h, picture_h = (0.11, 0.30) if done else (0.15, 0.55)
        font = painter.font()
        font.setPixelSize(round(area.height() * (0.07 if done else 0.08)))
        font.setBold(True)
        painter.setFont(font)
        painter.drawText(QRectF(0, 0, area.width(), area.height() * title_h),
                         Qt.AlignmentFlag.AlignCenter, APP_NAME)
        keys = parse_code(self.code)
        cell = area.width() / max(1, len(keys))
        side = min(cell * 0.8, area.height() * picture_h)
        top = area.height() * (title_h + 0.02)
        name_top = top + side + area.height() * 0.01
        name_h = area.height() * (0.10 if done else 0.2)
        for order, key in enumerate(keys):
            # The first picture stands where a reader of this language starts reading.
            index = len(keys) - 1 - order if self.card_t.rtl else order
            pictogram = self.by_key.get(key)
            x = index * cell + (cell - side) / 2
            if pictogram is not None:
                QSvgRenderer(str(pictogram.path)).render(painter, QRectF(x, top, side, side))
                painter.drawText(QRectF(index * cell, name_top, cell, name_h),
                                 Qt.AlignmentFlag.AlignCenter, self.card_t.gettext(pictogram.name))
        if done:
            list_top = name_top + name_h + area.height() * 0.03
            self._paint_done_list(painter, QRectF(0, list_top, area.width(),
                                                  area.height() - list_top))
        painter.restore()

    def _paint_done_list(self, painter: QPainter, box: QRectF) -> None:
        """ "Ik kan:" and the finished lessons, one per line, in the columns that let the text be
        largest: the more lessons, the more columns, and the text gets smaller only if it must."""
        painter.drawLine(box.topLeft(), box.topRight())
        box = box.adjusted(0, box.height() * 0.06, 0, 0)
        lines = self.card_lines()[len(parse_code(self.code)):]
        heading, titles = lines[0], lines[1:]
        rtl = self.card_t.rtl
        # In a right-to-left language the bullet and the text start on the right.
        bullet = "\u200f• " if rtl else "• "
        painter.setLayoutDirection(Qt.LayoutDirection.RightToLeft if rtl
                                   else Qt.LayoutDirection.LeftToRight)
        align = Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignVCenter
        font = painter.font()
        font.setBold(False)
        largest = round(box.height() / 5)

        def fitting(columns: int) -> int:
            rows = -(-len(titles) // columns)
            size = largest
            while size > 6:
                font.setPixelSize(size)
                metrics = QFontMetricsF(font)
                widest = max(metrics.horizontalAdvance(bullet + title) for title in titles)
                if (widest <= box.width() / columns - size
                        and metrics.lineSpacing() * (rows + 1) <= box.height()):
                    break
                size -= 1
            return size

        columns = max((1, 2, 3), key=lambda n: (fitting(n), -n))
        size = fitting(columns)
        rows = -(-len(titles) // columns)
        column_w = box.width() / columns
        font.setPixelSize(size)
        font.setBold(True)
        painter.setFont(font)
        line_h = QFontMetricsF(font).lineSpacing()
        painter.drawText(QRectF(box.left(), box.top(), box.width(), line_h), align, heading)
        font.setBold(False)
        painter.setFont(font)
        for number, title in enumerate(titles):
            column, row = divmod(number, rows)
            if rtl:
                column = columns - 1 - column
            cell = QRectF(box.left() + column * column_w, box.top() + (row + 1) * line_h,
                          column_w - size, line_h)
            painter.drawText(cell, align, bullet + title)

    @Slot()
    def print_card(self) -> None:
        """Prints the card on the default printer; without one, says so on screen."""
        from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

        if QPrinterInfo.defaultPrinter().isNull():
            self.status.setText(self.t.gettext("Er is geen printer. Schrijf de prenten op."))
            self.status.show()
            return
        printer = QPrinter(QPrinterInfo.defaultPrinter())
        printer.setPageSize(QPageSize(QPageSize.PageSizeId.A6))
        printer.setPageOrientation(QPageLayout.Orientation.Landscape)
        printable = printer.pageLayout().paintRectPixels(printer.resolution())
        painter = QPainter(printer)
        self._paint_card(painter, QRectF(0, 0, printable.width(), printable.height()))
        painter.end()
        self.status.setText(self.t.gettext("Het kaartje wordt afgedrukt."))
        self.status.show()


class CodeEntryScreen(QWidget):
    """Tap your three pictures; after the third the code is checked."""

    codeEntered = Signal(str)
    backChosen = Signal()

    def __init__(self, theme: Theme, translator: Translator, speaker: Speaker,
                 pictograms: list[Pictogram], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.theme = theme
        self.t = translator
        self.pictograms = pictograms
        self.by_key = {p.key: p for p in pictograms}
        self.chosen: list[str] = []
        self.message = SpokenText(theme, translator, speaker)
        self.slots = [QLabel() for _ in range(CODE_LENGTH)]
        slot_row = QHBoxLayout()
        slot_row.setSpacing(GAP * 2)
        slot_row.addStretch(1)
        side = round(theme.target_px * 1.3)
        for slot in self.slots:
            slot.setMinimumSize(side + 12, side + 12)
            slot.setAlignment(Qt.AlignmentFlag.AlignCenter)
            slot.setStyleSheet(f"border: 3px dashed {theme.palette.border}; border-radius: 12px;")
            slot_row.addWidget(slot)
        slot_row.addStretch(1)
        self.grid = QGridLayout()
        self.grid.setSpacing(GAP)
        self.buttons: dict[str, QPushButton] = {}
        columns = 10 if len(pictograms) > 12 else 6
        icon_side = round(theme.target_px * 1.1)
        for index, pictogram in enumerate(pictograms):
            button = KeyButton()
            button.setIcon(QIcon(str(pictogram.path)))
            button.setIconSize(QSize(icon_side, icon_side))
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
            button.clicked.connect(lambda _=False, k=pictogram.key: self.pick(k))
            self.buttons[pictogram.key] = button
            self.grid.addWidget(button, index // columns, index % columns)
        self.erase_button = BigButton("erase", theme)
        self.erase_button.clicked.connect(self.erase)
        self.back_button = BigButton("back", theme)
        self.back_button.clicked.connect(self.backChosen)
        bottom = QHBoxLayout()
        bottom.addWidget(self.back_button)
        bottom.addStretch(1)
        bottom.addWidget(self.erase_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(MARGIN * 2, MARGIN, MARGIN * 2, MARGIN)
        layout.setSpacing(GAP)
        layout.addWidget(self.message)
        layout.addLayout(slot_row)
        layout.addLayout(self.grid, 1)
        layout.addLayout(bottom)
        self.retranslate(translator)

    def retranslate(self, translator: Translator) -> None:
        self.t = t = translator
        self.message.set_text(t.gettext("Tik op je drie prenten, in de goede volgorde."), t)
        self.erase_button.set_label(t.gettext("Wissen"), t.gettext("Wis de gekozen prenten"))
        self.back_button.set_label(t.gettext("Terug"), t.gettext("Ga terug naar het begin"))
        self.back_button.set_rtl(t.rtl)
        for pictogram in self.pictograms:
            name = t.gettext(pictogram.name)
            self.buttons[pictogram.key].setAccessibleName(name)
            self.buttons[pictogram.key].setToolTip(name)

    def clear(self) -> None:
        self.chosen = []
        self._show_slots()

    def say(self, text: str) -> None:
        self.message.set_text(text, self.t)
        self.message.speak()

    def speak(self) -> None:
        self.message.speak()

    def refuse(self, kind: str) -> None:
        """A code that did not open a visit: "unknown" (wrong pictures: try again), or too many
        tries (ask the digibuddy). The pictures are cleared for the next try."""
        self.clear()
        t = self.t
        self.say(t.gettext("Die prenten ken ik niet. Geen probleem: probeer het nog eens of "
                           "vraag hulp.") if kind == "unknown"
                 else t.gettext("Dat lukt nu niet. Vraag hulp aan de digibuddy."))

    def pick(self, key: str) -> None:
        if len(self.chosen) >= CODE_LENGTH:
            return
        self.chosen.append(key)
        self._show_slots()
        if len(self.chosen) == CODE_LENGTH:
            code = "-".join(self.chosen)
            self.codeEntered.emit(code)

    @Slot()
    def erase(self) -> None:
        self.clear()

    def _show_slots(self) -> None:
        side = round(self.theme.target_px * 1.3)
        for index, slot in enumerate(self.slots):
            if index < len(self.chosen) and self.chosen[index] in self.by_key:
                slot.setPixmap(QIcon(str(self.by_key[self.chosen[index]].path)).pixmap(
                    QSize(side, side)))
            else:
                slot.clear()
