"""Rasa 3.6's hot paths made cheap, without changing what they do.

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
- Every run of the model's graph (the NLU once a message, the policies once
  per action) first works out which nodes the targets need, recursively, and
  rebuilds the dask task graph: a few per cent of a message's time for the
  same answer each time. The task graph is kept per set of targets and
  copied for each run; the inputs and the checks on them are as before.

- Every call to the action server (one or two a message) opened a new HTTP
  client session and a new TCP connection, which both servers then set up
  and tore down. Calls now share one client session per event loop and
  endpoint, so connections are kept alive and reused; a connection is
  dropped after 2 s idle, before the action server's own keep-alive of 5 s
  ends it, so a call never goes out on a connection the server is closing.

- NumPy's BLAS (OpenBLAS) kept a thread per core spinning after each small
  product, so a message's few vector products cost a core's worth of
  waiting. It runs on the calling thread only: the products here are a few
  hundred numbers wide, and the server already runs requests side by side.

One change of concurrency, not of work: Rasa runs the NLU of a message on
the server's event loop, so while one message's sentence encoder runs, no
other patient's reply moves. The NLU now runs in one worker thread (one, so
the components never run twice at once); the event loop goes on with other
conversations' dialogue steps meanwhile, and the encoder and the database
run outside Python's lock, on the second core.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from typing import Any

import aiohttp
import dask
from jsonschema import ValidationError, validators
from jsonschema.exceptions import best_match
from rasa.core.actions.action import RemoteAction
from rasa.core.channels.channel import UserMessage
from rasa.core.processor import MessageProcessor
from rasa.engine.exceptions import GraphRunError
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.shared.constants import DOCS_BASE_URL
from rasa.shared.core.events import Event
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.utils.common import all_subclasses
from rasa.utils.endpoints import DEFAULT_REQUEST_TIMEOUT, EndpointConfig
from threadpoolctl import threadpool_limits

_EVENT_TYPES: dict[str, type[Event]] = {}
RASA_RUN = DaskGraphRunner.run  # Rasa's own, kept for comparison in the tests
_NLU_THREAD = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pacewise-nlu")
RASA_SESSION = EndpointConfig.session
# Shorter than Sanic's default keep-alive (5 s), so the action server never closes a connection as it is reused.
KEEPALIVE_SECONDS = 2.0
_SHARED_SESSIONS: dict[tuple[Any, ...], aiohttp.ClientSession] = {}


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


def run_graph(runner: DaskGraphRunner, inputs: dict[str, Any] | None = None, targets: list[str] | None = None) -> dict[str, Any]:
    """DaskGraphRunner.run, with the task graph for each set of targets built once per runner."""
    run_targets = targets if targets else runner._graph_schema.target_names
    built: dict[tuple[str, ...], dict[str, Any]] = runner.__dict__.setdefault("_task_graphs", {})
    key = tuple(run_targets)
    if key not in built:
        built[key] = runner._build_dask_graph(runner._graph_schema.minimal_graph_schema(run_targets))
    task_graph = dict(built[key])
    if inputs:
        runner._add_inputs_to_graph(inputs, task_graph)
    try:
        return dict(dask.get(task_graph, run_targets))
    except RuntimeError as e:
        raise GraphRunError("Error running runner.") from e


async def parse_message(
    processor: MessageProcessor, message: UserMessage, tracker: DialogueStateTracker | None = None, only_output_properties: bool = True
) -> dict[str, Any]:
    """MessageProcessor.parse_message, with the NLU graph run in the NLU worker thread."""
    if processor.http_interpreter:
        parse_data = await processor.http_interpreter.parse(message)
    else:
        if tracker is None:
            tracker = DialogueStateTracker.from_events(message.sender_id, [])
        loop = asyncio.get_running_loop()
        parse_data = await loop.run_in_executor(_NLU_THREAD, processor._parse_message_with_graph, message, tracker, only_output_properties)
    processor._update_full_retrieval_intent(parse_data)
    processor._check_for_unseen_features(parse_data)
    return parse_data


class _OpenSession:
    """What ``async with endpoint.session()`` gets: the shared session, left open when the block ends."""

    def __init__(self, session: aiohttp.ClientSession) -> None:
        self._session = session

    async def __aenter__(self) -> aiohttp.ClientSession:
        return self._session

    async def __aexit__(self, *_exc_info: object) -> None:
        return None


def shared_session(endpoint: EndpointConfig) -> Any:
    """EndpointConfig.session, one kept-alive client session per event loop and endpoint settings.

    Outside a running event loop it is Rasa's own (a new session each time).
    """
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return RASA_SESSION(endpoint)
    auth = tuple(sorted(endpoint.basic_auth.items())) if endpoint.basic_auth else None
    key = (loop, tuple(sorted((endpoint.headers or {}).items())), auth)
    session = _SHARED_SESSIONS.get(key)
    if session is None or session.closed:
        for stale in [k for k in _SHARED_SESSIONS if k[0].is_closed()]:
            del _SHARED_SESSIONS[stale]  # loops that have ended (tests start several)
        session = aiohttp.ClientSession(
            headers=endpoint.headers,
            auth=aiohttp.BasicAuth(endpoint.basic_auth["username"], endpoint.basic_auth["password"]) if endpoint.basic_auth else None,
            timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT),
            connector=aiohttp.TCPConnector(keepalive_timeout=KEEPALIVE_SECONDS),
        )
        _SHARED_SESSIONS[key] = session
    return _OpenSession(session)


async def close_shared_sessions() -> None:
    """Close this event loop's shared sessions (when a loop ends before the process does, as in tests)."""
    loop = asyncio.get_running_loop()
    for key in [k for k in _SHARED_SESSIONS if k[0] is loop]:
        await _SHARED_SESSIONS.pop(key).close()


def install() -> None:
    """Use all of them in this process (the Rasa server loads this with its policies)."""
    RemoteAction._validate_action_result = validate_action_result  # type: ignore[method-assign]
    Event.resolve_by_type = staticmethod(resolve_event_type)  # type: ignore[method-assign,assignment]
    DaskGraphRunner.run = run_graph  # type: ignore[method-assign]
    MessageProcessor.parse_message = parse_message  # type: ignore[method-assign]
    EndpointConfig.session = shared_session  # type: ignore[method-assign,assignment]
    threadpool_limits(limits=1, user_api="blas")
