"""Check the action server's replies with a validator built once.

Rasa 3.6's RemoteAction checks every reply from the action server with
``jsonschema.validate``, which first checks Rasa's own response schema against
the JSON Schema meta-schema and compiles a new validator, on every action
call. Profiled under load (py-spy, README "Benchmarks"), that was about a fifth
of the Rasa server's CPU time per message. The schema is a constant, so here
it is checked once and its validator reused; a malformed reply is still
rejected with the same error as before.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jsonschema import ValidationError, validators
from jsonschema.exceptions import best_match
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL


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


def install() -> None:
    """Use the built-once validator for every remote action of this process."""
    RemoteAction._validate_action_result = validate_action_result  # type: ignore[method-assign]
