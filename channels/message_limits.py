"""Keep a very long message from costing everyone else, without losing a safety signal.

A message longer than MAX_CHARS is cut before the NLU sees it (the patient
is then told it was too long: pacewise/text/input_checks.py, InputIssue.TOO_LONG).
The part that is cut is still screened by the safety rules, in a worker
thread so other patients' messages go on, and any sentence that raises a red
flag or a crisis is kept, appended to what the NLU sees, so the safety screen
escalates it as usual.
"""

from __future__ import annotations

import asyncio
import re
import unicodedata

from components.safety.detector import default_detector

MAX_CHARS = 5000
_SCREEN_CHUNK_CHARS = 2000
_KEEP_AT_MOST = 3  # flagged sentences carried over from the cut part
_SENTENCE_END = re.compile(r"(?<=[.!?\n])\s+")


def without_lone_surrogates(text: str) -> str:
    """JSON may carry half of a surrogate pair ("\\ud800"), which no encoder can write back out."""
    if not any(unicodedata.category(ch) == "Cs" for ch in text):
        return text
    return "".join("\ufffd" if unicodedata.category(ch) == "Cs" else ch for ch in text)


def _flagged_sentences(text: str) -> list[str]:
    detector = default_detector()
    kept: list[str] = []
    sentences = [s for s in _SENTENCE_END.split(text) if s.strip()]
    chunk: list[str] = []

    def screen_chunk() -> None:
        if chunk and detector.screen(" ".join(chunk)).categories():
            flagged = [s for s in chunk if detector.screen(s).categories()]
            kept.extend(flagged or [" ".join(chunk)[:_SCREEN_CHUNK_CHARS]])
        chunk.clear()

    for sentence in sentences:
        for start in range(0, len(sentence), _SCREEN_CHUNK_CHARS):
            chunk.append(sentence[start : start + _SCREEN_CHUNK_CHARS])
            if sum(len(s) for s in chunk) >= _SCREEN_CHUNK_CHARS:
                screen_chunk()
            if len(kept) >= _KEEP_AT_MOST:
                return kept[:_KEEP_AT_MOST]
    screen_chunk()
    return kept[:_KEEP_AT_MOST]


def cut_keeping_safety(text: str) -> str:
    if len(text) <= MAX_CHARS:
        return text
    head, tail = text[:MAX_CHARS], text[MAX_CHARS:]
    flagged = _flagged_sentences(tail)
    return " ".join([head, *flagged]) if flagged else head


async def prepare_message(text: str) -> str:
    """The text the NLU should see: no lone surrogates, long messages cut with their safety sentences kept."""
    text = without_lone_surrogates(text)
    if len(text) <= MAX_CHARS:
        return text
    return await asyncio.to_thread(cut_keeping_safety, text)
