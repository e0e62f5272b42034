"""Natural voices with Piper: installed voice files, synthesis with word timings, Arabic vowels.

A Piper voice is an ONNX model ``NAME.onnx`` with its configuration ``NAME.onnx.json``, kept in
the app's data folder (``voices/``). Voices are offered to the worker as ``piper:NAME``; the
worker loads each once and keeps it. Nothing here imports Qt; ``piper`` itself is imported only
when a voice is loaded (it is an optional extra: ``pip install "kiosk[voices]"``).

Word timings come from the voice's phoneme alignments when its model exposes them (``kiosk
speech add-voice`` adds that output to the copy it installs, when the ``onnx`` package is
present); otherwise words are spread over each sentence's audio, as for engines without word
events.
"""

from __future__ import annotations

import json
import os
import re
import time
import wave
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk.core.speech_plan import RATES, WordTiming, estimate_words

PREFIX = "piper:"
SENTENCE_PAUSE_MS = 200
THREADS = int(os.environ.get("KIOSK_PIPER_THREADS", "0") or 0)  # 0: onnxruntime decides  # silence between sentences: Piper itself runs them together

# A short sentence per language, spoken to check that a newly added voice works.
SAMPLES = {
    "nl": "Welkom bij Stap voor Stap.",
    "fr": "Bienvenue à Pas à Pas.",
    "en": "Welcome to Step by Step.",
    "ar": "مرحبا بك.",
    "tr": "Adım Adım'a hoş geldiniz.",
    "uk": "Ласкаво просимо.",
}

# The natural voice suggested per language (rhasspy/piper-voices; docs/deploying.md says where).
SUGGESTED = {
    "nl": "nl_BE-nathalie-medium",
    "fr": "fr_FR-siwis-medium",
    "en": "en_US-joe-medium",
    "ar": "ar_JO-kareem-medium",
    "tr": "tr_TR-dfki-medium",
    "uk": "uk_UA-ukrainian_tts-medium",
}

# Arabic short vowels, tanween, shadda and sukun: text with none of them is written without vowels.
HARAKAT = frozenset("\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652")
_ARABIC_LETTER = re.compile(r"[\u0621-\u064a]")
_WORD = re.compile(r"\S+")
_SENTENCE_END = re.compile(r"[.!?؟…][\"'»”)]*$")
_PUNCTUATION = frozenset(".,;:!?¡¿؟،؛…\"'«»“”()-—")


class VoiceProblem(Exception):
    """A voice file that cannot be used; the message names the file."""


@dataclass(frozen=True)
class InstalledVoice:
    name: str  # file name without .onnx, e.g. "nl_BE-nathalie-medium"
    model: Path
    config: Path
    language: str  # "nl-be"
    espeak_voice: str

    @property
    def id(self) -> str:
        return PREFIX + self.name

    def describe(self) -> dict[str, Any]:
        """The voice as the worker announces it."""
        try:
            found = self.model.stat()
            revision = f"{found.st_size}-{found.st_mtime_ns}"
        except OSError:
            revision = ""
        return {"id": self.id, "name": self.name, "languages": [self.language],
                "kind": "piper", "revision": revision}


def read_voice(model: Path) -> InstalledVoice:
    """The voice of a model file, from its ``.onnx.json`` (the model itself is not loaded)."""
    config = model.with_name(model.name + ".json")
    if not model.is_file():
        raise VoiceProblem(f"{model}: no such voice file")
    if not config.is_file():
        raise VoiceProblem(f"{model}: its configuration {config.name} is missing beside it")
    try:
        data = json.loads(config.read_text(encoding="utf-8"))
        espeak_voice = str(data.get("espeak", {}).get("voice", ""))
        code = str(data.get("language", {}).get("code", "")) or espeak_voice
        data["audio"]["sample_rate"]
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise VoiceProblem(f"{config}: not a Piper voice configuration ({exc})") from None
    if not code:
        raise VoiceProblem(f"{config}: names no language")
    name = model.name[: -len(".onnx")] if model.name.endswith(".onnx") else model.stem
    return InstalledVoice(name, model, config, code.replace("_", "-").lower(), espeak_voice)


def installed_voices(folder: Path | None) -> tuple[list[InstalledVoice], list[str]]:
    """The voices in a folder, and one line for each file that is not a usable voice."""
    if folder is None or not folder.is_dir():
        return [], []
    voices, problems = [], []
    for model in sorted(folder.glob("*.onnx")):
        try:
            voices.append(read_voice(model))
        except VoiceProblem as exc:
            problems.append(str(exc))
    return voices, problems


def suggested_voice(language: str) -> str:
    """The model file to add for a natural voice in a language, or "" when none is known."""
    name = SUGGESTED.get(language.replace("_", "-").split("-")[0].lower())
    return f"{name}.onnx" if name else ""


