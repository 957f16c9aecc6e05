"""The offline sentence-embedding model and the NLU featurizer built on it."""

from __future__ import annotations

import numpy as np
import pytest
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.shared.nlu.training_data.message import Message

from components.minilm import MiniLMEncoder
from components.sentence_featurizer import DEFAULT_MODEL_PATH, SentenceEmbeddingFeaturizer
from tests.conftest import REPO_ROOT

MODEL_DIR = REPO_ROOT / DEFAULT_MODEL_PATH


@pytest.fixture(scope="module")
def encoder() -> MiniLMEncoder:
    return MiniLMEncoder(MODEL_DIR)


def test_wordpiece_tokenizer_matches_bert(encoder):
    tokenizer = encoder.tokenizer
    assert tokenizer.basic_words("Héllo, my BACK hurts!") == ["hello", ",", "my", "back", "hurts", "!"]
    pieces = [piece for word in tokenizer.basic_words("unaffable") for piece in tokenizer.word_ids(word)]
    vocab = {index: token for token, index in tokenizer.vocab.items()}
    assert [vocab[i] for i in pieces] == ["una", "##ffa", "##ble"]


def test_similar_questions_are_closer_than_unrelated_ones(encoder):
    flare = encoder.encode("my back has gone again and I can hardly move")
    flare_too = encoder.encode("I'm having a really bad spell with my lower back this week")
    weather = encoder.encode("will it rain in Manchester tomorrow")

    assert float(flare @ flare_too) > float(flare @ weather) + 0.2
    assert np.isclose(np.linalg.norm(flare), 1.0, atol=1e-5)


def test_featurizer_adds_one_vector_per_token_and_one_per_message():
    featurizer = SentenceEmbeddingFeaturizer({**SentenceEmbeddingFeaturizer.get_default_config(), "model_path": str(MODEL_DIR)}, "test")
    words = ["why", "does", "it", "still", "hurt"]
    message = Message(data={"text": " ".join(words)})
    message.set(TOKENS_NAMES["text"], [Token(word, 0) for word in words])

    featurizer.process([message])

    sequence, sentence = message.get_dense_features("text")
    assert sequence.features.shape == (5, 384)
    assert sentence.features.shape == (1, 384)


def test_missing_model_gives_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="make setup"):
        SentenceEmbeddingFeaturizer({**SentenceEmbeddingFeaturizer.get_default_config(), "model_path": str(tmp_path)}, "test")
