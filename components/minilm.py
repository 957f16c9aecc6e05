"""A small encoder for the all-MiniLM-L6-v2 sentence-embedding model, whose
weights ship inside a Python package.

Why not sentence-transformers? It pulls in PyTorch (gigabytes), and nothing
may be downloaded at run time. The model is a 6-layer BERT: WordPiece
tokenising is done here, and the encoder runs on ONNX Runtime from a graph
built from the package's weights (components/bert_graph.py).
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
from safetensors.numpy import load_file

from components.bert_graph import ATTENTION_MASK, HIDDEN, INPUT_IDS, MIDDLE, POSITION_IDS, bert_encoder_graph

DEFAULT_MODEL_PATH = ".venv/pacewise/all-MiniLM-L6-v2"
MAX_WORDPIECES = 256  # long messages are truncated; patients' questions are short
# A message and its sentences run packed in one row up to this many word pieces in all; beyond it the
# attention over the whole row (mostly masked) would cost more than a second run saves.
MAX_PACKED_WORDPIECES = 160
THREADS_VARIABLE = "PACEWISE_ENCODER_THREADS"


class MessageVectors(NamedTuple):
    """What one encoder run gives for a message."""

    words: np.ndarray  # one vector per given word (the mean of its word pieces), last layer
    sentence: np.ndarray  # the model's sentence embedding: last layer, mean-pooled, normalised
    inner_layers: np.ndarray  # one row per inner layer (1 to 5 of 6): its output, mean-pooled, normalised


# In ASCII text: runs of letters and digits, or one punctuation mark (BERT counts every printable
# non-alphanumeric character, "_" included, as punctuation); spaces and control characters go.
_ASCII_WORD_OR_PUNCTUATION = re.compile(r"[a-z0-9]+|[!-/:-@\[-`{-~]")
_ASCII_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")  # removed inside a word: the general path handles them


def _is_punctuation(char: str) -> bool:
    code = ord(char)
    if 33 <= code <= 47 or 58 <= code <= 64 or 91 <= code <= 96 or 123 <= code <= 126:
        return True
    return unicodedata.category(char).startswith("P")


def encoder_threads() -> int:
    """Threads one encoder run may use: PACEWISE_ENCODER_THREADS, else up to two cores.

    Two threads take a patient's message through the encoder about a third faster
    (18 -> 12 ms p50 for a held-out message and its sentences on these 2 cores).
    Under load nothing is lost: the threads sleep when idle (no spinning), and the
    calling thread does the whole run itself when the other core is busy.
    """
    configured = os.environ.get(THREADS_VARIABLE, "").strip()
    if configured.isdigit() and int(configured) > 0:
        return int(configured)
    return min(2, os.cpu_count() or 1)


def _session_options(threads: int) -> Any:
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.log_severity_level = 3  # warnings about unused constants are noise here
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    # Threads that sleep when idle. By default ONNX Runtime keeps its threads spinning
    # after each run: under load that burnt 20 ms of CPU a message, about half the
    # Rasa server's, for no gain.
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return options


class WordPieceTokenizer:
    """BERT's uncased tokenizer: lower-case, strip accents, split punctuation, WordPiece."""

    def __init__(self, vocab_file: Path) -> None:
        tokens = vocab_file.read_text(encoding="utf-8").splitlines()
        self.vocab = {token: index for index, token in enumerate(tokens)}
        self.unk_id = self.vocab["[UNK]"]
        self.cls_id = self.vocab["[CLS]"]
        self.sep_id = self.vocab["[SEP]"]

    def basic_words(self, text: str) -> list[str]:
        if text.isascii() and not _ASCII_CONTROL.search(text):
            # The common case, several times faster; the same words as the general path below.
            return _ASCII_WORD_OR_PUNCTUATION.findall(text.lower())
        return self.basic_words_any(text)

    @staticmethod
    def basic_words_any(text: str) -> list[str]:
        """basic_words for any text: accents stripped, control characters dropped, CJK split."""
        text = unicodedata.normalize("NFD", text.lower())
        text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
        words: list[str] = []
        for chunk in text.split():
            current = ""
            for char in chunk:
                if unicodedata.category(char) in ("Cc", "Cf"):
                    continue
                if _is_punctuation(char) or 0x4E00 <= ord(char) <= 0x9FFF:
                    if current:
                        words.append(current)
                    words.append(char)
                    current = ""
                else:
                    current += char
            if current:
                words.append(current)
        return words

    def word_ids(self, word: str) -> list[int]:
        if len(word) > 100:
            return [self.unk_id]
        ids, start = [], 0
        while start < len(word):
            end = len(word)
            while end > start:
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                if piece in self.vocab:
                    ids.append(self.vocab[piece])
                    break
                end -= 1
            else:
                return [self.unk_id]
            start = end
        return ids


