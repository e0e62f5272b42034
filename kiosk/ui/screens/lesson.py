"""The lesson player: one step at a time, with its picture, its text read aloud, and practice."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Qt, Signal, Slot
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

SHOW_TARGET_AFTER_TRIES = 2


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
        self.lesson: Lesson | None = None
        self.home_language = SOURCE_LANGUAGE
        self.content_language: str | None = None  # None: the lesson speaks the app's language
        self._content: Translator | None = None
        self.number = 1
        self.solved: set[int] = set()
        self.feedback_kind = ""  # "", "good" or "bad"
        self._spoken: SpokenLabel | None = None
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

    # -- language --------------------------------------------------------------------------

    def retranslate(self, translator: Translator) -> None:
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
        if self.lesson is not None:
            self._show(speak=False)

    @property
    def content(self) -> Translator:
        """The translator of the lesson's own texts: the app's language or, toggled, Dutch."""
        language = self.content_language or self.t.language
        if language == self.t.language:
            return self.t
        if self._content is None or self._content.language != language:
            self._content = Translator(language)
        return self._content

    def lesson_text(self, message: str) -> str:
        assert self.lesson is not None
        return self.content.lesson(self.lesson.id, message)

    def _other_language(self) -> str:
        current = self.content_language or self.t.language
        home = self.home_language if self.home_language != SOURCE_LANGUAGE else self.t.language
        return SOURCE_LANGUAGE if current != SOURCE_LANGUAGE else home

    @Slot()
    def toggle_content_language(self) -> None:
        """"My language": one tap shows and reads this step in the other language."""
        self.content_language = self._other_language()
        self._show(speak=True)

    def _update_language_button(self) -> None:
        other = self._other_language()
        current = self.content_language or self.t.language
        self.language_button.setVisible(other != current)
        self.language_button.set_label(language_name(other),
                                       self.t.gettext("Toon deze stap in een andere taal"))

    # -- steps -----------------------------------------------------------------------------

    @property
    def step(self) -> Step:
        assert self.lesson is not None
        return self.lesson.steps[self.number - 1]

    def open(self, lesson: Lesson, step: int = 1, speak: bool | None = None,
             solved: set[int] | None = None) -> None:
        self.lesson = lesson
        self.solved = set(solved or ())
        self.number = min(max(1, step), len(lesson.steps))
        self.progress.open_lesson(lesson.id, self.number, len(lesson.steps))
        self.retranslate(self.t)
        self._show(speak=self.read_aloud if speak is None else speak)

    def close_lesson(self) -> None:
        """Forgets the open lesson and everything typed or shown in it."""
        self.lesson = None
        self.solved = set()
        self.content_language = None
        self.picture.field.clear()
        self.picture.show_field(None)
        self.picture.set_image(None)
        self.text.set_plain("")
        self._set_feedback("", "")
        self.feedback.set_plain("")

    def show_step(self, number: int, speak: bool = False) -> None:
        """Jump to a step (for renders and the digibuddy); progress is recorded as usual."""
        assert self.lesson is not None
        self.number = min(max(1, number), len(self.lesson.steps))
        self.progress.step_reached(self.lesson.id, self.number, len(self.lesson.steps))
        self._show(speak)

    def _show(self, speak: bool) -> None:
        lesson, step = self.lesson, self.step
        assert lesson is not None
        count = len(lesson.steps)
        self.title.set_full_text(self.lesson_text(lesson.title))
        self.counter.setText(self.t.gettext("Stap {current} van {count}").format(
            current=self.number, count=count))
        self.counter.setAccessibleName(self.counter.text())
        self.dots.set_step(self.number, count)
        self._update_language_button()
        self.picture.set_image(step.image, translate=lambda s: self.lesson_text(s))
        self.picture.tappable = step.kind == "tap"
        self.picture.setFocusPolicy(Qt.FocusPolicy.StrongFocus if step.kind == "tap"
                                    else Qt.FocusPolicy.NoFocus)
        self.picture.setAccessibleName(self.lesson_text(step.text))
        solved = self.number in self.solved
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
        self.text.set_words(glossary_of(lesson.folder.parent), self.content)
        self.text.set_plain(self.lesson_text(step.text))
        self._build_choices(step)
        self.picture.show_field(step.target if typing else None, step.answer if solved else "")
        self.picture.field.setReadOnly(solved)
        if typing or self._keyboard is not None:
            self.keyboard.setVisible(typing and not solved)
            self.keyboard.show_digits(any(c.isdigit() for c in step.answer),
                                      only=step.answer.isdigit())
            self.keyboard.set_capital(False)
        if self.number in self.solved and step.is_practice:
            self._set_feedback("good", self._praise(step))
            if step.kind == "tap" and step.target is not None:
                self.picture.mark("good", step.target[0] + step.target[2] / 2,
                                  step.target[1] + step.target[3] / 2)
        self._update_buttons()
        if self.next_button.isEnabled() and self.number in self.solved:
            self.next_button.setFocus()
        elif typing:
            self.picture.field.setFocus()
        else:
            self.speak_button.setFocus()
        if speak:
            self.speak(self.text)
        self._prefetch()

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
        grid: QGridLayout | None = None
        if columns > 1:
            holder = QWidget()
            holder.setObjectName("answers")
            holder.setStyleSheet("QWidget#answers { background: transparent; }")
            grid = QGridLayout(holder)
            grid.setContentsMargins(0, 0, 0, 0)
            grid.setSpacing(GAP)
            for column in range(columns):
                grid.setColumnStretch(column, 1)
            self.choice_layout.addWidget(holder)
            holder.show()
        for index, choice in enumerate(step.choices):
            button = WrappingButton("choose", self.theme, stacked=cards)
            button.set_label(self.lesson_text(choice.text))
            if choice.image is not None:
                button.set_icon("choose", QIcon(str(choice.image)), side)
            button.clicked.connect(lambda _=False, i=index: self.choose(i))
            if grid is not None:
                grid.addWidget(button, index // columns, index % columns)
            else:
                self.choice_layout.addWidget(button)
            button.show()

    def _update_buttons(self) -> None:
        assert self.lesson is not None
        last = self.number == len(self.lesson.steps)
        done = not self.step.is_practice or self.number in self.solved
        self.next_button.setEnabled(done)
        self.next_button.set_meaning("good" if last else "next")  # "Klaar" is a check everywhere
        self.next_button.set_label(
            self.t.gettext("Klaar") if last else self.t.gettext("Volgende"),
            self.t.gettext("Sluit de les af") if last else self.t.gettext("Ga naar de volgende stap"))
        self.again_button.setVisible(self.step.is_practice)

    def _prefetch(self) -> None:
        assert self.lesson is not None
        texts = []
        for step in self.lesson.steps[self.number - 1:self.number + 1]:
            texts.append(self.lesson_text(step.say or step.text))
            for extra in (step.hint, step.done):
                if extra:
                    texts.append(self.lesson_text(extra))
        self.speaker.prefetch(texts, self.content.language)

    def explain_word(self, word) -> None:  # type: ignore[no-untyped-def]
        """A tapped word: its card over the window, read aloud in the resident's language."""
        if self.word_card is None:
            self.word_card = WordCard(self.theme, self.t, self.speaker, self.window())
        self.word_card.open_word(word, self.t)

    # -- navigation ------------------------------------------------------------------------

    @Slot()
    def go_next(self) -> None:
        assert self.lesson is not None
        if not self.next_button.isEnabled():
            return
        self.speaker.stop()
        if self.number >= len(self.lesson.steps):
            self.progress.lesson_finished(self.lesson.id)
            self.finished.emit(self.lesson.id)
            return
        self.number += 1
        self.progress.step_reached(self.lesson.id, self.number, len(self.lesson.steps))
        self._show(speak=self.read_aloud)

    @Slot()
    def go_back(self) -> None:
        assert self.lesson is not None
        self.speaker.stop()
        if self.number == 1:
            self._go_home()
            return
        self.number -= 1
        self.progress.step_reached(self.lesson.id, self.number, len(self.lesson.steps))
        self._show(speak=self.read_aloud)

    @Slot()
    def again(self) -> None:
        self.speaker.stop()
        self.solved.discard(self.number)
        self._show(speak=True)

    @Slot()
    def _go_home(self) -> None:
        self.speaker.stop()
        self.homeRequested.emit()

    # -- practice --------------------------------------------------------------------------

    @Slot(float, float)
    def tap_at(self, x: float, y: float) -> None:
        step = self.step
        if step.kind != "tap" or self.number in self.solved:
            return
        if step.hits(x, y, margin=self.picture.tap_margin()):
            self.picture.mark("good", x, y)
            self._succeed()
        else:
            self.picture.mark("bad", x, y)
            self._miss(self.lesson_text(step.hint) or self.t.gettext("Probeer het nog eens."))

    @Slot()
    def _on_keyboard_tap(self) -> None:
        step = self.step
        if step.kind == "tap" and step.target is not None and self.number not in self.solved:
            x, y, w, h = step.target
            self.tap_at(x + w / 2, y + h / 2)

    @Slot(str)
    def _typed_so_far(self, text: str) -> None:
        """The right answer is praised as soon as it is there; "Klaar" is not needed for it."""
        step = self.lesson.steps[self.number - 1] if self.lesson is not None else None
        if step is not None and step.kind == "type" and self.number not in self.solved \
                and not self.picture.field.isReadOnly() and step.accepts(text):
            self.check_typed()

    @Slot()
    def check_typed(self) -> None:
        step = self.step
        if step.kind != "type" or self.number in self.solved:
            return
        if step.accepts(self.picture.field.text()):
            self.picture.field.setReadOnly(True)
            self.keyboard.hide()
            self._succeed()
        else:
            self._miss(self.lesson_text(step.hint)
                       or self.t.gettext("Kijk goed naar de letters. Probeer het nog eens."))
            self.picture.field.setFocus()

    def choose(self, index: int) -> None:
        step = self.step
        if step.kind != "choose" or self.number in self.solved:
            return
        choice = step.choices[index]
        if choice.correct:
            self._succeed(self.lesson_text(choice.why))
        else:
            why = self.lesson_text(choice.why) or self.lesson_text(step.hint)
            self._miss(why or self.t.gettext("Probeer het nog eens."))

    def _praise(self, step: Step, extra: str = "") -> str:
        praise = self.lesson_text(step.done) or self.t.gettext("Goed zo!")
        return f"{praise} {extra}".strip()

    def _succeed(self, extra: str = "") -> None:
        assert self.lesson is not None
        self.solved.add(self.number)
        self.picture.show_target(None)
        self._set_feedback("good", self._praise(self.step, extra))
        self._update_buttons()
        self.speak(self.feedback, chime="right")
        self.next_button.setFocus()

    def _miss(self, hint: str) -> None:
        assert self.lesson is not None
        tries = self.progress.wrong_try(self.lesson.id, self.number)
        self._set_feedback("bad", hint)
        if tries >= SHOW_TARGET_AFTER_TRIES and self.step.kind == "tap":
            self.picture.show_target(self.step.target)
        self.speak(self.feedback, chime="try-again")

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
        self._spoken = label
        text = label.plain_text()
        if label is self.text and self.step.say:
            text = self.lesson_text(self.step.say)
        if label is self.text and self.feedback.isVisible():  # the button reads both
            text = f"{text}\n{self.feedback.plain_text().lstrip('✓✗ ')}"
        recorded = self._recorded_audio() if label is self.text else None
        self.speaker.say(text.lstrip("✓✗ "), self.content.language, recorded, chime)

    def _recorded_audio(self) -> Path | None:
        step = self.step
        if not step.audio or self.lesson is None:
            return None
        return self.lesson.folder / step.audio.replace("{lang}", self.content.language)

    @Slot()
    def _toggle_speech(self) -> None:
        if self.speak_button.speaking:
            self.speaker.stop()
        else:
            self.speak(self.text)

    @Slot(str)
    def _on_speaker_state(self, state: str) -> None:
        self.speak_button.show_state(state, self.speaker.available(self.content.language), self.t)

    @Slot(int, int)
    def _on_word(self, start: int, length: int) -> None:
        for label in (self.text, self.feedback):
            label.highlight(-1, 0)
        label = self._spoken
        if label is None or start < 0 or self.lesson is None:  # a word after the lesson closed
            return
        offset = 2 if label is self.feedback else 0  # the ✓/✗ and its space are not spoken
        if label is self.text and self.step.say:
            return  # a separate spoken text has no place on screen to light up
        label.highlight(start + offset, length)

    def showEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        super().showEvent(event)
        self._on_speaker_state(self.speaker.state)

