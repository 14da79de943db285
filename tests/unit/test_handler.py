"""The TorchServe entry point, driven with a fake TorchServe Context (no TorchServe)."""

from __future__ import annotations

import hashlib
import io
import json
import logging
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch

from serving.engines.torchserve import handler as sagemaker_handler
from serving.engines.torchserve.handler import handle
from tests.support.fakes import FakeContext, isolate_user_module, worker_spec, write_model_dir

JSON, CSV, NPY = "application/json", "text/csv", "application/x-npy"

NET = """
    import torch

    CALLS = []

    class Net(torch.nn.Module):
        def forward(self, x):
            CALLS.append(tuple(x.shape))
            if bool((x < 0).any()):
                raise ValueError("negative input")
            return x * 2

    def model_fn(model_dir, context):
        CALLS.append(("load", context.batch_size, context.device))
        return Net()
"""

ECHO = """
    import torch
    from serving.worker.defaults import default_output_fn

    def model_fn(model_dir):
        return torch.nn.Identity()

    def output_fn(prediction, accept, context):
        sent = context.request_processor[0].get_request_properties()
        context.set_response_header(0, "X-Trace-Echo", sent.get("X-Trace", "-"))
        if context.custom_attributes:
            context.set_custom_attributes("seen=" + context.custom_attributes)
        return default_output_fn(prediction, accept, context)
"""


@pytest.fixture(autouse=True)
def isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    monkeypatch.setattr(sagemaker_handler, "_service", None)
    # initialize() routes the runtime's log records as a worker needs; tests after this
    # one (caplog) need them back on the root logger.
    runtime = logging.getLogger("serving")
    monkeypatch.setattr(runtime, "handlers", list(runtime.handlers))
    monkeypatch.setattr(runtime, "propagate", runtime.propagate)
    root, metrics = logging.getLogger(), logging.getLogger("ts.metrics.caching_metric")
    monkeypatch.setattr(root, "filters", list(root.filters))
    monkeypatch.setattr(metrics, "level", metrics.level)
    yield from isolate_user_module(monkeypatch, tmp_path)


