"""Speech planning without Qt: voices per language, cache keys, word timings, what a step says.

The synthesis worker turns a ``SpeechRequest`` into a WAV file; this module decides which voice
and rate a request uses, where its file lives in the cache, and which word is being spoken at a
given moment of playback. ``StepWords`` is the one list of what a lesson step says: the player
speaks from it, and prefetch and ``kiosk speech prepare`` prepare exactly it.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from kiosk.core.i18n import Translator, base_language
from kiosk.core.lessons import Choice, Step

RATES = {"normal": 150, "slow": 110}  # words per minute; espeak-ng's own default is 175
_WORD = re.compile(r"\S+")


@dataclass(frozen=True)
class Voice:
    id: str
    name: str
    languages: tuple[str, ...]


@dataclass(frozen=True)
class SpeechRequest:
    text: str
    language: str
    voice: str
    rate: int

    def cache_key(self, engine: str) -> str:
        blob = json.dumps([engine, self.voice, self.rate, self.language, self.text],
                          ensure_ascii=False)
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:32]


@dataclass(frozen=True)
class WordTiming:
    start: int  # character offset in the text
    length: int
    ms: int  # when the word starts in the audio


_DIGIT_GROUPS = re.compile(r"\d+(?: \d+)+")


def speakable(text: str) -> tuple[str, list[int]]:
    """The text as the engine should read it, and for each of its characters the position in
    the original (to light up the right word on screen).

    Digit groups such as "078 170 170" get commas, so engines read a phone number in groups
    instead of as "seventy-eight million …".
    """
    spoken: list[str] = []
    where: list[int] = []
    last = 0
    for match in _DIGIT_GROUPS.finditer(text):
        for index in range(last, match.start()):
            spoken.append(text[index])
            where.append(index)
        for index in range(match.start(), match.end()):
            if text[index] == " ":
                spoken.append(",")
                where.append(index)
            spoken.append(text[index])
            where.append(index)
        last = match.end()
    for index in range(last, len(text)):
        spoken.append(text[index])
        where.append(index)
    return "".join(spoken), where


def language_chain(language: str) -> list[str]:
    """``nl-BE`` → ``nl-BE``, ``nl``: the order in which voices are looked for."""
    parts = language.replace("_", "-").split("-")
    chain = ["-".join(parts[:n]).lower() for n in range(len(parts), 0, -1)]
    return list(dict.fromkeys(chain))


def choose_voice(language: str, voices: list[Voice], configured: dict[str, str]) -> Voice | None:
    """The voice for a language: the configured one first, then one whose language matches."""
    by_id = {voice.id: voice for voice in voices}
    for code in language_chain(language):
        wanted = configured.get(code)
        if wanted:
            match = by_id.get(wanted) or next((v for v in voices if v.name == wanted), None)
            if match:
                return match
    for code in language_chain(language):
        for voice in voices:
            if any(lang.lower().replace("_", "-") == code for lang in voice.languages):
                return voice
    base = base_language(language)
    # Among the regional voices of a language, prefer the language's main one ("gmw/en").
    near = [v for v in voices if any(base_language(lang) == base for lang in v.languages)]
    main = [v for v in near if v.id.rsplit("/", 1)[-1].lower() == base]
    if main:
        return main[0]
    return near[0] if near else None


def estimate_words(text: str, duration_ms: int) -> list[WordTiming]:
    """Word start times proportional to characters, for engines that give no word offsets."""
    words = list(_WORD.finditer(text))
    if not words:
        return []
    total = sum(len(m.group()) + 1 for m in words)
    timings, spent = [], 0
    for match in words:
        timings.append(WordTiming(match.start(), len(match.group()), duration_ms * spent // total))
        spent += len(match.group()) + 1
    return timings


def word_at(timings: list[WordTiming], position_ms: int) -> WordTiming | None:
    """The word being spoken at a playback position (None before the first word)."""
    starts = [t.ms for t in timings]
    index = bisect.bisect_right(starts, position_ms) - 1
    return timings[index] if index >= 0 else None


@dataclass(frozen=True)
class CachedSpeech:
    wav: Path
    words: list[WordTiming]
    duration_ms: int


class SpeechCache:
    """WAV files with their word timings, named by the request's cache key."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def paths(self, key: str) -> tuple[Path, Path]:
        return self.folder / f"{key}.wav", self.folder / f"{key}.json"

    def get(self, key: str) -> CachedSpeech | None:
        wav, meta = self.paths(key)
        if not (wav.is_file() and meta.is_file()):
            return None
        try:
            data = json.loads(meta.read_text(encoding="utf-8"))
            words = [WordTiming(int(s), int(n), int(ms)) for s, n, ms in data["words"]]
            return CachedSpeech(wav, words, int(data["duration_ms"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None


# -- what a step says -------------------------------------------------------------------------


class StepWords:
    """Every text one step of a lesson shows or speaks, in one language.

    The lesson player takes its instruction, praise and hints from here, and the same texts are
    what is prepared ahead (``step_speech``), so that what the player says is always ready.
    Lesson texts come from the lesson's translations; the generic ones from the app's.
    """

    def __init__(self, lesson_id: str, step: Step, translator: Translator) -> None:
        self.lesson_id = lesson_id
        self.step = step
        self.t = translator

    @property
    def language(self) -> str:
        return self.t.language

    def text(self, message: str) -> str:
        """A lesson text in this language ("" stays "")."""
        return self.t.lesson(self.lesson_id, message)

    def instruction(self) -> str:
        """What the step shows as its instruction."""
        return self.text(self.step.text)

    def spoken_instruction(self) -> str:
        """What is read aloud for the instruction: ``say`` when the step has one."""
        return self.text(self.step.say or self.step.text)

    def praise(self, choice: Choice | None = None) -> str:
        """The praise after a right answer; a chosen answer adds its own "why"."""
        praise = self.text(self.step.done) or self.t.gettext("Goed zo!")
        extra = self.text(choice.why) if choice is not None else ""
        return f"{praise} {extra}".strip()

    def retry(self, choice: Choice | None = None) -> str:
        """The gentle line after a wrong try: a wrong answer's "why", else the hint."""
        if choice is not None and choice.why:
            return self.text(choice.why)
        if self.step.hint:
            return self.text(self.step.hint)
        if self.step.kind == "type":
            return self.t.gettext("Kijk goed naar de letters. Probeer het nog eens.")
        return self.t.gettext("Probeer het nog eens.")

    def feedback(self) -> list[str]:
        """Every praise and hint an answer to this step can bring, the likeliest first."""
        step = self.step
        if not step.is_practice:
            return []
        if step.kind != "choose":
            return [self.praise(), self.retry()]
        texts = [self.praise(choice) for choice in step.choices if choice.correct]
        texts.append(self.praise())  # a solved question seen again
        texts += [self.retry(choice) for choice in step.choices if not choice.correct]
        return texts

    def read_again(self, feedback: str = "") -> str:
        """What the step's speaker button reads: the instruction, then the feedback line when
        an answer's feedback shows."""
        instruction = self.spoken_instruction()
        return f"{instruction}\n{feedback}" if feedback else instruction

    def all(self) -> list[str]:
        """The instruction, every feedback line alone and read again after the instruction,
        and each answer's text and "why"."""
        feedback = self.feedback()
        texts = [self.spoken_instruction(), *feedback, *map(self.read_again, feedback)]
        for choice in self.step.choices:
            texts.append(self.text(choice.text))
            texts.append(self.text(choice.why))
        return [text for text in dict.fromkeys(texts) if text]


def step_speech(lesson_id: str, step: Step, translator: Translator) -> list[str]:
    """Every text a step may speak in the translator's language, each once: what the player
    prepares ahead and what ``kiosk speech prepare`` puts in the cache."""
    return StepWords(lesson_id, step, translator).all()
