"""Resident memory of a whole `serve` process tree (serve, nginx, TorchServe's JVM and
its workers) once it has answered requests: what a SageMaker serverless endpoint's
memory size (1-6 GB) must hold. Usage:

    python lab/scripts/serverless/measure.py CONFIG SAMPLE CONTENT_TYPE [REQUESTS [MODEL_DIR]]

Prints one JSON line: the config, the sum of RSS and of PSS (proportional: shared pages
split between the processes that map them) over the tree, in MiB, and per process.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from serving import process
from serving.net import free_port, request
from serving_lab.server import Server


def _kib(pid: int, field: str, source: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/{source}").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def descendants(pid: int) -> list[int]:
    found, queue = [], [pid]
    while queue:  # bounded: a process tree is finite and /proc is read once per node
        children = process.child_pids(queue.pop())
        found += children
        queue += children
    return found


def main() -> None:
    config, sample, content_type = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
    count = int(sys.argv[4]) if len(sys.argv) > 4 else 200
    model_dir = ["--model-dir", sys.argv[5]] if len(sys.argv) > 5 else []
    port = free_port()
    log = Path(f"/tmp/measure-{port}.log")
    args = ["serve", "--config", config, "--port", str(port), *model_dir]
    server = Server(args, {}, port, log)
    try:
        body = sample.read_bytes()
        headers = {"Content-Type": content_type}
        server.wait_until(lambda: request(server.url + "/ping").status == 200, 300)
        for _ in range(count):
            assert request(server.url + "/invocations", body, headers).status == 200
        time.sleep(2)  # let allocators settle
        pids = [server.process.pid, *descendants(server.process.pid)]
        rows = []
        for pid in pids:
            comm = Path(f"/proc/{pid}/comm")
            name = comm.read_text().strip() if comm.exists() else "?"
            rss = _kib(pid, "VmRSS", "status")
            pss = _kib(pid, "Pss", "smaps_rollup")
            if rss:
                rows.append(
                    {"pid": pid, "name": name, "rss_mib": rss / 1024, "pss_mib": pss / 1024}
                )
        print(
            json.dumps(
                {
                    "config": config,
                    "model_dir": model_dir[1] if model_dir else None,
                    "requests": count,
                    "rss_mib": round(sum(r["rss_mib"] for r in rows), 1),
                    "pss_mib": round(sum(r["pss_mib"] for r in rows), 1),
                    "processes": [
                        {k: round(v, 1) if isinstance(v, float) else v for k, v in r.items()}
                        for r in rows
                    ],
                }
            )
        )
    finally:
        server.stop()


if __name__ == "__main__":
    main()