def test_a_workers_problems_go_to_stderr_named_by_level_and_the_rest_to_stdout(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    # TorchServe logs a worker's stderr lines at WARN and its stdout lines at INFO.
    caplog.set_level(logging.INFO, logger="serving")  # TorchServe's worker logs at INFO
    model_dir = write_model_dir(tmp_path, NET)
    handle(None, FakeContext(worker_spec(model_dir).to_dict()))
    capsys.readouterr()
    logging.getLogger("serving.worker.service").error("request r1 failed")
    logging.getLogger("serving.worker.service").warning("request r2: 400 bad")
    logging.getLogger("serving.worker.loader").info("model loaded")
    captured = capsys.readouterr()
    assert captured.err.splitlines() == [
        "[ERROR] serving.worker.service - request r1 failed",
        "[WARNING] serving.worker.service - request r2: 400 bad",
    ]
    assert captured.out.splitlines() == ["model loaded"]
    handle(None, FakeContext(worker_spec(model_dir).to_dict()))  # a reload adds no handler
    logging.getLogger("serving.handler").error("once")
    assert capsys.readouterr().err.count("once") == 1


@pytest.mark.parametrize(("log_level", "dropped"), [("INFO", True), ("DEBUG", False)])
def test_the_engines_per_request_lines_are_dropped_below_debug(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, log_level: str, dropped: bool
) -> None:
    caplog.set_level(logging.INFO)
    spec = worker_spec(write_model_dir(tmp_path, NET), log_level=log_level)
    handle(None, FakeContext(spec.to_dict()))
    caplog.clear()
    # What TorchServe's worker logs per request (otf_message_handler, caching_metric).
    logging.info("Backend received inference at: %d", 1764500000)
    logging.getLogger("ts.metrics.caching_metric").info("[METRICS]PredictionTime.Milliseconds:0.5")
    logging.info("the user's own line")
    logging.getLogger("inference").info("and the user's module's")
    expected = ["the user's own line", "and the user's module's"]
    if not dropped:
        expected = [
            "Backend received inference at: 1764500000",
            "[METRICS]PredictionTime.Milliseconds:0.5",
            *expected,
        ]
    assert [record.getMessage() for record in caplog.records] == expected


def start(tmp_path: Path, code: str | None, **settings: Any) -> FakeContext:
    spec = worker_spec(write_model_dir(tmp_path, code), batch_size=8, **settings)
    fake = FakeContext(spec.to_dict(), batch_size=8)
    assert handle(None, fake) is None
    return fake


def calls() -> list[Any]:
    return sys.modules["inference"].CALLS


def npy(array: np.ndarray) -> bytes:
    out = io.BytesIO()
    np.save(out, array)
    return out.getvalue()


def test_a_mixed_batch_gets_one_answer_per_request(tmp_path: Path):
    fake = start(tmp_path, NET)
    data = fake.batch(
        ("[[1, 2]]", {"Content-Type": JSON}),
        ("[[1, 2]", {"content-type": JSON}),
        ("[[1, 2]]", {"Content-Type": "image/png"}),
        ("[[3, 4]]", {"CONTENT-TYPE": "application/json; charset=utf-8", "Accept": CSV}),
        (npy(np.array([[5, 6]], dtype=np.int64)), {"Content-Type": NPY, "accept": NPY}),
    )
    bodies = handle(data, fake)
    assert bodies is not None and len(bodies) == 5
    assert fake.statuses == {0: 200, 1: 400, 2: 415, 3: 200, 4: 200}
    assert fake.phrases == {
        0: "OK",
        1: "Bad Request",
        2: "Unsupported Media Type",
        3: "OK",
        4: "OK",
    }
    assert fake.content_types == {0: JSON, 1: JSON, 2: JSON, 3: CSV, 4: NPY}
    assert json.loads(bodies[0]) == [[2.0, 4.0]]
    assert "malformed JSON body" in json.loads(bodies[1])["message"]
    assert json.loads(bodies[2])["code"] == 415
    assert bodies[3] == b"6.0,8.0\n"
    out = np.load(io.BytesIO(bodies[4]))
    assert out.dtype == np.int64 and out.tolist() == [[10, 12]]


def test_model_fn_runs_once_with_the_worker_context(tmp_path: Path):
    fake = start(tmp_path, NET)
    for _ in range(3):
        handle(fake.batch(("[[1]]", {"Content-Type": JSON})), fake)
    assert [c for c in calls() if c[0] == "load"] == [("load", 8, "cpu")]


def test_stackable_requests_are_one_forward_pass_split_back(tmp_path: Path):
    fake = start(tmp_path, NET)
    data = fake.batch(*[(f"[[{i}, {i + 1}]]", {"Content-Type": JSON}) for i in (1, 3, 5)])
    bodies = handle(data, fake)
    assert calls()[1:] == [(3, 2)]
    assert [json.loads(b) for b in bodies] == [[[2.0, 4.0]], [[6.0, 8.0]], [[10.0, 12.0]]]
    assert fake.statuses == {0: 200, 1: 200, 2: 200}


def test_one_bad_request_never_fails_its_neighbours(tmp_path: Path):
    fake = start(tmp_path, NET)
    data = fake.batch(
        ("[[1, 2]]", {"Content-Type": JSON}),
        ("[[-1, 2]]", {"Content-Type": JSON}),
        ("[[3, 4]]", {"Content-Type": JSON}),
    )
    bodies = handle(data, fake)
    assert fake.statuses == {0: 200, 1: 500, 2: 200}
    assert json.loads(bodies[2]) == [[6.0, 8.0]]
    assert "req-1" in json.loads(bodies[1])["message"]
    assert "negative input" not in bodies[1].decode()


PAIR = """
    import torch

    CALLS = []

    class Pair(torch.nn.Module):  # returns a tuple, as many hub models do
        def forward(self, x):
            CALLS.append(tuple(x.shape))
            return x, x * 2

    def model_fn(model_dir):
        return Pair()
"""


def test_an_output_that_cannot_be_split_back_stops_stacking(tmp_path: Path):
    fake = start(tmp_path, PAIR)
    for _ in range(2):
        bodies = handle(
            fake.batch(("[[1]]", {"Content-Type": JSON}), ("[[2]]", {"Content-Type": JSON})), fake
        )
        assert [json.loads(b) for b in bodies] == [[[[1.0]], [[2.0]]], [[[2.0]], [[4.0]]]]
    # the first batch tries one stacked pass; a tuple cannot be split, so never again
    assert calls() == [(2, 1), (1, 1), (1, 1), (1, 1), (1, 1)]


def test_custom_attributes_and_headers_stay_with_their_request(tmp_path: Path):
    fake = start(tmp_path, ECHO)
    data = fake.batch(
        ("[1]", {"Content-Type": JSON, "X-Trace": "t0"}),
        (
            "[2]",
            {"Content-Type": JSON, "X-Trace": "t1", "X-Amzn-SageMaker-Custom-Attributes": "a=1"},
        ),
        ("[3]", {"Content-Type": JSON}),
    )
    handle(data, fake)
    assert fake.response_headers == {
        0: {"content-type": JSON, "X-Trace-Echo": "t0"},
        1: {
            "content-type": JSON,
            "X-Trace-Echo": "t1",
            "X-Amzn-SageMaker-Custom-Attributes": "seen=a=1",
        },
        2: {"content-type": JSON, "X-Trace-Echo": "-"},
    }


def test_a_response_above_max_response_bytes_is_a_clean_5xx(tmp_path: Path):
    fake = start(tmp_path, NET, max_response_bytes=64)
    data = fake.batch(
        (json.dumps([list(range(50))]), {"Content-Type": JSON}),
        ("[[1]]", {"Content-Type": JSON}),
    )
    bodies = handle(data, fake)
    assert fake.statuses == {0: 500, 1: 200}
    assert fake.content_types[0] == JSON
    error = json.loads(bodies[0])
    assert error["code"] == 500 and "above the 64-byte limit" in error["message"]


# torch 2.13 deprecates torch.jit with a DeprecationWarning, an error under this
# project's pytest config; the AWS contract's model.pt is TorchScript, so allow it here.
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_a_torchscript_model_pt_with_no_code_uses_every_default(tmp_path: Path):
    class Affine(torch.nn.Module):
        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return x * 3 + 1

    model_dir = write_model_dir(tmp_path, None)
    torch.jit.save(torch.jit.script(Affine()), str(model_dir / "model.pt"))
    fake = FakeContext(worker_spec(model_dir, default_accept=CSV).to_dict())
    handle(None, fake)
    bodies = handle(
        fake.batch(("1,2\n", {"Content-Type": CSV}), ("[[0]]", {"Content-Type": JSON})), fake
    )
    assert bodies == [b"4.0,7.0\n", b"1.0\n"]
    assert fake.content_types == {0: CSV, 1: CSV}


def test_initialise_again_replaces_the_service(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    start(tmp_path / "a", NET)
    monkeypatch.delitem(sys.modules, "inference")
    second = start(tmp_path / "b", ECHO)
    assert sagemaker_handler._service is not None
    bodies = handle(second.batch(("[1]", {"Content-Type": JSON})), second)
    assert bodies == [b"[1.0]"]  # Identity, not the first model's doubling


def test_a_missing_serving_section_refuses_to_start():
    with pytest.raises(RuntimeError, match="no 'serving' section"):
        handle(None, FakeContext(None))


def test_an_empty_body_is_answered_not_crashed(tmp_path: Path):
    fake = start(tmp_path, NET)
    data = fake.batch(("", {"Content-Type": JSON}))
    data[0] = {}  # TorchServe can hand over a request without a body part
    bodies = handle(data, fake)
    assert fake.statuses == {0: 400} and len(bodies) == 1


AUTH_ECHO = """
    import json

    def model_fn(model_dir):
        return object()

    def transform_fn(model, data, content_type, accept, context):
        return json.dumps(dict(context.headers.items())), "application/json"
"""


def test_the_engines_key_never_reaches_user_code_and_the_clients_own_does(tmp_path: Path):
    # The front sends the engine's key as Authorization and the client's own under
    # X-Serving-Client-Authorization: a hook echoing its headers must leak no key.
    fake = start(tmp_path, AUTH_ECHO)
    data = fake.batch(
        ("{}", {"Content-Type": JSON, "Authorization": "Bearer ENGINE-KEY"}),
        (
            "{}",
            {
                "Content-Type": JSON,
                "authorization": "Bearer ENGINE-KEY",
                "X-Serving-Client-Authorization": "Basic dXNlcjpwdw==",
            },
        ),
    )
    first, second = (json.loads(body) for body in handle(data, fake) or [])
    assert "ENGINE-KEY" not in json.dumps([first, second])
    assert "Authorization" not in first and "authorization" not in first
    assert second["Authorization"] == "Basic dXNlcjpwdw=="
    assert "X-Serving-Client-Authorization" not in second


BODY_ECHO = """
    import hashlib
    import json

    def model_fn(model_dir):
        return object()

    def input_fn(data, content_type):
        digest = hashlib.sha256(data).hexdigest()
        return {"type": content_type, "sha256": digest, "bytes": len(data)}

    def predict_fn(data, model):
        return data

    def output_fn(prediction, accept):
        return json.dumps(prediction), "application/json"
"""

FORM = b"a=b&a=b&name=%C3%A9t%C3%A9"
MULTIPART = (
    b'--XyZ\r\nContent-Disposition: form-data; name="image"; filename="x.png"\r\n'
    b"Content-Type: image/png\r\n\r\n\x89PNG\r\n\x1a\n\x00\xff\r\n--XyZ--\r\n"
)


def test_form_and_multipart_bodies_reach_input_fn_as_their_exact_bytes_and_type(tmp_path: Path):
    fake = start(tmp_path, BODY_ECHO)
    form_type = "application/x-www-form-urlencoded"
    multipart_type = "multipart/form-data; boundary=XyZ"
    data = fake.batch(
        (FORM, {"Content-Type": form_type}), (MULTIPART, {"content-type": multipart_type})
    )
    form, multipart = (json.loads(body) for body in handle(data, fake) or [])
    assert fake.statuses == {0: 200, 1: 200}
    assert form == {
        "type": form_type,
        "sha256": hashlib.sha256(FORM).hexdigest(),
        "bytes": len(FORM),
    }
    assert multipart == {
        "type": "multipart/form-data",  # input_fn gets the bare media type, as AWS's does
        "sha256": hashlib.sha256(MULTIPART).hexdigest(),
        "bytes": len(MULTIPART),
    }


def test_the_engines_neutral_content_type_never_reaches_user_code(tmp_path: Path):
    # A client that sends no Content-Type: the engine got the front's application/octet-stream,
    # which is not the client's and must not look like it was.
    fake = start(tmp_path, AUTH_ECHO)
    (body,) = handle(fake.batch(("{}", {})), fake) or []
    assert {name.lower() for name in json.loads(body)} & {
        "content-type",
        "x-serving-client-content-type",
    } == set()


@pytest.mark.parametrize(
    "content_type", ["application/x-www-form-urlencoded", "multipart/form-data; boundary=XyZ"]
)
def test_the_default_input_fn_answers_a_form_body_415(tmp_path: Path, content_type: str):
    fake = start(tmp_path, NET)
    handle(fake.batch((FORM, {"Content-Type": content_type})), fake)
    assert fake.statuses == {0: 415}
    assert calls() == [("load", 8, "cpu")]  # the model never ran


DROPOUT_NET = """
    import torch

    def build():
        torch.manual_seed(0)
        return torch.nn.Sequential(
            torch.nn.Linear(4, 16), torch.nn.Dropout(0.5), torch.nn.Linear(16, 2)
        )

    def model_fn(model_dir):
        net = build()  # returned straight after building: training mode, as AWS's MNIST
        return torch.nn.DataParallel(net) if WRAPPED else net
"""


@pytest.mark.parametrize("wrapped", [False, True])
def test_a_module_returned_in_training_mode_answers_as_in_eval_mode(
    tmp_path: Path, wrapped: bool
) -> None:
    fake = start(tmp_path, f"WRAPPED = {wrapped}\n" + textwrap.dedent(DROPOUT_NET))
    row = [[0.5, -1.0, 2.0, 0.25]]
    answers = [
        json.loads(body)
        for body in handle(fake.batch(*[(json.dumps(row), {"Content-Type": JSON})] * 4), fake) or []
    ]
    reference = sys.modules["inference"].build().eval()
    with torch.no_grad():
        expected = reference(torch.tensor(row)).tolist()
    assert fake.statuses == {0: 200, 1: 200, 2: 200, 3: 200}
    for answer in answers:  # the same each time (dropout off), and as model.eval() says
        assert answer[0] == pytest.approx(expected[0], abs=1e-6)


def test_a_users_own_predict_fn_gets_the_model_in_the_mode_model_fn_left_it(tmp_path: Path):
    # As with AWS's toolkit: only its default predict_fn calls model.eval().
    code = textwrap.dedent(DROPOUT_NET) + textwrap.dedent(
        """
        def predict_fn(data, model):
            return torch.tensor([[float(model.training)]])
        """
    )
    fake = start(tmp_path, "WRAPPED = False\n" + code)
    (body,) = handle(fake.batch(("[[1, 2, 3, 4]]", {"Content-Type": JSON})), fake) or []
    assert json.loads(body) == [[1.0]]


AWS_PACKAGE_SCRIPT = """
    import torch
    from sagemaker_inference import content_types, decoder, encoder, errors, utils

    def model_fn(model_dir):
        return torch.nn.Identity()

    def input_fn(input_data, content_type):
        if content_type == "application/x-reject":
            raise errors.GenericInferenceToolkitError(422, "rejected by the script")
        return torch.tensor(decoder.decode(input_data, content_type), dtype=torch.float32)

    def output_fn(prediction, accept):
        accept = utils.parse_accept(accept)[0] if accept else content_types.JSON
        return encoder.encode(prediction.numpy() * 2, accept), accept
"""


def test_scripts_importing_awss_sagemaker_inference_run_and_its_errors_keep_their_status(
    tmp_path: Path,
) -> None:
    fake = start(tmp_path, AWS_PACKAGE_SCRIPT)
    data = fake.batch(
        ("[[1, 2]]", {"Content-Type": JSON}),
        ("1,2\n", {"Content-Type": CSV, "Accept": CSV}),
        ("[[1, 2]]", {"Content-Type": "image/png"}),  # AWS's decoder: UnsupportedFormatError
        ("[[1, 2]]", {"Content-Type": JSON, "Accept": "image/png"}),  # ... its encoder's
        ("[[1, 2]]", {"Content-Type": "application/x-reject"}),
    )
    bodies = handle(data, fake) or []
    assert fake.statuses == {0: 200, 1: 200, 2: 415, 3: 406, 4: 422}
    assert json.loads(bodies[0]) == [[2.0, 4.0]]
    from sagemaker_inference import decoder, encoder  # AWS's own codecs, as the script

    assert bodies[1] == encoder.encode(decoder.decode("1,2\n", CSV) * 2.0, CSV).encode()
    assert json.loads(bodies[2])["message"].startswith("Content type image/png is not supported")
    assert json.loads(bodies[4])["message"] == "rejected by the script"
