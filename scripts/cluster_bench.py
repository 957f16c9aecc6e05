"""Throughput of the cluster profile (scripts/cluster.py) with 1 and 2 replica
pairs on this machine, beside the single-process SQLite profile.

    python scripts/cluster_bench.py [--clients 10] [--per-client 60]

Each profile is started from scratch, warmed up, then `--clients` patients
send `--per-client` messages each through the profile's front door (nginx for
the cluster, the Rasa server for SQLite), each waiting for its reply. Prints
messages/s, p50 and p95, and the CPU seconds each kind of process used per
message (from /proc), so the cost of PostgreSQL, Redis and nginx shows.
Figures, not a timed test; written to bench/output/cluster.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from scripts.benchmark import PACEWISE_MESSAGES, clients, one_client  # noqa: E402
from scripts.bot_servers import BotServers  # noqa: E402
from scripts.cluster import Cluster  # noqa: E402
from scripts.processes import free_port  # noqa: E402

OUTPUT = REPO_ROOT / "bench" / "output" / "cluster.json"
TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User and system CPU of a process and its children that have ended."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(value) for value in fields[11:13]) / TICKS


def descendants(pid: int) -> list[int]:
    found = [pid]
    for child in Path(f"/proc/{pid}/task").glob("*/children"):
        for grandchild in child.read_text().split():
            found.extend(descendants(int(grandchild)))
    return found


def group_cpu(pids: dict[str, int]) -> dict[str, float]:
    """CPU seconds so far per kind of process (rasa, actions, nginx, redis, postgres)."""
    totals: dict[str, float] = {}
    for name, pid in pids.items():
        kind = name.split("-")[0]
        totals[kind] = totals.get(kind, 0.0) + sum(cpu_seconds(p) for p in descendants(pid) if Path(f"/proc/{p}").exists())
    return totals


def postgres_pids() -> dict[str, int]:
    pids = {}
    for stat in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            command = stat.read_bytes().split(b"\0")[0]
        except OSError:
            continue
        if command.endswith(b"/postgres"):
            pids[f"postgres-{stat.parent.name}"] = int(stat.parent.name)
    return pids


def measure(url: str, pids: dict[str, int], count: int, per_client: int, label: str, key: str) -> dict:
    one_client(url, PACEWISE_MESSAGES, 30)  # warm-up
    before = group_cpu(pids)
    figures = asyncio.run(clients(url, count, per_client, PACEWISE_MESSAGES, f"bench-{key}"))
    after = group_cpu(pids)
    messages = figures["messages"]
    figures["cpu_ms_per_message"] = {kind: round(1000 * (after[kind] - before.get(kind, 0.0)) / messages, 1) for kind in after}
    rate, p50, p95 = figures["messages_per_s"], figures["p50_ms"], figures["p95_ms"]
    print(f"  {label}: {rate} messages/s, p50 {p50} ms, p95 {p95} ms; CPU ms/message {figures['cpu_ms_per_message']}")
    print(f"    statuses {figures['statuses']}", flush=True)
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--per-client", type=int, default=60)
    args = parser.parse_args()
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="pacewise-cluster-bench-") as tmp:
        print("SQLite profile (one Rasa server, one action server) ...", flush=True)
        single = BotServers(workdir=Path(tmp) / "sqlite")
        single.workdir.mkdir()
        single.start()
        try:
            pids = {"rasa": single.processes[1].pid, "actions": single.processes[0].pid}
            results["sqlite_1"] = measure(single.url, pids, args.clients, args.per_client, "SQLite, 1 pair", "sqlite")
        finally:
            single.stop()
        for replicas in (1, 2):
            print(f"Cluster profile, {replicas} pair(s) (PostgreSQL, Redis lock store, nginx) ...", flush=True)
            cluster = Cluster(Path(tmp) / f"cluster-{replicas}", replicas=replicas, public_port=free_port(), postgres_data=Path(tmp) / f"pg-{replicas}")
            if os.geteuid() == 0:
                os.chmod(tmp, 0o755)  # the postgres user must reach its data folder
            cluster.start()
            try:
                pids = {name: process.pid for name, process in cluster.processes.items() if not name.startswith("web")}
                pids.update(postgres_pids())
                results[f"cluster_{replicas}"] = measure(cluster.url, pids, args.clients, args.per_client, f"cluster, {replicas} pair(s)", f"cluster{replicas}")
            finally:
                cluster.stop()
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(json.dumps(results, indent=2))
    print(f"Written to {OUTPUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
