"""Every bot reply fits the messaging channel it goes to: markup, length, buttons and images."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from channels.messaging.formatting import (
    STYLES,
    ChannelStyle,
    Choice,
    OutgoingPart,
    format_reply,
    numbered_choices,
    pick_choice,
    sms_segments,
    split_text,
    to_markup,
)

# A long answer as the bot writes it: headings, bold, italics, links, bullets, numbered steps,
# abbreviations and typographic apostrophes (which make an SMS UCS-2).
LONG_ANSWER = """### What pacing means

**Pacing** is a way of managing your energy so that you can do more over time, with fewer flare-ups. It means planning activity and rest *before* you feel exhausted, rather than pushing on until you crash. Many people with long COVID, ME/CFS or chronic pain find it helps, e.g. when a good day tempts them to catch up on everything at once. The aim is a steady baseline you can keep up, not a perfect day followed by three bad ones.

### How to start

Start by keeping a simple diary for one or two weeks. Note what you did, how long it took and how you felt afterwards, including the next day. Patterns usually appear quickly: a shower followed by cooking may be fine, while a shopping trip and a phone call on the same morning may not. Dr. Patel’s clinic suggests rating each activity as light, moderate or heavy.

- Break big jobs into smaller steps, and sit down for tasks you'd normally stand for
- Plan rest breaks *before* you need them, not after
* Spread demanding activities across the week instead of the weekend

1. Find your baseline: the amount you can manage on a bad day without a flare-up.
2. Stay at that level for a week or two, even on good days.
3. Increase slowly, by about 10% at a time, and only if you feel no worse.

### When things go wrong

Setbacks are normal and not a failure. If you overdo it, cut back to a level you know is safe, rest more and build up again gradually. Thinking, reading and screen time count as activity too, i.e. they use energy just like walking does. Emotional stress can drain as much energy as physical effort, so plan for it. If your symptoms change suddenly, get worse quickly or worry you, contact your GP or call NHS 111.

### Rest that restores

Rest means doing as little as possible for a short while: lying down with your eyes closed, listening to quiet music or practising slow breathing. Scrolling on your phone or watching an exciting film is *not* rest, even though you are sitting still. Short, regular rests of 10 to 15 minutes spread across the day usually work better than one long sleep in the afternoon, which can upset your sleep at night. Try to get up and go to bed at about the same time every day, including weekends.

