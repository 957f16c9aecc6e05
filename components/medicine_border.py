"""Coming off medicines or medication: a question about stopping, cutting down or being hooked on a medicine.

The label policy (content/README.md) gives cutting down, tapering, stopping,
withdrawal and dependence to coming_off_medicines, and what a medicine does, its
side effects and starting one to medication. Patients mix both in one message
("it makes me foggy, thinking about binning them") and the classifier blurs the
border: it often leans to medication. When it does, but has coming off medicines
among its first three guesses and the message asks in so many words about
stopping, cutting down, withdrawal or dependence, the coming-off answer goes
first. Both texts leave every dose to the prescriber; the related-topic button
still offers the other. The safety screen runs after this component.
"""

from __future__ import annotations

import re

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from components.stateless import StatelessComponent, put_intent_first
from pacewise.content.model import intent_for_topic
from pacewise.safety.assessment import COMING_OFF_MEDICINES_TOPIC, MEDICATION_TOPIC

MEDICATION_INTENT = intent_for_topic(MEDICATION_TOPIC)
COMING_OFF_INTENT = intent_for_topic(COMING_OFF_MEDICINES_TOPIC)
GUESSES_LOOKED_AT = 3

# What is being stopped: a medicine, by kind or by name ...
_MEDICINE = (
    r"(?:tablets?|pills?|meds|medicines?|medication|painkillers?|patch(?:es)?|"
    r"co-?codamol|codeine|dihydrocodeine|tramadol|morphine|oxycodone|opioids?|opiates?|gabapentin|pregabalin|"
    r"amitriptyline|nortriptyline|duloxetine|buprenorphine|butrans|fentanyl|tapentadol|diazepam)"
)
# ... or "them" / "it" after one was named, but only after words that are about getting rid of
# something ("binning them"): "stop it hurting" and "without it aching" are not about a medicine.
_OWNERS = r"(?: taking| using| my| the| her| his| all| these| those)*\s+"
_STOPPING = re.compile(
    r"\b(?:come|coming|came|get|getting|got|wean|weaning|weaned) off\b"
    r"|\b(?:cut|cutting) (?:down|back)\b"
    r"|\btaper(?:ing|ed)?\b"
    r"|\bcold turkey\b"
    r"|\b(?:hooked|addicted|addiction|dependent|dependence|dependency|withdrawals?)\b"
    r"|\b(?:stop|stopping|stopped|give up|giving up|gave up)\b" + _OWNERS + _MEDICINE + r"\b"
    # "she wants to stop them", but not "how do I stop them aching".
    r"|\b(?:stop|stopping|stopped|give up|giving up|gave up) (?:taking |using )?them\b(?!\s+(?:from|\w+ing)\b)"
    r"|\b(?:quit|quitting|bin|binning|ditch|ditching|pack in|packing in)\b" + _OWNERS + r"(?:" + _MEDICINE + r"|them|it)\b"
    r"|\b(?:off|without) (?:my |the |her |his |strong |long-term |long term |all )*(?:" + _MEDICINE + r"|them)\b",
    re.IGNORECASE,
)


def asks_about_stopping(text: str) -> bool:
    """True when the message speaks of stopping, cutting down, withdrawal or dependence on a medicine."""
    return bool(_STOPPING.search(text))


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class MedicineBorder(StatelessComponent):
    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            guesses = [entry for entry in message.get(INTENT_RANKING_KEY) or [] if entry.get(INTENT_NAME_KEY) != DEFAULT_NLU_FALLBACK_INTENT_NAME]
            names = [entry.get(INTENT_NAME_KEY) for entry in guesses[:GUESSES_LOOKED_AT]]
            current = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
            leans_to_medication = names[:1] == [MEDICATION_INTENT] and current in (MEDICATION_INTENT, DEFAULT_NLU_FALLBACK_INTENT_NAME)
            if leans_to_medication and COMING_OFF_INTENT in names and asks_about_stopping(message.get(TEXT) or ""):
                confidence = next(entry.get(PREDICTED_CONFIDENCE_KEY) or 0.0 for entry in guesses if entry.get(INTENT_NAME_KEY) == COMING_OFF_INTENT)
                put_intent_first(message, COMING_OFF_INTENT, max(confidence, guesses[0].get(PREDICTED_CONFIDENCE_KEY) or 0.0))
        return messages
