"""The idle warning, the PIN pad, and the digibuddy's list of sessions on this PC."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.core.catalog import Catalog
from kiosk.core.i18n import SHIPPED_LANGUAGES, Translator, language_name
from kiosk.core.roles import Role
from kiosk.core.sessions import Pictogram, parse_code
from kiosk.core.store import SessionSummary
from kiosk.speech.protocol import Speaker
from kiosk.ui.screens.code import pictogram_label
from kiosk.ui.theme import GAP, MARGIN, Theme
from kiosk.ui.widgets.controls import BigButton, KeyButton, Paragraph
from kiosk.ui.widgets.spoken import SpokenText


class IdleWarning(QWidget):
    """Covers the whole window: "Ben je er nog?", a countdown, and one big button."""

    stayChosen = Signal()

    def __init__(self, theme: Theme, translator: Translator, speaker: Speaker,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.theme = theme
        self.t = translator
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        panel = QFrame()
        panel.setProperty("role", "panel")
        self.heading = QLabel()
        self.heading.setProperty("role", "title")
        self.heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message = SpokenText(theme, translator, speaker)
        self.countdown = QLabel()
        self.countdown.setProperty("role", "heading")
        self.countdown.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stay_button = BigButton("good", theme, role="primary")
        self.stay_button.setMinimumHeight(round(theme.target_px * 1.5))
        self.stay_button.clicked.connect(self.stayChosen)
        inner = QVBoxLayout(panel)
        inner.setContentsMargins(MARGIN * 2, MARGIN * 2, MARGIN * 2, MARGIN * 2)
        inner.setSpacing(GAP * 2)
        inner.addWidget(self.heading)
        inner.addWidget(self.message)
        inner.addWidget(self.countdown)
        inner.addWidget(self.stay_button)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(panel, 3)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(1)
        self.hide()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        shade = QColor(0, 0, 0, 170 if self.theme.palette.name == "normal" else 220)
        painter.fillRect(self.rect(), shade)
        painter.end()

    def retranslate(self, translator: Translator) -> None:
        self.t = t = translator
        self.heading.setText(t.gettext("Ben je er nog?"))
        self.message.set_text(t.gettext("Je hebt een tijd niets gedaan. Tik op de knop om "
                                        "verder te gaan."), t)
        self.stay_button.set_label(t.gettext("Ja, ik ben er nog"),
                                   t.gettext("Ga verder met de les"))

    def set_remaining(self, seconds: int) -> None:
        minutes, rest = divmod(seconds, 60)
        self.countdown.setText(self.t.gettext("Nog {minutes}:{seconds:02d}").format(
            minutes=minutes, seconds=rest))
        self.countdown.setAccessibleName(self.t.ngettext(
            "Nog {n} seconde", "Nog {n} seconden", seconds).format(n=seconds))

    def speak(self) -> None:
        self.message.speak()


class PinPad(QWidget):
    """Big keys for a PIN; the digits show as dots."""

    pinEntered = Signal(object, str)  # role, pin
    backChosen = Signal()

    def __init__(self, theme: Theme, translator: Translator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.theme = theme
        self.t = translator
        self.role = Role.BUDDY
        self.pin = ""
        self.heading = QLabel()
        self.heading.setProperty("role", "title")
        self.heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.dots = QLabel()
        self.dots.setProperty("role", "title")
        self.dots.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.status = Paragraph()
        grid = QGridLayout()
        grid.setSpacing(GAP)
        self.keys: dict[str, QPushButton] = {}
        for index, digit in enumerate("123456789"):
            self.keys[digit] = self._key(digit)
            grid.addWidget(self.keys[digit], index // 3, index % 3)
        self.erase_key = self._key("⌫")
        self.erase_key.clicked.disconnect()
        self.erase_key.clicked.connect(self.erase)
        self.keys["0"] = self._key("0")
        self.ok_key = self._key("OK")
        self.ok_key.clicked.disconnect()
        self.ok_key.clicked.connect(self.submit)
        self.ok_key.setProperty("role", "primary")
        grid.addWidget(self.erase_key, 3, 0)
        grid.addWidget(self.keys["0"], 3, 1)
        grid.addWidget(self.ok_key, 3, 2)
        self.back_button = BigButton("back", theme)
        self.back_button.clicked.connect(self.backChosen)
        keys = QWidget()
        keys.setLayout(grid)
        keys.setLayoutDirection(Qt.LayoutDirection.LeftToRight)  # 1 2 3, as on every keypad
        pad = QHBoxLayout()
        pad.addStretch(1)
        pad.addWidget(keys)
        pad.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(MARGIN * 2, MARGIN, MARGIN * 2, MARGIN)
        layout.setSpacing(GAP)
        layout.addWidget(self.heading)
        layout.addWidget(self.dots)
        # A message under the dots: the block is centred over the keys, its lines start-aligned.
        self.status.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Preferred)
        self.status.setMaximumWidth(theme.body_px * 26)
        message = QHBoxLayout()
        message.addStretch(1)
        message.addWidget(self.status)
        message.addStretch(1)
        layout.addLayout(message)
        layout.addLayout(pad, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.back_button)
        bottom.addStretch(1)
        layout.addLayout(bottom)
        self.retranslate(translator)

    def _key(self, text: str) -> QPushButton:
        key = KeyButton(text)
        key.setProperty("keypad", True)  # equal squares, sized by the theme's style sheet
        key.setAccessibleName(text)
        key.clicked.connect(lambda _=False, d=text: self.press(d))
        return key

    def retranslate(self, translator: Translator) -> None:
        self.t = t = translator
        who = t.gettext("digibuddy") if self.role == Role.BUDDY else t.gettext("personeel")
        self.heading.setText(t.gettext("PIN-code voor {who}").format(who=who))
        self.back_button.set_label(t.gettext("Terug"), t.gettext("Ga terug naar het begin"))
        self.back_button.set_rtl(t.rtl)
        self.erase_key.setAccessibleName(t.gettext("Wissen"))
        self.ok_key.setAccessibleName(t.gettext("Bevestig de PIN-code"))

    def ask(self, role: Role) -> None:
        self.role = role
        self.pin = ""
        self.status.setText("")
        self._show()
        self.retranslate(self.t)

    def press(self, digit: str) -> None:
        if len(self.pin) < 12:
            self.pin += digit
            self._show()

    @Slot()
    def erase(self) -> None:
        self.pin = self.pin[:-1]
        self._show()

    @Slot()
    def submit(self) -> None:
        pin, self.pin = self.pin, ""
        self._show()
        self.pinEntered.emit(self.role, pin)

    def refuse(self, locked_seconds: int) -> None:
        if locked_seconds:
            minutes = max(1, round(locked_seconds / 60))
            self._tell(self.t.ngettext(
                "Te veel foute pogingen. Probeer opnieuw over {minutes} minuut.",
                "Te veel foute pogingen. Probeer opnieuw over {minutes} minuten.",
                minutes).format(minutes=minutes))
        else:
            self._tell(self.t.gettext("Die PIN-code klopt niet."))

    def _tell(self, message: str) -> None:
        """The message on one line when it fits; wrapped, start-aligned, when it does not."""
        self.status.setText(message)
        self.status.setMinimumWidth(min(self.status.maximumWidth(),
                                        self.status.fontMetrics().horizontalAdvance(message) + 8))

    def _show(self) -> None:
        self.dots.setText("●" * len(self.pin) if self.pin else "—")
        self.dots.setAccessibleName(str(len(self.pin)))


class StaffPanel(QFrame):
    """What only staff may do: close the app, test the voice, see the lesson report, the
    languages, the idle times and the log folder, and change the idle time or text size."""

    quitChosen = Signal()
    voiceTestChosen = Signal()
    idleChanged = Signal(int)  # minutes to add (+1 or -1)
    textSizeChosen = Signal()
    languageToggled = Signal(str)

    def __init__(self, theme: Theme, translator: Translator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "panel")
        # Staff tools keep the standard text size: the text size chosen here is the residents'
        # (where every visit starts), and the tools must fit beside it at any size.
        theme = Theme.named(theme.palette.name, "A")
        self.setStyleSheet(theme.style_sheet())
        self.theme = theme
        self.t = translator
        self.report = Paragraph()
        self.log_line = QLabel()  # one line: a path read left to right, in full
        self.log_line.hide()
        self.quit_button = BigButton("leave", theme)
        self.quit_button.clicked.connect(self.quitChosen)
        self.voice_button = BigButton("speak", theme)
        self.voice_button.clicked.connect(self.voiceTestChosen)
        self.longer_button = BigButton("new", theme)
        self.longer_button.clicked.connect(lambda: self.idleChanged.emit(1))
        self.shorter_button = BigButton("erase", theme)
        self.shorter_button.clicked.connect(lambda: self.idleChanged.emit(-1))
        self.size_button = BigButton("size", theme)
        self.size_button.clicked.connect(self.textSizeChosen)
        buttons = QGridLayout()
        buttons.setSpacing(GAP)
        for index, button in enumerate((self.voice_button, self.longer_button,
                                        self.shorter_button, self.size_button, self.quit_button)):
            buttons.addWidget(button, index // 3, index % 3)
        # Languages offered on the home screen: ✓ offered, ✗ not; the default one stays.
        self.languages_title = QLabel()
        self.language_buttons: dict[str, BigButton] = {}
        languages = QGridLayout()
        languages.setSpacing(GAP)
        for index, code in enumerate(SHIPPED_LANGUAGES):
            button = BigButton("good", theme)
            button.clicked.connect(lambda _=False, c=code: self.languageToggled.emit(c))
            self.language_buttons[code] = button
            languages.addWidget(button, index // 3, index % 3)
        self._offered: list[str] = []
        self._default = ""
        layout = QVBoxLayout(self)
        # Tight around the texts, so that all of it fits at the largest text size; buttons
        # keep their own gaps. A full gap above the report: its first line is not on the frame.
        layout.setContentsMargins(GAP, GAP, GAP, GAP)
        layout.setSpacing(GAP // 2)
        layout.addWidget(self.report)
        layout.addWidget(self.log_line)
        layout.addLayout(buttons)
        layout.addWidget(self.languages_title)
        layout.addLayout(languages)

    def retranslate(self, translator: Translator) -> None:
        self.t = t = translator
        self.quit_button.set_label(t.gettext("App sluiten"), t.gettext("Sluit de app af"))
        self.voice_button.set_label(t.gettext("Stem testen"), t.gettext("Laat de stem iets zeggen"))
        self.longer_button.set_label(t.gettext("Langer wachten"),
                                     t.gettext("Eén minuut langer tot de waarschuwing"))
        self.shorter_button.set_label(t.gettext("Korter wachten"),
                                      t.gettext("Eén minuut korter tot de waarschuwing"))
        self.size_button.set_label(t.gettext("Tekst"), t.gettext("Maak de tekst groter"))
        self.languages_title.setText(t.gettext("Talen op het beginscherm:"))
        self.show_languages(self._offered, self._default)

    def show_languages(self, offered: list[str], default: str) -> None:
        self._offered, self._default = list(offered), default
        t = self.t
        for code, button in self.language_buttons.items():
            on = code in offered
            button.set_meaning("good" if on else "bad")
            name = language_name(code)
            button.set_label(name, (t.gettext("{language}: aangeboden, tik om te verbergen") if on
                                    else t.gettext("{language}: niet aangeboden, tik om aan te "
                                                   "bieden")).format(language=name))
            button.setEnabled(code != default)  # the language the app starts in stays offered

    def show_report(self, lines: list[str], log_line: str = "") -> None:
        self.report.setText("\n".join(lines))
        self.log_line.setText(log_line)
        self.log_line.setVisible(bool(log_line))


class BuddyScreen(QWidget):
    """Sessions on this PC: picture code, last visit, lessons done, where they are, hard steps."""

    openChosen = Signal(int)
    eraseChosen = Signal(int)
    backChosen = Signal()

    def __init__(self, theme: Theme, translator: Translator, catalog: Catalog,
                 pictograms: list[Pictogram], parent: QWidget | None = None,
                 room_name: str | None = None) -> None:
        """``room_name``: None on a PC alone; in a room its name ("" when it has none)."""
        super().__init__(parent)
        self.theme = theme
        self.t = translator
        self.catalog = catalog
        self.room_name = room_name
        self.by_key = {p.key: p for p in pictograms}
        self.role = Role.BUDDY
        self.has_settings = False
        self.row_buttons: dict[int, tuple[BigButton, BigButton]] = {}
        self.sessions: list[SessionSummary] = []
        self.confirming: int | None = None
        self.heading = QLabel()
        self.heading.setProperty("role", "title")
        self.empty = QLabel()
        self.rows = QVBoxLayout()
        self.rows.setSpacing(GAP)
        holder = QWidget()
        holder_layout = QVBoxLayout(holder)
        holder_layout.setContentsMargins(0, 0, 0, 0)
        holder_layout.addLayout(self.rows)
        holder_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(holder)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.back_button = BigButton("back", theme)
        self.back_button.clicked.connect(self.backChosen)
        # Staff see either their settings or the visits; this button switches between the two.
        self.switch_button = BigButton("settings", theme)
        self.switch_button.clicked.connect(self._switch_view)
        self.switch_button.hide()
        bottom = QHBoxLayout()
        bottom.setSpacing(GAP)
        bottom.addWidget(self.back_button)
        bottom.addStretch(1)
        bottom.addWidget(self.switch_button)
        self.visits = QWidget()
        visits = QVBoxLayout(self.visits)
        visits.setContentsMargins(0, 0, 0, 0)
        visits.setSpacing(GAP)
        visits.addWidget(self.empty)
        visits.addWidget(scroll, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(MARGIN * 2, MARGIN, MARGIN * 2, MARGIN)
        layout.setSpacing(GAP)
        self.staff = StaffPanel(theme, translator)
        self.staff.hide()
        layout.addWidget(self.heading)
        layout.addWidget(self.staff)
        layout.addWidget(self.visits, 1)
        layout.addLayout(bottom)
        self.retranslate(translator)

    def show_role(self, role: Role, settings: bool) -> None:
        """The visits; and with ``settings`` (a role that may change them) the staff settings
        first, with a button to switch between the two."""
        self.role = role
        self.has_settings = settings
        self.switch_button.setVisible(settings)
        self._show_settings(settings)

    def showing_settings(self) -> bool:
        return self.staff.isVisibleTo(self)

    def _show_settings(self, settings: bool) -> None:
        self.staff.setVisible(settings)
        self.visits.setVisible(not settings)
        self._label_switch()

    def _switch_view(self) -> None:
        if self.has_settings:
            self._show_settings(not self.showing_settings())

    def _label_switch(self) -> None:
        t = self.t
        if self.showing_settings():
            self.heading.setText(t.gettext("Instellingen voor personeel"))
            self.switch_button.set_meaning("buddy")
            self.switch_button.set_label(t.gettext("Bezoeken"), self._where(
                t.gettext("Toon de bezoeken op deze computer"),
                t.gettext("Toon de bezoeken op alle computers"),
                t.gettext("Toon de bezoeken in {room}")))
        else:
            self.heading.setText(self._where(t.gettext("Bezoeken op deze computer"),
                                             t.gettext("Bezoeken op alle computers"),
                                             t.gettext("Bezoeken in {room}")))
            self.switch_button.set_meaning("settings")
            self.switch_button.set_label(t.gettext("Instellingen"),
                                         t.gettext("Toon de instellingen voor personeel"))

    def _where(self, alone: str, room: str, named: str) -> str:
        """Whose visits the list shows: this PC's, or the room's (by its name when it has one)."""
        if self.room_name is None:
            return alone
        return named.format(room=self.room_name) if self.room_name else room

    def retranslate(self, translator: Translator) -> None:
        self.t = t = translator
        self.staff.retranslate(translator)
        self._label_switch()
        self.empty.setText(t.gettext("Er zijn geen bezoeken bewaard."))
        self.back_button.set_label(t.gettext("Terug"), t.gettext("Ga terug naar het begin"))
        self.back_button.set_rtl(t.rtl)
        self.show_sessions(self.sessions)

    def show_sessions(self, sessions: list[SessionSummary]) -> None:
        self.sessions = sessions
        self.row_buttons: dict[int, tuple[BigButton, BigButton]] = {}  # session: open, erase
        while self.rows.count():
            item = self.rows.takeAt(0)
            if item.widget() is not None:
                item.widget().hide()
                item.widget().deleteLater()
        self.empty.setVisible(not sessions)
        for summary in sessions:
            row = self._row(summary)
            self.rows.addWidget(row)
            row.show()

    def _lesson_title(self, lesson_id: str) -> str:
        lesson = self.catalog.get(lesson_id)
        return self.t.lesson(lesson.id, lesson.title) if lesson else lesson_id

    def _row(self, summary: SessionSummary) -> QWidget:
        t = self.t
        frame = QFrame()
        frame.setProperty("role", "panel")
        rows = QVBoxLayout(frame)
        rows.setContentsMargins(GAP, GAP, GAP, GAP)
        rows.setSpacing(GAP // 2)
        line = QHBoxLayout()
        line.setSpacing(GAP)
        rows.addLayout(line)
        for key in parse_code(summary.code) or ("",):
            line.addWidget(pictogram_label(self.by_key.get(key), self.theme.target_px))
        facts = [t.gettext("Pc: {pc}").format(pc=summary.pc)] if summary.pc else []
        facts += [
            t.gettext("Laatste bezoek: {when}").format(
                when=time.strftime("%d/%m/%Y %H:%M", time.localtime(summary.last_seen_at))),
            t.ngettext("{n} les klaar", "{n} lessen klaar", summary.finished_lessons).format(
                n=summary.finished_lessons),
        ]
        guide = ""
        if summary.current_lesson:
            facts.append(t.gettext("Nu: {lesson}, stap {step} van {count}").format(
                lesson=self._lesson_title(summary.current_lesson), step=summary.step,
                count=summary.step_count))
            lesson = self.catalog.get(summary.current_lesson)
            guide = lesson.guide if lesson is not None else ""
        for lesson_id, step, tries in summary.hard_steps[:3]:
            facts.append(t.ngettext("Moeilijk: {lesson}, stap {step} ({tries} poging)",
                                    "Moeilijk: {lesson}, stap {step} ({tries} pogingen)",
                                    tries).format(lesson=self._lesson_title(lesson_id),
                                                  step=step, tries=tries))
        text = Paragraph("\n".join(facts))
        line.addWidget(text, 1)
        if guide:  # the lesson's note for the digibuddy, across the row, in Dutch as written
            heading = QLabel(t.gettext("Tip voor de digibuddy"))
            heading.setProperty("role", "lead")
            note = Paragraph(guide, max_chars=50)  # short lines, however wide the screen
            note.setObjectName("guide")
            note.setLayoutDirection(Qt.LayoutDirection.LeftToRight)  # Dutch, on any screen
            rows.addWidget(heading)
            rows.addWidget(note)
        open_button = BigButton("resume", self.theme, role="primary")
        open_button.set_label(t.gettext("Openen"), t.gettext("Open dit bezoek voor de leerder"))
        open_button.clicked.connect(lambda _=False, i=summary.session_id: self.openChosen.emit(i))
        erase_button = BigButton("delete", self.theme)
        if self.confirming == summary.session_id:
            erase_button.set_label(t.gettext("Zeker wissen?"), t.gettext("Tik nog eens om te wissen"))
        else:
            erase_button.set_label(t.gettext("Wissen"), t.gettext("Wis dit bezoek"))
        erase_button.clicked.connect(lambda _=False, i=summary.session_id: self._erase(i))
        line.addWidget(open_button)
        line.addWidget(erase_button)
        self.row_buttons[summary.session_id] = (open_button, erase_button)
        return frame

    def _erase(self, session_id: int) -> None:
        if self.confirming == session_id:
            self.confirming = None
            self.eraseChosen.emit(session_id)
        else:
            self.confirming = session_id
            self.show_sessions(self.sessions)

