import pytest

from pacewise.text.input_checks import MAX_MESSAGE_CHARS, InputIssue, assess, strip_control_characters


@pytest.mark.parametrize(
    ("text", "issue"),
    [
        (None, InputIssue.EMPTY),
        ("", InputIssue.EMPTY),
        ("   \n\t ", InputIssue.EMPTY),
        ("\x00\x07\u200b", InputIssue.EMPTY),
        ("🙂🙂", InputIssue.NO_WORDS),
        ("?!...", InputIssue.NO_WORDS),
        ("x" * (MAX_MESSAGE_CHARS + 1), InputIssue.TOO_LONG),
        ("j'ai mal au dos depuis des années", InputIssue.NOT_ENGLISH),
        ("腰が痛いです", InputIssue.NOT_ENGLISH),
        ("why does my back still hurt", None),
        ("exersize makes my nee ache alot", None),
        ("hi", None),
        ("/ask_pacing", None),
        ("my pain is 7 today 😣", None),
    ],
)
def test_assess(text, issue):
    assert assess(text) is issue


def test_control_characters_are_removed_but_spacing_kept():
    assert strip_control_characters("pain\x00 is\tbad\ntoday\x1b") == "pain is\tbad\ntoday"


@pytest.mark.parametrize(
    "text",
    ["boom bust cycle", "graded activity plan", "tens machine any good", "physio says sciatica", "exersize makes my nee ache alot", "hurt vs harm"],
)
def test_short_english_topic_phrases_are_not_taken_for_another_language(text):
    assert assess(text) is None


@pytest.mark.parametrize("text", ["me duele mucho la espalda todos los días", "¿Dónde puedo comprar pan fresco hoy?", "ich habe seit Jahren Rückenschmerzen"])
def test_other_languages_are_recognised(text):
    assert assess(text) is InputIssue.NOT_ENGLISH
