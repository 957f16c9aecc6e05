"""`make bench`: the figures we track for the core bot, printed, not asserted.

- NLU 5-fold cross-validation (fixed seed): intent macro-F1 (target: at least 0.93)
- full training time
- time from start to ready (action server and Rasa server up, model loaded)
- peak memory (VmHWM) of the Rasa server process
- REST latency p50 and p95 for single messages, with the action server in the path
- NLU parse time p50 and p95 over HTTP (`/model/parse`), on the held-out
  patient messages (tests/nlu/heldout.yml: long, real-style messages)
- REST latency p50 and p95 for ordinary messages while another client keeps
  sending 40,000-character messages (cut at 5,000, the rest safety-screened:
  channels/message_limits.py), to show a long message does not stall others

The last four are measured for Pacewise and, in the same run, for a stock
`rasa init` bot. Results are also written to bench/output/results.json.
Options: --skip-cv (no cross-validation), --messages N (latency sample size).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from components.nlu_report import cross_validate  # noqa: E402
from tests.e2e.servers import RASA, BotServers  # noqa: E402

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


def run(command: list[str], cwd: Path) -> float:
    """Run a command and return its wall-clock time in seconds."""
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, env=ENV, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return elapsed


def peak_rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def parse_times(url: str, texts: list[str], token: str) -> dict:
    """`/model/parse` over HTTP for each text (after a short warm-up): p50 and p95 in ms."""
    params = {"token": token}  # Rasa's own way (the stock bot has no bearer-header support)
    for text in texts[:10]:
        requests.post(f"{url}/model/parse", json={"text": text}, params=params, timeout=60).raise_for_status()
    times = []
    for text in texts:
        began = time.perf_counter()
        requests.post(f"{url}/model/parse", json={"text": text}, params=params, timeout=60).raise_for_status()
        times.append((time.perf_counter() - began) * 1000)
    return {"parse_ms_p50": round(statistics.median(times), 1), "parse_ms_p95": round(statistics.quantiles(times, n=20)[18], 1)}


def heldout_texts() -> list[str]:
    import yaml

    return [entry["text"] for entry in yaml.safe_load((REPO_ROOT / "tests" / "nlu" / "heldout.yml").read_text())["messages"]]


def rest_latencies(url: str, messages: list[str], count: int, prefix: str) -> list[float]:
    latencies = []
    for index in range(count):
        sender = f"{prefix}-{index // len(messages)}"
        began = time.perf_counter()
        response = requests.post(f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": messages[index % len(messages)]}, timeout=60)
        latencies.append((time.perf_counter() - began) * 1000)
        response.raise_for_status()
    return latencies


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
        latencies = rest_latencies(url, messages, count, "bench-beside-long")
    finally:
        stop.set()
        sender.join(timeout=120)
    return {
        "beside_long_rest_ms_p50": round(statistics.median(latencies), 1),
        "beside_long_rest_ms_p95": round(statistics.quantiles(latencies, n=20)[18], 1),
        "long_message_ms_p50": round(statistics.median(long_times), 1) if long_times else None,
    }


def serve_and_measure(workdir: Path, project: Path, model: Path, messages: list[str], count: int) -> dict:
    servers = BotServers(workdir, project=project, model=model)
    start = time.perf_counter()
    try:
        servers.start()
        ready = time.perf_counter() - start
        latencies = rest_latencies(servers.url, messages, count, "bench")
        rasa_pid = servers.processes[1].pid
        parsed = parse_times(servers.url, heldout_texts(), servers.api_token)
        beside_long = latencies_beside_long_messages(servers.url, messages, count) if project == REPO_ROOT else {}
        return {
            **parsed,
            **beside_long,
            "start_to_ready_s": round(ready, 1),
            "rasa_server_peak_rss_mib": round(peak_rss_mib(rasa_pid), 1),
            "rest_latency_ms_p50": round(statistics.median(latencies), 1),
            "rest_latency_ms_p95": round(statistics.quantiles(latencies, n=20)[18], 1),
            "messages": count,
        }
    finally:
        servers.stop()


def measure_pacewise(tmp: Path, count: int) -> dict:
    model_dir = tmp / "pacewise-model"
    train = run([str(RASA), "train", "--force", "--out", str(model_dir), "--fixed-model-name", "bench"], REPO_ROOT)
    served = serve_and_measure(tmp / "pacewise-serve", REPO_ROOT, model_dir / "bench.tar.gz", PACEWISE_MESSAGES, count)
    return {"training_s": round(train, 1), **served}


def measure_rasa_init(tmp: Path, count: int) -> dict:
    project = tmp / "rasa-init-bot"
    project.mkdir()
    run([str(RASA), "init", "--no-prompt", "--init-dir", str(project)], tmp)
    train = run([str(RASA), "train", "--force", "--out", "models", "--fixed-model-name", "bench"], project)
    served = serve_and_measure(tmp / "init-serve", project, project / "models" / "bench.tar.gz", INIT_MESSAGES, count)
    return {"training_s": round(train, 1), **served}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--skip-cv", action="store_true", help="skip the NLU cross-validation (the slowest part)")
    parser.add_argument("--messages", type=int, default=200, help="messages sent for the latency figures")
    args = parser.parse_args()
    OUTPUT.mkdir(parents=True, exist_ok=True)

    results: dict = {"machine": {"cpus": os.cpu_count()}}
    with tempfile.TemporaryDirectory(prefix="pacewise-bench-") as tmp_name:
        tmp = Path(tmp_name)
        (tmp / "pacewise-serve").mkdir()
        (tmp / "init-serve").mkdir()
        if not args.skip_cv:
            print("NLU 5-fold cross-validation (fixed seed) ...", flush=True)
            results["nlu_cross_validation"] = cross_validate()
            print(json.dumps(results["nlu_cross_validation"], indent=2), flush=True)
        print("Pacewise: training, start-up, memory, latency ...", flush=True)
        results["pacewise"] = measure_pacewise(tmp, args.messages)
        print("Stock `rasa init` bot: the same ...", flush=True)
        results["rasa_init"] = measure_rasa_init(tmp, args.messages)

    (OUTPUT / "results.json").write_text(json.dumps(results, indent=2))
    print()
    if "nlu_cross_validation" in results:
        cv = results["nlu_cross_validation"]
        print(f"NLU 5-fold cross-validation intent macro-F1: {cv['intent_macro_f1']:.3f} (target >= 0.93)")
    print(f"{'figure':32} {'Pacewise':>12} {'rasa init':>12}")
    for key in ("training_s", "start_to_ready_s", "rasa_server_peak_rss_mib", "rest_latency_ms_p50", "rest_latency_ms_p95", "parse_ms_p50", "parse_ms_p95"):
        print(f"{key:32} {results['pacewise'][key]:>12} {results['rasa_init'][key]:>12}")
    pacewise = results["pacewise"]
    print(
        f"\nPacewise REST p50/p95 while another client sends 40,000-character messages: "
        f"{pacewise['beside_long_rest_ms_p50']} / {pacewise['beside_long_rest_ms_p95']} ms "
        f"(each long message: p50 {pacewise['long_message_ms_p50']} ms)"
    )
    print(f"\nWritten to {(OUTPUT / 'results.json').relative_to(REPO_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
