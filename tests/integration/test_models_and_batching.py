"""Hooks, context and per-request batching against real TorchServe workers."""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import torch

from serving.net import request
from tests.integration.conftest import MODELS
from tests.support.servers import Server, serving_one

pytestmark = pytest.mark.integration

PROBE = "/models/probe/invoke"


def test_two_servers_run_side_by_side(digits_server: Server, multi_server: Server) -> None:
    assert digits_server.port != multi_server.port
    assert request(digits_server.url + "/ping").status == 200
    assert request(multi_server.url + "/ping").status == 200


def test_aws_style_script_runs_unchanged(multi_server: Server) -> None:
    reply = multi_server.invoke(
        b'{"inputs": [[1, 1, 1]]}',
        "application/json",
        accept="application/json",
        path="/models/aws/invoke",
    )
    assert reply.status == 200, reply.body
    # fc: [[1,2,3],[0.5,-1,0]] @ [1,1,1] + [0.25,-0.5]
    assert json.loads(reply.body) == {"outputs": [[6.25, -1.0]]}
    assert reply.headers["content-type"] == "application/json"


def test_several_models_need_a_name_on_bare_invocations(multi_server: Server) -> None:
    assert multi_server.invoke(b"[1]", "application/json").status == 400


def test_context_carries_custom_attributes_both_ways(multi_server: Server) -> None:
    reply = multi_server.invoke(
        b"[1, 2]",
        "application/json",
        path=PROBE,
        **{"X-Amzn-SageMaker-Custom-Attributes": "trace=abc"},
    )
    assert reply.status == 200
    assert reply.headers["x-amzn-sagemaker-custom-attributes"] == "echo=trace=abc"
    plain = multi_server.invoke(b"[1, 2]", "application/json", path=PROBE)
    assert "x-amzn-sagemaker-custom-attributes" not in plain.headers


def test_sagemakers_inference_id_reaches_the_hooks_and_the_log(multi_server: Server) -> None:
    headers = {"X-Amzn-SageMaker-Inference-Id": "inference-7f3a"}
    reply = multi_server.invoke(b"[1, 2]", "application/json", path=PROBE, **headers)
    assert json.loads(reply.body)["inference_id"] == "inference-7f3a"
    failed = multi_server.invoke(b"[[1, 2", "application/json", path=PROBE, **headers)
    assert failed.status == 400
    deadline = time.monotonic() + 5  # TorchServe's logging is asynchronous
    while "(inference id inference-7f3a): 400" not in multi_server.log:
        assert time.monotonic() < deadline, multi_server.log[-2000:]
        time.sleep(0.1)


def test_user_inference_error_sets_the_status(multi_server: Server) -> None:
    reply = multi_server.invoke(
        b'{"status": 422, "message": "text must not be empty"}', "application/json", path=PROBE
    )
    assert reply.status == 422
    assert json.loads(reply.body) == {
        "code": 422,
        "type": "InferenceError",
        "message": "text must not be empty",
    }


def test_a_mixed_concurrent_batch_is_answered_request_by_request(multi_server: Server) -> None:
    """batch_size 4, 300 ms delay: these arrive in the same batches; each keeps its own
    content type, accept, status and custom attributes."""
    cases = [
        (b"[[1, 2]]", "application/json", None, 200),
        (b"1 2 3", "text/plain", "text/plain", 200),
        (b"[1, 2", "application/json", None, 400),
        (b"x", "image/png", None, 415),
        (b'{"status": 409}', "application/json", None, 409),
        (b"[[5, 6]]", "application/json", "application/json", 200),
        (b"4 5", "text/plain", None, 200),
        (b"[[0.5, 1]]", "application/json", None, 200),
    ]

    def send(index: int) -> tuple[int, object]:
        body, content_type, accept, _ = cases[index]
        reply = multi_server.invoke(
            body,
            content_type,
            accept=accept,
            path=PROBE,
            **{"X-Amzn-SageMaker-Custom-Attributes": f"i={index}"},
        )
        return index, reply

    with ThreadPoolExecutor(len(cases)) as pool:
        replies = dict(pool.map(send, range(len(cases))))
    for index, (_, _, accept, status) in enumerate(cases):
        reply = replies[index]
        assert reply.status == status, (index, reply.body)
        if status == 200:
            assert reply.headers["x-amzn-sagemaker-custom-attributes"] == f"echo=i={index}"
            expected_type = "text/plain" if accept == "text/plain" else "application/json"
            assert reply.headers["content-type"] == expected_type
    assert replies[1].body == b"2.0 4.0 6.0"
    assert json.loads(replies[0].body)["result"] == [[2.0, 4.0]]
    assert json.loads(replies[5].body)["result"] == [[10.0, 12.0]]
    assert json.loads(replies[7].body)["result"] == [[1.0, 2.0]]
    assert json.loads(replies[6].body)["result"] == [8.0, 10.0]
    assert json.loads(replies[2].body)["code"] == 400
    # The (1, 2) requests that landed in one TorchServe batch shared one forward pass.
    shapes = multi_server.forward_log.read_text().split()  # type: ignore[attr-defined]
    assert any(shape.startswith(("(2,", "(3,")) for shape in shapes), shapes


