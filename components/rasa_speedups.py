"""Two of Rasa 3.6's hot paths made cheap, without changing what they do.

Profiled under load (py-spy, README "Benchmarks"):

- RemoteAction checks every reply of the action server with
  ``jsonschema.validate``, which first checks Rasa's own response schema
  against the JSON Schema meta-schema and builds a new validator, on every
  action call: about a fifth of the Rasa server's CPU per message. The schema
  is a constant, so it is checked once and its validator reused; a malformed
  reply is still rejected with the same error.
- Loading a conversation turns each stored event back into an object with
  ``Event.resolve_by_type``, which walks every subclass of Event for each
  event: 30% of the time of a message 1,000 events into a conversation. The
  type names are looked up in a table instead, rebuilt when a name is not in
  it (so an event class defined later is still found), with the same first
  match, the same default and the same error for an unknown name.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jsonschema import ValidationError, validators
from jsonschema.exceptions import best_match
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL
from rasa.shared.core.events import Event
from rasa.shared.utils.common import all_subclasses

_EVENT_TYPES: dict[str, type[Event]] = {}


@lru_cache(maxsize=1)
def response_validator() -> Any:
    """The validator of Rasa's action-server response schema, checked and built once per process."""
    schema = RemoteAction.action_response_format_spec()
    validator_class = validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def validate_action_result(_action: RemoteAction, result: dict[str, Any]) -> bool:
    """RemoteAction._validate_action_result, without rebuilding the validator each time."""
    error: ValidationError | None = best_match(response_validator().iter_errors(result))
    if error is not None:
        error.message += (
            ". Failed to validate Action server response from API, "
            "make sure your response from the Action endpoint is valid. "
            f"For more information about the format visit {DOCS_BASE_URL}/custom-actions"
        )
        raise error
    return True


def resolve_event_type(type_name: str, default: type[Event] | None = None) -> type[Event] | None:
    """Event.resolve_by_type from a table of the event classes, not a walk over them per event."""
    event_class = _EVENT_TYPES.get(type_name)
    if event_class is None:
        for candidate in all_subclasses(Event):
            _EVENT_TYPES.setdefault(candidate.type_name, candidate)  # the first match wins, as in Rasa
        event_class = _EVENT_TYPES.get(type_name)
    if event_class is not None:
        return event_class
    if type_name == "topic":
        return None  # Rasa's backwards compatibility with old TopicSet events
    if default is not None:
        return default
    raise ValueError(f"Unknown event name '{type_name}'.")


def install() -> None:
    """Use both in this process (the Rasa server loads this with its policies)."""
    RemoteAction._validate_action_result = validate_action_result  # type: ignore[method-assign]
    Event.resolve_by_type = staticmethod(resolve_event_type)  # type: ignore[method-assign,assignment]
