"""A dialogue policy that ends a turn in two states no rule can describe.

1. The same action has just run twice in a row. When the action server is unreachable, a custom action fails, its events are
lost, and the other policies predict the same action again, up to Rasa's
limit of 10 per turn. Rasa's circuit breaker counts actions back to the last
`action_listen`, not the last user message, so from then on every message of
that conversation trips it before anything runs: the patient gets only the
apology, even after the action server is back. No Pacewise flow runs one
action twice in a row, so after a repeat this policy predicts `action_listen`;
the patient gets the apology (channels/replies_guard.py) and their next
message starts a normal turn.

2. A form was set aside by another request and that request has been handled.
A form that meets "how has my pain been?" or "export my data" where it asked a
question closes itself and hands over to the request's action with a
FollowupAction (actions/forms.py). No rule can match the state after that
action (rules see the form still active at the patient's message), so
RulePolicy fell back to action_clarify, twice: the patient got their answer and
then "Sorry, I'm not sure I understood" two times. The request is the turn;
this policy listens after it. A request that starts a form of its own (a new
goal) is left to that form.

Nothing is learned; there is nothing to train.
"""

from __future__ import annotations

from typing import Any

from rasa.core.policies.policy import PolicyPrediction
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActiveLoop, UserUttered
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


def events_since_message(tracker: DialogueStateTracker) -> list[Any]:
    """The events after the patient's latest message, oldest first."""
    since: list[Any] = []
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            break
        since.append(event)
    return since[::-1]


def repeated_action(tracker: DialogueStateTracker) -> str | None:
    """The action that ran twice in a row since the patient's last message, if one did."""
    actions = [event.action_name for event in events_since_message(tracker) if isinstance(event, ActionExecuted) and event.action_name]
    if len(actions) >= 2 and actions[-1] == actions[-2] and actions[-1] != ACTION_LISTEN_NAME:
        return actions[-1]
    return None


def handled_after_set_aside(tracker: DialogueStateTracker, form_names: set[str]) -> bool:
    """Whether the action that just ran came after a form closed itself in this turn, and no form is open now.

    A form that ran last (a request that starts a form, which may complete at once)
    is left to the rules, which run its submit action.
    """
    if tracker.active_loop_name:
        return False
    running: str | None = None
    closed_by_form = False
    for event in events_since_message(tracker):
        if isinstance(event, ActionExecuted):
            running = event.action_name
        elif isinstance(event, ActiveLoop) and event.name is None and running in form_names:
            closed_by_form = True
            running = None
    return closed_by_form and running is not None and running != ACTION_LISTEN_NAME and running not in form_names


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
        if repeated_action(tracker) is None and not handled_after_set_aside(tracker, set(domain.form_names)):
            return self._prediction(probabilities)
        probabilities[domain.index_for_action(ACTION_LISTEN_NAME)] = 1.0
        # Marked like a form's own prediction so that it also wins over an active form's.
        return self._prediction(probabilities, is_no_user_prediction=True)
