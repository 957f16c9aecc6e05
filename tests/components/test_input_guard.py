"""The NLU pipeline's input guard: unusable messages go to clarification."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.training_data.message import Message

from components.input_guard import InputGuard


def classified(text: str) -> Message:
    ranking = [{"name": "ask_pacing", "confidence": 0.91}, {"name": "out_of_scope", "confidence": 0.05}]
    return Message(data={"text": text, "intent": dict(ranking[0]), "intent_ranking": list(ranking)})


@pytest.mark.parametrize("text", ["", "🙂🙂🙂", "x" * 20_000, "¿Dónde puedo comprar pan fresco hoy?"])
def test_unusable_messages_become_nlu_fallback_keeping_the_ranking(text):
    [message] = InputGuard().process([classified(text)])

    assert message.get("intent") == {"name": "nlu_fallback", "confidence": 1.0}
    assert [entry["name"] for entry in message.get("intent_ranking")] == ["nlu_fallback", "ask_pacing", "out_of_scope"]
    assert message.get("input_issue")


def test_ordinary_messages_are_left_alone():
    [message] = InputGuard().process([classified("I always overdo it on good days")])

    assert message.get("intent")["name"] == "ask_pacing"
    assert message.get("input_issue") is None
