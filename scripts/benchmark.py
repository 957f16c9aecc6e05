"""`make bench`: speed and memory of Pacewise beside a stock `rasa init` bot, printed, not asserted.

Both bots run as `make run` runs Pacewise: a Rasa server and an action server
as processes on loopback, a SQLite tracker store, REST. For each:

- full training time (`rasa train --force`) and time from start to ready
- one client: REST p50 / p95 per message
- p50 a few events into a session and again 1,000 events into the same session
- 10 and 50 concurrent clients (each waits for its reply before the next
  message): messages per second, p50 and p95
- the Rasa server's resident memory while 5,000 messages go through (10
  clients, one message in 20 bad: 100 KB and 1.2 MB texts, broken JSON, empty,
  emoji-only, wrong types), at 0, 1,000, ... 5,000 messages
- `/model/parse` p50 / p95 on the held-out patient messages

For Pacewise also: NLU 5-fold cross-validation (`--skip-cv` leaves it out, the
slowest part) and REST latency while another client sends 40,000-character
messages back to back. Results go to bench/output/results.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import aiohttp
import requests

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from scripts.bot_servers import RASA, BotServers  # noqa: E402 - the same harness the end-to-end tests start

OUTPUT = REPO_ROOT / "bench" / "output"
ENV = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2"}
PACEWISE_MESSAGES = [
    "if it hurts am I making it worse?",
    "I'm scared to move my back",
    "I always overdo it on good days then crash",
    "why does it still hurt when my scan was clear?",
    "hello",
    "what can you do",
    "/tell_me_more",
    "is swimming good for a bad back",
    "what's the weather like",
    "thanks",
]
INIT_MESSAGES = ["hello", "I am feeling great", "I am sad", "yes", "no", "are you a bot?", "bye"]
MEMORY_MESSAGES = 5_000
MEMORY_CHECKPOINT = 1_000
BAD_EVERY = 20
SESSION_EVENTS = 1_000


def run(command: list[str], cwd: Path) -> float:
    """Run a command and return its wall-clock time in seconds."""
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, env=ENV, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return elapsed


def resident_mib(pid: int, field: str = "VmRSS") -> float:
    status = Path(f"/proc/{pid}/status")
    if not status.exists():
        return float("nan")  # the server has died
    for line in status.read_text().splitlines():
        if line.startswith(f"{field}:"):
            return round(int(line.split()[1]) / 1024, 1)
    return float("nan")


def p50_p95(times: list[float]) -> tuple[float, float]:
    return round(statistics.median(times), 1), round(statistics.quantiles(times, n=20)[18], 1)


# -- bad input ----------------------------------------------------------------


def bad_bodies(large: bool = True) -> list[tuple[bytes, str]]:
    """Request bodies a careless or hostile client sends: (body, content type).

    `large=False` leaves out the 100 KB and 1.2 MB texts: a stock bot has no
    length limit, and one of them held its server for minutes and took it to
    18 GB resident (measured), so its run would never end.
    """
    story = "My back has hurt for years and some days I can barely get out of bed. "
    big = (story * (100_000 // len(story) + 1))[:100_000]
    huge = (story * (1_200_000 // len(story) + 1))[:1_200_000]
    as_json = "application/json"
    large_texts = [(json.dumps({"sender": "bench-bad", "message": text}).encode(), as_json) for text in (big, huge)] if large else []
    return [
        *large_texts,
        (b'{"sender": "bench-bad", "message": "unfinished', as_json),
        (json.dumps({"sender": "bench-bad", "message": ""}).encode(), as_json),
        (json.dumps({"sender": "bench-bad", "message": "\U0001f62b\U0001f62b\U0001f62b"}).encode(), as_json),
        (json.dumps({"sender": ["not", "a", "string"], "message": 42}).encode(), as_json),
        (b"\xff\xfe not utf-8 at all", "text/plain"),
    ]


# -- clients --------------------------------------------------------------------


async def clients(
    url: str,
    count: int,
    per_client: int,
    messages: list[str],
    prefix: str,
    bad_input: bool = False,
    large_bad_input: bool = True,
    on_message: Callable[[int], None] | None = None,
) -> dict:
    """`count` clients, each with its own conversation, each sending `per_client` messages one after another.

    With `bad_input`, one message in BAD_EVERY is one of `bad_bodies()`.
    """
    latencies: list[float] = []
    statuses: Counter[int | str] = Counter()
    bad = bad_bodies(large_bad_input)
    sent = 0
    connector = aiohttp.TCPConnector(limit=count)
    timeout = aiohttp.ClientTimeout(total=120)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:

        async def client(index: int) -> None:
            nonlocal sent
            for step in range(per_client):
                number = index * per_client + step
                if bad_input and number % BAD_EVERY == BAD_EVERY - 1:
                    body, content_type = bad[number // BAD_EVERY % len(bad)]
                    request = session.post(f"{url}/webhooks/rest/webhook", data=body, headers={"Content-Type": content_type})
                else:
                    text = messages[(index + step) % len(messages)]
                    request = session.post(f"{url}/webhooks/rest/webhook", json={"sender": f"{prefix}-{index}", "message": text})
                began = time.perf_counter()
                try:
                    async with request as response:
                        await response.read()
                        statuses[response.status] += 1
                except (aiohttp.ClientError, asyncio.TimeoutError):
                    statuses["no reply"] += 1  # a stock bot may take minutes over a megabyte of text, or fall over
                latencies.append((time.perf_counter() - began) * 1000)
                sent += 1
                if on_message is not None:
                    on_message(sent)

        began = time.perf_counter()
        await asyncio.gather(*(client(index) for index in range(count)))
        wall = time.perf_counter() - began
    p50, p95 = p50_p95(latencies)
    return {
        "clients": count,
        "messages": len(latencies),
        "messages_per_s": round(len(latencies) / wall, 1),
        "p50_ms": p50,
        "p95_ms": p95,
        "statuses": dict(statuses),
    }


def one_client(url: str, messages: list[str], count: int) -> dict:
    latencies = []
    with requests.Session() as session:
        for index in range(count):
            began = time.perf_counter()
            response = session.post(
                f"{url}/webhooks/rest/webhook", json={"sender": f"bench-one-{index // 10}", "message": messages[index % len(messages)]}, timeout=60
            )
            latencies.append((time.perf_counter() - began) * 1000)
            response.raise_for_status()
    p50, p95 = p50_p95(latencies)
    return {"p50_ms": p50, "p95_ms": p95, "messages": count}


def session_length(servers: BotServers, messages: list[str]) -> dict:
    """p50 of the second message of new conversations against messages 1,000 events into one session.

    The two are sent in turn, the same message to each, so both see the same
    moment of the machine: measured one after the other, a drift in the
    machine's speed between the two halves moved the figure by up to 15 points.
    """

    def send(session: requests.Session, sender: str, text: str) -> float:
        began = time.perf_counter()
        session.post(f"{servers.url}/webhooks/rest/webhook", json={"sender": sender, "message": text}, timeout=60).raise_for_status()
        return (time.perf_counter() - began) * 1000

    def events(sender: str) -> int:
        # Rasa's own ?token= (a stock bot takes no bearer header).
        response = requests.get(f"{servers.url}/conversations/{sender}/tracker", params={"token": servers.api_token}, timeout=60)
        response.raise_for_status()
        return len(response.json()["events"])

    with requests.Session() as session:
        sender, index = "bench-long-session", 0
        while events(sender) < SESSION_EVENTS:
            for _ in range(20):
                send(session, sender, messages[index % len(messages)])
                index += 1
        deep_events = events(sender)
        early, deep = [], []
        for index in range(100):
            send(session, f"bench-early-{index}", messages[(index + 1) % len(messages)])
            early.append(send(session, f"bench-early-{index}", messages[index % len(messages)]))
            deep.append(send(session, sender, messages[index % len(messages)]))
        early_events = events("bench-early-0")
    return {
        "early_events": early_events,
        "early_p50_ms": round(statistics.median(early), 1),
        "deep_events": deep_events,
        "deep_p50_ms": round(statistics.median(deep), 1),
        "deep_vs_early_pct": round(100 * (statistics.median(deep) / statistics.median(early) - 1), 1),
    }


def memory_under_load(url: str, pid: int, messages: list[str], large_bad_input: bool) -> dict:
    """Resident memory of the Rasa server at every 1,000 messages of a 10-client run with bad input mixed in."""
    samples = {0: resident_mib(pid)}

    def on_message(sent: int) -> None:
        if sent % MEMORY_CHECKPOINT == 0:
            samples[sent] = resident_mib(pid)

    per_client = MEMORY_MESSAGES // 10
    load = asyncio.run(clients(url, 10, per_client, messages, "bench-memory", bad_input=True, large_bad_input=large_bad_input, on_message=on_message))
    after = [value for sent, value in samples.items() if sent >= MEMORY_CHECKPOINT]
    growth = round(100 * (samples[max(samples)] / samples[MEMORY_CHECKPOINT] - 1), 1) if MEMORY_CHECKPOINT in samples else None
    return {
        "rss_mib_by_messages": samples,
        "rss_mib_max_after_1000": max(after) if after else None,
        "rss_growth_1000_to_5000_pct": growth,
        "statuses": load["statuses"],
        "messages_per_s": load["messages_per_s"],
    }


def parse_times(url: str, texts: list[str], token: str) -> dict:
    """`/model/parse` over HTTP for each text (after a short warm-up): p50 and p95 in ms."""
    params = {"token": token}  # Rasa's own way (the stock bot has no bearer-header support)
    times = []
    with requests.Session() as session:
        for text in texts[:10]:
            session.post(f"{url}/model/parse", json={"text": text}, params=params, timeout=60).raise_for_status()
        for text in texts:
            began = time.perf_counter()
            session.post(f"{url}/model/parse", json={"text": text}, params=params, timeout=60).raise_for_status()
            times.append((time.perf_counter() - began) * 1000)
    p50, p95 = p50_p95(times)
    return {"p50_ms": p50, "p95_ms": p95}


def heldout_texts() -> list[str]:
    import yaml

    return [entry["text"] for entry in yaml.safe_load((REPO_ROOT / "tests" / "nlu" / "heldout.yml").read_text())["messages"]]


def latencies_beside_long_messages(url: str, messages: list[str], count: int) -> dict:
    """Ordinary messages' latency while another client sends very long ones back to back."""
    story = "I have had back pain for years and I am worn out with it, some days are better than others. "
    long_message = (story * (40_000 // len(story) + 1))[:40_000]
    stop = threading.Event()
    long_times: list[float] = []

    def keep_sending() -> None:
        while not stop.is_set():
            began = time.perf_counter()
            requests.post(f"{url}/webhooks/rest/webhook", json={"sender": "bench-long", "message": long_message}, timeout=120)
            long_times.append((time.perf_counter() - began) * 1000)

    sender = threading.Thread(target=keep_sending, daemon=True)
    sender.start()
    try:
        ordinary = one_client(url, messages, count)
    finally:
        stop.set()
        sender.join(timeout=120)
    return {**ordinary, "long_message_p50_ms": round(statistics.median(long_times), 1) if long_times else None}


# -- one bot ---------------------------------------------------------------------


def measure(name: str, workdir: Path, project: Path, model: Path, messages: list[str], count: int) -> dict:
    servers = BotServers(workdir, project=project, model=model)
    start = time.perf_counter()
    try:
        servers.start()
        figures: dict = {"start_to_ready_s": round(time.perf_counter() - start, 1)}
        pid = servers.processes[1].pid
        figures["rss_mib_ready"] = resident_mib(pid)
        print(f"  {name}: ready in {figures['start_to_ready_s']} s; one client ...", flush=True)
        one_client(servers.url, messages, 20)  # warm-up
        figures["one_client"] = one_client(servers.url, messages, count)
        print(f"  {name}: session length ...", flush=True)
        figures["session_length"] = session_length(servers, messages)
        for count_of_clients, per_client in ((10, 60), (50, 20)):
            print(f"  {name}: {count_of_clients} clients ...", flush=True)
            figures[f"clients_{count_of_clients}"] = asyncio.run(clients(servers.url, count_of_clients, per_client, messages, f"bench-{count_of_clients}"))
        print(f"  {name}: memory over {MEMORY_MESSAGES:,} messages with bad input ...", flush=True)
        figures["memory"] = memory_under_load(servers.url, pid, messages, large_bad_input=project == REPO_ROOT)
        figures["rss_mib_peak"] = resident_mib(pid, "VmHWM")  # before the long-message figures below
        figures["parse"] = parse_times(servers.url, heldout_texts(), servers.api_token)
        if project == REPO_ROOT:
            figures["beside_long_messages"] = latencies_beside_long_messages(servers.url, messages, count)
        figures["rasa_server_alive"] = servers.processes[1].poll() is None
        return figures
    finally:
        servers.stop()


def measure_pacewise(tmp: Path, count: int) -> dict:
    model_dir = tmp / "pacewise-model"
    train = run([str(RASA), "train", "--force", "--out", str(model_dir), "--fixed-model-name", "bench"], REPO_ROOT)
    print(f"  Pacewise: trained in {train:.0f} s", flush=True)
    return {"training_s": round(train, 1), **measure("Pacewise", tmp / "pacewise-serve", REPO_ROOT, model_dir / "bench.tar.gz", PACEWISE_MESSAGES, count)}


def measure_rasa_init(tmp: Path, count: int) -> dict:
    project = tmp / "rasa-init-bot"
    project.mkdir()
    run([str(RASA), "init", "--no-prompt", "--init-dir", str(project)], tmp)
    train = run([str(RASA), "train", "--force", "--out", "models", "--fixed-model-name", "bench"], project)
    print(f"  rasa init: trained in {train:.0f} s", flush=True)
    return {"training_s": round(train, 1), **measure("rasa init", tmp / "init-serve", project, project / "models" / "bench.tar.gz", INIT_MESSAGES, count)}


# -- report ------------------------------------------------------------------------

TARGETS = {
    "one client p50 / p95 (ms)": "<= 30 / 50",
    "10 clients: messages/s, p95 (ms)": ">= 60, < 300",
    "50 clients: messages/s, p95 (ms)": "",
    "p50 ~10 events / 1,000 events into a session (ms)": "within 20%",
    "Rasa server RSS at 1,000 / 5,000 messages (MiB)": "<= 1,229, within 10%",
    "Rasa server RSS ready / peak (MiB)": "",
    "full training (s)": "<= 120",
    "start to ready (s)": "<= 20",
    "/model/parse p50 / p95 (ms)": "",
}


def rows(figures: dict) -> list[str]:
    memory = {int(sent): value for sent, value in figures["memory"]["rss_mib_by_messages"].items()}  # JSON keys are strings
    session = figures["session_length"]
    return [
        f"{figures['one_client']['p50_ms']} / {figures['one_client']['p95_ms']}",
        f"{figures['clients_10']['messages_per_s']}, {figures['clients_10']['p95_ms']}",
        f"{figures['clients_50']['messages_per_s']}, {figures['clients_50']['p95_ms']}",
        f"{session['early_p50_ms']} / {session['deep_p50_ms']} ({session['deep_vs_early_pct']:+}%)",
        f"{memory.get(MEMORY_CHECKPOINT)} / {memory.get(MEMORY_MESSAGES)} ({figures['memory']['rss_growth_1000_to_5000_pct']:+}%)",
        f"{figures['rss_mib_ready']} / {figures['rss_mib_peak']}",
        f"{figures['training_s']}",
        f"{figures['start_to_ready_s']}",
        f"{figures['parse']['p50_ms']} / {figures['parse']['p95_ms']}",
    ]


def print_report(results: dict) -> None:
    print()
    if "nlu_cross_validation" in results:
        cv = results["nlu_cross_validation"]
        scored = f"{cv['intent_macro_f1']:.3f} as `rasa test nlu` scores it, {cv['strict_intent_macro_f1']:.3f} counting nlu_fallback as a miss"
        print(f"NLU 5-fold cross-validation intent macro-F1: {scored} (target >= 0.93)\n")
    print("| figure (2 cores, SQLite, action server in the path) | target | Pacewise | stock `rasa init` bot |\n| --- | --- | --- | --- |")
    for (label, target), ours, theirs in zip(TARGETS.items(), rows(results["pacewise"]), rows(results["rasa_init"]), strict=True):
        print(f"| {label} | {target} | {ours} | {theirs} |")
    beside = results["pacewise"].get("beside_long_messages")
    if beside:
        print(
            f"\nPacewise REST p50 / p95 while another client sends 40,000-character messages: "
            f"{beside['p50_ms']} / {beside['p95_ms']} ms (each long message: p50 {beside['long_message_p50_ms']} ms)"
        )
    for name in ("pacewise", "rasa_init"):
        figures = results[name]
        print(f"{name}: statuses under load with bad input {figures['memory']['statuses']}; server alive: {figures['rasa_server_alive']}")
    print(f"\nWritten to {(OUTPUT / 'results.json').relative_to(REPO_ROOT)}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--skip-cv", action="store_true", help="skip the NLU cross-validation (the slowest part)")
    parser.add_argument("--messages", type=int, default=200, help="messages sent for the one-client figures")
    parser.add_argument("--only", choices=("pacewise", "rasa_init"), help="measure one bot only")
    args = parser.parse_args()
    OUTPUT.mkdir(parents=True, exist_ok=True)

    results: dict = {"machine": {"cpus": os.cpu_count()}}
    if args.only and (OUTPUT / "results.json").exists():
        results = json.loads((OUTPUT / "results.json").read_text())  # measure one bot again, keep the other's figures
    with tempfile.TemporaryDirectory(prefix="pacewise-bench-") as tmp_name:
        tmp = Path(tmp_name)
        (tmp / "pacewise-serve").mkdir()
        (tmp / "init-serve").mkdir()
        if not args.skip_cv:
            from pacewise.cli.nlu_report import cross_validate

            print("NLU 5-fold cross-validation (fixed seed) ...", flush=True)
            results["nlu_cross_validation"] = cross_validate()
        if args.only in (None, "pacewise"):
            print("Pacewise ...", flush=True)
            results["pacewise"] = measure_pacewise(tmp, args.messages)
            (OUTPUT / "results.json").write_text(json.dumps(results, indent=2))  # kept if the second bot fails
        if args.only in (None, "rasa_init"):
            print("Stock `rasa init` bot ...", flush=True)
            results["rasa_init"] = measure_rasa_init(tmp, args.messages)

    (OUTPUT / "results.json").write_text(json.dumps(results, indent=2))
    if "pacewise" in results and "rasa_init" in results:
        print_report(results)
        print("(the stock bot's bad input leaves out the 100 KB and 1.2 MB texts: see bad_bodies)")
    else:
        print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
