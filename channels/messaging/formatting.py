"""Make every bot reply fit the messaging channel it goes to.

The bot writes its replies in a small Markdown subset (paragraphs, **bold**, *italic* or _italic_,
[text](url) links and bare URLs, "- "/"* "/"+ " bullets, "1. "/"1) " numbered lists, "### " headings), plus
optional buttons and an optional image. The subset is specified once, as a table of cases with what each
channel and the web widget must make of them: tests/markdown_subset.json. Each channel understands a
different markup, has its own length limit and may not support buttons or images at all.
Everything here is pure (no network, no Rasa) so the connectors can call it freely:

- ``to_markup`` converts the Markdown to the channel's markup, escaping whatever the channel would interpret.
- ``split_text`` cuts a text into as few messages as fit, preferring paragraph, then line, then sentence,
  then word boundaries.
- ``format_reply`` does both for one bot reply and turns buttons into a numbered list (and images into a
  link) where the channel has no native ones; ``pick_choice`` reads the patient's answer to that list.
- ``sms_segments`` counts SMS segments the way carriers do (GSM-7 or UCS-2).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlsplit

__all__ = [
    "STYLES",
    "ChannelStyle",
    "Choice",
    "OutgoingPart",
    "format_reply",
    "numbered_choices",
    "pick_choice",
    "sms_segments",
    "split_text",
    "to_markup",
]


@dataclass(frozen=True)
class Choice:
    """A button: what the patient sees and the payload sent back to Rasa (e.g. "/ask_pacing")."""

    title: str
    payload: str


@dataclass(frozen=True)
class ChannelStyle:
    """What one channel can show and how long one message may be."""

    name: str  # "sms", "whatsapp", "telegram", "slack", "facebook"
    markup: str  # "plain", "sms", "whatsapp", "telegram_html", "slack_mrkdwn"
    native_buttons: bool  # False: buttons become numbered choices in the text
    native_images: bool  # False: images become a link line in the text
    fits: Callable[[str], bool]  # does one outgoing message of this text fit the channel?


@dataclass(frozen=True)
class OutgoingPart:
    """One message to send. Text is already in the channel's markup."""

    text: str
    choices: tuple[Choice, ...] = ()  # native buttons: only on the last part, only for native_buttons channels
    image_url: str | None = None  # only for native_images channels, as its own part (text "")


# --- Length limits ------------------------------------------------------------------------------------------

TELEGRAM_LIMIT = 4096  # characters of one message (we measure the HTML, which is never shorter than what Telegram counts)
SLACK_LIMIT = 3000  # characters of a section block's text
FACEBOOK_LIMIT = 2000  # characters of a Messenger text message
WHATSAPP_LIMIT = 1600  # characters of a Twilio WhatsApp message body
SMS_MAX_SEGMENTS = 3  # longer SMS get expensive and some handsets reassemble them badly

# GSM 03.38: the basic character set (1 septet each; ESC itself is left out) and the extension table, whose
# characters are sent as ESC + character and so count 2.
_GSM_BASIC = frozenset("@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà")
_GSM_EXTENSION = frozenset("\f^{}\\[~]|€")


def sms_segments(text: str) -> int:
    """How many SMS segments ``text`` takes (0 for an empty text).

    GSM-7 text fits 160 characters in one segment, or 153 per segment once concatenated (each segment carries
    a header). A single character outside GSM-7 turns the whole message into UCS-2: 70 in one segment, 67 per
    segment concatenated, characters outside the Basic Multilingual Plane (most emoji) counting 2. Like real
    encoders, an extension character's escape pair or a surrogate pair is never split across two segments.
    """
    if not text:
        return 0
    if all(ch in _GSM_BASIC or ch in _GSM_EXTENSION for ch in text):
        units = [2 if ch in _GSM_EXTENSION else 1 for ch in text]
        single, concatenated = 160, 153
    else:
        units = [2 if ord(ch) > 0xFFFF else 1 for ch in text]
        single, concatenated = 70, 67
    if sum(units) <= single:
        return 1
    segments, used = 1, 0
    for size in units:
        if used + size > concatenated:
            segments += 1
            used = 0
        used += size
    return segments


