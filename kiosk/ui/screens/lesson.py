"""The lesson player: one step at a time, with its picture, its text read aloud, and practice.

The screen draws a ``LessonRun`` (``kiosk.core.lesson_run``), which holds the lesson's state and
rules: taps, typing and answers go to the run, and the screen draws and speaks the outcome.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, Signal, Slot
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from kiosk.core.i18n import SOURCE_LANGUAGE, Translator, language_name
from kiosk.core.lesson_run import NONE, RIGHT, LessonRun, Outcome
from kiosk.core.lessons import Lesson, Step
from kiosk.core.progress import ProgressService
from kiosk.speech.protocol import Speaker
from kiosk.ui.theme import GAP, MARGIN, Theme
from kiosk.ui.widgets.controls import BigButton, ElidedLabel, SpokenLabel, StepDots, WrappingButton
from kiosk.ui.widgets.keyboard import OnScreenKeyboard
from kiosk.ui.widgets.picture import StepPicture
from kiosk.ui.widgets.spoken import SpeakButton
from kiosk.ui.widgets.words import WordCard, WordText, glossary_of

logger = logging.getLogger(__name__)

CHOICE_PICTURE_PX = 160  # answers as picture cards
SHORT_ANSWER = 16  # characters; such answers go two by two
FEEDBACK_MARK = 2  # the feedback line's ✓/✗ and its space, shown but not spoken


class LessonScreen(QWidget):
    homeRequested = Signal()
    finished = Signal(str)  # lesson id

    def __init__(self, theme: Theme, translator: Translator, speaker: Speaker,
                 progress: ProgressService, read_aloud: bool = True,
                 keyboard_layout: str = "azerty", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.theme = theme
        self.t = translator
        self.speaker = speaker
        self.progress = progress
        self.read_aloud = read_aloud
        self.run: LessonRun | None = None  # the lesson this screen draws
        self._home_language = SOURCE_LANGUAGE
        self.feedback_kind = ""  # what the feedback line shows: "", "good" or "bad"
        self._spoken: list[tuple[SpokenLabel, int, int, int]] = []  # see speak()
        self.keyboard_layout = keyboard_layout
        self._build()
        speaker.stateChanged.connect(self._on_speaker_state)
        speaker.wordChanged.connect(self._on_word)

    # -- building --------------------------------------------------------------------------

    def _build(self) -> None:
        theme = self.theme
        self.home_button = BigButton("lessons", theme)
        self.home_button.clicked.connect(self._go_home)
        self.language_button = BigButton("language", theme)
        self.language_button.clicked.connect(self.toggle_content_language)
        self.title = ElidedLabel()
        self.title.setProperty("role", "heading")
        self.counter = QLabel()
        self.counter.setProperty("role", "lead")
        self.dots = StepDots(theme)

        top = QHBoxLayout()
        top.setSpacing(GAP)
        top.addWidget(self.home_button)
        top.addWidget(self.title, 1)
        top.addWidget(self.counter)
        top.addWidget(self.dots)

        self.picture = StepPicture(theme)
        self.picture.tapped.connect(self.tap_at)
        self.picture.activated.connect(self._on_keyboard_tap)

        self.speak_button = SpeakButton(theme)
        self.speak_button.clicked.connect(self._toggle_speech)
        self.text = WordText(theme, role="lead")  # hard words marked; a tap explains them
        self.text.wordTapped.connect(self.explain_word)
        self.word_card: WordCard | None = None
        self._answers: list[WrappingButton] = []  # this step's answer buttons, in order
        self._answer_columns = 0  # side by side (0: not placed yet)
        self._two_columns = False  # two by two, unless one by one takes less height
        self.feedback = SpokenLabel(theme)
        self.feedback.setContentsMargins(12, 8, 12, 8)  # air inside the coloured bar
        self.feedback.setVisible(False)
        self.choices = QWidget()
        self.choices.setObjectName("choices")
        self.choices.setStyleSheet("QWidget#choices { background: transparent; }")
        self.choice_layout = QVBoxLayout(self.choices)
        self.choice_layout.setContentsMargins(0, 0, 0, 0)
        self.choice_layout.setSpacing(GAP)

        panel = QFrame()
        panel.setProperty("role", "panel")
        side = QVBoxLayout(panel)
        # At the largest text size every line counts: less air above and below the text.
        air = MARGIN if theme.scale < 1.5 else GAP // 2
        side.setContentsMargins(MARGIN, air, MARGIN, air)
        side.setSpacing(GAP)
        speak_row = QHBoxLayout()
        speak_row.setSpacing(GAP)
        speak_row.addWidget(self.speak_button)
        speak_row.addWidget(self.language_button)  # "my language" sits by the text it changes
        speak_row.addStretch(1)
        side.addLayout(speak_row)
        side.addWidget(self.text)
        side.addWidget(self.choices)
        side.addWidget(self.feedback)
        side.addStretch(1)
        self.panel = panel
        panel.installEventFilter(self)  # the room the question needs is known once it is laid out

        middle = QHBoxLayout()
        middle.setSpacing(MARGIN)
        # Larger text gets a wider text panel, so instructions stay on few lines.
        panel_share = 2 if theme.scale <= 1.0 else 3 if theme.scale < 1.5 else 5
        middle.addWidget(self.picture, 3)
        middle.addWidget(panel, panel_share)
        self.middle = middle
        self.panel_share = panel_share

        self._keyboard: OnScreenKeyboard | None = None  # made at the first typing step
        self.picture.field.returnPressed.connect(self.check_typed)
        self.picture.field.textChanged.connect(self._typed_so_far)

        self.back_button = BigButton("back", theme)
        self.back_button.clicked.connect(self.go_back)
        self.again_button = BigButton("again", theme)
        self.again_button.clicked.connect(self.again)
        self.next_button = BigButton("next", theme, role="primary")
        self.next_button.clicked.connect(self.go_next)
        self.next_button.setLayoutDirection(Qt.LayoutDirection.RightToLeft)  # icon after the text
        bottom = QHBoxLayout()
        bottom.setSpacing(GAP)
        bottom.addWidget(self.back_button)
        bottom.addStretch(1)
        bottom.addWidget(self.again_button)
        bottom.addStretch(1)
        bottom.addWidget(self.next_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(MARGIN, MARGIN // 2, MARGIN, MARGIN // 2)
        layout.setSpacing(GAP)
        layout.addLayout(top)
        layout.addLayout(middle, 1)
        layout.addLayout(bottom)
        self._layout = layout

    @property
    def keyboard(self) -> OnScreenKeyboard:
        """The on-screen keyboard, under the picture; most lessons never need it."""
        if self._keyboard is None:
            keyboard = OnScreenKeyboard(self.theme, self.t, self.keyboard_layout)
            keyboard.typed.connect(self.picture.field.insert)
            keyboard.erased.connect(self.picture.field.backspace)
            keyboard.submitted.connect(self.check_typed)
            keyboard.hide()
            self._layout.insertWidget(2, keyboard)  # between the picture and the bottom row
            self._keyboard = keyboard
        return self._keyboard

    # -- the run being drawn ---------------------------------------------------------------

    @property
    def lesson(self) -> Lesson | None:
        return self.run.lesson if self.run is not None else None

    @property
    def number(self) -> int:
        return self.run.number if self.run is not None else 1

    @property
    def solved(self) -> set[int]:
        return self.run.solved if self.run is not None else set()

    @property
    def content_language(self) -> str | None:
        return self.run.content_language if self.run is not None else None

    @property
    def home_language(self) -> str:
        return self._home_language

    @home_language.setter
    def home_language(self, language: str) -> None:
        self._home_language = language
        if self.run is not None:
            self.run.home_language = language

    @property
    def step(self) -> Step:
        assert self.run is not None
        return self.run.step

    def open(self, lesson: Lesson, step: int = 1, speak: bool | None = None,
             solved: set[int] | None = None) -> LessonRun:
        """Starts a run of a lesson (progress is recorded from here) and draws it."""
        run = LessonRun(lesson, step, solved or (), language=self.t.language,
                        home_language=self.home_language, progress=self.progress)
        self.attach(run, speak=self.read_aloud if speak is None else speak)
        return run

    def attach(self, run: LessonRun, speak: bool = False) -> None:
        """Draws a run exactly as it is: its step, what is solved, the feedback it shows, its
        language. Used when a lesson opens and after the screens are rebuilt."""
        self.run = run
        run.home_language = self.home_language
        self.retranslate(self.t, speak=speak)

    def close_lesson(self) -> None:
        """Forgets the open lesson and everything typed or shown in it."""
        self.run = None
        self.picture.field.clear()
        self.picture.show_field(None)
        self.picture.set_image(None)
        self.text.set_plain("")
        self._set_feedback("", "")
        self.feedback.set_plain("")

    # -- language --------------------------------------------------------------------------

    def retranslate(self, translator: Translator, speak: bool = False) -> None:
        self.t = translator
        rtl = translator.rtl
        for button in (self.back_button, self.next_button):
            button.set_rtl(rtl)
        self.next_button.setLayoutDirection(
            Qt.LayoutDirection.LeftToRight if rtl else Qt.LayoutDirection.RightToLeft)
        self.home_button.set_label(self.t.gettext("Lessen"),
                                   self.t.gettext("Ga naar de lijst met lessen"))
        self.back_button.set_label(self.t.gettext("Terug"), self.t.gettext("Ga naar de vorige stap"))
        self.again_button.set_label(self.t.gettext("Opnieuw"), self.t.gettext("Doe deze stap opnieuw"))
        if self._keyboard is not None:
            self._keyboard.retranslate(translator)
        self.picture.field.setAccessibleName(self.t.gettext("Typ hier"))
        if self.run is not None:
            self.run.set_languages(translator.language)
            self._show(speak=speak)

    def lesson_text(self, message: str) -> str:
        assert self.run is not None
        return self.run.text(message)

    @Slot()
    def toggle_content_language(self) -> None:
        """"My language": one tap shows and reads this step in the other language."""
        assert self.run is not None
        self.speaker.stop()
        self.run.toggle_language()
        self._show(speak=True)

    def _update_language_button(self) -> None:
        assert self.run is not None
        other = self.run.other_language
        self.language_button.setVisible(other != self.run.language)
        self.language_button.set_label(language_name(other),
                                       self.t.gettext("Toon deze stap in een andere taal"))

    # -- drawing ---------------------------------------------------------------------------

    def show_step(self, number: int, speak: bool = False) -> None:
        """Jump to a step (for renders and the digibuddy); progress is recorded as usual."""
        assert self.run is not None
        self.run.go_to(number)
        self._show(speak)

    def _show(self, speak: bool) -> None:
        run = self.run
        assert run is not None
        lesson, step, count = run.lesson, run.step, run.count
        self.title.set_full_text(self.lesson_text(lesson.title))
        self.counter.setText(self.t.gettext("Stap {current} van {count}").format(
            current=run.number, count=count))
        self.counter.setAccessibleName(self.counter.text())
        self.dots.set_step(run.number, count)
        self._update_language_button()
        self.picture.set_image(step.image, translate=lambda s: self.lesson_text(s))
        self.picture.tappable = step.kind == "tap"
        self.picture.setFocusPolicy(Qt.FocusPolicy.StrongFocus if step.kind == "tap"
                                    else Qt.FocusPolicy.NoFocus)
        self.picture.setAccessibleName(self.lesson_text(step.text))
        solved = run.is_solved
        typing = step.kind == "type"
        # What the last step showed goes first, so that the old and new never need room at once
        # (a window would grow past the screen for a moment, and not shrink back).
        self._set_feedback("", "")
        if self._keyboard is not None and not (typing and not solved):
            self._keyboard.hide()
        # Answers and their feedback need more room than an instruction: at the larger text
        # sizes a question gets a wider text panel beside a smaller picture.
        wider = step.kind == "choose" and self.theme.scale > 1.0
        self.middle.setStretch(1, self.panel_share * 2 if wider else self.panel_share)
        self.text.set_words(glossary_of(lesson.folder.parent), run.translator)
        self.text.set_plain(run.words().instruction())
        self._build_choices(step)
        shown = run.typed or (step.answer if solved else "")
        self.picture.show_field(step.target if typing else None, shown)
        self.picture.field.setReadOnly(solved)
        if typing or self._keyboard is not None:
            self.keyboard.setVisible(typing and not solved)
            self.keyboard.show_digits(any(c.isdigit() for c in step.answer),
                                      only=step.answer.isdigit())
            self.keyboard.set_capital(False)
        feedback = run.feedback
        if feedback is not None:
            self._draw_outcome(feedback)
        self._update_buttons()
        if self.next_button.isEnabled() and solved:
            self.next_button.setFocus()
        elif typing:
            self.picture.field.setFocus()
        else:
            self.speak_button.setFocus()
        if speak:
            self.speak(self.text)
        self._prefetch()

    def _draw_outcome(self, outcome: Outcome) -> None:
        """An answer's feedback: the line with its shape, and on the picture where it was."""
        self._set_feedback("good" if outcome.kind == RIGHT else "bad", outcome.text)
        if self.step.kind == "tap":
            if outcome.point is not None:
                self.picture.mark("good" if outcome.kind == RIGHT else "bad", *outcome.point)
            self.picture.show_target(outcome.target)

    def _build_choices(self, step: Step) -> None:
        while self.choice_layout.count():
            item = self.choice_layout.takeAt(0)
            if item.widget() is not None:
                item.widget().hide()
                item.widget().deleteLater()
        self.choices.setVisible(step.kind == "choose")
        # Pictures in answers are what the learner compares ("which photo may you share?"). When
        # every answer has one and the panel has the width to itself (no step picture, at most
        # three answers), the answers are cards side by side with a large picture on top. Four
        # or more answers on the whole width go in two columns, so that they and the feedback
        # under them fit on a 768-pixel-high screen.
        wide = step.image is None
        cards = (wide and 0 < len(step.choices) <= 3
                 and all(choice.image is not None for choice in step.choices))
        # Short answers ("Betrouwbaar", "Twijfel") also pair up beside a step picture: at the
        # largest text size a column of them and the feedback line do not fit under each other.
        short = len(step.choices) % 2 == 0 and all(
            len(self.lesson_text(choice.text)) <= SHORT_ANSWER for choice in step.choices)
        # At the largest text size three answers under each other leave no room between them.
        crowded = self.theme.scale >= 1.5 and len(step.choices) >= 3
        columns = (len(step.choices) if cards
                   else 2 if (wide and len(step.choices) >= 4) or short or crowded else 1)
        side = CHOICE_PICTURE_PX if cards else round(self.theme.body_px * 3)
        self._answers = []
        for index, choice in enumerate(step.choices):
            button = WrappingButton("choose", self.theme, stacked=cards)
            button.set_label(self.lesson_text(choice.text))
            if choice.image is not None:
                button.set_icon("choose", QIcon(str(choice.image)), side)
            button.clicked.connect(lambda _=False, i=index: self.choose(i))
            self._answers.append(button)
        self._answer_columns = 0
        self._two_columns = columns == 2 and not cards  # may become one, see _fit_answers
        self._place_answers(columns)
        if self._two_columns:
            self._fit_answers()

    def _place_answers(self, columns: int) -> None:
        """The answers under each other, or ``columns`` side by side in a grid."""
        if columns == self._answer_columns:
            return
        self._answer_columns = columns
        while self.choice_layout.count():
            item = self.choice_layout.takeAt(0)
            holder = item.widget()
            if holder is not None and holder not in self._answers:
                for button in self._answers:
                    button.setParent(self.choices)  # out of the old grid, kept
                holder.hide()
                holder.deleteLater()
        if columns > 1:
            holder = QWidget()
            holder.setObjectName("answers")
            holder.setStyleSheet("QWidget#answers { background: transparent; }")
            grid = QGridLayout(holder)
            grid.setContentsMargins(0, 0, 0, 0)
            grid.setSpacing(GAP)
            for column in range(columns):
                grid.setColumnStretch(column, 1)
            for index, button in enumerate(self._answers):
                grid.addWidget(button, index // columns, index % columns)
            self.choice_layout.addWidget(holder)
            holder.show()
        else:
            for button in self._answers:
                self.choice_layout.addWidget(button)
        for button in self._answers:
            button.show()
        self.choice_layout.activate()
        self.panel.layout().activate()  # drawn at once in the new arrangement

    def _fit_answers(self) -> None:
        """Two columns of answers, unless one column takes less height at this size and in this
        font: long answers in a narrow column wrap onto three lines and more."""
        buttons, width = self._answers, self.choices.width()
        if not self._two_columns or width <= 0:
            return

        def height(columns: int) -> int:
            column_width = (width - (columns - 1) * GAP) // columns
            rows = [buttons[i:i + columns] for i in range(0, len(buttons), columns)]
            return sum(max(b.heightForWidth(column_width) for b in row) for row in rows) + \
                (len(rows) - 1) * GAP

        self._place_answers(1 if height(1) < height(2) else 2)

    def _update_buttons(self) -> None:
        assert self.run is not None
        last = self.run.is_last
        self.next_button.setEnabled(self.run.can_go_on)
        self.next_button.set_meaning("good" if last else "next")  # "Klaar" is a check everywhere
        self.next_button.set_label(
            self.t.gettext("Klaar") if last else self.t.gettext("Volgende"),
            self.t.gettext("Sluit de les af") if last else self.t.gettext("Ga naar de volgende stap"))
        self.again_button.setVisible(self.step.is_practice)

    def _prefetch(self) -> None:
        """Everything this step and the next may say, prepared before it is needed: the
        praise and the hints too, so that an answer is read at once."""
        assert self.run is not None
        run = self.run
        steps = run.lesson.steps[run.number - 1:run.number + 1]
        texts = [text for step in steps for text in run.words(step).all()]
        self.speaker.prefetch(list(dict.fromkeys(texts)), run.language)

    def explain_word(self, word) -> None:  # type: ignore[no-untyped-def]
        """A tapped word: its card over the window, read aloud in the resident's language."""
        if self.word_card is None:
            self.word_card = WordCard(self.theme, self.t, self.speaker, self.window())
        self.word_card.open_word(word, self.t)

    # -- navigation ------------------------------------------------------------------------

    @Slot()
    def go_next(self) -> None:
        assert self.run is not None
        if not self.run.can_go_on:
            return
        self.speaker.stop()
        self.run.next()
        if self.run.finished:
            self.finished.emit(self.run.lesson.id)
            return
        self._show(speak=self.read_aloud)

    @Slot()
    def go_back(self) -> None:
        assert self.run is not None
        self.speaker.stop()
        if not self.run.back():
            self._go_home()
            return
        self._show(speak=self.read_aloud)

    @Slot()
    def again(self) -> None:
        assert self.run is not None
        self.speaker.stop()
        self.run.again()
        self._show(speak=True)

    @Slot()
    def _go_home(self) -> None:
        self.speaker.stop()
        self.homeRequested.emit()

    # -- practice --------------------------------------------------------------------------

    @Slot(float, float)
    def tap_at(self, x: float, y: float) -> None:
        """A tap on the picture, in image units."""
        if self.run is not None:
            self._answered(self.run.tap(x, y, margin=self.picture.tap_margin()))

    @Slot()
    def _on_keyboard_tap(self) -> None:
        centre = self.run.target_centre if self.run is not None else None
        if centre is not None:
            self.tap_at(*centre)

    @Slot(str)
    def _typed_so_far(self, text: str) -> None:
        """The right answer is praised as soon as it is there; "Klaar" is not needed for it."""
        if self.run is not None and not self.picture.field.isReadOnly():
            self._answered(self.run.type_text(text, submit=False))

    @Slot()
    def check_typed(self) -> None:
        if self.run is not None and not self.picture.field.isReadOnly():
            self._answered(self.run.type_text(self.picture.field.text()))

    def choose(self, index: int) -> None:
        if self.run is not None:
            self._answered(self.run.choose(index))

    def _answered(self, outcome: Outcome) -> None:
        """Draws an answer's outcome and speaks it, after its chime."""
        if outcome.kind == NONE:
            return
        step = self.step
        self._draw_outcome(outcome)
        if outcome.kind == RIGHT and step.kind == "type":
            self.picture.field.setReadOnly(True)
            self.keyboard.hide()
        self._update_buttons()
        self.speak(self.feedback, chime=outcome.chime)
        if outcome.advance:
            self.next_button.setFocus()
        elif step.kind == "type":
            self.picture.field.setFocus()

    def _set_feedback(self, kind: str, text: str) -> None:
        self.feedback_kind = kind
        self.feedback.setVisible(bool(kind))
        if kind:
            self.feedback.setProperty("role", kind)
            self.feedback.style().unpolish(self.feedback)
            self.feedback.style().polish(self.feedback)
            mark = "✓" if kind == "good" else "✗"
            self.feedback.set_plain(f"{mark} {text}")
        self._make_room()

    def _make_room(self) -> None:
        """When the feedback line does not fit under the question and its answers (the largest
        text size, long answers), the question makes way for it while it shows; the answers
        stay, and "Opnieuw" shows the step anew."""
        self.text.setVisible(True)
        if not self.feedback_kind or self.step.kind != "choose":
            return
        layout = self.panel.layout()
        width = self.panel.width()
        if layout is not None and width > 0 and layout.totalHeightForWidth(width) > \
                self.panel.height():
            self.text.setVisible(False)

    # -- speech ----------------------------------------------------------------------------

    def speak(self, label: SpokenLabel, chime: str = "") -> None:
        """Reads the feedback line (without its ✓/✗), or the step: its instruction (``say``
        when it has one) and, when an answer's feedback shows, that line after it. Every text
        read is one of the step's prepared texts (``StepWords.all``)."""
        assert self.run is not None
        run = self.run
        words = run.words()
        feedback = run.feedback
        # Which part of the spoken text lights up which label: (label, from, to, shift).
        self._spoken = []
        if label is self.feedback and feedback is not None:
            text, recorded = feedback.say, None
            self._spoken.append((self.feedback, 0, len(text), FEEDBACK_MARK))
        else:
            instruction = words.spoken_instruction()
            text, recorded = instruction, self._recorded_audio()
            if not self.step.say:  # a separate spoken text has no place on screen to light up
                self._spoken.append((self.text, 0, len(instruction), 0))
            if feedback is not None:
                text, recorded = words.read_again(feedback.say), None
                begin = len(text) - len(feedback.say)
                self._spoken.append((self.feedback, begin, len(text), FEEDBACK_MARK - begin))
        self.speaker.say(text, run.language, recorded, chime)

    def _recorded_audio(self) -> Path | None:
        assert self.run is not None
        step = self.step
        if not step.audio:
            return None
        return self.run.lesson.folder / step.audio.replace("{lang}", self.run.language)

    @Slot()
    def _toggle_speech(self) -> None:
        if self.speak_button.speaking:
            self.speaker.stop()
        else:
            self.speak(self.text)

    @Slot(str)
    def _on_speaker_state(self, state: str) -> None:
        language = self.run.language if self.run is not None else self.t.language
        self.speak_button.show_state(state, self.speaker.available(language), self.t)

    @Slot(int, int)
    def _on_word(self, start: int, length: int) -> None:
        for label in (self.text, self.feedback):
            label.highlight(-1, 0)
        if start < 0 or self.run is None:  # a word after the lesson closed
            return
        for label, begin, end, shift in self._spoken:
            if begin <= start < end:
                label.highlight(start + shift, length)
                return

    def showEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        super().showEvent(event)
        self._on_speaker_state(self.speaker.state)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """A screen drawn before it had its size (rebuilt in a new text size) decides again,
        at its real size, whether the question has room beside the feedback."""
        if watched is self.panel and event.type() == QEvent.Type.Resize and self.run is not None:
            self._fit_answers()
            self._make_room()
        return super().eventFilter(watched, event)

    def hideEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        """The word card covers the window, not this screen: it goes when the lesson goes (to
        another screen, at the end of a visit, or when the screens are rebuilt), so no word of
        this lesson stays over the next screen or the next resident's."""
        super().hideEvent(event)
        card, self.word_card = self.word_card, None
        if card is not None:
            card.close_card()
            card.deleteLater()

