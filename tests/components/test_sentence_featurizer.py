"""The offline sentence-embedding model and the NLU featurizer built on it."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components.minilm import MAX_PACKED_WORDPIECES, THREADS_VARIABLE, MiniLMEncoder, WordPieceTokenizer, encoder_threads
from components.safety.meaning import sentence_units
from components.sentence_featurizer import DEFAULT_MODEL_PATH, MIDDLE_LAYER_VECTOR, SENTENCE_VECTORS, SentenceEmbeddingFeaturizer
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


def test_encoder_gives_the_reference_vectors(encoder):
    """The ONNX Runtime graph computes the model faithfully: the same vectors as the reference run."""
    reference = json.loads((Path(__file__).parent / "minilm_reference.json").read_text())

    vectors = encoder.encode_many(reference["texts"])

    assert np.abs(vectors - np.array(reference["vectors"])).max() < 1e-4


def test_one_thread_or_two_give_the_same_vectors(encoder, monkeypatch):
    """Serving runs the encoder on two threads where there are two cores: the vectors must not depend on it."""
    monkeypatch.setenv(THREADS_VARIABLE, "1")
    single = MiniLMEncoder(MODEL_DIR)
    texts = ["my lower back has been bad for years, is walking going to wear it out?", "ok"]

    assert np.abs(single.encode_many(texts) - encoder.encode_many(texts)).max() < 1e-5


@pytest.mark.parametrize(("setting", "expected"), [("1", 1), ("3", 3), ("", None), ("0", None), ("two", None), ("-2", None)])
def test_encoder_threads_come_from_the_environment_or_default_to_two_cores(monkeypatch, setting, expected):
    monkeypatch.setenv(THREADS_VARIABLE, setting)
    monkeypatch.setattr("os.cpu_count", lambda: 8)

    assert encoder_threads() == (expected or 2)


def test_padding_in_a_batch_does_not_change_a_vector(encoder):
    texts = ["ok", "why does my back still hurt years after the injury healed", "pacing tips please"]

    together = encoder.encode_many(texts)
    alone = np.stack([encoder.encode(text) for text in texts])

    assert np.abs(together - alone).max() < 1e-5


def test_a_training_set_encoded_at_once_gets_the_vectors_of_one_message_at_a_time(encoder):
    """Training featurises in padded batches: the model must see the same vectors as when serving."""
    messages = [
        ["ok"],
        ["why", "does", "my", "back", "still", "hurt", "years", "after", "the", "injury", "healed"],
        ["pacing", "tips", "please", "!"],
        [],
        ["my", "sciatia", "is", "back", "again", "and", "the", "physio", "said", "walk", "more"] * 3,
    ]

    together = encoder.encode_words_many(messages, batch_size=2)

    for words, (word_vectors, sentence, middle) in zip(messages, together, strict=True):
        alone_words, alone_sentence, alone_middle = encoder.encode_words(words)
        assert word_vectors.shape == (len(words), 384)
        assert np.abs(word_vectors - alone_words).max(initial=0) < 1e-5
        assert np.abs(sentence - alone_sentence).max() < 1e-5
        assert np.abs(middle - alone_middle).max() < 1e-5


STORY = (
    "Dear doctor, I'm 58 and my hips have been bad for years. My daughter says walking will wear them out! "
    "Is she right? I also get a funny tingling down there when I sit"
)


@pytest.mark.parametrize("repeat", [1, 4], ids=["packed in one run", "too long to pack"])
def test_a_message_and_its_sentences_encoded_together_get_the_vectors_of_separate_runs(encoder, repeat):
    """The safety check's sentence vectors come from the featurizer's run: they must be those it would compute itself."""
    text = " ".join([STORY] * repeat)
    words = text.split()
    units = [unit for unit in sentence_units(text) if unit != text]
    assert (len(words) * 2 > MAX_PACKED_WORDPIECES) == (repeat > 1)  # both paths are exercised

    (word_vectors, sentence, middle), unit_vectors = encoder.encode_words_and_texts(words, units)

    alone_words, alone_sentence, alone_middle = encoder.encode_words(words)
    assert np.abs(word_vectors - alone_words).max() < 1e-5
    assert np.abs(sentence - alone_sentence).max() < 1e-5
    assert np.abs(middle - alone_middle).max() < 1e-5
    assert np.abs(unit_vectors - encoder.encode_many(units)).max() < 1e-5


def test_a_message_of_one_sentence_is_encoded_once(encoder):
    (word_vectors, sentence, _), unit_vectors = encoder.encode_words_and_texts(["why", "does", "it", "still", "hurt"], [])

    assert word_vectors.shape == (5, 384)
    assert unit_vectors.shape == (0, 384)
    assert np.abs(sentence - encoder.encode_words(["why", "does", "it", "still", "hurt"]).sentence).max() < 1e-5


def test_featurizer_hands_each_sentence_to_the_safety_screen_and_never_to_the_parse_output(encoder):
    featurizer = SentenceEmbeddingFeaturizer({**SentenceEmbeddingFeaturizer.get_default_config(), "model_path": str(MODEL_DIR)}, "test")
    message = Message(data={"text": STORY})
    message.set(TOKENS_NAMES["text"], [Token(word, 0) for word in STORY.split()])

    featurizer.process([message])

    handed = message.get(SENTENCE_VECTORS)
    assert list(handed) == [unit for unit in sentence_units(STORY) if unit != STORY]
    assert "I also get a funny tingling down there when I sit" in handed
    for unit, vector in handed.items():
        assert np.abs(vector - encoder.encode(unit)).max() < 1e-5
    assert SENTENCE_VECTORS not in message.as_dict(only_output_properties=True)


def test_featurizer_training_set_features_match_serving_features():
    featurizer = SentenceEmbeddingFeaturizer({**SentenceEmbeddingFeaturizer.get_default_config(), "model_path": str(MODEL_DIR)}, "test")
    texts = ["is it safe to walk with a bulging disc", "flare again", "my physio says hurt doesn't mean harm, is that true?"]

    def tokenised(text: str) -> Message:
        message = Message(data={"text": text})
        message.set(TOKENS_NAMES["text"], [Token(word, 0) for word in text.split()])
        return message

    trained = [tokenised(text) for text in texts]
    featurizer.process_training_data(TrainingData(training_examples=trained))
    served = featurizer.process([tokenised(text) for text in texts])

    for a, b in zip(trained, served, strict=True):
        for feature_a, feature_b in zip(a.get_dense_features("text"), b.get_dense_features("text"), strict=True):
            assert np.abs(feature_a.features - feature_b.features).max() < 1e-5
        assert np.abs(a.get(MIDDLE_LAYER_VECTOR) - b.get(MIDDLE_LAYER_VECTOR)).max() < 1e-5


def _featurised_story(**config: object) -> Message:
    featurizer = SentenceEmbeddingFeaturizer({**SentenceEmbeddingFeaturizer.get_default_config(), "model_path": str(MODEL_DIR), **config}, "test")
    message = Message(data={"text": STORY})
    message.set(TOKENS_NAMES["text"], [Token(word, 0) for word in STORY.split()])
    featurizer.process([message])
    return message


def test_the_classifier_gets_a_middle_layer_vector_apart_from_the_sentence_embedding_and_not_in_the_parse_output():
    message = _featurised_story()

    middle = message.get(MIDDLE_LAYER_VECTOR)
    _, sentence = message.get_dense_features("text")
    assert middle.shape == (384,) and abs(np.linalg.norm(middle) - 1) < 1e-5
    assert float(middle @ sentence.features.reshape(-1)) < 0.99  # another layer, not a copy of the sentence embedding
    assert MIDDLE_LAYER_VECTOR not in message.as_dict(only_output_properties=True)


def test_the_configured_inner_layers_go_to_the_classifier_side_by_side_each_normalised():
    """config.yml's middle_layers: layer 4 alone is the default (models trained before the setting), [2, 3] gives both."""
    layer_4 = _featurised_story().get(MIDDLE_LAYER_VECTOR)
    layers_2_3_4 = _featurised_story(middle_layers=[2, 3, 4]).get(MIDDLE_LAYER_VECTOR)

    assert layers_2_3_4.shape == (3 * 384,)
    assert [round(float(np.linalg.norm(block)), 5) for block in layers_2_3_4.reshape(3, 384)] == [1.0, 1.0, 1.0]
    assert np.abs(layers_2_3_4[768:] - layer_4).max() < 1e-6
    assert float(layers_2_3_4[:384] @ layers_2_3_4[384:768]) < 0.99  # layers 2 and 3 differ


