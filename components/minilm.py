"""A small, dependency-free (NumPy only) encoder for the all-MiniLM-L6-v2
sentence-embedding model, whose weights ship inside a Python package.

Why not sentence-transformers? It pulls in PyTorch (gigabytes), and nothing
may be downloaded at run time. The model is a 6-layer BERT: tokenising with
WordPiece and running the encoder in NumPy takes a few milliseconds for a
patient's message.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import numpy as np
from safetensors.numpy import load_file

MAX_WORDPIECES = 256  # long messages are truncated; patients' questions are short


def _is_punctuation(char: str) -> bool:
    code = ord(char)
    if 33 <= code <= 47 or 58 <= code <= 64 or 91 <= code <= 96 or 123 <= code <= 126:
        return True
    return unicodedata.category(char).startswith("P")


class WordPieceTokenizer:
    """BERT's uncased tokenizer: lower-case, strip accents, split punctuation, WordPiece."""

    def __init__(self, vocab_file: Path) -> None:
        tokens = vocab_file.read_text(encoding="utf-8").splitlines()
        self.vocab = {token: index for index, token in enumerate(tokens)}
        self.unk_id = self.vocab["[UNK]"]
        self.cls_id = self.vocab["[CLS]"]
        self.sep_id = self.vocab["[SEP]"]

    def basic_words(self, text: str) -> list[str]:
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


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float = 1e-12) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * weight + bias


def _gelu(x: np.ndarray) -> np.ndarray:
    return 0.5 * x * (1.0 + np.tanh(0.7978845608028654 * (x + 0.044715 * x**3)))


class MiniLMEncoder:
    def __init__(self, model_dir: Path) -> None:
        config = json.loads((model_dir / "config.json").read_text())
        self.heads = config["num_attention_heads"]
        self.layers = config["num_hidden_layers"]
        self.weights = load_file(str(model_dir / "model.safetensors"))
        self.tokenizer = WordPieceTokenizer(model_dir / "vocab.txt")
        self.dimension = config["hidden_size"]

    def _w(self, name: str) -> np.ndarray:
        return self.weights[name]

    def _encode_ids(self, ids: list[int]) -> np.ndarray:
        """Contextual vectors for each word piece (including [CLS] and [SEP])."""
        w = self._w
        positions = np.arange(len(ids))
        x = w("embeddings.word_embeddings.weight")[ids] + w("embeddings.position_embeddings.weight")[positions]
        x = x + w("embeddings.token_type_embeddings.weight")[0]
        x = _layer_norm(x, w("embeddings.LayerNorm.weight"), w("embeddings.LayerNorm.bias"))
        size = x.shape[1] // self.heads
        for layer in range(self.layers):
            p = f"encoder.layer.{layer}."

            def dense(v: np.ndarray, name: str, p: str = p) -> np.ndarray:
                return v @ w(p + name + ".weight").T + w(p + name + ".bias")

            q = dense(x, "attention.self.query").reshape(-1, self.heads, size).transpose(1, 0, 2)
            k = dense(x, "attention.self.key").reshape(-1, self.heads, size).transpose(1, 0, 2)
            v = dense(x, "attention.self.value").reshape(-1, self.heads, size).transpose(1, 0, 2)
            scores = q @ k.transpose(0, 2, 1) / np.sqrt(size)
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            attention = (scores / scores.sum(-1, keepdims=True)) @ v
            attention = attention.transpose(1, 0, 2).reshape(len(ids), -1)
            x = _layer_norm(
                x + dense(attention, "attention.output.dense"), w(p + "attention.output.LayerNorm.weight"), w(p + "attention.output.LayerNorm.bias")
            )
            hidden = _gelu(dense(x, "intermediate.dense"))
            x = _layer_norm(x + dense(hidden, "output.dense"), w(p + "output.LayerNorm.weight"), w(p + "output.LayerNorm.bias"))
        return x

    def _word_pieces(self, word: str) -> list[int]:
        pieces = [piece for part in self.tokenizer.basic_words(word) for piece in self.tokenizer.word_ids(part)]
        return pieces or [self.tokenizer.unk_id]

    def encode_words(self, words: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """One vector per given word (the mean of its word pieces) and one for the sentence.

        The sentence vector is the model's mean-pooled, normalised sentence
        embedding; words are whatever the NLU tokenizer produced.
        """
        pieces_per_word = [self._word_pieces(word) for word in words]
        flat: list[int] = []
        spans: list[tuple[int, int]] = []
        for pieces in pieces_per_word:
            start = len(flat) + 1
            room = MAX_WORDPIECES - 2 - len(flat)
            flat.extend(pieces[: max(room, 0)])
            spans.append((start, max(start, len(flat) + 1)))
        vectors = self._encode_ids([self.tokenizer.cls_id, *flat, self.tokenizer.sep_id])
        word_vectors = np.stack([vectors[a:b].mean(0) if b > a else vectors[0] for a, b in spans]) if words else np.zeros((0, self.dimension))
        sentence = vectors.mean(0)
        sentence = sentence / (np.linalg.norm(sentence) or 1.0)
        return word_vectors.astype(np.float32), sentence.astype(np.float32)

    def encode(self, text: str) -> np.ndarray:
        return self.encode_words(self.tokenizer.basic_words(text))[1]
