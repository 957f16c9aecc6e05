"""Route messages that cannot be answered (empty, over-long, emoji only, not
English) to the clarification flow, whatever the classifier guessed.

Runs last in the NLU pipeline, so the decision is deterministic and happens
before any dialogue policy picks a reply. `action_clarify` then explains the
problem to the patient using the same checks (actions/input_checks.py).
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from actions.input_checks import assess

INPUT_ISSUE_KEY = "input_issue"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class InputGuard(GraphComponent):
    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> InputGuard:
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            issue = assess(message.get(TEXT))
            if issue is None:
                continue
            fallback = {INTENT_NAME_KEY: DEFAULT_NLU_FALLBACK_INTENT_NAME, PREDICTED_CONFIDENCE_KEY: 1.0}
            message.data[INTENT] = fallback
            ranking = [entry for entry in message.data.get(INTENT_RANKING_KEY) or [] if entry.get(INTENT_NAME_KEY) != DEFAULT_NLU_FALLBACK_INTENT_NAME]
            message.data[INTENT_RANKING_KEY] = [fallback, *ranking]
            message.set(INPUT_ISSUE_KEY, issue.value, add_to_output=True)
        return messages
