"""The embedding + character n-gram intent classifier."""

from __future__ import annotations

import numpy as np
import pytest
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from sklearn.linear_model import LogisticRegression

from components.intent_classifier import EmbeddingIntentClassifier
from components.sentence_featurizer import MIDDLE_LAYER_VECTOR

TEXTS = {
    "ask_pacing": ["how do i pace my chores", "boom and bust every week", "i overdo it on good days"],
    "ask_flare_ups": ["my back has flared up again", "bad spell with my neck", "what do i do in a flare"],
    "ask_medication": ["can i take ibuprofen with paracetamol", "are my tablets safe long term", "should i stop my pills"],
}


def _message(text: str, intent: str | None, vector: np.ndarray) -> Message:
    """A featurised message: `vector` as its sentence embedding, and (standing in for the middle layer's) the same reversed."""
    message = Message(data={"text": text, MIDDLE_LAYER_VECTOR: vector[::-1].copy(), **({"intent": intent} if intent else {})})
    message.features.append(Features(vector.reshape(1, -1), "sentence", "text", "test"))
    return message


def _dense(message: Message, middle_weight: float = 1.0) -> np.ndarray:
    vector = message.features[0].features.reshape(-1)
    return np.concatenate([vector, vector[::-1] * middle_weight])


def _classifier(tmp_path, **config) -> EmbeddingIntentClassifier:
    tmp_path.mkdir(parents=True, exist_ok=True)
    storage = LocalModelStorage(tmp_path)
    return EmbeddingIntentClassifier.create({**EmbeddingIntentClassifier.get_default_config(), **config}, storage, Resource("classifier"), None)


def _unit(vector: np.ndarray) -> np.ndarray:
    return (vector / np.linalg.norm(vector)).astype(np.float32)


def test_scores_are_the_trained_logistic_regressions(tmp_path):
    """Scoring the two feature blocks apart (the fast path) gives scikit-learn's own probabilities."""
    rng = np.random.default_rng(0)
    examples = [_message(text, intent, rng.normal(size=8).astype(np.float32)) for intent, texts in TEXTS.items() for text in texts]
    classifier = _classifier(tmp_path, neighbour_weight=0.0)
    classifier.train(TrainingData(examples))

    texts = [m.get("text") for m in examples]
    features = classifier._features(texts, np.stack([_dense(m) for m in examples]))
    reference = LogisticRegression(C=20.0, max_iter=5000, random_state=42).fit(features, [m.get("intent") for m in examples])
    query = _message("i keep overdoing it on the good days", None, rng.normal(size=8).astype(np.float32))

    classifier.process([query])

    expected = reference.predict_proba(classifier._features([query.get("text")], _dense(query)[None, :]))[0]
    got = {entry["name"]: entry["confidence"] for entry in query.get("intent_ranking")}
    for intent, probability in zip(reference.classes_, expected, strict=True):
        assert abs(got[intent] - probability) < 1e-4
    assert query.get("intent")["name"] == "ask_pacing"


@pytest.mark.parametrize(
    "text",
    [
        "i keep overdoing it on the good days",
        "PACE pace pace, my chores!!",
        "zzzz qqqq",  # no n-gram the classifier knows
        "Ça me fait mal au dos, désolé 😢",
        "   ",
        "flare flare flare up up up " * 40,
    ],
)
def test_the_n_gram_block_is_scored_as_scikit_learn_scores_it(tmp_path, text):
    """Scoring one message's n-grams by hand gives the sparse TF-IDF product, for the trained and the loaded model."""
    rng = np.random.default_rng(2)
    examples = [_message(t, intent, rng.normal(size=8).astype(np.float32)) for intent, texts in TEXTS.items() for t in texts]
    trained = _classifier(tmp_path, ngram_weight=1.5)
    trained.train(TrainingData(examples))
    loaded = EmbeddingIntentClassifier.load(trained.config, trained._model_storage, Resource("classifier"), None)

    for classifier in (trained, loaded):
        expected = np.asarray(classifier.vectorizer.transform([text]) @ classifier._ngram_weights) * 1.5
        assert np.abs(classifier._ngram_scores([text]) - expected).max() < 1e-9


def test_a_loaded_classifier_ranks_like_the_trained_one(tmp_path):
    rng = np.random.default_rng(1)
    examples = [_message(text, intent, rng.normal(size=8).astype(np.float32)) for intent, texts in TEXTS.items() for text in texts]
    trained = _classifier(tmp_path)
    trained.train(TrainingData(examples))
    loaded = EmbeddingIntentClassifier.load(EmbeddingIntentClassifier.get_default_config(), trained._model_storage, Resource("classifier"), None)
    vector = rng.normal(size=8).astype(np.float32)

    first, second = _message("can i mix ibuprofen and paracetamol", None, vector), _message("can i mix ibuprofen and paracetamol", None, vector)
    trained.process([first])
    loaded.process([second])

    assert first.get("intent_ranking") == second.get("intent_ranking")


