"""A compiled model is compiled and warmed up before /ping turns 200."""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from serving.net import free_port, request
from tests.integration.conftest import DIGITS, SAMPLES, sagemaker_base
from tests.support.servers import running

pytestmark = pytest.mark.integration

COMPILED = """
models:
  - name: digits
    batch_size: 4
    max_batch_delay_ms: 20
    compile:
      enabled: true
      warmup: {shape: [64]}
"""


def test_compiled_digits_are_ready_only_after_warm_up(tmp_path: Path, digits_weights: Path) -> None:
    base = sagemaker_base(tmp_path, DIGITS)
    (base / "model" / "code" / "serving.yaml").write_text(COMPILED)
    port = free_port()
    env = {
        "SAGEMAKER_BASE_DIR": str(base),
        "SAGEMAKER_BIND_TO_PORT": str(port),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),  # a cold inductor cache of its own
        "TORCH_LOGS": "recompiles",
    }
    body = (SAMPLES / "seven.json").read_bytes()
    pings: list[int] = []

    def ready(server) -> bool:  # type: ignore[no-untyped-def]
        pings.append(request(server.url + "/ping").status)
        return pings[-1] == 200

    with running(["serve"], env, port, tmp_path / "log", ready=ready, timeout=300) as server:
        assert 503 in pings  # not ready while compiling
        server.wait_until(lambda: "warmed up batch sizes [1, 2, 4]" in server.log, timeout=30)
        before = len(server.log)
        with ThreadPoolExecutor(3) as pool:  # stacked rows get padded to a compiled size
            replies = list(pool.map(lambda _: server.invoke(body, "application/json"), range(6)))
        replies.append(server.invoke((SAMPLES / "seven.csv").read_bytes(), "text/csv"))
        for reply in replies:
            assert reply.status == 200 and int(np.argmax(json.loads(reply.body)[0])) == 7
        time.sleep(1)  # let the frontend flush the worker's log lines
        # TORCH_LOGS=recompiles prints every recompilation: the warm-up had them, the
        # requests must not.
        assert "Recompiling" in server.log[:before]
        assert "Recompiling" not in server.log[before:]
        assert (tmp_path / "cache" / "serving" / "inductor").is_dir()
        assert "COMPILE FALLBACK" not in server.log
