"""docs/bench/gpu-h100/bench_on_cuda.py (serving bench, device: cuda) with two guards for a
short device lease: startup_timeout_s from BENCH_STARTUP_S (default 240, not 600), and a
server that answers 500 twenty times in a row fails the run at once instead of being
polled until the startup timeout. Same arguments as `serving bench`."""

from __future__ import annotations

import functools
import os
import runpy
from pathlib import Path

from serving.bench import runner

STARTUP_S = float(os.environ.get("BENCH_STARTUP_S", "240"))
runner.BenchPlan = functools.partial(runner.BenchPlan, startup_timeout_s=STARTUP_S)  # type: ignore[misc]


def answers(self, server):  # type: ignore[no-untyped-def]
    headers = {"Content-Type": self.plan.content_type}
    if self.plan.accept:
        headers["Accept"] = self.plan.accept
    reply = runner.request(server.url + "/invocations", self.body, headers, timeout=60)
    if reply.status == 200:
        return True
    if reply.status == 500:
        server.fails_500 = getattr(server, "fails_500", 0) + 1
        if server.fails_500 >= 20:
            raise RuntimeError(
                f"20 answers 500 in a row, last: {reply.body[:1500]!r}\n{server.log[-3000:]}"
            )
    return False


runner.Bench._answers = answers  # type: ignore[method-assign]
DRIVER = Path(__file__).resolve().parent.parent / "docs" / "bench" / "gpu-h100" / "bench_on_cuda.py"
runpy.run_path(str(DRIVER), run_name="__main__")
