"""Intent classification by meaning and by spelling: a logistic regression over
the sentence embedding of the whole message and its character n-grams.

Why this and not DIET? On the held-out set of real-style patient messages
(`make nlu-report`), a linear model on the MiniLM sentence embedding plus
TF-IDF character n-grams (which forgive typos such as "exercize" or
"sciatia") routed more messages right than DIET did on the same features, and
it trains in seconds rather than minutes, with the same result every time.
The model is stored as plain arrays (no pickle).
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import scipy.sparse
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from components.sentence_featurizer import SentenceEmbeddingFeaturizer

RANKING_LENGTH = 10
ARRAYS_FILE = "classifier.npz"
SETTINGS_FILE = "classifier.json"


def _sentence_vector(message: Message) -> np.ndarray:
    _, sentence = message.get_dense_features(TEXT)
    if sentence is None:
        raise ValueError("No sentence embedding on the message: the SentenceEmbeddingFeaturizer must run before the classifier.")
    return np.asarray(sentence.features, dtype=np.float32).reshape(-1)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class EmbeddingIntentClassifier(GraphComponent, IntentClassifier):
    @classmethod
    def required_components(cls) -> list[type]:
        return [SentenceEmbeddingFeaturizer]

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            # Inverse regularisation strength of the logistic regression.
            "C": 20.0,
            # Weight of the character n-gram block against the sentence embedding.
            "ngram_weight": 1.0,
            "ngram_range": [2, 5],
            "random_seed": 42,
        }

    def __init__(self, config: dict[str, Any], model_storage: ModelStorage, resource: Resource) -> None:
        self.config = config
        self._model_storage = model_storage
        self._resource = resource
        self.vectorizer: TfidfVectorizer | None = None
        self.classes: list[str] = []
        self.coef: np.ndarray | None = None
        # The two blocks of coef as contiguous copies, for scoring (SciPy copied a transposed view on every message).
        self._embedding_weights: np.ndarray | None = None
        self._ngram_weights: np.ndarray | None = None
        self.intercept: np.ndarray | None = None

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource, execution_context: ExecutionContext) -> EmbeddingIntentClassifier:
        return cls({**cls.get_default_config(), **config}, model_storage, resource)

    def _new_vectorizer(self) -> TfidfVectorizer:
        low, high = self.config["ngram_range"]
        return TfidfVectorizer(analyzer="char_wb", ngram_range=(low, high), sublinear_tf=True, lowercase=True)

    def _features(self, texts: list[str], vectors: np.ndarray) -> scipy.sparse.csr_matrix:
        assert self.vectorizer is not None
        ngrams = self.vectorizer.transform(texts) * float(self.config["ngram_weight"])
        return scipy.sparse.hstack([scipy.sparse.csr_matrix(vectors), ngrams]).tocsr()

    def train(self, training_data: TrainingData) -> Resource:
        examples = [example for example in training_data.intent_examples if example.get(TEXT)]
        if not examples:
            return self._resource
        texts = [example.get(TEXT) for example in examples]
        labels = [example.get(INTENT) for example in examples]
        self.vectorizer = self._new_vectorizer().fit(texts)
        features = self._features(texts, np.stack([_sentence_vector(example) for example in examples]))
        model = LogisticRegression(C=float(self.config["C"]), max_iter=5000, random_state=int(self.config["random_seed"]))
        model.fit(features, labels)
        self.classes = [str(label) for label in model.classes_]
        self._set_weights(model.coef_.astype(np.float32), model.intercept_.astype(np.float32))
        self.persist()
        return self._resource

    def persist(self) -> None:
        if self.vectorizer is None or self.coef is None or self.intercept is None:
            return
        with self._model_storage.write_to(self._resource) as directory:
            np.savez(directory / ARRAYS_FILE, coef=self.coef, intercept=self.intercept, idf=self.vectorizer.idf_.astype(np.float64))
            vocabulary = {term: int(index) for term, index in self.vectorizer.vocabulary_.items()}
            (directory / SETTINGS_FILE).write_text(json.dumps({"classes": self.classes, "vocabulary": vocabulary}), encoding="utf-8")

    @classmethod
    def load(
        cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource, execution_context: ExecutionContext, **kwargs: Any
    ) -> EmbeddingIntentClassifier:
        classifier = cls.create(config, model_storage, resource, execution_context)
        try:
            with model_storage.read_from(resource) as directory:
                arrays = np.load(directory / ARRAYS_FILE)
                settings = json.loads((directory / SETTINGS_FILE).read_text(encoding="utf-8"))
        except (ValueError, FileNotFoundError):
            return classifier  # trained without intent examples
        classifier.classes = settings["classes"]
        vectorizer = classifier._new_vectorizer()
        vectorizer.vocabulary_ = settings["vocabulary"]
        vectorizer.idf_ = arrays["idf"]
        classifier.vectorizer = vectorizer
        classifier._set_weights(arrays["coef"], arrays["intercept"])
        return classifier

    def _set_weights(self, coef: np.ndarray, intercept: np.ndarray) -> None:
        """The model's weights: the embedding columns first, then one per n-gram of the vectorizer."""
        assert self.vectorizer is not None
        dimension = coef.shape[1] - len(self.vectorizer.vocabulary_)
        self.coef, self.intercept = coef, intercept
        self._embedding_weights = np.ascontiguousarray(coef[:, :dimension])
        self._ngram_weights = np.ascontiguousarray(coef[:, dimension:].T)

    def _probabilities(self, vectors: np.ndarray, texts: list[str]) -> np.ndarray:
        """Class probabilities, the embedding and n-gram blocks scored apart.

        Equal to scoring _features(), without building the joined sparse matrix for
        each message.
        """
        assert self._embedding_weights is not None and self._ngram_weights is not None and self.vectorizer is not None
        ngrams = self.vectorizer.transform(texts) * float(self.config["ngram_weight"])
        scores = np.einsum("ik,jk->ij", vectors, self._embedding_weights) + np.asarray(ngrams @ self._ngram_weights) + self.intercept
        if len(self.classes) == 2:  # scikit-learn keeps one column for two classes
            scores = np.hstack([-scores, scores]) / 2
        scores = np.exp(scores - scores.max(axis=1, keepdims=True))
        return scores / scores.sum(axis=1, keepdims=True)

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            if self.vectorizer is None or not message.get(TEXT) or message.get_dense_features(TEXT)[1] is None:
                # Nothing to classify (an empty message): no intent, as Rasa's own classifiers do.
                message.set(INTENT, {INTENT_NAME_KEY: None, PREDICTED_CONFIDENCE_KEY: 0.0}, add_to_output=True)
                message.set(INTENT_RANKING_KEY, [], add_to_output=True)
                continue
            probabilities = self._probabilities(_sentence_vector(message)[None, :], [message.get(TEXT)])[0]
            order = np.argsort(-probabilities)[:RANKING_LENGTH]
            ranking = [{INTENT_NAME_KEY: self.classes[i], PREDICTED_CONFIDENCE_KEY: float(probabilities[i])} for i in order]
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages
