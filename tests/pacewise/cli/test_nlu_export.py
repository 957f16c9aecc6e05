"""The generator that turns content example questions into Rasa training data."""

from __future__ import annotations

import shutil

import yaml

from pacewise.cli.nlu_export import generated_files
from pacewise.content.library import REPO_ROOT, load_topics


def test_a_new_topic_gets_an_intent_examples_and_a_rule(content_copy, tmp_path):
    topics = content_copy / "topics"
    header_and_text, _examples = (topics / "pacing.md").read_text().split("## Example questions")
    new_examples = "\n".join(f"- question {n} about pain while working at my desk" for n in range(25))
    new_topic = header_and_text.replace("id: pacing", "id: work_and_pain") + "## Example questions\n\n" + new_examples
    (topics / "work_and_pain.md").write_text(new_topic)
    shutil.copy(REPO_ROOT / "domain.yml", tmp_path / "domain.yml")

    files = generated_files(load_topics(topics), tmp_path)

    nlu = yaml.safe_load(files[tmp_path / "data/nlu/topics.yml"])["nlu"]
    intents = {entry["intent"]: entry["examples"] for entry in nlu}
    assert "- question 7 about pain while working at my desk" in intents["ask_work_and_pain"].splitlines()
    assert len(intents["ask_pacing"].splitlines()) >= 25

    rules = yaml.safe_load(files[tmp_path / "data/rules/topics.yml"])["rules"]
    answered = {step["intent"] for step in rules[0]["steps"][0]["or"]}
    assert {"ask_work_and_pain", "ask_pacing"} <= answered
    assert rules[0]["steps"][-1] == {"action": "action_answer_topic"}
    # Red flags and crisis are answered by the safety response, never as an ordinary topic.
    escalated = {step["intent"] for step in rules[1]["steps"][0]["or"]}
    assert escalated == {"ask_red_flags", "ask_crisis_support"}
    assert not escalated & answered
    assert rules[1]["steps"][-1] == {"action": "action_safety_response"}
    assert rules[0]["steps"][1] == {"action": "action_answer_topic"}

    domain = yaml.safe_load(files[tmp_path / "domain.yml"])
    assert "ask_work_and_pain" in domain["intents"]
    assert "greet" in domain["intents"]


def test_a_topic_with_an_error_is_left_out_not_crashing(content_copy, tmp_path):
    (content_copy / "topics" / "pacing.md").write_text("no header at all\n")
    shutil.copy(REPO_ROOT / "domain.yml", tmp_path / "domain.yml")

    files = generated_files(load_topics(content_copy / "topics"), tmp_path)

    assert "ask_pacing" not in files[tmp_path / "domain.yml"]
    assert "ask_flare_ups" in files[tmp_path / "domain.yml"]