def _utf16_length(text: str) -> int:
    """Length in UTF-16 code units: what Telegram counts, and never less than the code points others count."""
    return len(text.encode("utf-16-le")) // 2


def _fits_sms(text: str) -> bool:
    return sms_segments(text) <= SMS_MAX_SEGMENTS


def _fits_length(limit: int) -> Callable[[str], bool]:
    def fits(text: str) -> bool:
        return _utf16_length(text) <= limit

    fits.__name__ = fits.__qualname__ = f"fits_{limit}_characters"
    return fits


STYLES: dict[str, ChannelStyle] = {
    "sms": ChannelStyle("sms", "sms", native_buttons=False, native_images=False, fits=_fits_sms),
    # Twilio sends WhatsApp media natively, but interactive buttons need pre-approved content templates.
    "whatsapp": ChannelStyle("whatsapp", "whatsapp", native_buttons=False, native_images=True, fits=_fits_length(WHATSAPP_LIMIT)),
    "telegram": ChannelStyle("telegram", "telegram_html", native_buttons=True, native_images=True, fits=_fits_length(TELEGRAM_LIMIT)),
    "slack": ChannelStyle("slack", "slack_mrkdwn", native_buttons=True, native_images=True, fits=_fits_length(SLACK_LIMIT)),
    "facebook": ChannelStyle("facebook", "plain", native_buttons=True, native_images=True, fits=_fits_length(FACEBOOK_LIMIT)),
}


# --- Markdown to channel markup -----------------------------------------------------------------------------

_MARKUPS = ("plain", "sms", "whatsapp", "telegram_html", "slack_mrkdwn")
# "sms" is plain text with GSM-7 bullets: one "•" would make the whole SMS UCS-2 (201 instead of 459 characters).
_BULLETS = {"sms": "-"}
_ESCAPING = ("telegram_html", "slack_mrkdwn")  # markups where & < > mean something and must be escaped
_LINK_SCHEMES = frozenset({"http", "https", "mailto", "tel"})

# Private markers used while converting: \x00n\x00 stands for an already rendered link, \x01-\x04 open and
# close bold and italic. They are removed from the input first, so the input cannot forge them.
_B_OPEN, _B_CLOSE, _I_OPEN, _I_CLOSE = "\x01", "\x02", "\x03", "\x04"
_REMOVE_MARKERS = dict.fromkeys(range(5))
_TAGS = {  # bold open, bold close, italic open, italic close
    "plain": ("", "", "", ""),
    "sms": ("", "", "", ""),
    "whatsapp": ("*", "*", "_", "_"),
    "telegram_html": ("<b>", "</b>", "<i>", "</i>"),
    "slack_mrkdwn": ("*", "*", "_", "_"),
}

# [text](url); the url may hold one level of parentheses (Wikipedia-style addresses).
_LINK = re.compile(r"\[([^\[\]\n]+)\]\(\s*((?:[^()\s]|\([^()\s]*\))+)\s*\)")
_BARE_URL = re.compile(r"(?<![\w/])https?://[^\s<>\x00]+", re.IGNORECASE)
_STRONG = re.compile(r"(\*\*\*|\*\*|__)(?=\S)(.+?)(?<=\S)\1")  # ***both*** first, so it is not read as ** + *
# *italic* or _italic_, not inside words (snake_case, 2*3*4) and not touching another marker.
_EM = re.compile(r"(?<![\w*])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![\w*])|(?<![\w_])_(?=[^\s_])(.+?)(?<=[^\s_])_(?![\w_])")
_PLACEHOLDER = re.compile(r"\x00(\d+)\x00")