def sample_sentence(language: str) -> str:
    return SAMPLES.get(language.replace("_", "-").split("-")[0].lower(), SAMPLES["en"])


# -- Arabic ---------------------------------------------------------------------------------


def lacks_vowels(text: str) -> bool:
    """Arabic text written without short vowels (as most Arabic is): it needs diacritisation
    before a voice can pronounce it."""
    return bool(_ARABIC_LETTER.search(text)) and not any(c in HARAKAT for c in text)


class ArabicVowels:
    """Piper's own Arabic diacritiser (libtashkeel, bundled with piper-tts), loaded on first use.

    The app calls it itself, only for text without vowels, instead of leaving it to Piper (which
    would run it on every text, also one whose vowels an author wrote)."""

    def __init__(self) -> None:
        self._diacritizer: Any = None

    def __call__(self, text: str) -> str:
        if not lacks_vowels(text):
            return text
        if self._diacritizer is None:
            from piper.tashkeel import TashkeelDiacritizer

            self._diacritizer = TashkeelDiacritizer()
        return str(self._diacritizer(text))


# -- word timings -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Sentence:
    """One sentence as Piper spoke it: its phonemes, the samples of each (when the model gives
    alignments), and its length in samples."""

    phonemes: Sequence[str]
    phoneme_samples: Sequence[tuple[str, int]] | None
    samples: int


def _phoneme_word_starts(phoneme_samples: Sequence[tuple[str, int]]) -> list[int]:
    """Sample offsets at which each spoken word begins (words are separated by " ")."""
    starts, position, in_word = [], 0, False
    for phoneme, samples in phoneme_samples:
        if phoneme in ("^", "$", "_") or phoneme.isspace():
            in_word = False
        elif phoneme not in _PUNCTUATION:
            if not in_word:
                starts.append(position)
            in_word = True
        position += int(samples)
    return starts


def words_from_sentences(text: str, sentences: Sequence[Sentence], sample_rate: int,
                         pause_samples: int = 0) -> list[WordTiming]:
    """Word start times for ``text`` from what Piper reported per sentence.

    Where a sentence has alignments and as many spoken words as the text has words in it, each
    word starts where its phonemes start. Otherwise (numbers read as several words, a model
    without alignments) its words are spread over that sentence's audio. When the text's
    sentences cannot be matched to Piper's, words are spread over the whole audio.
    """
    words = list(_WORD.finditer(text))
    if not words or not sentences:
        return []
    offsets, at = [], 0
    for sentence in sentences:
        offsets.append(at)
        at += sentence.samples + pause_samples
    total_ms = (at - pause_samples) * 1000 // sample_rate

    def ms(samples: int) -> int:
        return samples * 1000 // sample_rate

    if all(sentence.phoneme_samples for sentence in sentences):  # try the whole text at once
        starts = [offsets[i] + s for i, sentence in enumerate(sentences)
                  for s in _phoneme_word_starts(sentence.phoneme_samples or ())]
        if len(starts) == len(words):
            return [WordTiming(m.start(), len(m.group()), ms(s)) for m, s in zip(words, starts)]

    groups: list[list[re.Match[str]]] = [[]]
    for match in words:
        groups[-1].append(match)
        if _SENTENCE_END.search(match.group()):
            groups.append([])
    groups = [g for g in groups if g]
    if len(groups) != len(sentences):
        return estimate_words(text, total_ms)
    timings: list[WordTiming] = []
    for group, sentence, offset in zip(groups, sentences, offsets):
        starts = (_phoneme_word_starts(sentence.phoneme_samples)
                  if sentence.phoneme_samples else [])
        if len(starts) == len(group):
            timings += [WordTiming(m.start(), len(m.group()), ms(offset + s))
                        for m, s in zip(group, starts)]
            continue
        first = group[0].start()
        piece = text[first:group[-1].end()]
        timings += [WordTiming(first + t.start, t.length, ms(offset) + t.ms)
                    for t in estimate_words(piece, ms(sentence.samples))]
    return timings


# -- synthesis ------------------------------------------------------------------------------


