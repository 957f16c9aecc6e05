import pytest

from actions.input_checks import MAX_MESSAGE_CHARS, InputIssue, assess, strip_control_characters


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
