"""The safety policy wins over every other prediction, including an active form's own.

Pacewise has no form yet (the pain diary adds them); this builds a domain with
a form and a tracker in the middle of it, and runs the real RulePolicy, the
SafetyPolicy and Rasa's prediction ensemble, as the server does.
"""

from __future__ import annotations

import pytest
from rasa.core.policies.ensemble import DefaultPolicyPredictionEnsemble
from rasa.core.policies.rule_policy import RulePolicy
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActiveLoop, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from components.safety_policy import SafetyPolicy

DOMAIN = Domain.from_yaml(
    """
version: "3.1"
intents: [greet, log_pain, inform, ask_red_flags, ask_crisis_support, ask_pacing]
slots:
  pain_score:
    type: float
    mappings: [{type: from_text, conditions: [{active_loop: example_form, requested_slot: pain_score}]}]
  topic: {type: text, influence_conversation: false, mappings: [{type: custom}]}
forms:
  example_form:
    required_slots: [pain_score]
responses:
  utter_ask_pain_score: [{text: "What's your pain score?"}]
actions: [action_safety_response, action_answer_topic]
"""
)


@pytest.fixture
def policies(tmp_path):
    storage = LocalModelStorage(tmp_path)
    context = ExecutionContext(GraphSchema({}), "test")
    rule_policy = RulePolicy.create(RulePolicy.get_default_config(), storage, Resource("rule"), context)
    rule_policy.train([], DOMAIN)
    safety_policy = SafetyPolicy.create(SafetyPolicy.get_default_config(), storage, Resource("safety"), context)
    return rule_policy, safety_policy


def tracker_in_form(intent: str, text: str) -> DialogueStateTracker:
    return DialogueStateTracker.from_events(
        "patient",
        [
            ActionExecuted("action_listen"),
            UserUttered("log my pain", {"name": "log_pain", "confidence": 1.0}),
            ActionExecuted("example_form"),
            ActiveLoop("example_form"),
            SlotSet("requested_slot", "pain_score"),
            ActionExecuted("action_listen"),
            UserUttered(text, {"name": intent, "confidence": 1.0}),
        ],
        slots=DOMAIN.slots,
    )


def next_action(policies, tracker: DialogueStateTracker) -> str:
    predictions = {f"policy{index}": policy.predict_action_probabilities(tracker, DOMAIN) for index, policy in enumerate(policies)}
    best = DefaultPolicyPredictionEnsemble().combine_predictions_from_kwargs(tracker, DOMAIN, **predictions)
    return DOMAIN.action_names_or_texts[best.max_confidence_index]


@pytest.mark.parametrize("intent", ["ask_red_flags", "ask_crisis_support"])
def test_a_safety_message_interrupts_a_form_waiting_for_its_answer(policies, intent):
    assert next_action(policies, tracker_in_form(intent, "I can't feel my legs and I want to die")) == "action_safety_response"


def test_an_ordinary_answer_goes_to_the_form(policies):
    assert next_action(policies, tracker_in_form("inform", "7")) == "example_form"


def test_after_the_safety_response_the_bot_listens(policies):
    tracker = tracker_in_form("ask_red_flags", "I can't pee")
    tracker.update(ActionExecuted("action_safety_response"))
    tracker.update(ActiveLoop(None))
    assert next_action(policies, tracker) == "action_listen"


def test_the_policy_stays_silent_otherwise(policies):
    _, safety_policy = policies
    prediction = safety_policy.predict_action_probabilities(tracker_in_form("ask_pacing", "how do I pace"), DOMAIN)
    assert max(prediction.probabilities) == 0.0


def test_without_the_safety_policy_the_form_would_swallow_the_message(policies):
    rule_policy, _ = policies
    assert next_action([rule_policy], tracker_in_form("ask_red_flags", "I can't pee")) == "example_form"