def test_model_fn_runs_once_per_worker_never_per_request(multi_server: Server) -> None:
    for _ in range(12):
        assert multi_server.invoke(b"[1]", "application/json", path=PROBE).status == 200
    loads = multi_server.load_log.read_text().splitlines()  # type: ignore[attr-defined]
    pids = [line.split()[0] for line in loads]
    assert len(pids) == 2 and len(set(pids)) == 2  # two workers, one model_fn each
    # device: auto is the worker's GPU where there is one (cuda:N), else the CPU.
    expected = "cuda" if torch.cuda.is_available() else "cpu"
    assert all(line.split()[1].split(":")[0] == expected for line in loads), loads


def test_user_print_and_logging_reach_stdout(multi_server: Server) -> None:
    assert "PROBE-PRINT model_fn ran" in multi_server.log
    assert "PROBE-LOGGING model_fn ran" in multi_server.log


def test_workers_share_the_cores_without_oversubscribing(multi_server: Server) -> None:
    """Three workers in all (probe 2, aws 1) on this machine's cores."""
    from serving.config.sizing import threads_per_worker
    from serving.machine.processors import available_cpus

    expected = threads_per_worker(available_cpus(), 3)
    reply = multi_server.invoke(b"[1]", "application/json", path=PROBE)
    assert reply.status == 200, reply.body
    assert json.loads(reply.body)["threads"] == expected


def test_a_model_fn_returning_none_serves_through_the_scripts_own_hooks(tmp_path: Path) -> None:
    with serving_one(tmp_path, "keeps_own", MODELS / "keeps_own") as server:
        reply = server.invoke(b'{"key": "b"}', "application/json")
        assert (reply.status, json.loads(reply.body)) == (200, {"model": None, "value": 2})
        assert "model_fn returned None" in server.log


def test_batch_transform_records_map_to_lines_both_ways(tmp_path: Path) -> None:
    # Batch transform joins output line i to input record i: one value per record is one
    # line, in CSV and in JSON Lines, whichever format the records came in.
    with serving_one(tmp_path, "rowsum", MODELS / "rowsum") as server:
        rows = b"1,2,3\n4,5,6\n7,8,9\n10,11,12\n"
        csv = server.invoke(rows, "text/csv", accept="text/csv")
        assert (csv.status, csv.body) == (200, b"6.0\n15.0\n24.0\n33.0\n")
        one = server.invoke(b"1,2,3\n", "text/csv", accept="text/csv")
        assert one.body == b"6.0\n"  # one row stays one record
        lines = server.invoke(b"[1, 2, 3]\n[4, 5, 6]\n", "application/jsonlines", accept="text/csv")
        assert lines.body == b"6.0\n15.0\n"
        back = server.invoke(rows, "text/csv", accept="application/jsonlines")
        assert (back.headers["content-type"], back.body) == (
            "application/jsonlines",
            b"6.0\n15.0\n24.0\n33.0\n",
        )


