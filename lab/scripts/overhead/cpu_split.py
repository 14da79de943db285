"""Where a served request's CPU goes: the CPU time each process and thread of a running
server (and the load client) used per answered request, over one closed-loop run.

Starts `serving serve` for MODEL_DIR with its defaults (or --config), warms it up, then
reads every thread's utime+stime from /proc before and after a measured run and prints
microseconds of CPU per request, grouped by process and thread name (Java threads are
named: Netty event loops, TorchServe's W-* worker threads, the JIT compilers, GC).

usage: python lab/scripts/overhead/cpu_split.py MODEL_DIR SAMPLE CONTENT_TYPE
         [--concurrency 8] [--duration 10] [--warmup 20] [--config YAML] [--env K=V ...]
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import tempfile
from collections import defaultdict
from pathlib import Path

from serving import process
from serving.net import free_port
from serving_lab.bench.client import run_load_sync
from serving_lab.bench.results import LoadSpec
from serving_lab.server import Server, answers

TICK_US = 1e6 / os.sysconf("SC_CLK_TCK")
_DIGITS = re.compile(r"[0-9]+")


def _stat(path: Path) -> list[str] | None:
    try:
        text = path.read_text()
    except OSError:
        return None
    # comm may hold spaces and parentheses: split after the last ')'
    head, _, rest = text.rpartition(")")
    return [head.split("(", 1)[1], *rest.split()]


def descendants(root: int) -> list[int]:
    """Every live process under ``root``, itself included."""
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(process.child_pids(pid))
    return found


def _process_name(pid: int) -> str:
    try:
        argv = (Path("/proc") / str(pid) / "cmdline").read_bytes().split(b"\0")
    except OSError:
        return "?"
    text = " ".join(a.decode(errors="replace") for a in argv)
    for mark, name in (
        ("ModelServer", "java (TorchServe frontend)"),
        ("model_service_worker", "python worker"),
        ("nginx", "nginx"),
        ("serving.multimodel", "manager"),
        ("serving serve", "serve"),
        ("-m serving", "serve"),
    ):
        if mark in text:
            return name
    return argv[0].decode(errors="replace").rsplit("/", 1)[-1]


def snapshot(root: int) -> dict[tuple[str, str], float]:
    """CPU microseconds used so far, by (process kind, thread name without digits)."""
    used: dict[tuple[str, str], float] = defaultdict(float)
    for pid in descendants(root):
        kind = _process_name(pid)
        tasks = Path("/proc") / str(pid) / "task"
        try:
            tids = list(tasks.iterdir())
        except OSError:
            continue
        for tid in tids:
            fields = _stat(tid / "stat")
            if fields:
                thread = _DIGITS.sub("#", fields[0])
                used[(kind, thread)] += (int(fields[12]) + int(fields[13])) * TICK_US
    return used


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("model_dir", type=Path)
    parser.add_argument("sample", type=Path)
    parser.add_argument("content_type")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--duration", type=float, default=10)
    parser.add_argument("--warmup", type=float, default=20)
    parser.add_argument("--config", type=Path)
    parser.add_argument("--env", action="append", default=[])
    args = parser.parse_args()
    port = free_port()
    log = Path(tempfile.mkdtemp(prefix="cpu-split-")) / "server.log"
    serve = ["serve", "--port", str(port), "--model-dir", str(args.model_dir.resolve())]
    if args.config:
        serve += ["--config", str(args.config)]
    env = dict(item.split("=", 1) for item in args.env)
    env.setdefault("SAGEMAKER_BIND_TO_PORT", str(port))
    body = args.sample.read_bytes()
    headers = {"Content-Type": args.content_type}
    server = Server(serve, env, port, log)  # on the main thread: it dies with its maker
    try:
        server.wait_until(lambda: answers(server, body, headers), timeout=300)

        def load(seconds: float) -> tuple[int, float]:
            spec = LoadSpec(
                url=server.url + "/invocations",
                content_type=args.content_type,
                accept=None,
                mode="closed",
                concurrency=args.concurrency,
                rate_rps=None,
                duration_s=seconds,
                max_requests=10_000_000,
                warmup_s=0,
            )
            result = run_load_sync(spec, body)
            return result.ok, result.latency_us.p50

        if args.warmup:
            load(args.warmup)
        before = snapshot(server.process.pid)
        mine = resource.getrusage(resource.RUSAGE_SELF)
        ok, p50 = load(args.duration)
        after_self = resource.getrusage(resource.RUSAGE_SELF)
        after = snapshot(server.process.pid)
    finally:
        server.stop()
    client_us = (after_self.ru_utime + after_self.ru_stime - mine.ru_utime - mine.ru_stime) * 1e6
    rows = {key: after[key] - before.get(key, 0.0) for key in after}
    rows[("client", "asyncio")] = client_us
    total = sum(rows.values())
    print(
        f"{ok} answers in {args.duration:.0f} s ({ok / args.duration:.0f} req/s), "
        f"p50 {p50 / 1000:.2f} ms, c={args.concurrency}"
    )
    print(
        f"CPU per answer: {total / ok:.0f} us (of {2 * 1e6 * args.duration / ok:.0f} us "
        "that two cores hold per answer)"
    )
    kinds: dict[str, float] = defaultdict(float)
    for (kind, _), us in rows.items():
        kinds[kind] += us
    for kind, us in sorted(kinds.items(), key=lambda kv: -kv[1]):
        print(f"  {kind:30s} {us / ok:7.1f} us")
        for (k, thread), tus in sorted(rows.items(), key=lambda kv: -kv[1]):
            if k == kind and tus / ok >= 1:
                print(f"      {thread:26s} {tus / ok:7.1f} us")


if __name__ == "__main__":
    main()
