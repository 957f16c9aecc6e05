"""Send requests about check-ins ("remind me every evening to log my pain", "stop reminders") to the check-in
action, and clear requests for the progress report ("a summary I can show my physio") to the export action,
whatever the classifier guessed; keep other "remind me ..." messages away from the check-in action.

The request is read word for word (pacewise/text/checkin_parser.py): a patient
who asks to stop reminders must never get a topic instead. "Remind me what
pacing is" and "remind me to take my tablets" are not check-in requests
(Pacewise sets no medicine reminders): when the classifier thought they were,
its next guess is used. The safety screen runs after this component and still
overrides it.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from components.stateless import StatelessComponent, put_intent_first
from pacewise.text.checkin_parser import is_about_something_else, read_check_in_request
from pacewise.text.report_request import asks_for_a_report

CHECK_IN_INTENT = "manage_check_ins"
EXPORT_INTENT = "export_my_data"  # the progress report is made by the export action


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class CheckInRequestRouter(StatelessComponent):
    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            current = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
            if read_check_in_request(text) is not None:
                put_intent_first(message, CHECK_IN_INTENT)
            elif asks_for_a_report(text):
                put_intent_first(message, EXPORT_INTENT)
            elif current == CHECK_IN_INTENT and is_about_something_else(text):
                _use_the_next_guess(message)
        return messages


def _use_the_next_guess(message: Message) -> None:
    ranking = [entry for entry in message.get(INTENT_RANKING_KEY) or [] if entry.get(INTENT_NAME_KEY) != CHECK_IN_INTENT]
    message.data[INTENT_RANKING_KEY] = ranking
    if ranking:
        message.data[INTENT] = {INTENT_NAME_KEY: ranking[0][INTENT_NAME_KEY], PREDICTED_CONFIDENCE_KEY: ranking[0][PREDICTED_CONFIDENCE_KEY]}
    else:
        message.data[INTENT] = {INTENT_NAME_KEY: "nlu_fallback", PREDICTED_CONFIDENCE_KEY: 1.0}