class MiniLMEncoder:
    """The 6-layer BERT encoder, run by ONNX Runtime (components/bert_graph.py).

    A short message takes a few milliseconds. Several texts (the sentences
    of a long message, the safety descriptions, a training set) run as
    padded batches.
    """

    def __init__(self, model_dir: Path) -> None:
        import onnxruntime

        config = json.loads((model_dir / "config.json").read_text())
        self.dimension = config["hidden_size"]
        self.layers = config["num_hidden_layers"]
        self.tokenizer = WordPieceTokenizer(model_dir / "vocab.txt")
        graph = bert_encoder_graph(
            load_file(str(model_dir / "model.safetensors")),
            heads=config["num_attention_heads"],
            layers=config["num_hidden_layers"],
            hidden_size=self.dimension,
        )
        self._session = onnxruntime.InferenceSession(graph, _session_options(encoder_threads()), providers=["CPUExecutionProvider"])

    def _run(self, batch: list[list[int]]) -> list[tuple[np.ndarray, np.ndarray]]:
        """Contextual vectors (last layer, inner layers side by side) for each sequence of word-piece ids ([CLS] and
        [SEP] included), one padded row each."""
        longest = max(len(ids) for ids in batch)
        ids = np.zeros((len(batch), longest), dtype=np.int64)
        mask = np.zeros((len(batch), longest, longest), dtype=np.int32)
        for row, sequence in enumerate(batch):
            ids[row, : len(sequence)] = sequence
            mask[row, :, : len(sequence)] = 1
        positions = np.broadcast_to(np.arange(longest, dtype=np.int64), ids.shape)
        vectors, inner = self._session.run([HIDDEN, MIDDLE], {INPUT_IDS: ids, POSITION_IDS: positions, ATTENTION_MASK: mask})
        return [(vectors[row, : len(sequence)], inner[row, : len(sequence)]) for row, sequence in enumerate(batch)]

    def _run_packed(self, sequences: list[list[int]]) -> list[tuple[np.ndarray, np.ndarray]]:
        """As _run, the sequences one after another in a single row, each attending only to itself.

        One run costs the encoder's weights one pass through memory, whatever it holds: a
        message and its sentences packed take about 2.5 ms less than two runs (held-out
        messages, these 2 cores), with the same vectors.
        """
        total = sum(len(sequence) for sequence in sequences)
        ids = np.zeros((1, total), dtype=np.int64)
        positions = np.zeros((1, total), dtype=np.int64)
        mask = np.zeros((1, total, total), dtype=np.int32)
        spans, start = [], 0
        for sequence in sequences:
            end = start + len(sequence)
            ids[0, start:end] = sequence
            positions[0, start:end] = np.arange(len(sequence))
            mask[0, start:end, start:end] = 1
            spans.append((start, end))
            start = end
        vectors, inner = self._session.run([HIDDEN, MIDDLE], {INPUT_IDS: ids, POSITION_IDS: positions, ATTENTION_MASK: mask})
        return [(vectors[0, a:b], inner[0, a:b]) for a, b in spans]

    def _word_pieces(self, word: str) -> list[int]:
        pieces = [piece for part in self.tokenizer.basic_words(word) for piece in self.tokenizer.word_ids(part)]
        return pieces or [self.tokenizer.unk_id]

    def _with_specials(self, pieces: list[int]) -> list[int]:
        return [self.tokenizer.cls_id, *pieces[: MAX_WORDPIECES - 2], self.tokenizer.sep_id]

    def _text_pieces(self, text: str) -> list[int]:
        """A text's word pieces, [CLS] and [SEP] included."""
        return self._with_specials([piece for word in self.tokenizer.basic_words(text) for piece in self.tokenizer.word_ids(word)])

    @staticmethod
    def _sentence_vector(vectors: np.ndarray) -> np.ndarray:
        sentence = vectors.mean(0)
        return (sentence / (np.linalg.norm(sentence) or 1.0)).astype(np.float32)

    def _inner_layer_vectors(self, inner: np.ndarray) -> np.ndarray:
        """Each inner layer's output (side by side in `inner`, one row per word piece), pooled as the sentence vector is."""
        return np.stack([self._sentence_vector(layer) for layer in np.split(inner, inner.shape[1] // self.dimension, axis=1)])

    def _pieces_and_spans(self, words: list[str]) -> tuple[list[int], list[tuple[int, int]]]:
        """The message's word pieces ([CLS] and [SEP] included) and where each word's pieces are."""
        flat: list[int] = []
        spans: list[tuple[int, int]] = []
        for word in words:
            start = len(flat) + 1
            room = MAX_WORDPIECES - 2 - len(flat)
            flat.extend(self._word_pieces(word)[: max(room, 0)])
            spans.append((start, max(start, len(flat) + 1)))
        return self._with_specials(flat), spans

    def _message_vectors(self, run: tuple[np.ndarray, np.ndarray], spans: list[tuple[int, int]]) -> MessageVectors:
        vectors, inner = run
        word_vectors = np.stack([vectors[a:b].mean(0) if b > a else vectors[0] for a, b in spans]) if spans else np.zeros((0, self.dimension))
        return MessageVectors(word_vectors.astype(np.float32), self._sentence_vector(vectors), self._inner_layer_vectors(inner))

    def encode_words(self, words: list[str]) -> MessageVectors:
        """One vector per given word (the mean of its word pieces), one for the sentence, and one per inner layer.

        The sentence vector is the model's mean-pooled, normalised sentence
        embedding; words are whatever the NLU tokenizer produced.
        """
        sequence, spans = self._pieces_and_spans(words)
        (run,) = self._run([sequence])
        return self._message_vectors(run, spans)

    def encode_words_and_texts(self, words: list[str], texts: list[str]) -> tuple[MessageVectors, np.ndarray]:
        """encode_words, and encode_many of `texts` (a message's sentences), in one run when they are short enough."""
        sequence, spans = self._pieces_and_spans(words)
        others = [self._text_pieces(text) for text in texts]
        if others and len(sequence) + sum(len(other) for other in others) <= MAX_PACKED_WORDPIECES:
            run, *text_runs = self._run_packed([sequence, *others])
            return self._message_vectors(run, spans), np.stack([self._sentence_vector(vectors) for vectors, _ in text_runs])
        return self.encode_words(words), self.encode_many(texts)

    def encode_words_many(self, messages: list[list[str]], batch_size: int = 16) -> list[MessageVectors]:
        """encode_words for many messages at once, in padded batches of similar lengths (training sets, reports)."""
        prepared = [self._pieces_and_spans(words) for words in messages]
        results: dict[int, MessageVectors] = {}
        for chunk in self._batches_by_length([sequence for sequence, _ in prepared], batch_size):
            for index, run in zip(chunk, self._run([prepared[i][0] for i in chunk]), strict=True):
                results[index] = self._message_vectors(run, prepared[index][1])
        return [results[index] for index in range(len(messages))]

    @staticmethod
    def _batches_by_length(sequences: list[list[int]], batch_size: int) -> list[list[int]]:
        """Indices in batches of similar lengths, so little of each batch is padding."""
        order = sorted(range(len(sequences)), key=lambda index: len(sequences[index]))
        return [order[start : start + batch_size] for start in range(0, len(order), batch_size)]

    def encode_many(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        """Normalised sentence embeddings of several texts, one row each."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        sequences = [self._text_pieces(text) for text in texts]
        rows: list[np.ndarray] = [np.zeros(0)] * len(texts)
        for chunk in self._batches_by_length(sequences, batch_size):
            for index, (vectors, _) in zip(chunk, self._run([sequences[i] for i in chunk]), strict=True):
                rows[index] = self._sentence_vector(vectors)
        return np.stack(rows)

    def encode(self, text: str) -> np.ndarray:
        return self.encode_many([text])[0]


@lru_cache(maxsize=2)
def shared_encoder(model_dir: str = DEFAULT_MODEL_PATH) -> MiniLMEncoder:
    """One encoder per model folder and process: the featurizer and the safety check share it."""
    path = Path(model_dir)
    if not (path / "model.safetensors").exists():
        raise FileNotFoundError(f"The sentence model is missing at {path}: run `make setup` to install it.")
    return MiniLMEncoder(path)