_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)(?:\s+#+)?$")
_BULLET = re.compile(r"^(\s*)[-*+]\s+(.*)$")
_NUMBERED = re.compile(r"^(\s*)(\d{1,9})[.)]\s+(.*)$")


def to_markup(markdown: str, markup: str) -> str:
    """Convert the bot's Markdown subset to ``markup``: "plain", "whatsapp", "telegram_html" or "slack_mrkdwn".

    Tags are only ever produced in pairs, and anything in the text that the channel would read as markup
    (e.g. "<img src=x>") is escaped for Telegram's HTML and Slack's mrkdwn, and left literal elsewhere.
    """
    if markup not in _MARKUPS:
        raise ValueError(f"Unknown markup {markup!r}; expected one of {', '.join(_MARKUPS)}")
    text = markdown.replace("\r\n", "\n").replace("\r", "\n").translate(_REMOVE_MARKERS)
    lines: list[str] = []
    for raw in text.split("\n"):
        line = raw.rstrip()
        if not line:
            if lines and lines[-1]:  # at most one blank line between paragraphs
                lines.append("")
            continue
        if heading := _HEADING.match(line):
            lines.append(_heading(_inline(heading.group(1), markup, emphasis=False), markup))
        elif bullet := _BULLET.match(line):
            lines.append(f"{bullet.group(1)}{_BULLETS.get(markup, '•')} {_inline(bullet.group(2), markup)}")
        elif numbered := _NUMBERED.match(line):
            lines.append(f"{numbered.group(1)}{numbered.group(2)}. {_inline(numbered.group(3), markup)}")
        else:
            lines.append(_inline(line, markup))
    return "\n".join(lines).strip()


def _heading(text: str, markup: str) -> str:
    if not text or markup in ("plain", "sms"):
        return text
    bold_open, bold_close, _, _ = _TAGS[markup]
    return f"{bold_open}{text}{bold_close}"


def _escape(text: str, markup: str) -> str:
    if markup in _ESCAPING:
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text


def _inline(text: str, markup: str, *, links: bool = True, emphasis: bool = True) -> str:
    """Convert one line's inline Markdown. Links are rendered first and parked behind placeholders, so that
    their addresses are never escaped twice nor read as emphasis (an underscore in a URL is not italic)."""
    rendered: list[str] = []

    def park(output: str) -> str:
        rendered.append(output)
        return f"\x00{len(rendered) - 1}\x00"

    def bare_url(match: re.Match[str]) -> str:
        url = _trim_url(match.group())
        return park(_escape(url, markup)) + match.group()[len(url) :]

    if links:
        text = _LINK.sub(lambda m: park(_link(m.group(1), m.group(2), markup)), text)
    text = _BARE_URL.sub(bare_url, text)
    text = _escape(_mark_emphasis(text), markup)
    tags = _TAGS[markup] if emphasis else _TAGS["plain"]
    text = text.translate(dict(zip(map(ord, (_B_OPEN, _B_CLOSE, _I_OPEN, _I_CLOSE)), tags, strict=True)))
    return _PLACEHOLDER.sub(lambda m: rendered[int(m.group(1))], text)


def _trim_url(url: str) -> str:
    """Leave sentence punctuation and closing markers after a bare URL out of it ("see https://nhs.uk.")."""
    while url and url[-1] in ".,;:!?'\"’”*_)]":
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break
        url = url[:-1]
    return url


def _mark_emphasis(text: str) -> str:
    """Replace emphasis with private markers. Bold spans are found first and italics are looked for inside
    and outside them separately, so the markers always nest properly (never <b><i></b></i>)."""
    out: list[str] = []
    position = 0
    for strong in _STRONG.finditer(text):
        out.append(_mark_italics(text[position : strong.start()]))
        inner = _mark_italics(strong.group(2))
        if strong.group(1) == "***":
            inner = f"{_I_OPEN}{inner}{_I_CLOSE}"
        out.append(f"{_B_OPEN}{inner}{_B_CLOSE}")
        position = strong.end()
    out.append(_mark_italics(text[position:]))
    return "".join(out)


def _mark_italics(text: str) -> str:
    return _EM.sub(lambda m: f"{_I_OPEN}{m.group(1) or m.group(2)}{_I_CLOSE}", text)


def _link(label: str, url: str, markup: str) -> str:
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:  # e.g. an unbalanced "[" in the host
        scheme = ""
    safe = scheme in _LINK_SCHEMES
    shown = _inline(label, "plain", links=False)
    # "[help@example.org](mailto:help@example.org)" needs no address after it
    same = shown == url or (scheme in ("mailto", "tel") and shown == url.split(":", 1)[1])
    if safe and markup == "telegram_html":
        href = url.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
        return f'<a href="{href}">{_inline(label, markup, links=False)}</a>'
    if safe and markup == "slack_mrkdwn":
        target = url.replace("&", "&amp;").replace("<", "%3C").replace(">", "%3E").replace("|", "%7C")
        return f"<{target}>" if same else f"<{target}|{_inline(label, markup, links=False, emphasis=False)}>"
    text = _inline(label, markup, links=False)
    # Plain channels, and links with other schemes (javascript:, data:, relative) which are never clickable.
    return text if same else f"{text} ({_escape(url, markup)})"


# --- Splitting ----------------------------------------------------------------------------------------------

_PARAGRAPHS, _LINES, _SENTENCES, _WORDS = range(4)
_SEPARATORS = ("\n\n", "\n", " ", " ")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_SENTENCE_BREAK = re.compile(r"[.?!][\"'’”)\]*_]*(\s+)(?=[\"'‘“(\[*_]*[A-Z0-9])")
_WORD_BREAK = re.compile(r"\s+")
_ABBREVIATIONS = frozenset(
    (
        "e.g.",
        "i.e.",
        "eg.",
        "ie.",
        "etc.",
        "cf.",
        "vs.",
        "approx.",
        "dr.",
        "mr.",
        "mrs.",
        "ms.",
        "prof.",
        "st.",
        "no.",
        "nos.",
        "fig.",
        "jr.",
        "sr.",
        "al.",
        "incl.",
    )
)
# Markdown spans a split should not cut when there is any other choice: a cut link or bold phrase would show
# its markers literally.
_KEEP_TOGETHER = (_LINK, _STRONG, _EM)
_HEADING_PARAGRAPH = re.compile(r"\s{0,3}#{1,6}\s+[^\n]*")


def split_text(text: str, fits: Callable[[str], bool]) -> list[str]:
    """Split ``text`` into as few stripped, non-empty parts as possible, each satisfying ``fits``.

    Cuts at paragraph boundaries first, then lines, sentences, words and, only for a word that fits nowhere,
    inside the word. A lower-level cut is used only for a unit that cannot fit in a part of its own, and the
    part being filled is topped up with that unit's beginning when this saves a message. Assumes that a text
    which fits still fits when shortened; raises ValueError if not even one character fits.
    """
    return _split(text, fits, markdown=False)


def _split(text: str, fits: Callable[[str], bool], *, markdown: bool) -> list[str]:
    """split_text; with ``markdown``, also avoids cutting inside links and emphasis, and keeps each heading
    with the paragraph after it so that a part never ends with a heading."""
    keep_together = _KEEP_TOGETHER if markdown else ()
    paragraphs = _units(text.replace("\r\n", "\n").replace("\r", "\n"), _PARAGRAPHS, keep_together)
    if markdown:
        paragraphs = _attach_headings(paragraphs)
    packer = _Packer(fits, keep_together)
    for paragraph in paragraphs:
        packer.add(paragraph, _PARAGRAPHS, _SEPARATORS[_PARAGRAPHS])
    packer.flush()
    return packer.parts


def _attach_headings(paragraphs: list[str]) -> list[str]:
    attached: list[str] = []
    for paragraph in reversed(paragraphs):
        if attached and _HEADING_PARAGRAPH.fullmatch(paragraph):
            attached[-1] = f"{paragraph}{_SEPARATORS[_PARAGRAPHS]}{attached[-1]}"
        else:
            attached.append(paragraph)
    return attached[::-1]


def _units(text: str, level: int, keep_together: Sequence[re.Pattern[str]]) -> list[str]:
    """The pieces of ``text`` at ``level``, without the whitespace between them."""
    if level == _PARAGRAPHS:
        pieces = _PARAGRAPH_BREAK.split(text)
    elif level == _LINES:
        pieces, after_blank = [], False
        for line in text.split("\n"):
            if not line.strip():
                after_blank = bool(pieces)
                continue
            pieces.append(f"\n{line}" if after_blank else line)  # a heading keeps the blank line after it
            after_blank = False
    else:
        breaks = _sentence_breaks(text) if level == _SENTENCES else [m.span() for m in _WORD_BREAK.finditer(text)]
        kept = [m.span() for pattern in keep_together for m in pattern.finditer(text)]
        pieces, start = [], 0
        for begin, end in breaks:
            if not any(a < begin and end < b for a, b in kept):
                pieces.append(text[start:begin])
                start = end
        pieces.append(text[start:])
    # Lines keep their indentation (nested bullets); it is stripped only when a line starts a part.
    return [piece.rstrip() if level == _LINES else piece.strip() for piece in pieces if piece.strip()]


def _sentence_breaks(text: str) -> list[tuple[int, int]]:
    breaks = []
    for match in _SENTENCE_BREAK.finditer(text):
        before = text[: match.start() + 1].split()
        word = before[-1].lstrip("([\"'‘“*_").lower() if before else ""
        if text[match.start()] == "." and (word in _ABBREVIATIONS or re.fullmatch(r"[a-z]\.", word)):
            continue  # "e.g. Walking", "Dr. Patel", an initial
        breaks.append(match.span(1))
    return breaks


class _Packer:
    """Greedily fills parts with units, going down a level only for a unit too big for a part of its own."""

    def __init__(self, fits: Callable[[str], bool], keep_together: Sequence[re.Pattern[str]]) -> None:
        self.fits = fits
        self.keep_together = keep_together
        self.parts: list[str] = []
        self.current = ""

    def flush(self) -> None:
        if self.current:
            self.parts.append(self.current)
        self.current = ""

    def add(self, unit: str, level: int, separator: str) -> None:
        alone = unit.strip()
        if self.fits(f"{self.current}{separator}{unit}" if self.current else alone):
            self.current = f"{self.current}{separator}{unit}" if self.current else alone
            return
        if self.current and self.fits(alone):
            self.flush()
            self.current = alone
            return
        if not self.current:
            self._add_in_pieces(unit, level, separator)
            return
        # The unit must be cut anyway. Top up the current part with its beginning only if that saves a
        # message; otherwise start it on a part of its own, which keeps the better boundary before it.
        topped_up, fresh = self._copy(), self._copy()
        topped_up._add_in_pieces(unit, level, separator)
        fresh.flush()
        fresh._add_in_pieces(unit, level, separator)
        best = topped_up if topped_up._messages() < fresh._messages() else fresh
        self.parts, self.current = best.parts, best.current

    def _add_in_pieces(self, unit: str, level: int, separator: str) -> None:
        if level == _WORDS:
            self._add_cut_word(unit.strip(), separator)
            return
        separator += unit[: len(unit) - len(unit.lstrip("\n"))]  # the blank line after a heading
        for index, smaller in enumerate(_units(unit, level + 1, self.keep_together)):
            self.add(smaller, level + 1, separator if index == 0 else _SEPARATORS[level + 1])

    def _copy(self) -> _Packer:
        copy = _Packer(self.fits, self.keep_together)
        copy.parts, copy.current = list(self.parts), self.current
        return copy

    def _messages(self) -> int:
        return len(self.parts) + bool(self.current)

    def _add_cut_word(self, word: str, separator: str) -> None:
        """Last resort for a word longer than a whole part (a huge URL, say): cut it where the part is full."""
        while word:
            joiner = separator if self.current else ""
            size = self._longest_fitting_prefix(word, joiner)
            if size == 0:
                if not self.current:
                    raise ValueError(f"Not even one character fits in a part: {word[:1]!r}")
                self.flush()
                continue
            self.current = f"{self.current}{joiner}{word[:size]}"
            word = word[size:]
            if word:
                self.flush()

    def _longest_fitting_prefix(self, word: str, joiner: str) -> int:
        low, high = 0, len(word)
        while low < high:
            middle = (low + high + 1) // 2
            if self.fits(f"{self.current}{joiner}{word[:middle]}"):
                low = middle
            else:
                high = middle - 1
        return low


# --- Replies, buttons and answers ---------------------------------------------------------------------------

CHOOSE_ONE = "Choose one:"  # text of a buttons-only reply on channels with native buttons
_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}
# "no one" is not choice 1, so "no." only goes with digits.
_NUMBER_ANSWER = re.compile(r"(?:(?:#|no\.?|number|option|choice)?\s*(\d{1,3})|(?:number|option|choice)?\s*(" + "|".join(_NUMBER_WORDS) + r"))\s*[.)!]*")


