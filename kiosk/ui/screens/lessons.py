"""The lesson list: big lesson tiles (icon and title), four at a time, with "Meer" for the rest."""

from __future__ import annotations

from PySide6.QtCore import Signal, Slot
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from kiosk import APP_NAME
from kiosk.core.catalog import Catalog
from kiosk.core.i18n import Translator
from kiosk.core.lessons import Lesson
from kiosk.core.progress import ProgressService
from kiosk.speech.protocol import Speaker
from kiosk.ui.theme import GAP, MARGIN, Theme
from kiosk.ui.widgets.controls import BigButton, WrappingButton
from kiosk.ui.widgets.spoken import SpokenText

TILES_PER_PAGE = 4  # with "Meer" that makes five choices, the most a screen offers
TILES_PER_PAGE_LARGE_TEXT = 2  # the largest text size needs the room


class LessonTile(WrappingButton):
    """A lesson's picture and title; the title wraps onto more lines in long languages."""

    def __init__(self, lesson: Lesson, theme: Theme, parent: QWidget | None = None) -> None:
        self.lesson = lesson
        super().__init__("lesson", theme, parent=parent)
        side = round(theme.body_px * 3.5)
        if lesson.icon is not None and lesson.icon.is_file():
            self.set_icon("lesson", QIcon(str(lesson.icon)), side)
        else:
            self.set_icon("lesson", side=side)
        self.label.setProperty("role", "heading")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumHeight(side + theme.body_px)


class LessonListScreen(QWidget):
    lessonChosen = Signal(str)
    stopChosen = Signal()
    textSizeChosen = Signal()
    speedChosen = Signal()

    def __init__(self, theme: Theme, translator: Translator, speaker: Speaker, catalog: Catalog,
                 progress: ProgressService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.theme = theme
        self.t = translator
        self.catalog = catalog
        self.progress = progress
        self.page = 0
        self.tiles: list[LessonTile] = []

        self.title = QLabel(APP_NAME)
        self.title.setProperty("role", "title")
        # At the largest text size the header's buttons need the room; the name is decoration.
        self.title.setVisible(theme.scale < 1.5)
        self.stop_button = BigButton("leave", theme)
        self.stop_button.clicked.connect(self.stopChosen)
        self.size_button = BigButton("size", theme)
        self.size_button.clicked.connect(self.textSizeChosen)
        self.speed_button = BigButton("slow", theme)
        self.speed_button.clicked.connect(self.speedChosen)
        self.slow = False
        self.intro = SpokenText(theme, translator, speaker)
        self.grid = QGridLayout()
        self.grid.setSpacing(GAP * 2)
        self.more_button = BigButton("more", theme)
        self.more_button.clicked.connect(self.next_page)
        self.empty = QLabel()
        self.empty.setWordWrap(True)

        header = QHBoxLayout()
        header.setSpacing(GAP)
        header.addWidget(self.stop_button)
        header.addWidget(self.title, 1)
        header.addStretch(0 if theme.scale < 1.5 else 1)
        header.addWidget(self.speed_button)
        header.addWidget(self.size_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(MARGIN * 2, MARGIN, MARGIN * 2, MARGIN)
        layout.setSpacing(GAP)
        layout.addLayout(header)
        layout.addWidget(self.intro)
        layout.addWidget(self.empty)
        layout.addLayout(self.grid, 1)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.more_button)
        layout.addLayout(bottom)
        self.retranslate(translator)

    @property
    def per_page(self) -> int:
        return TILES_PER_PAGE if self.theme.scale < 1.5 else TILES_PER_PAGE_LARGE_TEXT

    def show_speed(self, slow: bool) -> None:
        """The button offers the other speed: "Trager" while normal, "Gewoon" while slow."""
        self.slow = slow
        self.speed_button.set_meaning("normal" if slow else "slow")
        if slow:
            self.speed_button.set_label(self.t.gettext("Gewoon"),
                                        self.t.gettext("Lees voor op gewone snelheid"))
        else:
            self.speed_button.set_label(self.t.gettext("Trager"),
                                        self.t.gettext("Lees trager voor"))

    def pages(self) -> int:
        return max(1, -(-len(self.catalog.lessons) // self.per_page))

    def retranslate(self, translator: Translator) -> None:
        self.t = translator
        self.intro.set_text(self.t.gettext("Kies een les. Tik op een grote knop."), translator)
        self.stop_button.set_label(self.t.gettext("Stoppen"),
                                   self.t.gettext("Stop je bezoek en krijg je drie prenten"))
        self.size_button.set_label(self.t.gettext("Tekst"), self.t.gettext("Maak de tekst groter"))
        self.show_speed(self.slow)
        self.more_button.set_label(self.t.gettext("Meer lessen"),
                                   self.t.gettext("Toon andere lessen"))
        self.empty.setText(self.t.gettext("Er zijn nog geen lessen. Vraag hulp aan de balie."))
        self.empty.setVisible(not self.catalog.lessons)
        self.show_page(self.page)

    def show_page(self, page: int) -> None:
        self.page = page % self.pages()
        for tile in self.tiles:
            self.grid.removeWidget(tile)
            tile.hide()  # at once: deleteLater() would leave it drawn until the next event loop turn
            tile.deleteLater()
        self.tiles = []
        start = self.page * self.per_page
        for index, lesson in enumerate(self.catalog.lessons[start:start + self.per_page]):
            tile = LessonTile(lesson, self.theme)
            title = self.t.lesson(lesson.id, lesson.title)
            label = title
            if self.progress.is_finished(lesson.id):
                label = f"✓ {title}"
            tile.set_label(label, self.t.lesson(lesson.id, lesson.summary) or title)
            tile.clicked.connect(lambda _=False, lesson_id=lesson.id: self.lessonChosen.emit(lesson_id))
            self.grid.addWidget(tile, index // 2, index % 2)
            tile.show()
            self.tiles.append(tile)
        self.more_button.setVisible(self.pages() > 1)

    @Slot()
    def next_page(self) -> None:
        self.show_page(self.page + 1)

    def refresh(self) -> None:
        self.show_page(self.page)

