"""Rasa's hot paths made cheap (components/rasa_speedups.py) still do exactly what Rasa did."""

import asyncio
import threading

import jsonschema
import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.core.channels.channel import UserMessage
from rasa.core.processor import MessageProcessor
from rasa.engine.exceptions import GraphRunError
from rasa.engine.graph import ExecutionContext, GraphComponent, GraphSchema, SchemaNode
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.shared.core.events import ActionExecuted, Event, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity
from rasa.shared.utils.common import all_subclasses

import components.turn_guard_policy  # noqa: F401  (loading the policy installs them, as the server does)
from components.rasa_speedups import RASA_RUN, parse_message, resolve_event_type, response_validator, run_graph, validate_action_result

GOOD_REPLIES = [
    {"events": [], "responses": []},
    {"events": [{"event": "slot", "name": "topic", "value": "pacing"}], "responses": [{"text": "Pacing means..."}]},
    {
        "events": [{"event": "slot", "name": "pain_score", "value": 7}],
        "responses": [{"text": "Logged 7/10.", "buttons": [{"title": "Show my diary", "payload": "/ask_pain_summary"}]}],
    },
]
BAD_REPLIES = [
    {"events": "not a list", "responses": []},
    {"events": [{"name": "topic"}], "responses": []},  # an event without its type
    {"events": [], "responses": "Pacing means..."},
]


def test_the_server_uses_both():
    assert RemoteAction._validate_action_result is validate_action_result
    assert Event.resolve_by_type is resolve_event_type
    assert response_validator() is response_validator()


@pytest.mark.parametrize("reply", GOOD_REPLIES)
def test_a_well_formed_reply_passes(reply):
    assert RemoteAction("action_topic", None)._validate_action_result(reply) is True


@pytest.mark.parametrize("reply", BAD_REPLIES)
def test_a_malformed_reply_is_rejected_as_rasa_rejects_it(reply):
    with pytest.raises(ValidationError) as rasa_error:
        jsonschema.validate(reply, RemoteAction.action_response_format_spec())
    with pytest.raises(ValidationError, match="Failed to validate Action server response") as ours:
        RemoteAction("action_topic", None)._validate_action_result(reply)
    assert ours.value.message.startswith(rasa_error.value.message)


def test_every_event_type_resolves_to_the_class_rasa_would_pick():
    classes = all_subclasses(Event)
    for name in {event_class.type_name for event_class in classes}:
        first_match = next(event_class for event_class in classes if event_class.type_name == name)
        assert resolve_event_type(name) is first_match


def test_unknown_and_legacy_event_names_behave_as_in_rasa():
    assert resolve_event_type("topic") is None
    assert resolve_event_type("no_such_event", default=SlotSet) is SlotSet
    with pytest.raises(ValueError, match="Unknown event name 'no_such_event'"):
        resolve_event_type("no_such_event")


def test_an_event_class_defined_later_is_found():
    class CheckInSent(Event):
        type_name = "pacewise_test_check_in_sent"

        def __eq__(self, other):
            return isinstance(other, CheckInSent)

        def as_story_string(self):
            return None

    assert resolve_event_type("pacewise_test_check_in_sent") is CheckInSent


def test_a_stored_conversation_loads_back_the_same():
    events = [ActionExecuted("action_listen"), UserUttered("is pacing just resting?", {"name": "ask_pacing"}), SlotSet("topic", "pacing")]
    stored = DialogueStateTracker.from_events("patient-1", events).current_state(EventVerbosity.ALL)
    loaded = DialogueStateTracker.from_dict("patient-1", stored["events"])
    assert list(loaded.events) == events
    assert loaded.get_slot("topic") == "pacing"


class _Add(GraphComponent):
    """A graph node that adds its config's amount to its input."""

    def __init__(self, amount: int) -> None:
        self.amount = amount

    @classmethod
    def create(cls, config, model_storage, resource, execution_context) -> "_Add":
        return cls(config["amount"])

    def run(self, number: int) -> int:
        return number + self.amount


def _runner(tmp_path) -> DaskGraphRunner:
    schema = GraphSchema(
        {
            "plus_one": SchemaNode(needs={"number": "start"}, uses=_Add, fn="run", constructor_name="create", config={"amount": 1}),
            "plus_ten": SchemaNode(needs={"number": "plus_one"}, uses=_Add, fn="run", constructor_name="create", config={"amount": 10}),
            "plus_hundred": SchemaNode(needs={"number": "start"}, uses=_Add, fn="run", constructor_name="create", config={"amount": 100}),
        }
    )
    return DaskGraphRunner(schema, LocalModelStorage(tmp_path), ExecutionContext(schema, "test"))