def format_reply(style: ChannelStyle, text: str | None, choices: Sequence[Choice] = (), image_url: str | None = None) -> list[OutgoingPart]:
    """Turn one bot reply into the messages to send on ``style``'s channel, in order.

    The Markdown source is split so that each part's *converted* text fits, so a tag or link is never cut in
    half. Without native buttons the choices become a numbered list at the end of the last part (or a final
    part of their own); without native images the image becomes a "Picture: <url>" line before that list.
    With native images the image is its own part after the text. Native buttons go on the last part, which
    is always a text part, with their titles as plain text: when the reply has no text, or ends with a native
    image, a final part "Choose one:" carries them.
    """
    choices = tuple(choices)
    image_url = (image_url or "").strip() or None
    source = (text or "").strip()

    def converted_fits(markdown: str) -> bool:
        return style.fits(to_markup(markdown, style.markup))

    texts = [converted for part in _split(source, converted_fits, markdown=True) if (converted := to_markup(part, style.markup))]

    extras = []
    if image_url and not style.native_images:
        extras.append(f"Picture: {image_url}")
    if choices and not style.native_buttons:
        extras.append(numbered_choices(choices))
    if extras:
        appendix = _escape("\n\n".join(extras), style.markup)
        if texts and style.fits(f"{texts[-1]}\n\n{appendix}"):
            texts[-1] = f"{texts[-1]}\n\n{appendix}"
        else:
            texts.extend(split_text(appendix, style.fits))

    parts = [OutgoingPart(part) for part in texts]
    if image_url and style.native_images:
        parts.append(OutgoingPart("", image_url=image_url))
    if choices and style.native_buttons:
        if not parts or parts[-1].image_url:  # connectors attach buttons to a text message
            parts.append(OutgoingPart(_escape(CHOOSE_ONE, style.markup)))
        parts[-1] = replace(parts[-1], choices=tuple(Choice(_plain_title(choice.title), choice.payload) for choice in choices))
    return parts


