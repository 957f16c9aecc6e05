"""What patients say about everything else: the training examples of other intents and the held-out topic and
safety messages, for checking that a deterministic reader never takes one for its own request."""

from __future__ import annotations

import glob
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[3]


def messages_about_other_things(own_intent: str, own_kind: str | None = None, skip_sets: str | None = None) -> list[str]:
    """Every training example not of `own_intent`, and every held-out message not labelled `own_kind`
    (sets whose file name contains `skip_sets` left out)."""
    texts: list[str] = []
    for path in glob.glob(str(REPO / "data" / "nlu" / "*.yml")):
        for block in yaml.safe_load(Path(path).read_text(encoding="utf-8")).get("nlu", []):
            if block.get("intent") not in (None, own_intent) and "examples" in block:
                texts += [line[2:] for line in block["examples"].splitlines() if line.startswith("- ")]
    for path in [*glob.glob(str(REPO / "tests" / "nlu" / "heldout*.yml")), *glob.glob(str(REPO / "tests" / "safety" / "*.yml"))]:
        if skip_sets is None or skip_sets not in Path(path).name:
            messages = yaml.safe_load(Path(path).read_text(encoding="utf-8")).get("messages", [])
            texts += [message["text"] for message in messages if own_kind is None or message.get("kind") != own_kind]
    return texts
