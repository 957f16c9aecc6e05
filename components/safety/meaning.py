"""A meaning-based safety check, beside the rules: is any sentence of the
message close in meaning to a clinician-written description of a red flag or
of despair (content/safety/descriptions.yml)?

Rules catch the phrasings somebody wrote a rule for; this catches the others
("my undercarriage has gone all fizzy", "I've picked a date"). Each sentence
of a long message, and each clause of a long sentence, is compared on its
own, so a warning sign buried in a story about pacing is not diluted by it.
A sentence escalates when it is at least `threshold` similar to a description
and clearly closer to it than to every harmless look-alike in the file's
`avoid` list ("this pain is killing me", "no numbness down there").
Every decision names the description that matched, so it can be reviewed.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from pacewise.content.safety_descriptions import Description, DescriptionsError, load_descriptions

# Sentence ends, and a few words that start a new clause in run-on messages.
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+|\n+|\s+-\s+")
_CLAUSE_BREAK = re.compile(r",?\s+\b(?:but|although|though|and then|and now|plus|also|except)\b\s+|,\s+(?:and|so|which|then)\s+", re.IGNORECASE)
LONG_SENTENCE_WORDS = 14
MIN_UNIT_WORDS = 3

logger = logging.getLogger(__name__)

Encode = Callable[[list[str]], np.ndarray]


@dataclass(frozen=True)
class MeaningMatch:
    category: str
    sign: str
    urgency: str
    similarity: float
    description: str
    sentence: str

    @property
    def rule(self) -> str:
        """A name for the safety event log, like the rules' names."""
        return f"meaning:{self.sign}"


def sentence_units(text: str) -> list[str]:
    """The sentences of a message, long sentences also split into clauses."""
    units: list[str] = []
    for sentence in _SENTENCE_END.split(text or ""):
        sentence = sentence.strip()
        if not sentence:
            continue
        units.append(sentence)
        if len(sentence.split()) > LONG_SENTENCE_WORDS:
            clauses = [clause.strip() for clause in _CLAUSE_BREAK.split(sentence) if clause and clause.strip()]
            if len(clauses) > 1:
                units.extend(clauses)
    return [unit for unit in dict.fromkeys(units) if len(unit.split()) >= MIN_UNIT_WORDS]


class MeaningCheck:
    """Compares each sentence of a message with the descriptions, by sentence embedding."""

    def __init__(self, descriptions: list[Description], avoid: list[str], encode: Encode, margin: float) -> None:
        self.descriptions = descriptions
        self.margin = margin
        self._encode = encode
        self._description_vectors = encode([d.text for d in descriptions])
        self._avoid_vectors = encode(avoid) if avoid else np.zeros((0, self._description_vectors.shape[1]), dtype=np.float32)

    def nearest(self, text: str, known: dict[str, np.ndarray] | None = None) -> dict[str, MeaningMatch]:
        """Per category, the sentence closest to one of its descriptions.

        `known` maps texts already embedded (the whole message and its
        sentences, by the featurizer) to their vectors, so no sentence is
        embedded twice.

        A sentence counts only if it is at least `margin` closer to the
        description than to every harmless look-alike in the avoid list.
        The caller decides how close is close enough.
        """
        units = sentence_units(text)
        if not units:
            return {}
        known = known or {}
        missing = [unit for unit in units if unit not in known]
        encoded = dict(zip(missing, self._encode(missing), strict=True)) if missing else {}
        vectors = np.stack([known[unit] if unit in known else encoded[unit] for unit in units])
        similarity = _cosines(vectors, self._description_vectors)
        harmless = _cosines(vectors, self._avoid_vectors).max(axis=1) if len(self._avoid_vectors) else np.full(len(units), -1.0)
        best: dict[str, MeaningMatch] = {}
        for row, unit in enumerate(units):
            column = int(similarity[row].argmax())
            score = float(similarity[row, column])
            if score < harmless[row] + self.margin:
                continue
            description = self.descriptions[column]
            if description.category not in best or score > best[description.category].similarity:
                best[description.category] = MeaningMatch(description.category, description.sign, description.urgency, round(score, 4), description.text, unit)
        return best


def _cosines(vectors: np.ndarray, others: np.ndarray) -> np.ndarray:
    """Every pair's cosine (the vectors are normalised).

    einsum, not the @ of the BLAS: right after the encoder has run, its worker threads
    still hold both cores, and the BLAS's own threads waited for them (2 ms instead of 0.05).
    """
    return np.einsum("ik,jk->ij", vectors, others)


class LiveMeaningCheck:
    """The check for the descriptions file as it is now: a clinician's edit applies to the next message.

    A broken file at start-up stops the server (safety never runs half-loaded);
    a file broken later is logged and the last good descriptions stay in use.
    """

    def __init__(self, path: Path, encode: Encode, margin: float) -> None:
        self.path, self._encode, self.margin = path, encode, margin
        self._stamp = self._stamp_now()
        self.check = MeaningCheck(*load_descriptions(path), encode, margin)

    def _stamp_now(self) -> tuple[int, int]:
        stat = self.path.stat()
        return stat.st_mtime_ns, stat.st_size

    def nearest(self, text: str, known: dict[str, np.ndarray] | None = None) -> dict[str, MeaningMatch]:
        try:
            stamp = self._stamp_now()
            if stamp != self._stamp:
                self._stamp = stamp
                self.check = MeaningCheck(*load_descriptions(self.path), self._encode, self.margin)
                logger.info("Safety descriptions reloaded from %s", self.path)
        except (OSError, DescriptionsError) as error:
            logger.error("Keeping the previous safety descriptions: %s", error)
        return self.check.nearest(text, known)