You can read more in the [NHS guide to pacing](https://www.nhs.uk/conditions/long-term-effects-of-coronavirus-long-covid/) or on the [ME Association site](https://meassociation.org.uk/?topic=pacing&lang=en). Your occupational therapist can help you make a plan that fits your week, your work and the people around you. Keep going: small, steady steps add up over the months."""  # noqa: E501 (prose)

CHOICES = (Choice("Pacing", "/ask_pacing"), Choice("Flare-ups", "/ask_flare_ups"), Choice("Sleep", "/ask_sleep"))


def words(text: str) -> list[str]:
    return text.split()


class TagChecker(HTMLParser):
    """Fails on any tag Telegram does not allow, and on unbalanced or badly nested tags."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        assert tag in {"b", "i", "a"}, tag
        self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.open and self.open[-1] == tag, (tag, self.open)
        self.open.pop()


def assert_balanced_telegram_html(text: str) -> None:
    checker = TagChecker()
    checker.feed(text)
    checker.close()
    assert checker.open == [], text


def test_the_long_answer_is_a_realistic_length():
    assert 2400 <= len(LONG_ANSWER) <= 2700


# --- SMS segments -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "segments"),
    [
        ("", 0),
        ("a" * 160, 1),
        ("a" * 161, 2),
        ("a" * 306, 2),
        ("a" * 307, 3),
        ("a" * 459, 3),
        ("a" * 460, 4),
        ("€" * 80, 1),  # extension characters count 2
        ("€" * 81, 2),
        ("a" * 152 + "€" + "a" * 152, 3),  # 306 septets, but the escape pair may not straddle two segments
        ("Café résumé à Ærø: Ø, ß, É, ¿¡ Ñ" + "x" * 100, 1),  # all in the GSM basic set
        ("é" * 160, 1),  # é is GSM 03.38 (0x05)
        ("á" + "a" * 69, 1),  # á is not: UCS-2
        ("á" + "a" * 70, 2),
        ("’" * 70, 1),  # a typographic apostrophe makes the message UCS-2
        ("’" * 71, 2),
        ("’" * 201, 3),
        ("’" * 202, 4),
        ("😀" * 35, 1),  # outside the BMP: 2 each
        ("😀" * 36, 2),
        ("a" * 66 + "😀" + "a" * 66, 3),  # 134 units, the surrogate pair may not straddle
    ],
)
def test_sms_segments(text, segments):
    assert sms_segments(text) == segments


def test_one_typographic_apostrophe_cuts_the_sms_capacity_from_459_to_201_characters():
    fits = STYLES["sms"].fits
    assert fits("a" * 459)
    assert not fits("a" * 460)
    assert fits("a" * 200 + "’")
    assert not fits("a" * 201 + "’")
    assert fits("a" * 199 + "😀")
    assert not fits("a" * 200 + "😀")


# --- Markup -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        ("plain", "Rest is important, pace yourself and plan."),
        ("whatsapp", "*Rest* is _important_, _pace yourself_ and plan."),
        ("telegram_html", "<b>Rest</b> is <i>important</i>, <i>pace yourself</i> and plan."),
        ("slack_mrkdwn", "*Rest* is _important_, _pace yourself_ and plan."),
    ],
)
def test_emphasis(markup, expected):
    assert to_markup("**Rest** is *important*, _pace yourself_ and plan.", markup) == expected


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        ("plain", "See the NHS guide (https://www.nhs.uk/a_b?x=1&y=2)."),
        ("whatsapp", "See the NHS guide (https://www.nhs.uk/a_b?x=1&y=2)."),
        ("telegram_html", 'See the <a href="https://www.nhs.uk/a_b?x=1&amp;y=2">NHS guide</a>.'),
        ("slack_mrkdwn", "See the <https://www.nhs.uk/a_b?x=1&amp;y=2|NHS guide>."),
    ],
)
def test_links(markup, expected):
    assert to_markup("See the [NHS guide](https://www.nhs.uk/a_b?x=1&y=2).", markup) == expected


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        ("plain", "https://www.nhs.uk and help@example.org"),
        ("whatsapp", "https://www.nhs.uk and help@example.org"),
        ("telegram_html", '<a href="https://www.nhs.uk">https://www.nhs.uk</a> and <a href="mailto:help@example.org">help@example.org</a>'),
        ("slack_mrkdwn", "<https://www.nhs.uk> and <mailto:help@example.org>"),
    ],
)
def test_a_link_whose_text_is_its_address_is_not_repeated(markup, expected):
    assert to_markup("[https://www.nhs.uk](https://www.nhs.uk) and [help@example.org](mailto:help@example.org)", markup) == expected


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        ("plain", "click (javascript:alert(1))"),
        ("telegram_html", "click (javascript:alert(1))"),
        ("slack_mrkdwn", "click (javascript:alert(1))"),
    ],
)
def test_only_web_mail_and_phone_links_are_clickable(markup, expected):
    assert to_markup("[click](javascript:alert(1))", markup) == expected


def test_quotes_in_a_link_address_cannot_break_out_of_the_href():
    html = to_markup('[x](https://example.org/"onmouseover="alert(1))', "telegram_html")
    assert html == '<a href="https://example.org/&quot;onmouseover=&quot;alert(1)">x</a>'
    assert_balanced_telegram_html(html)


def test_underscores_in_bare_urls_and_words_are_not_italics():
    text = "Read https://example.org/long_covid_pacing_guide or ask about snake_case_words and 2*3*4."
    assert to_markup(text, "whatsapp") == text
    assert to_markup(text, "telegram_html") == text


HOSTILE = '<img src=x onerror=alert(1)> & <b>not bold</b> "quoted"'


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        ("plain", HOSTILE),
        ("whatsapp", HOSTILE),
        ("telegram_html", '&lt;img src=x onerror=alert(1)&gt; &amp; &lt;b&gt;not bold&lt;/b&gt; "quoted"'),
        ("slack_mrkdwn", '&lt;img src=x onerror=alert(1)&gt; &amp; &lt;b&gt;not bold&lt;/b&gt; "quoted"'),
    ],
)
def test_html_in_the_text_is_escaped_or_literal(markup, expected):
    assert to_markup(HOSTILE, markup) == expected


def test_escaping_also_applies_inside_bold_links_headings_and_lists():
    html = to_markup("### A <b> & C\n\n- **x < y** and [a > b](https://e.org/?a=1&b=2)", "telegram_html")
    assert html == '<b>A &lt;b&gt; &amp; C</b>\n\n• <b>x &lt; y</b> and <a href="https://e.org/?a=1&amp;b=2">a &gt; b</a>'
    slack = to_markup("[a > b | c](https://e.org/?q=<x>|y)", "slack_mrkdwn")
    assert slack == "<https://e.org/?q=%3Cx%3E%7Cy|a &gt; b | c>"


def test_the_private_markers_used_for_conversion_cannot_be_forged():
    assert to_markup("\x01evil\x02 \x000\x00", "telegram_html") == "evil 0"


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        ("plain", "Pacing\n\n• Rest first\n• Plan the week\n  • nested item\n\n1. Find a baseline\n2. Stay there"),
        ("whatsapp", "*Pacing*\n\n• Rest _first_\n• Plan the week\n  • nested item\n\n1. Find a baseline\n2. Stay there"),
        ("telegram_html", "<b>Pacing</b>\n\n• Rest <i>first</i>\n• Plan the week\n  • nested item\n\n1. Find a baseline\n2. Stay there"),
        ("slack_mrkdwn", "*Pacing*\n\n• Rest _first_\n• Plan the week\n  • nested item\n\n1. Find a baseline\n2. Stay there"),
    ],
)
def test_headings_and_lists(markup, expected):
    source = "### **Pacing**\n\n- Rest *first*\n* Plan the week\n  - nested item\n\n\n\n1. Find a baseline\n2) Stay there"
    assert to_markup(source, markup) == expected


@pytest.mark.parametrize(
    "source",
    [
        "***both*** and **bold *italic* inside** and **[link](https://e.org)**",
        "**unclosed bold and *unclosed italic and ****",
        "**bold *italic***",
        "*a **b* c**",
        "_a **b_ c**",
        "[**x**](https://e.org) **[y](https://e.org)** <i> </b>",
    ],
)
def test_telegram_tags_are_always_balanced(source):
    assert_balanced_telegram_html(to_markup(source, "telegram_html"))


def test_unknown_markup_is_an_error():
    with pytest.raises(ValueError, match="markdown_v2"):
        to_markup("x", "markdown_v2")


# --- Splitting ----------------------------------------------------------------------------------------------


def at_most(limit: int):
    return lambda text: len(text) <= limit


def test_a_text_that_fits_is_one_part_and_an_empty_text_none():
    assert split_text("  Hello there.  ", at_most(20)) == ["Hello there."]
    assert split_text(" \n\n ", at_most(20)) == []


def test_paragraph_boundaries_come_first_and_parts_are_packed():
    paragraphs = [f"Paragraph {n} " + "x" * 88 for n in range(10)]  # 100 characters each
    parts = split_text("\n\n".join(paragraphs), at_most(450))
    # 4 paragraphs with their blank lines take 406 characters: 3 parts, never a paragraph cut in two
    assert parts == ["\n\n".join(paragraphs[0:4]), "\n\n".join(paragraphs[4:8]), "\n\n".join(paragraphs[8:10])]


def test_a_paragraph_too_long_for_any_part_is_cut_at_sentences_and_tops_up_the_current_part():
    text = "Short intro.\n\nFirst sentence here. Second sentence here. Third sentence here."
    assert split_text(text, at_most(40)) == ["Short intro.\n\nFirst sentence here.", "Second sentence here.", "Third sentence here."]


def test_sentences_are_not_cut_after_abbreviations():
    text = "Try gentle activity, e.g. Walking. Ask Dr. Patel about it. Rest etc. Then more."
    parts = split_text(text, at_most(45))
    assert parts == ["Try gentle activity, e.g. Walking.", "Ask Dr. Patel about it. Rest etc. Then more."]


@pytest.mark.parametrize("separator", ["? ", "! ", ". "])
def test_sentence_ends(separator):
    text = f"Is this pacing{separator}Yes it is{separator}4 times a day{separator}fine"
    # "4" starts a sentence, "fine" does not
    assert split_text(text, at_most(30)) == [f"Is this pacing{separator}Yes it is{separator.strip()}", f"4 times a day{separator}fine"]
    assert split_text(text, at_most(16)) == [f"Is this pacing{separator.strip()}", f"Yes it is{separator.strip()}", f"4 times a day{separator.strip()}", "fine"]


def test_a_sentence_too_long_for_a_part_is_cut_between_words():
    text = "one two three four five six seven eight nine ten"
    parts = split_text(text, at_most(15))
    assert parts == ["one two three", "four five six", "seven eight", "nine ten"]


def test_a_word_too_long_for_a_part_is_cut_inside_as_a_last_resort():
    url = "https://example.org/" + "a" * 60
    parts = split_text(f"See {url} now", at_most(30))
    assert all(0 < len(part) <= 30 for part in parts)
    assert "".join(parts).replace(" ", "") == f"See{url}now"
    assert len(parts) == 3


def test_nothing_fits_is_an_error_not_an_endless_loop():
    with pytest.raises(ValueError, match="Not even one character"):
        split_text("abc", lambda text: False)


@pytest.mark.parametrize("name", sorted(STYLES))
def test_split_text_of_the_long_answer_fits_each_channel(name):
    fits = STYLES[name].fits
    parts = split_text(LONG_ANSWER, fits)
    assert all(fits(part) and part == part.strip() and part for part in parts)
    assert words(" ".join(parts)) == words(LONG_ANSWER)


# --- Replies ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected_parts"),
    [
        ("sms", 7),  # 459 GSM characters, or 201 in the parts with a ’ (UCS-2)
        ("whatsapp", 2),
        ("facebook", 2),
        ("slack", 1),
        ("telegram", 1),
    ],
)
def test_the_long_answer_is_split_for_each_channel_without_losing_a_word(name, expected_parts):
    style = STYLES[name]
    parts = format_reply(style, LONG_ANSWER)
    assert len(parts) == expected_parts
    assert all(part.text and style.fits(part.text) for part in parts)
    assert words(" ".join(part.text for part in parts)) == words(to_markup(LONG_ANSWER, style.markup))


@pytest.mark.parametrize("name", sorted(STYLES))
def test_a_part_never_ends_with_a_heading(name):
    headings = {"What pacing means", "How to start", "When things go wrong", "Rest that restores"}
    parts = format_reply(STYLES[name], LONG_ANSWER)
    for part in parts:
        assert part.text.splitlines()[-1].strip("*").removeprefix("<b>").removesuffix("</b>") not in headings


def test_a_heading_keeps_its_blank_line_when_its_section_is_cut():
    style = ChannelStyle("tiny", "plain", native_buttons=True, native_images=True, fits=lambda text: len(text) <= 20)
    parts = format_reply(style, "### Rest\n\nLie down. Close your eyes for ten minutes.")
    assert [part.text for part in parts] == ["Rest\n\nLie down.", "Close your eyes for", "ten minutes."]


def test_a_long_telegram_answer_is_split_without_cutting_a_tag():
    style = STYLES["telegram"]
    source = "\n\n".join([LONG_ANSWER] * 4)  # about 10,000 characters of Markdown
    parts = format_reply(style, source)
    assert len(parts) == 3
    for part in parts:
        assert style.fits(part.text)
        assert_balanced_telegram_html(part.text)
        assert not re.search(r"\*\*|\]\(", part.text), "Markdown left unconverted by a cut"
    assert words(" ".join(part.text for part in parts)) == words(to_markup(source, style.markup))


def test_the_limit_applies_to_the_converted_telegram_text():
    style = STYLES["telegram"]
    source = " ".join(["**a & b**"] * 1000)  # 9,999 characters of Markdown (3 messages' worth), 16,999 of HTML
    parts = format_reply(style, source)
    assert all(style.fits(part.text) for part in parts)
    assert len(parts) == 5
    for part in parts:
        assert_balanced_telegram_html(part.text)
        assert part.text.count("<b>") == part.text.count("</b>") == part.text.count("a &amp; b")


def test_a_long_bold_phrase_or_link_is_not_cut_when_another_cut_exists():
    style = ChannelStyle("tiny", "telegram_html", native_buttons=True, native_images=True, fits=lambda text: len(text) <= 46)
    parts = format_reply(style, "Some words first. **Stop. Rest now. Then pace.** and [the NHS guide](https://nhs.uk) end")
    assert [part.text for part in parts] == [
        "Some words first.",
        "<b>Stop. Rest now. Then pace.</b> and",
        '<a href="https://nhs.uk">the NHS guide</a> end',
    ]


@pytest.mark.parametrize("name", ["sms", "whatsapp"])
def test_buttons_become_a_numbered_list_at_the_end_of_the_last_part(name):
    parts = format_reply(STYLES[name], "What would you like to know about?", CHOICES)
    assert parts == [OutgoingPart("What would you like to know about?\n\nReply with a number:\n1. Pacing\n2. Flare-ups\n3. Sleep")]


@pytest.mark.parametrize("name", ["telegram", "slack", "facebook"])
def test_buttons_stay_native_on_the_last_part(name):
    parts = format_reply(STYLES[name], LONG_ANSWER + "\n\nWhat next?", CHOICES)
    assert all(part.choices == () for part in parts[:-1])
    assert parts[-1].choices == CHOICES
    assert "Reply with a number" not in " ".join(part.text for part in parts)


def test_numbered_choices_that_do_not_fit_become_their_own_part():
    style = STYLES["sms"]
    text = "Your plan for this week: " + "x" * 430  # 455 GSM characters: 3 segments, no room for the list
    parts = format_reply(style, text, CHOICES)
    assert parts == [OutgoingPart(text), OutgoingPart(numbered_choices(CHOICES))]
    assert all(style.fits(part.text) for part in parts)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("sms", [OutgoingPart("Reply with a number:\n1. Pacing\n2. Flare-ups\n3. Sleep")]),
        ("whatsapp", [OutgoingPart("Reply with a number:\n1. Pacing\n2. Flare-ups\n3. Sleep")]),
        ("telegram", [OutgoingPart("Choose one:", choices=CHOICES)]),
        ("facebook", [OutgoingPart("Choose one:", choices=CHOICES)]),
    ],
)
@pytest.mark.parametrize("text", [None, "", "  \n "])
def test_buttons_without_text_still_make_a_message(name, expected, text):
    assert format_reply(STYLES[name], text, CHOICES) == expected


def test_button_titles_are_plain_text_in_lists_and_native_buttons():
    choices = [Choice("**Pacing** & *rest*", "/ask_pacing")]
    assert numbered_choices(choices) == "Reply with a number:\n1. Pacing & rest"
    assert format_reply(STYLES["telegram"], "Pick:", choices)[-1].choices == (Choice("Pacing & rest", "/ask_pacing"),)


IMAGE = "https://example.org/pacing_chart.png"


@pytest.mark.parametrize("name", ["whatsapp", "telegram", "slack", "facebook"])
def test_images_are_their_own_part_after_the_text_where_native(name):
    parts = format_reply(STYLES[name], "Here is a chart.", image_url=IMAGE)
    assert parts[-1] == OutgoingPart("", image_url=IMAGE)
    assert parts[0].text == "Here is a chart." and parts[0].image_url is None


def test_on_sms_an_image_becomes_a_picture_line_before_the_choices():
    parts = format_reply(STYLES["sms"], "Here is a chart.", CHOICES[:1], image_url=IMAGE)
    assert parts == [OutgoingPart(f"Here is a chart.\n\nPicture: {IMAGE}\n\nReply with a number:\n1. Pacing")]
    assert format_reply(STYLES["sms"], None, image_url=IMAGE) == [OutgoingPart(f"Picture: {IMAGE}")]


@pytest.mark.parametrize("name", ["telegram", "slack", "facebook"])
def test_native_buttons_after_an_image_get_a_text_part_of_their_own(name):
    parts = format_reply(STYLES[name], "Here is a chart.", CHOICES, image_url=IMAGE)
    assert parts == [OutgoingPart("Here is a chart."), OutgoingPart("", image_url=IMAGE), OutgoingPart("Choose one:", choices=CHOICES)]
    assert format_reply(STYLES[name], None, CHOICES, image_url=IMAGE) == parts[1:]


def test_nothing_to_send_is_no_parts():
    assert format_reply(STYLES["telegram"], None) == []
    assert format_reply(STYLES["sms"], "   ") == []


@pytest.mark.parametrize("name", sorted(STYLES))
def test_links_per_channel_in_a_reply(name):
    style = STYLES[name]
    text = format_reply(style, "Read the [NHS guide](https://www.nhs.uk/pacing).")[0].text
    expected = {
        "plain": "Read the NHS guide (https://www.nhs.uk/pacing).",
        "sms": "Read the NHS guide (https://www.nhs.uk/pacing).",
        "whatsapp": "Read the NHS guide (https://www.nhs.uk/pacing).",
        "telegram_html": 'Read the <a href="https://www.nhs.uk/pacing">NHS guide</a>.',
        "slack_mrkdwn": "Read the <https://www.nhs.uk/pacing|NHS guide>.",
    }
    assert text == expected[style.markup]


# --- Answers to numbered choices ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        ("2", CHOICES[1]),
        (" 2 ", CHOICES[1]),
        ("2.", CHOICES[1]),
        ("#2", CHOICES[1]),
        ("option 2", CHOICES[1]),
        ("Option 3", CHOICES[2]),
        ("two", CHOICES[1]),
        ("Three!", CHOICES[2]),
        ("1)", CHOICES[0]),
        ("sleep", CHOICES[2]),
        ("FLARE-UPS", CHOICES[1]),
        ("  pacing ", CHOICES[0]),
        ("0", None),
        ("4", None),
        ("four", None),
        ("ten", None),
        ("no one", None),
        ("2 or 3", None),
        ("I'm not sure", None),
        ("pacing please", None),
        ("", None),
    ],
)
def test_pick_choice(reply, expected):
    assert pick_choice(reply, CHOICES) == expected


def test_pick_choice_up_to_ten_and_with_markdown_titles():
    choices = [Choice(f"Topic {n}", f"/topic_{n}") for n in range(1, 11)]
    assert pick_choice("ten", choices) == choices[9]
    assert pick_choice("10", choices) == choices[9]
    assert pick_choice("eleven", choices) is None
    assert pick_choice("pacing", [Choice("**Pacing**", "/ask_pacing")]) == Choice("**Pacing**", "/ask_pacing")
    assert pick_choice("1", []) is None


def test_sms_bullets_stay_gsm_so_a_message_keeps_its_capacity():
    text = to_markup("- Break jobs into chunks\n- Mix things up", "sms")
    assert text == "- Break jobs into chunks\n- Mix things up"
    assert sms_segments(text * 10) <= 3
    assert to_markup("- Break jobs into chunks", "plain") == "• Break jobs into chunks"
