"""How curated content and the bot's own guidance are put into messages.

Every action builds its replies here, so wording and buttons stay consistent
across topics, the menu, clarifications and problem messages.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from rasa_sdk.executor import CollectingDispatcher

from pacewise.content import Topic
from pacewise.content.rendering import render
from pacewise.safety.assessment import CRISIS, EMERGENCY, SAME_DAY
from pacewise.text.input_checks import InputIssue

TELL_ME_MORE_PAYLOAD = "/tell_me_more"
MENU_PAYLOAD = "/ask_capabilities"
MAX_CLARIFY_OPTIONS = 3
FORM_STOPPED = "No problem, I've stopped. Nothing was saved."

INPUT_ISSUE_TEXT = {
    InputIssue.EMPTY: "I didn't get any words there. What would you like to know about living with pain?",
    InputIssue.NO_WORDS: "I can only understand words, not emoji or symbols on their own. Could you tell me in a few words what you'd like to know?",
    InputIssue.TOO_LONG: "That's a long message! I understand short questions best. Could you ask me again in a sentence or two?",
    InputIssue.NOT_ENGLISH: "Sorry, I can only understand English at the moment. Could you ask your question in English?",
}


@dataclass(frozen=True)
class Reply:
    text: str
    buttons: list[dict[str, str]] = field(default_factory=list)
    # Sent as the message's "custom" part, e.g. {"pacewise": {"input": "pain_scale", ...}} for the widget's 0-10 scale.
    custom: dict[str, Any] | None = None

    def send(self, dispatcher: CollectingDispatcher, image: str | None = None) -> None:
        """Send with the deployment's numbers ({emergency_number} and so on) and the pacing numbers
        ({weekly_step_percent} and so on) filled in."""
        buttons = [{**button, "title": render(button["title"])} for button in self.buttons] or None
        dispatcher.utter_message(text=render(self.text), buttons=buttons, image=image, json_message=self.custom)


def say(
    dispatcher: CollectingDispatcher,
    text: str,
    buttons: list[dict[str, str]] | None = None,
    image: str | None = None,
    custom: dict[str, Any] | None = None,
) -> None:
    """Send one message: every reply of every action goes out through here or Reply.send, placeholders filled."""
    Reply(text, buttons or [], custom).send(dispatcher, image=image)


def log_score_button(score: int) -> dict[str, str]:
    """Logs the score when pressed: the payload is sent as the patient's message and reads as a clear rating."""
    return {"title": f"Log {score}/10 in my pain diary", "payload": f"Log my pain as {score} out of 10"}


def topic_button(topic: Topic) -> dict[str, str]:
    return {"title": topic.title, "payload": f"/{topic.intent}"}


def topic_answer(topic: Topic, related: Iterable[Topic], also: Topic | None = None, log_score: int | None = None) -> Reply:
    """The short answer, with 'Tell me more' and the related topics as buttons.

    `also` is a second topic the question may have been about: it is named
    under the answer and offered as the first topic button. `log_score` is a
    pain score the question mentioned: a button offers to log it.
    """
    buttons = [{"title": "Tell me more", "payload": TELL_ME_MORE_PAYLOAD}]
    if log_score is not None:
        buttons.append(log_score_button(log_score))
    others = [other for other in related if also is None or other.id != also.id]
    buttons += [topic_button(other) for other in ([also] if also else []) + others]
    text = f"**{topic.title}**\n\n{topic.short_answer}"
    if also is not None:
        text += f"\n\nYou might also want: **{also.title}**"
    return Reply(text, buttons)


def topic_details(topic: Topic, related: Iterable[Topic]) -> Reply:
    """The longer explanation with its sources, and the related topics."""
    sources = "\n".join(f"- {source.citation()}" for source in topic.sources)
    text = f"**{topic.title}**\n\n{topic.more}\n\n**Sources**\n{sources}"
    return Reply(text, [topic_button(other) for other in related])


def menu(topics: Iterable[Topic], intro: str | None = None) -> Reply:
    shown = sorted((topic for topic in topics if topic.show_in_menu), key=lambda topic: topic.title.lower())
    intro = intro or "Here are the topics I can help with. Pick one, or ask me in your own words."
    return Reply(intro, [topic_button(topic) for topic in shown])


def clarification(candidates: list[Topic]) -> Reply:
    """Ask which of the likeliest topics was meant, rather than guess."""
    buttons = [topic_button(topic) for topic in candidates[:MAX_CLARIFY_OPTIONS]]
    buttons.append({"title": "Something else", "payload": MENU_PAYLOAD})
    return Reply("I want to be sure I give you the right information. Did you mean one of these?", buttons)


def not_understood(topics: Iterable[Topic]) -> Reply:
    return menu(topics, "Sorry, I'm not sure I understood. Could you put it another way? Or pick one of these topics:")


def input_issue(issue: InputIssue, topics: Iterable[Topic]) -> Reply:
    return menu(topics, f"{INPUT_ISSUE_TEXT[issue]} Or pick one of these topics:")


def topic_unavailable(topics: Iterable[Topic]) -> Reply:
    return menu(topics, "Sorry, that information is not available right now. Here is what I can help with:")


def no_current_topic(topics: Iterable[Topic]) -> Reply:
    return menu(topics, "Which topic would you like to hear more about?")


# Used only when the red_flags or crisis_support content cannot be served
# (a broken file): the patient still gets what to do now.
SAFETY_FALLBACK_TEXT = {
    CRISIS: (
        "I'm really sorry you're feeling like this. Please talk to someone now: {crisis_line}. "
        "If you are in danger or have hurt yourself, {emergency}. I'm still here if you want to keep talking."
    ),
    EMERGENCY: "**Please {emergency} now.** What you describe needs to be checked by a doctor straight away.",
    SAME_DAY: "**Please get medical advice today: {same_day}.** If you feel much worse, {emergency}.",
    None: "Some symptoms need a doctor soon. In an emergency, {emergency}. If it is not an emergency, {same_day}.",
}


def crisis_support(topic: Topic | None) -> Reply:
    """Compassion, the crisis line and the emergency number; more support one tap away."""
    if topic is None:
        return Reply(SAFETY_FALLBACK_TEXT[CRISIS])
    return Reply(topic.short_answer, [{"title": "More ways to get support", "payload": TELL_ME_MORE_PAYLOAD}])


def red_flag_advice(topic: Topic | None, urgency: str | None) -> Reply:
    """What to do now: the emergency number, same-day advice, or (urgency unknown) both."""
    if topic is None:
        return Reply(SAFETY_FALLBACK_TEXT[urgency])
    advice = {EMERGENCY: topic.emergency_advice, SAME_DAY: topic.same_day_advice}.get(urgency or "") or topic.short_answer
    return Reply(advice, [{"title": "All the warning signs", "payload": TELL_ME_MORE_PAYLOAD}])
