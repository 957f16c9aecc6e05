"""A dialogue policy that answers every red-flag or crisis message with the safety action.

It outranks every other policy, including an active form's own prediction, so
a form, a clarification question or any flow added later is interrupted the
same way without re-implementing anything. The safety action then ends the
form. Nothing is learned; there is nothing to train.
"""

from __future__ import annotations

from typing import Any

from rasa.core.policies.policy import PolicyPrediction
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker

from components.fixed_policy import FixedPolicy
from pacewise.safety.assessment import ACTION_SAFETY_RESPONSE, SAFETY_INTENTS

# Above RulePolicy (6), so that a tie at confidence 1.0 goes to safety.
SAFETY_POLICY_PRIORITY = 7


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True)
class SafetyPolicy(FixedPolicy):
    PRIORITY = SAFETY_POLICY_PRIORITY

    def predict_action_probabilities(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        probabilities = self._default_predictions(domain)
        latest_action = tracker.latest_action_name
        if latest_action == ACTION_LISTEN_NAME and tracker.latest_message and tracker.latest_message.intent.get("name") in SAFETY_INTENTS:
            probabilities[domain.index_for_action(ACTION_SAFETY_RESPONSE)] = 1.0
            # Marked like a form's own prediction so that it competes with it (and wins on priority).
            return self._prediction(probabilities, is_no_user_prediction=True)
        if latest_action == ACTION_SAFETY_RESPONSE:
            probabilities[domain.index_for_action(ACTION_LISTEN_NAME)] = 1.0
        return self._prediction(probabilities)