def test_a_graph_runs_with_each_runs_own_inputs_as_in_rasa(tmp_path):
    assert DaskGraphRunner.run is run_graph
    runner = _runner(tmp_path)
    for start in (1, 5, 1):  # the same targets again: the kept task graph must not keep the last inputs
        assert runner.run(inputs={"start": start}, targets=["plus_ten"]) == RASA_RUN(runner, inputs={"start": start}, targets=["plus_ten"])
        assert runner.run(inputs={"start": start}, targets=["plus_ten"]) == {"plus_ten": start + 11}
    assert runner.run(inputs={"start": 2}, targets=["plus_hundred", "plus_one"]) == {"plus_hundred": 102, "plus_one": 3}


def test_an_input_named_like_a_node_is_refused_as_in_rasa(tmp_path):
    with pytest.raises(GraphRunError, match="clashes with a node name"):
        _runner(tmp_path).run(inputs={"start": "plus_one"}, targets=["plus_ten"])


class _Processor:
    """What parse_message uses of Rasa's MessageProcessor, recording where the NLU ran."""

    http_interpreter = None

    def __init__(self) -> None:
        self.threads: list[str] = []

    def _parse_message_with_graph(self, message, tracker, only_output_properties):
        self.threads.append(threading.current_thread().name)
        return {"text": message.text, "intent": {"name": "ask_pacing"}, "entities": [], "sender": tracker.sender_id}

    def _update_full_retrieval_intent(self, parse_data):
        parse_data["updated"] = True

    def _check_for_unseen_features(self, parse_data):
        parse_data["checked"] = True


def test_the_nlu_runs_in_one_worker_thread_and_the_result_is_rasas():
    assert MessageProcessor.parse_message is parse_message
    processor = _Processor()

    async def two_patients():
        return await asyncio.gather(*(parse_message(processor, UserMessage(text, sender_id=s)) for text, s in (("pacing?", "a"), ("flare", "b"))))

    first, second = asyncio.run(two_patients())
    assert first == {"text": "pacing?", "intent": {"name": "ask_pacing"}, "entities": [], "sender": "a", "updated": True, "checked": True}
    assert second["sender"] == "b"
    assert set(processor.threads) == {processor.threads[0]} and processor.threads[0].startswith("pacewise-nlu")


def action_server_stand_in():
    """An aiohttp app answering like an action server, recording the client port of each call."""
    from aiohttp import web

    ports: list[int] = []

    async def webhook(request: web.Request) -> web.Response:
        ports.append(request.transport.get_extra_info("peername")[1])
        return web.json_response({"events": [], "responses": [{"text": f"call {len(ports)}"}]})

    app = web.Application()
    app.router.add_post("/webhook", webhook)
    return app, ports


def test_calls_to_the_action_server_reuse_one_kept_alive_connection_and_survive_its_restart():
    from aiohttp import web
    from rasa.utils.endpoints import EndpointConfig

    from components.rasa_speedups import close_shared_sessions, shared_session

    assert EndpointConfig.session is shared_session

    async def scenario() -> tuple[list[str], list[int], list[int]]:
        app, ports = action_server_stand_in()
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]
        endpoint = EndpointConfig(url=f"http://127.0.0.1:{port}/webhook")
        replies = [(await endpoint.request(json={"next_action": "x"}, method="post"))["responses"][0]["text"] for _ in range(3)]
        first_ports = list(ports)
        await runner.cleanup()  # the action server stops, then starts again on the same port

        app, ports = action_server_stand_in()
        runner = web.AppRunner(app)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        replies.append((await endpoint.request(json={"next_action": "x"}, method="post"))["responses"][0]["text"])
        await close_shared_sessions()
        await runner.cleanup()
        return replies, first_ports, ports

    replies, before, after = asyncio.run(scenario())
    assert replies == ["call 1", "call 2", "call 3", "call 1"]
    assert len(set(before)) == 1, "each call opened a new connection"
    assert len(after) == 1


def test_numpy_products_run_on_the_calling_thread_only():
    """A spinning BLAS thread pool cost the Rasa server a core's worth of waiting under load (profiled)."""
    from threadpoolctl import threadpool_info

    assert [pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"] in ([1], [1, 1])