@pytest.mark.parametrize("layers", [[], [0], [6], [7], "3", [2.5], [True], None])
def test_a_wrong_middle_layers_setting_stops_with_a_plain_message(layers):
    with pytest.raises(ValueError, match=r"middle_layers must list layers of the sentence model between 1 and 5"):
        SentenceEmbeddingFeaturizer({**SentenceEmbeddingFeaturizer.get_default_config(), "model_path": str(MODEL_DIR), "middle_layers": layers}, "test")


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


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=80))
def test_fast_ascii_path_splits_words_exactly_as_bert_does(text):
    tokenizer = _tokenizer()
    assert tokenizer.basic_words(text) == tokenizer.basic_words_any(text)


@lru_cache(maxsize=1)
def _tokenizer() -> WordPieceTokenizer:
    return WordPieceTokenizer(MODEL_DIR / "vocab.txt")


def test_a_training_example_is_fingerprinted_from_its_vectors_bytes_not_their_printout():
    """Rasa fingerprints each training example after every component; the vector's own fingerprint, from its bytes, is exact."""
    featurizer = SentenceEmbeddingFeaturizer({**SentenceEmbeddingFeaturizer.get_default_config(), "model_path": str(MODEL_DIR)}, "test")

    def example(text: str) -> Message:
        message = Message(data={"text": text, "intent": "ask_flare_ups"})
        message.set(TOKENS_NAMES["text"], [Token(word, 0) for word in text.split()])
        return message

    messages = [example("my back has gone again"), example("my knee has gone again")]
    featurizer.process_training_data(TrainingData(training_examples=messages))
    rebuilt = Message(data=dict(messages[0].data), features=list(messages[0].features))
    assert rebuilt.fingerprint() == messages[0].fingerprint() != messages[1].fingerprint()

    vector = messages[0].get(MIDDLE_LAYER_VECTOR)
    nudged = vector.copy()
    nudged[0] = np.nextafter(nudged[0], np.float32(1))  # the smallest change a float32 can take
    assert nudged.fingerprint() != vector.fingerprint() and vector.copy().fingerprint() == vector.fingerprint()