def test_a_message_close_in_meaning_to_examples_of_one_topic_leans_to_it(tmp_path):
    """The nearest-example vote: the linear model's probabilities, moved towards the topic of the closest examples."""
    rng = np.random.default_rng(2)
    examples = [_message(text, intent, _unit(rng.normal(size=8))) for intent, texts in TEXTS.items() for text in texts]
    without_vote, with_vote = _classifier(tmp_path / "a", neighbour_weight=0.0), _classifier(tmp_path / "b", neighbour_weight=0.4, neighbours=3)
    without_vote.train(TrainingData(examples))
    with_vote.train(TrainingData(examples))
    # Worded like a medication example, but in meaning (the vector) next to a flare-up one.
    flare_vector = examples[3].features[0].features.reshape(-1)
    near_flare = _unit(flare_vector + 0.05 * rng.normal(size=8))

    plain, blended = _message("should i stop my tablets", None, near_flare), _message("should i stop my tablets", None, near_flare)
    without_vote.process([plain])
    with_vote.process([blended])

    def confidence(message: Message, intent: str) -> float:
        return next(entry["confidence"] for entry in message.get("intent_ranking") if entry["name"] == intent)

    assert confidence(blended, "ask_flare_ups") > confidence(plain, "ask_flare_ups") + 0.1
    assert abs(sum(entry["confidence"] for entry in blended.get("intent_ranking")) - 1.0) < 1e-6


def test_the_vote_never_dilutes_a_warning_sign_or_crisis_intent(tmp_path):
    """Safety intents keep the linear model's probability, whatever the nearest examples say."""
    rng = np.random.default_rng(3)
    texts = {**TEXTS, "ask_crisis_support": ["i can't go on like this", "i want it all to end", "no point in anything"]}
    examples = [_message(text, intent, _unit(rng.normal(size=8))) for intent, group in texts.items() for text in group]
    without_vote, with_vote = _classifier(tmp_path / "a", neighbour_weight=0.0), _classifier(tmp_path / "b", neighbour_weight=0.9, neighbours=3)
    without_vote.train(TrainingData(examples))
    with_vote.train(TrainingData(examples))
    # In meaning right on top of a medication example.
    near_medication = _unit(examples[6].features[0].features.reshape(-1) + 0.01 * rng.normal(size=8))

    plain, blended = _message("no point in my tablets", None, near_medication), _message("no point in my tablets", None, near_medication)
    without_vote.process([plain])
    with_vote.process([blended])

    def confidence(message: Message, intent: str) -> float:
        return next(entry["confidence"] for entry in message.get("intent_ranking") if entry["name"] == intent)

    assert confidence(blended, "ask_crisis_support") == pytest.approx(confidence(plain, "ask_crisis_support"), abs=1e-6)
    assert confidence(blended, "ask_medication") > confidence(plain, "ask_medication")
    assert sum(entry["confidence"] for entry in blended.get("intent_ranking")) == pytest.approx(1.0, abs=1e-6)


def test_a_model_trained_without_the_middle_layer_keeps_classifying_after_loading(tmp_path):
    """A model from before the middle layer (none in its settings) loads under today's config and ranks as it did."""
    rng = np.random.default_rng(5)
    examples = [_message(text, intent, _unit(rng.normal(size=8))) for intent, texts in TEXTS.items() for text in texts]
    trained = _classifier(tmp_path, middle_layer_weight=0.0)
    trained.train(TrainingData(examples))
    loaded = EmbeddingIntentClassifier.load(EmbeddingIntentClassifier.get_default_config(), trained._model_storage, Resource("classifier"), None)
    vector = _unit(rng.normal(size=8))
    first, second = _message("should i stop my pills", None, vector), _message("should i stop my pills", None, vector)

    trained.process([first])
    loaded.process([second])

    assert [entry["name"] for entry in first.get("intent_ranking")] == [entry["name"] for entry in second.get("intent_ranking")]
    assert abs(first.get("intent")["confidence"] - second.get("intent")["confidence"]) < 1e-6


def test_the_middle_layer_is_part_of_what_the_classifier_weighs(tmp_path):
    """Two messages with the same sentence embedding and words but different middle-layer vectors score differently."""
    rng = np.random.default_rng(6)
    examples = [_message(text, intent, _unit(rng.normal(size=8))) for intent, texts in TEXTS.items() for text in texts]
    classifier = _classifier(tmp_path, neighbour_weight=0.0)
    classifier.train(TrainingData(examples))
    vector = _unit(rng.normal(size=8))
    same, other = _message("what do i do", None, vector), _message("what do i do", None, vector)
    other.set(MIDDLE_LAYER_VECTOR, _unit(rng.normal(size=8)))

    classifier.process([same, other])

    assert abs(same.get("intent")["confidence"] - other.get("intent")["confidence"]) > 1e-3


def test_n_grams_found_in_a_single_training_example_are_left_out_when_asked(tmp_path):
    """ngram_min_examples 2: a letter sequence only one example has ("ibuprofen") is no feature; shared ones stay,
    and a loaded model scores a message's n-grams the same way."""
    rng = np.random.default_rng(3)
    examples = [_message(t, intent, rng.normal(size=8).astype(np.float32)) for intent, texts in TEXTS.items() for t in texts]
    every = _classifier(tmp_path / "every")
    every.train(TrainingData(examples))
    shared = _classifier(tmp_path / "shared", ngram_min_examples=2)
    shared.train(TrainingData(examples))

    assert "upro" in every.vectorizer.vocabulary_ and "upro" not in shared.vectorizer.vocabulary_
    assert " my" in shared.vectorizer.vocabulary_ and len(shared.vectorizer.vocabulary_) < len(every.vectorizer.vocabulary_)
    loaded = EmbeddingIntentClassifier.load(shared.config, shared._model_storage, Resource("classifier"), None)
    text = "can i take ibuprofen in a flare"
    assert np.abs(loaded._ngram_scores([text]) - shared._ngram_scores([text])).max() < 1e-9
