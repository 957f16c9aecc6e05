"""content/safety/descriptions.yml: clinicians' descriptions of red flags and despair, in patients' words.

Read here (and checked by `make check-content`); the Rasa server compares
patients' sentences with them (components/safety/meaning.py). A mistake is
explained in plain words, naming the section and the sign.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from pacewise.content.library import content_dir

DESCRIPTIONS_FILE = "safety/descriptions.yml"
CATEGORY_OF_SECTION = {"red_flags": "red_flag", "crisis": "crisis"}
URGENCIES = ("emergency", "same_day")


class DescriptionsError(ValueError):
    """descriptions.yml is not usable; the message says where and why, in plain words."""


@dataclass(frozen=True)
class Description:
    category: str  # red_flag or crisis
    sign: str  # e.g. saddle_numbness, despair
    urgency: str
    text: str


def load_descriptions(path: Path) -> tuple[list[Description], list[str]]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise DescriptionsError(f"{path}: cannot be read as YAML ({error}).") from error
    if not isinstance(data, dict):
        raise DescriptionsError(f"{path}: expected the sections red_flags, crisis and avoid.")
    descriptions: list[Description] = []
    for section, category in CATEGORY_OF_SECTION.items():
        signs = data.get(section)
        if not isinstance(signs, dict) or not signs:
            raise DescriptionsError(f"{path}: the section '{section}' is missing or empty.")
        for sign, block in signs.items():
            where = f"{path}: {section} > {sign}"
            if not isinstance(block, dict):
                raise DescriptionsError(f"{where}: needs 'label', 'urgency' and a list of 'descriptions'.")
            urgency = block.get("urgency")
            if urgency not in URGENCIES:
                raise DescriptionsError(f"{where}: 'urgency' must be one of {', '.join(URGENCIES)}, not {urgency!r}.")
            texts = block.get("descriptions")
            if not isinstance(texts, list) or not texts or not all(isinstance(text, str) and text.strip() for text in texts):
                raise DescriptionsError(f"{where}: 'descriptions' must be a list of sentences, one per line starting with '- '.")
            descriptions.extend(Description(category, str(sign), urgency, text.strip()) for text in texts)
    avoid = data.get("avoid") or []
    if not isinstance(avoid, list) or not all(isinstance(text, str) for text in avoid):
        raise DescriptionsError(f"{path}: 'avoid' must be a list of sentences, one per line starting with '- '.")
    return descriptions, [text.strip() for text in avoid if text.strip()]


def descriptions_path() -> Path:
    return content_dir() / DESCRIPTIONS_FILE
