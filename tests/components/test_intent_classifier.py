"""The embedding + character n-gram intent classifier."""

from __future__ import annotations

import numpy as np
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from sklearn.linear_model import LogisticRegression

from components.intent_classifier import EmbeddingIntentClassifier

TEXTS = {
    "ask_pacing": ["how do i pace my chores", "boom and bust every week", "i overdo it on good days"],
    "ask_flare_ups": ["my back has flared up again", "bad spell with my neck", "what do i do in a flare"],
    "ask_medication": ["can i take ibuprofen with paracetamol", "are my tablets safe long term", "should i stop my pills"],
}


def _message(text: str, intent: str | None, vector: np.ndarray) -> Message:
    message = Message(data={"text": text, **({"intent": intent} if intent else {})})
    message.features.append(Features(vector.reshape(1, -1), "sentence", "text", "test"))
    return message


def _classifier(tmp_path) -> EmbeddingIntentClassifier:
    storage = LocalModelStorage(tmp_path)
    return EmbeddingIntentClassifier.create(EmbeddingIntentClassifier.get_default_config(), storage, Resource("classifier"), None)


def test_scores_are_the_trained_logistic_regressions(tmp_path):
    """Scoring the two feature blocks apart (the fast path) gives scikit-learn's own probabilities."""
    rng = np.random.default_rng(0)
    examples = [_message(text, intent, rng.normal(size=8).astype(np.float32)) for intent, texts in TEXTS.items() for text in texts]
    classifier = _classifier(tmp_path)
    classifier.train(TrainingData(examples))

    texts = [m.get("text") for m in examples]
    vectors = np.stack([m.features[0].features.reshape(-1) for m in examples])
    features = classifier._features(texts, vectors)
    reference = LogisticRegression(C=20.0, max_iter=5000, random_state=42).fit(features, [m.get("intent") for m in examples])
    query = _message("i keep overdoing it on the good days", None, rng.normal(size=8).astype(np.float32))

    classifier.process([query])

    expected = reference.predict_proba(classifier._features([query.get("text")], query.features[0].features))[0]
    got = {entry["name"]: entry["confidence"] for entry in query.get("intent_ranking")}
    for intent, probability in zip(reference.classes_, expected, strict=True):
        assert abs(got[intent] - probability) < 1e-4
    assert query.get("intent")["name"] == "ask_pacing"


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