class PiperEngine:
    """The Piper voices of one folder, each loaded once and kept. Runs in the worker process."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.voices, self.problems = installed_voices(folder)
        self._loaded: dict[str, Any] = {}
        self.load_seconds: dict[str, float] = {}
        self.arabic = ArabicVowels()

    def load_all(self) -> None:
        """Loads every voice now (a resident's first tap should not wait for it); a voice that
        cannot be loaded is left out with one line naming its file."""
        usable = []
        for voice in self.voices:
            try:
                loaded = self.load(voice)
                self._phonemize_once(voice, loaded)
                usable.append(voice)
            except VoiceProblem as exc:
                self.problems.append(str(exc))
        self.voices = usable

    def load(self, voice: InstalledVoice) -> Any:
        loaded = self._loaded.get(voice.name)
        if loaded is not None:
            return loaded
        started = time.monotonic()
        try:
            from piper import PiperVoice
        except ImportError:
            raise VoiceProblem(f"{voice.model}: Piper is not installed "
                               "(pip install \"kiosk[voices]\")") from None
        try:
            import onnxruntime
            from piper.config import PiperConfig

            options = onnxruntime.SessionOptions()
            # Idle threads wait instead of spinning: the UI shares the machine's two cores.
            options.add_session_config_entry("session.intra_op.allow_spinning", "0")
            if THREADS:
                options.intra_op_num_threads = THREADS
            config = PiperConfig.from_dict(json.loads(voice.config.read_text(encoding="utf-8")))
            loaded = PiperVoice(config=config, session=onnxruntime.InferenceSession(
                str(voice.model), sess_options=options, providers=["CPUExecutionProvider"]))
        except Exception as exc:  # onnxruntime raises its own classes for a damaged model
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise VoiceProblem(f"{voice.model}: cannot be loaded ({first[:200]})") from None
        loaded.use_tashkeel = False  # Arabic vowels are added by ArabicVowels, only when missing
        self._loaded[voice.name] = loaded
        self.load_seconds[voice.name] = time.monotonic() - started
        return loaded

    def _phonemize_once(self, voice: InstalledVoice, loaded: Any) -> None:
        """Speaks one short word: starts Piper's phonemiser (its own copy of espeak-ng) and
        checks that the model and its configuration fit together. It also warms the model, so
        the first text a resident taps is not the slowest."""
        try:
            for _chunk in loaded.synthesize("a"):
                pass
        except Exception as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise VoiceProblem(f"{voice.model}: cannot speak ({first[:200]})") from None

    def find(self, voice_id: str) -> InstalledVoice:
        name = voice_id[len(PREFIX):] if voice_id.startswith(PREFIX) else voice_id
        for voice in self.voices:
            if voice.name == name:
                return voice
        raise VoiceProblem(f"no Piper voice {name!r} in {self.folder}")

    def text_for(self, voice: Any, text: str) -> str:
        """What the phonemiser gets: Arabic without vowels gets them first."""
        if getattr(voice.config, "espeak_voice", "") == "ar":
            return self.arabic(text)
        return text

    def synthesize(self, text: str, voice_id: str, rate: int, wav: Path,
                   progress: Callable[[], None] = lambda: None) -> list[WordTiming]:
        from piper import SynthesisConfig

        voice = self.load(self.find(voice_id))
        base = voice.config.length_scale or 1.0
        config = SynthesisConfig(length_scale=base * RATES["normal"] / max(rate, 1))
        sample_rate = int(voice.config.sample_rate)
        pause = b"\0\0" * (sample_rate * SENTENCE_PAUSE_MS // 1000)
        sentences: list[Sentence] = []
        written = 0
        with wave.open(str(wav), "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(sample_rate)
            for chunk in voice.synthesize(self.text_for(voice, text), syn_config=config,
                                          include_alignments=True):
                audio = chunk.audio_int16_bytes
                if sentences:
                    out.writeframes(pause)
                out.writeframes(audio)
                written += len(audio)
                aligned = ([(a.phoneme, int(a.num_samples)) for a in chunk.phoneme_alignments]
                           if chunk.phoneme_alignments else None)
                sentences.append(Sentence(chunk.phonemes, aligned, len(audio) // 2))
                progress()
        if not written:
            raise RuntimeError("the Piper voice made no sound")
        return words_from_sentences(text, sentences, sample_rate, len(pause) // 2)


# -- installing a voice ---------------------------------------------------------------------


def copy_voice(model: Path, folder: Path) -> InstalledVoice:
    """Copies a voice (model and configuration) into ``folder``. When the ``onnx`` package is
    present, the copy also reports phoneme alignments, for exact word highlighting."""
    import shutil

    voice = read_voice(model)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / model.name
    shutil.copyfile(voice.config, folder / voice.config.name)
    if not _copy_with_alignments(model, target):
        shutil.copyfile(model, target)
    return read_voice(target)


def _copy_with_alignments(model: Path, target: Path) -> bool:
    try:
        import onnx
        from piper.patch_voice_with_alignment import add_alignment_output
    except ImportError:
        return False
    try:
        graph = onnx.load(str(model))
        add_alignment_output(graph)
    except ValueError:  # already reports them, or has no such output: copied as it is
        return False
    except Exception as exc:
        raise VoiceProblem(f"{model}: not a voice model ({str(exc)[:200]})") from None
    onnx.save(graph, str(target))
    return True
