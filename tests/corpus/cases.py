"""The corpus: public inference scripts written by others for AWS's PyTorch containers,
kept verbatim in ``tests/corpus/<name>/code`` (origins and licenses: ``SOURCES.md``).

For each script: how its model files are made offline (fixed-seed random weights of the
architecture it loads), and the requests sent to it, the awkward ones included (Accept
``*/*``, no Accept, a charset parameter, a type it does not handle). What AWS's toolkit
answered to each request is recorded in ``<name>/aws.json`` by
``scripts/record_corpus_with_aws.py``; ``tests/integration/test_corpus.py`` sends the
same requests to our server and compares.

Model files are made in a process of their own (``python -m tests.corpus.cases make NAME
DIR``): the scripts' sibling modules (``model.py``, ``model_def.py``) share names.
"""

from __future__ import annotations

import hashlib
import importlib.util
import io
import json
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np

CORPUS = Path(__file__).resolve().parent
JSON, CSV, NPY, TEXT = "application/json", "text/csv", "application/x-npy", "text/plain"


@dataclass(frozen=True)
class Call:
    """One request: its label, Content-Type, Accept (None: no header) and body."""

    label: str
    content_type: str | None
    accept: str | None
    body: bytes


@dataclass(frozen=True)
class Case:
    name: str
    make: Callable[[Path], None]  # writes the model files into the model directory
    calls: Callable[[], list[Call]]
    # A call's label -> why our answer differs from AWS's on purpose (docs/model.md: "Where we
    # differ from AWS's toolkit, on purpose"), and the label of the call whose AWS answer
    # ours must then equal (its first rows), if any.
    differs: Mapping[str, tuple[str, str | None]] = field(default_factory=dict)


# --- inputs ------------------------------------------------------------------------------


def _images(rows: int, seed: int = 0) -> np.ndarray:
    return np.random.RandomState(seed).rand(rows, 1, 28, 28).astype(np.float32)


def _npy(array: np.ndarray) -> bytes:
    out = io.BytesIO()
    np.save(out, array, allow_pickle=False)
    return out.getvalue()


def _json(value: Any) -> bytes:
    return json.dumps(value).encode()


def _csv(array: np.ndarray) -> bytes:
    return "\n".join(",".join(f"{v:.6f}" for v in row) for row in array).encode() + b"\n"


def default_io_calls(images: np.ndarray) -> list[Call]:
    """For a script on the toolkit's default input_fn and output_fn: each codec, and the
    awkward headers."""
    one, two = images[:1], images[:2]
    return [
        Call("json", JSON, JSON, _json(one.tolist())),
        Call("json to csv", JSON, CSV, _json(one.tolist())),
        Call("npy", NPY, NPY, _npy(two)),
        Call("accept any", JSON, "*/*", _json(one.tolist())),
        Call("no accept", JSON, None, _json(one.tolist())),
        Call("charset", "application/json; charset=utf-8", JSON, _json(one.tolist())),
        Call("unsupported type", "image/png", JSON, b"\x89PNG\r\n"),
        Call("malformed json", JSON, JSON, b"[[1, 2"),
    ]


def inputs_json_calls(images: np.ndarray) -> list[Call]:
    """For the examples' scripts that take only ``{"inputs": ...}`` JSON."""
    body = _json({"inputs": images[:1].tolist()})
    return [
        Call("json", JSON, JSON, body),
        Call("accept any", JSON, "*/*", body),
        Call("no accept", JSON, None, body),
        Call("charset", "application/json; charset=utf-8", JSON, body),
        Call("csv in", CSV, JSON, b"1,2,3\n"),
    ]


# --- model files --------------------------------------------------------------------------


