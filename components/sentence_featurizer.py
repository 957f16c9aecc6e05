"""Dense features from the all-MiniLM-L6-v2 sentence-embedding model.

Patients ask the same thing in very different words ("my back has gone again",
"I'm having a bad spell"); word and character n-grams alone cannot tell that
these mean the same. This featurizer adds the model's meaning-aware vectors:
one per token (the mean of its word pieces) and one for the whole message.
The model files are unpacked at install time (scripts/install_sentence_model.py).

The safety screen compares each sentence of a message with clinicians'
descriptions of warning signs (components/safety/meaning.py). Those sentences
are encoded here, in the same run as the whole message (minilm
encode_words_and_texts), and handed on in the message's data under
SENTENCE_VECTORS (never in the parse output): one encoder run a message
instead of two.

The same run gives the mean of each inner layer's vectors. The layers named
in `middle_layers` (their normalised means side by side) go to the intent
classifier beside the sentence embedding, under MIDDLE_LAYER_VECTOR (never
in the parse output either): the inner layers keep more of a message's
wording than the last, which is tuned to meaning alone.
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.nlu.tokenizers.tokenizer import Tokenizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components.minilm import DEFAULT_MODEL_PATH, MessageVectors, shared_encoder
from components.safety.meaning import sentence_units

logger = logging.getLogger(__name__)

MODEL_PATH_KEY = "model_path"
MIDDLE_LAYERS_KEY = "middle_layers"
# Message data: {sentence or clause: its normalised sentence embedding}, for the safety screen.
SENTENCE_VECTORS = "pacewise_sentence_vectors"
# Message data: the chosen inner layers' normalised mean vectors side by side, for the intent classifier.
MIDDLE_LAYER_VECTOR = "pacewise_middle_layer_vector"


class FingerprintedVector(np.ndarray):
    """An array that Rasa can fingerprint from its bytes.

    While training, Rasa fingerprints every example's data after each component.
    A plain array has no fingerprint method, so Rasa hashed str(array): NumPy
    printing 6,900 vectors as text, about 13 s of a 155 s training.
    """

    def fingerprint(self) -> str:
        return hashlib.sha256(np.ascontiguousarray(self).tobytes()).hexdigest()


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class SentenceEmbeddingFeaturizer(DenseFeaturizer, GraphComponent):
    @classmethod
    def required_components(cls) -> list[type]:
        return [Tokenizer]

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        # Layer 4 alone is what models trained before the setting used.
        return {**DenseFeaturizer.get_default_config(), MODEL_PATH_KEY: DEFAULT_MODEL_PATH, MIDDLE_LAYERS_KEY: [4]}

    def __init__(self, config: dict[str, Any], name: str) -> None:
        super().__init__(name, config)
        self.encoder = shared_encoder(str(self._config[MODEL_PATH_KEY]))
        self._inner_rows = self._chosen_rows(self._config[MIDDLE_LAYERS_KEY], self.encoder.layers)

    @staticmethod
    def _chosen_rows(layers: Any, count: int) -> list[int]:
        """Rows of MessageVectors.inner_layers for the configured layers (1 = the first, the last one excluded)."""
        if not isinstance(layers, list) or not layers or not all(type(layer) is int and 1 <= layer < count for layer in layers):
            raise ValueError(f"{MIDDLE_LAYERS_KEY} must list layers of the sentence model between 1 and {count - 1}, like [2, 3]; got {layers!r}.")
        return [layer - 1 for layer in layers]

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> SentenceEmbeddingFeaturizer:
        return cls(config, execution_context.node_name)

    @classmethod
    def validate_config(cls, config: dict[str, Any]) -> None:
        pass

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            tokens = message.get(TOKENS_NAMES[TEXT])
            if not tokens:
                continue
            text = message.get(TEXT) or ""
            units = [unit for unit in sentence_units(text) if unit != text.strip()]
            vectors, unit_vectors = self.encoder.encode_words_and_texts([token.text for token in tokens], units)
            self._add(vectors, message)
            message.set(SENTENCE_VECTORS, dict(zip(units, unit_vectors, strict=True)))
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """As process, for the whole training set at once: batched, on every core (minilm.encode_words_many)."""
        messages = [message for message in training_data.training_examples if message.get(TOKENS_NAMES[TEXT])]
        encoded = self.encoder.encode_words_many([[token.text for token in message.get(TOKENS_NAMES[TEXT])] for message in messages])
        for message, vectors in zip(messages, encoded, strict=True):
            self._add(vectors, message)
        return training_data

    def _add(self, vectors: MessageVectors, message: Message) -> None:
        self.add_features_to_message(vectors.words, vectors.sentence.reshape(1, -1), TEXT, message)
        message.set(MIDDLE_LAYER_VECTOR, np.asarray(vectors.inner_layers[self._inner_rows]).reshape(-1).view(FingerprintedVector))