def test_awss_published_batch_environment_starts_and_serves(tmp_path: Path) -> None:
    # SAGEMAKER_TS_MAX_BATCH_DELAY=100000 (an AWS example's): 100 s for a batch of 3 to fill.
    env = {"SAGEMAKER_TS_BATCH_SIZE": "3", "SAGEMAKER_TS_MAX_BATCH_DELAY": "100000"}
    # One worker: with two, each would gather a batch of its own for 100 s.
    model = {"workers": 1}
    with serving_one(tmp_path, "rowsum", MODELS / "rowsum", model=model, env=env) as server:
        # Three requests fill the batch: answered at once, each its own.
        assert rowsums_at_once(server, 3, threads=3) == [(200, [1.0]), (200, [2.0]), (200, [3.0])]
        assert "max_batch_delay_ms (100000) is not below its response timeout" in server.log


def test_a_batch_that_waits_for_nothing_is_what_the_engine_runs(tmp_path: Path) -> None:
    # TorchServe reads maxBatchDelay 0 as its 100-ms default; the plugin sets the 0 asked.
    model = {"workers": 1, "batch_size": 4, "max_batch_delay_ms": 0}
    with serving_one(tmp_path, "rowsum", MODELS / "rowsum", model=model) as server:
        described = server.engine_model("rowsum")
        assert (described["batchSize"], described["maxBatchDelay"]) == (4, 0)
        assert rowsums_at_once(server, 8, threads=4) == [(200, [float(i + 1)]) for i in range(8)]


def test_a_batch_delay_is_what_the_engine_runs(tmp_path: Path) -> None:
    model = {"workers": 1, "batch_size": 4, "max_batch_delay_ms": 7}
    with serving_one(tmp_path, "rowsum", MODELS / "rowsum", model=model) as server:
        described = server.engine_model("rowsum")
        assert (described["batchSize"], described["maxBatchDelay"]) == (4, 7)


@pytest.mark.parametrize(
    ("model", "batch_size"),
    [
        ({"workers": 1}, 2),  # the default: the code leaves predict_fn to the runtime
        ({"workers": 1, "batch_size": 8, "max_batch_delay_ms": 0}, 8),
    ],
)
def test_with_no_delay_one_queued_request_joins_the_one_a_worker_takes(
    tmp_path: Path, model: dict[str, Any], batch_size: int
) -> None:
    # TorchServe 0.12.0 stops adding requests to a batch once the delay is spent: with
    # none, a batch is the first request and at most one more, whatever the batch size.
    # That is why the default is 2.
    log = tmp_path / "forward.log"
    env = {"QUEUED_LOG": str(log)}
    with serving_one(tmp_path, "queued", MODELS / "queued", model=model, env=env) as server:
        described = server.engine_model("queued")
        assert (described["batchSize"], described["maxBatchDelay"]) == (batch_size, 0)
        log.write_text("")  # the readiness probe's pass is not counted

        def ask(row: list[float]) -> tuple[int, Any]:
            reply = server.invoke(json.dumps([row]).encode(), "application/json")
            return reply.status, json.loads(reply.body)

        with ThreadPoolExecutor(6) as pool:
            # One request keeps the worker busy for 2 s (its pass has begun once the log
            # has a line), while five more queue behind it.
            first = pool.submit(ask, [2.0, 100.0])
            deadline = time.monotonic() + 30
            while not log.read_text():
                assert time.monotonic() < deadline, server.log[-2000:]
                time.sleep(0.05)
            rest = list(pool.map(ask, [[0.01, float(tag)] for tag in range(5)]))
            assert first.result() == (200, [[100.0]])
        assert rest == [(200, [[float(tag)]]) for tag in range(5)]
        passes = [int(line) for line in log.read_text().split()]
        # The lone first request went alone; the five queued ones went at most two a pass,
        # and they were all waiting when the first pass ended, so two at least once.
        assert passes[0] == 1 and sum(passes) == 6, passes
        assert max(passes[1:]) == 2, passes


def rowsums_at_once(server: Server, count: int, threads: int) -> list[tuple[int, Any]]:
    """Rows [i, 1.0] for i < count sent from ``threads`` threads at once: (status, answer)
    of each, in order."""
    with ThreadPoolExecutor(threads) as pool:
        rows = [[[i, 1.0]] for i in range(count)]
        replies = list(
            pool.map(lambda row: server.invoke(json.dumps(row).encode(), "application/json"), rows)
        )
    return [(r.status, json.loads(r.body)) for r in replies]