def _module(code: Path, name: str) -> ModuleType:
    """A module of the script's code directory (siblings importable), as the server would."""
    if str(code) not in sys.path:
        sys.path.insert(0, str(code))
    spec = importlib.util.spec_from_file_location(name, code / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _state_dict(model_dir: Path, module: str, cls: str, file: str, parallel: bool) -> None:
    import torch

    torch.manual_seed(0)
    net = getattr(_module(model_dir / "code", module), cls)()
    if parallel:
        net = torch.nn.DataParallel(net)
    torch.save(net.state_dict(), model_dir / file)


def mnist_state_dict(module: str, cls: str, file: str, parallel: bool) -> Callable[[Path], None]:
    return lambda model_dir: _state_dict(model_dir, module, cls, file, parallel)


def scripted_mnist(model_dir: Path) -> None:
    """A TorchScript CNN for (N, 1, 28, 28) images, as ``model.pt``: the toolkit's
    default model_fn loads it."""
    import torch

    torch.manual_seed(0)
    net = torch.nn.Sequential(
        torch.nn.Conv2d(1, 4, 5),
        torch.nn.ReLU(),
        torch.nn.Flatten(),
        torch.nn.Linear(4 * 24 * 24, 10),
        torch.nn.LogSoftmax(dim=1),
    ).eval()
    torch.jit.save(torch.jit.script(net), str(model_dir / "model.pt"))


def regression_net(model_dir: Path) -> None:
    import torch

    torch.manual_seed(0)
    net = _module(model_dir / "code", "pytorch_model_def").get_model()
    torch.save(net.state_dict(), model_dir / "model.pth")


_LSTM_TEXT = (
    "the model reads the text and the words follow one another\n"
    "a small corpus made for the test with a few words each line\n"
)


def word_language_model(model_dir: Path) -> None:
    import torch

    for split in ("train", "valid", "test"):
        (model_dir / split).write_text(_LSTM_TEXT)
    code = model_dir / "code"
    ntoken = len(_module(code, "data").Corpus(str(model_dir)).dictionary)
    info = {
        "rnn_type": "LSTM",
        "ntoken": ntoken,
        "ninp": 16,
        "nhid": 16,
        "nlayers": 2,
        "dropout": 0.2,
        "tie_weights": True,
    }
    torch.save(info, model_dir / "model_info.pth")
    torch.manual_seed(0)
    net = _module(code, "rnn").RNNModel(**info)
    torch.save(net.state_dict(), model_dir / "model.pth")


def plagiarism_classifier(model_dir: Path) -> None:
    import torch

    info = {"input_features": 3, "hidden_dim": 10, "output_dim": 1}
    torch.save(info, model_dir / "model_info.pth")
    net = _module(model_dir / "code", "model").BinaryClassifier(**info)
    torch.save(net.state_dict(), model_dir / "model.pth")


def no_files(model_dir: Path) -> None:
    """The script reads no model file."""


def _saved_tensor(array: np.ndarray) -> bytes:
    import torch

    out = io.BytesIO()
    torch.save(torch.from_numpy(array), out)
    return out.getvalue()


# --- the cases ------------------------------------------------------------------------------

IMAGES = _images(2)
CLEAR_4XX = (
    "a malformed body, an unsupported Content-Type or Accept: 4xx with a short JSON body "
    "here, 500 with a traceback from AWS"
)
CHARSET = "a Content-Type with parameters: the bare media type is matched here"
ONE_ROW_CSV = (
    "a one-row CSV body is one record, shape (1, k), here; AWS's decoder makes it 1-D and "
    "the script's reshape fails"
)
DEFAULT_IO_DIFFERS: dict[str, tuple[str, str | None]] = {
    "charset": (CHARSET, "json"),
    "unsupported type": (CLEAR_4XX, None),
    "malformed json": (CLEAR_4XX, None),
}

CASES: dict[str, Case] = {
    case.name: case
    for case in [
        Case(
            "tk_mnist_cpu",
            mnist_state_dict("inference", "Net", "torch_model.pth", parallel=True),
            lambda: default_io_calls(IMAGES),
            DEFAULT_IO_DIFFERS,
        ),
        Case(
            "tk_mnist_1d",
            mnist_state_dict("inference", "Net", "torch_model.pth", parallel=True),
            lambda: [
                Call("csv rows", CSV, JSON, _csv(IMAGES.reshape(2, 784))),
                Call("csv to csv", CSV, CSV, _csv(IMAGES.reshape(2, 784)[:1])),
                Call("json rows", JSON, JSON, _json(IMAGES.reshape(2, 784)[:1].tolist())),
                Call("npy rows", NPY, NPY, _npy(IMAGES.reshape(2, 784))),
                Call("no accept", CSV, None, _csv(IMAGES.reshape(2, 784)[:1])),
                Call("unsupported type", "image/png", JSON, b"\x89PNG\r\n"),
            ],
            {
                "csv to csv": (ONE_ROW_CSV, "csv rows"),
                "no accept": (ONE_ROW_CSV, "csv rows"),
                "unsupported type": (CLEAR_4XX, None),
            },
        ),
        Case(
            "tk_call_model_fn_once",
            no_files,
            lambda: [
                Call("text", TEXT, TEXT, b"hello"),
                Call("json", JSON, JSON, b"{}"),
                Call("no accept", "application/octet-stream", None, b"\x00\x01"),
            ],
        ),
        Case(
            "tk_default_model_predict_fn_only",
            scripted_mnist,
            lambda: default_io_calls(IMAGES),
            DEFAULT_IO_DIFFERS,
        ),
        Case(
            "tk_dummy_hosting_transform_fn",
            no_files,
            lambda: [
                Call("json", JSON, JSON, b'{"a": [1, 2]}'),
                Call("csv", CSV, CSV, b"1,2\n"),
                Call("bytes", "application/octet-stream", None, b"\x00\xff"),
            ],
        ),
        Case(
            "ex_frameworks_pytorch_mnist_json",
            mnist_state_dict("inference", "Net", "model.pth", parallel=False),
            lambda: inputs_json_calls(IMAGES),
            {"charset": (CHARSET, "json")},
        ),
        Case(
            "ex_multi_model_pytorch",
            mnist_state_dict("model", "MNISTNet", "model.pth", parallel=False),
            lambda: inputs_json_calls(IMAGES),
            {"charset": (CHARSET, "json")},
        ),
        Case(
            "ex_horovod_mnist_model_fn_only",
            mnist_state_dict("model_def", "Net", "model.pth", parallel=False),
            lambda: default_io_calls(IMAGES),
            DEFAULT_IO_DIFFERS,
        ),
        Case(
            "ex_smdataparallel_mnist_model_fn_only",
            mnist_state_dict("model_def", "Net", "model.pth", parallel=False),
            lambda: default_io_calls(IMAGES),
            DEFAULT_IO_DIFFERS,
        ),
        Case(
            "ex_model_trainer_custom_script",
            regression_net,
            lambda: [
                Call("json", JSON, JSON, _json([[0.1 * i for i in range(8)]])),
                Call("two rows", JSON, CSV, _json([[0.5] * 8, [0.1 * i for i in range(8)]])),
                Call("no accept", JSON, None, _json([[0.25] * 8])),
                Call("csv in", CSV, JSON, b"0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8\n"),
            ],
        ),
        Case(
            "ex_script_mode_pytorch_no_deps",
            regression_net,
            lambda: [
                Call("json", JSON, JSON, _json([[0.1 * i for i in range(8)]])),
                Call("accept any", JSON, "*/*", _json([[0.5] * 8])),
                Call("npy in", NPY, JSON, _npy(np.ones((1, 8), np.float32))),
            ],
        ),
        Case(
            "ex_lstm_word_language_model",
            word_language_model,
            lambda: [
                Call("generate", JSON, JSON, _json({"temperature": 1.0, "seed": 7, "words": 12})),
                Call("cold", JSON, None, _json({"temperature": 0.5, "seed": 1, "words": 5})),
                Call("csv in", CSV, JSON, b"1,2\n"),
            ],
        ),
        Case(
            "mljp_async_torch_load_body",
            mnist_state_dict("model", "Net", "model.pth", parallel=True),
            lambda: [
                Call("saved tensor", "application/octet-stream", JSON, _saved_tensor(IMAGES[:1])),
                Call("accept any", "application/octet-stream", "*/*", _saved_tensor(IMAGES)),
            ],
        ),
        Case(
            "mljp_inf1_input_fn_only",
            scripted_mnist,
            lambda: [
                Call("npy", NPY, JSON, _npy(IMAGES[:1])),
                Call("npy to npy", NPY, NPY, _npy(IMAGES)),
                Call("npy to csv", NPY, CSV, _npy(IMAGES[:1])),
                Call("no accept", NPY, None, _npy(IMAGES[:1])),
            ],
        ),
        Case(
            "mljp_mme_model_fn_only",
            mnist_state_dict("model", "Net", "model.pth", parallel=True),
            lambda: default_io_calls(IMAGES),
            DEFAULT_IO_DIFFERS,
        ),
        Case(
            "udacity_plagiarism_npy",
            plagiarism_classifier,
            lambda: [
                Call("npy", NPY, NPY, _npy(np.array([[0.2, 0.7, 0.4], [0.9, 0.1, 0.6]]))),
                Call("accept json", NPY, JSON, _npy(np.array([[0.2, 0.7, 0.4]]))),
                Call("json in", JSON, NPY, b"[[0.2, 0.7, 0.4]]"),
            ],
        ),
    ]
}


def prepare(name: str, model_dir: Path, python: str = sys.executable) -> dict[str, str]:
    """``model_dir`` for case ``name``: its verbatim code and its model files, made in a
    process of their own. Returns each model file's SHA-256, by name."""
    shutil.copytree(CORPUS / name / "code", model_dir / "code")
    repo = CORPUS.parent.parent
    subprocess.run(
        [python, "-m", "tests.corpus.cases", "make", name, str(model_dir)],
        cwd=repo,
        check=True,
        timeout=300,
    )
    return {path.name: fingerprint(path) for path in sorted(model_dir.iterdir()) if path.is_file()}


def fingerprint(path: Path) -> str:
    """A model file's SHA-256, by content: for torch's zip archives, the tensors' bytes
    (``<archive>/data/<n>``): torch.jit.save also writes a random id and code whose text
    differs from one process to the next."""
    digest = hashlib.sha256()
    if not zipfile.is_zipfile(path):
        digest.update(path.read_bytes())
        return digest.hexdigest()
    with zipfile.ZipFile(path) as archive:
        for member in sorted(archive.namelist()):
            if "/data/" in member:
                digest.update(member.encode() + b"\0" + archive.read(member))
    return digest.hexdigest()


if __name__ == "__main__":
    if len(sys.argv) != 4 or sys.argv[1] != "make":
        sys.exit("usage: python -m tests.corpus.cases make NAME MODEL_DIR")
    CASES[sys.argv[2]].make(Path(sys.argv[3]))
