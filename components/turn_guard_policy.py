"""A dialogue policy that ends a turn when the same action has just run twice in a row.

When the action server is unreachable, a custom action fails, its events are
lost, and the other policies predict the same action again, up to Rasa's
limit of 10 per turn. Rasa's circuit breaker counts actions back to the last
`action_listen`, not the last user message, so from then on every message of
that conversation trips it before anything runs: the patient gets only the
apology, even after the action server is back. No Pacewise flow runs one
action twice in a row, so after a repeat this policy predicts `action_listen`;
the patient gets the apology (channels/replies_guard.py) and their next
message starts a normal turn. Nothing is learned; there is nothing to train.
"""

from __future__ import annotations

from typing import Any

from rasa.core.policies.policy import PolicyPrediction
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from components import rasa_fixes, rasa_speedups
from components.fixed_policy import FixedPolicy

# Every Rasa server that loads this policy (make run, or `rasa run` by hand) gets the cheaper
# hot paths: action-server replies checked by a validator built once, event types by table.
rasa_speedups.install()
# ... and Rasa's trigger_intent survives an expired session (check-ins).
rasa_fixes.install()

# Above SafetyPolicy (7) and RulePolicy (6): a repeat ends the turn whoever predicted it.
TURN_GUARD_PRIORITY = 8


def repeated_action(tracker: DialogueStateTracker) -> str | None:
    """The action that ran twice in a row since the patient's last message, if one did."""
    latest: list[str] = []
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            break
        if isinstance(event, ActionExecuted) and event.action_name:
            latest.append(event.action_name)
            if len(latest) == 2:
                break
    if len(latest) == 2 and latest[0] == latest[1] and latest[0] != ACTION_LISTEN_NAME:
        return latest[0]
    return None


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True)
class TurnGuardPolicy(FixedPolicy):
    PRIORITY = TURN_GUARD_PRIORITY

    def predict_action_probabilities(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        probabilities = self._default_predictions(domain)
        if repeated_action(tracker) is None:
            return self._prediction(probabilities)
        probabilities[domain.index_for_action(ACTION_LISTEN_NAME)] = 1.0
        # Marked like a form's own prediction so that it also wins over an active form's.
        return self._prediction(probabilities, is_no_user_prediction=True)
