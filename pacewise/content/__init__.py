"""Clinician-curated content: the file format, its checks and the live library. Core: both servers and the tools."""

from pacewise.content.library import ContentLibrary, default_library
from pacewise.content.model import Source, Topic, intent_for_topic, topic_id_for_intent
from pacewise.content.problems import Problem, Severity

__all__ = [
    "ContentLibrary",
    "Problem",
    "Severity",
    "Source",
    "Topic",
    "default_library",
    "intent_for_topic",
    "topic_id_for_intent",
]