def numbered_choices(choices: Sequence[Choice]) -> str:
    """The buttons as a list the patient answers by number: "Reply with a number:\\n1. Pacing\\n2. Flare-ups"."""
    if not choices:
        return ""
    lines = [f"{number}. {_plain_title(choice.title)}" for number, choice in enumerate(choices, start=1)]
    return "\n".join(["Reply with a number:", *lines])


def pick_choice(reply: str, choices: Sequence[Choice]) -> Choice | None:
    """The choice a patient's answer to ``numbered_choices`` means, or None if it is not clearly one.

    Understands "2", "2.", "#2", "option 2", "number 2", "two" (one to ten) and the exact title, ignoring case
    and spacing. Anything else, including a number out of range, is None so the message is read as free text.
    """
    answer = " ".join(reply.split()).casefold()
    if not answer or not choices:
        return None
    if number := _NUMBER_ANSWER.fullmatch(answer):
        index = int(number.group(1)) if number.group(1) else _NUMBER_WORDS[number.group(2)]
        return choices[index - 1] if 1 <= index <= len(choices) else None
    wanted = answer.rstrip(".!")
    for choice in choices:
        titles = {" ".join(choice.title.split()).casefold(), _plain_title(choice.title).casefold()}
        if wanted in {title.rstrip(".!") for title in titles}:
            return choice
    return None


def _plain_title(title: str) -> str:
    return " ".join(to_markup(title, "plain").split())


def choices_in(message: Mapping[str, Any]) -> list[Choice]:
    """The buttons of one of Rasa's bot messages ("buttons", or "quick_replies" as some channels name them)."""
    buttons = message.get("buttons") or message.get("quick_replies") or []
    return [Choice(str(button.get("title", "")), str(button.get("payload", ""))) for button in buttons if isinstance(button, Mapping)]


def reply_parts(style: ChannelStyle, message: Mapping[str, Any]) -> list[OutgoingPart]:
    """What to send on a channel for one of Rasa's bot messages (text, buttons, image)."""
    return format_reply(style, message.get("text"), choices_in(message), message.get("image"))
