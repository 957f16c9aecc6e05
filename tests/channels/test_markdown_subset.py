"""The messaging channels render the Markdown subset as its one table says (tests/markdown_subset.json).

The widget's browser test reads the same table (tests/web/test_widget.py, scenario markdown_table), so the
two renderers cannot drift apart again.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from channels.messaging.formatting import to_markup

TABLE = json.loads((Path(__file__).resolve().parents[1] / "markdown_subset.json").read_text(encoding="utf-8"))
MARKUPS = ("plain", "sms", "whatsapp", "telegram_html", "slack_mrkdwn")


@pytest.mark.parametrize("case", TABLE["cases"], ids=[case["name"] for case in TABLE["cases"]])
@pytest.mark.parametrize("markup", MARKUPS)
def test_each_channel_renders_the_table_case(case, markup):
    assert to_markup(case["markdown"], markup) == case[markup]


def test_every_case_says_what_every_renderer_makes_of_it():
    names = [case["name"] for case in TABLE["cases"]]
    assert len(names) == len(set(names)) >= 25
    for case in TABLE["cases"]:
        assert set(case) == {"name", "markdown", *MARKUPS, "widget"}, case["name"]


def test_the_table_covers_what_drifted_before():
    """Bare URLs before punctuation, arithmetic stars, ***both***, + bullets and 1) numbers: the widget and the
    channels once disagreed on each."""
    by_name = {case["name"]: case for case in TABLE["cases"]}
    assert 'href="https://www.nhs.uk/pain"' in by_name["bare_url_in_curly_quotes"]["widget"]
    assert "<em>" not in by_name["arithmetic_is_not_italic"]["widget"]
    assert by_name["bold_and_italic"]["widget"].startswith("<p><strong><em>Never</em></strong>")
    assert by_name["plus_bullets"]["widget"] == "<ul><li>walk</li><li>swim</li></ul>"
    assert by_name["numbered_with_brackets"]["telegram_html"] == "1. Rest\n2. Move"
