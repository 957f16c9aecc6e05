"""Route messages that cannot be answered (empty, over-long, emoji only, not
English) to the clarification flow, whatever the classifier guessed.

Runs last in the NLU pipeline, so the decision is deterministic and happens
before any dialogue policy picks a reply. `action_clarify` then explains the
problem to the patient using the same checks (pacewise/text/input_checks.py).
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from components.stateless import StatelessComponent, put_intent_first
from pacewise.text.input_checks import assess

INPUT_ISSUE_KEY = "input_issue"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class InputGuard(StatelessComponent):
    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            issue = assess(message.get(TEXT))
            if issue is None:
                continue
            put_intent_first(message, DEFAULT_NLU_FALLBACK_INTENT_NAME)
            message.set(INPUT_ISSUE_KEY, issue.value, add_to_output=True)
        return messages
