"""The example models in model_store/: build them as their scripts do, then check the
hooks in their code/inference.py by value (accuracy, samples, embeddings, errors)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from serving.errors import InferenceError
from tests.support.modules import load_module

ROOT = Path(__file__).resolve().parents[2]
DIGITS = ROOT / "model_store" / "digits"
MINILM = ROOT / "model_store" / "minilm"
SAMPLES = DIGITS / "samples"

# Nothing here may reach a model hub; the machines running the tests have no route to one.
OFFLINE_ENV = {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}


def run_script(script: Path, *args: str, env: dict[str, str] | None = None) -> str:
    """Run a build script with this interpreter; returns its stdout."""
    result = subprocess.run(
        [sys.executable, str(script), *args],
        env={**os.environ, **OFFLINE_ENV, **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


# --- digits ---------------------------------------------------------------------------

digits_inference = load_module("digits_inference", DIGITS / "code" / "inference.py")
digits_train = load_module("digits_train", DIGITS / "train.py")


@pytest.fixture(scope="module")
def digits_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A model dir trained by ``train.py`` with its default hyperparameters."""
    model_dir = tmp_path_factory.mktemp("digits")
    stdout = run_script(DIGITS / "train.py", "--model-dir", str(model_dir))
    assert re.search(r"held-out accuracy 0\.9[5-9]", stdout), stdout
    return model_dir


@pytest.fixture(scope="module")
def digits_model(digits_dir: Path) -> torch.nn.Module:
    return digits_inference.model_fn(str(digits_dir)).cpu()


def predict_digit(model: torch.nn.Module, pixels: torch.Tensor) -> int:
    with torch.inference_mode():
        probabilities = model(pixels)
    assert probabilities.shape == (1, 10)
    return int(probabilities.argmax())


def test_digits_saves_only_a_state_dict(digits_dir: Path) -> None:
    assert sorted(p.name for p in digits_dir.iterdir()) == ["model.pth"]
    state = torch.load(digits_dir / "model.pth", weights_only=True, map_location="cpu")
    assert isinstance(state, dict)
    assert all(isinstance(v, torch.Tensor) for v in state.values())


def test_digits_held_out_accuracy(digits_model: torch.nn.Module) -> None:
    features, labels = digits_train.load_data(None)
    _, x_test, _, y_test = digits_train.split_data(features, labels, seed=0)
    with torch.inference_mode():
        probabilities = digits_model(torch.from_numpy(x_test))
    assert probabilities.shape == (len(x_test), 10)
    # The network ends in softmax: served answers are probabilities.
    torch.testing.assert_close(probabilities.sum(dim=1), torch.ones(len(x_test)))
    accuracy = (probabilities.argmax(dim=1).numpy() == y_test).mean()
    assert accuracy >= 0.95


@pytest.mark.parametrize("dtype", [np.uint8, np.int64, np.float64, np.float32])
def test_digits_accepts_any_numeric_npy_dtype(digits_model: torch.nn.Module, dtype: type) -> None:
    # The default input_fn keeps an NPY body's dtype; the network must cope with each.
    pixels = np.load(SAMPLES / "seven.npy").astype(dtype)
    assert predict_digit(digits_model, torch.from_numpy(pixels)) == 7


def test_digits_training_is_deterministic_whatever_the_threads(tmp_path: Path) -> None:
    args = ["--epochs", "2", "--min-accuracy", "0"]
    threads = torch.get_num_threads()
    try:
        torch.set_num_threads(1)
        digits_train.main([*args, "--model-dir", str(tmp_path / "a")])
        torch.set_num_threads(4)  # what the machine offers must not change the weights
        digits_train.main([*args, "--model-dir", str(tmp_path / "b")])
        assert torch.get_num_threads() == 4  # restored for the caller
    finally:
        torch.set_num_threads(threads)
    a = torch.load(tmp_path / "a" / "model.pth", weights_only=True)
    b = torch.load(tmp_path / "b" / "model.pth", weights_only=True)
    assert a.keys() == b.keys()
    for key in a:
        torch.testing.assert_close(a[key], b[key], rtol=0, atol=0)


def test_digits_trains_from_sagemaker_channel_into_sm_model_dir(tmp_path: Path) -> None:
    from sklearn.datasets import load_digits

    digits = load_digits()
    channel = tmp_path / "train"
    channel.mkdir()
    table = np.column_stack([digits.data, digits.target])
    header = ",".join([f"p{i}" for i in range(64)] + ["label"])
    np.savetxt(channel / "digits.csv", table, delimiter=",", fmt="%d", header=header, comments="")
    out = tmp_path / "model"
    stdout = run_script(
        DIGITS / "train.py",
        "--epochs",
        "3",
        "--min-accuracy",
        "0",
        env={"SM_CHANNEL_TRAIN": str(channel), "SM_MODEL_DIR": str(out)},
    )
    assert "on 360 images (trained on 1437" in stdout
    assert (out / "model.pth").is_file()


def test_digits_samples_agree_and_predict_seven(digits_model: torch.nn.Module) -> None:
    rows = json.loads((SAMPLES / "seven.json").read_text())
    assert np.asarray(rows).shape == (1, 64)
    from_json = torch.tensor(rows, dtype=torch.float32)
    from_csv = torch.from_numpy(np.loadtxt(SAMPLES / "seven.csv", delimiter=",", ndmin=2))
    npy = np.load(SAMPLES / "seven.npy")
    assert npy.dtype == np.float32 and npy.shape == (1, 64)
    torch.testing.assert_close(from_csv.float(), from_json)
    torch.testing.assert_close(torch.from_numpy(npy), from_json)
    for pixels in (from_json, from_csv.float(), torch.from_numpy(npy)):
        assert predict_digit(digits_model, pixels) == 7

    art = (SAMPLES / "seven.txt").read_bytes()
    assert art.decode() == digits_inference.render_ascii_art(rows[0])
    from_art = digits_inference.input_fn(art, "text/plain")
    assert from_art.dtype == torch.float32 and from_art.shape == (1, 64)
    assert predict_digit(digits_model, from_art) == 7


@pytest.mark.parametrize("sample", ["seven.json", "seven.csv", "seven.npy"])
def test_digits_other_types_go_to_the_runtime_default(sample: str) -> None:
    content_type = {"json": "application/json", "csv": "text/csv", "npy": "application/x-npy"}
    kind = sample.rsplit(".", 1)[1]
    body: str | bytes = (SAMPLES / sample).read_bytes()
    if kind != "npy":  # the runtime hands JSON and CSV to input_fn as str
        body = body.decode()
    decoded = digits_inference.input_fn(body, content_type[kind])
    expected = torch.tensor(json.loads((SAMPLES / "seven.json").read_text()), dtype=torch.float32)
    torch.testing.assert_close(decoded.cpu(), expected)


def test_ascii_art_pads_short_lines_and_maps_the_ramp() -> None:
    art = "@%#*+=-:\n.\n \n \n \n \n \n       @\n"
    pixels = digits_inference.input_fn(art.encode(), "Text/Plain; charset=utf-8")
    expected = torch.zeros(64)
    expected[:8] = torch.tensor([16, 14, 12, 11, 9, 7, 5, 4], dtype=torch.float32)
    expected[8] = 2
    expected[63] = 16
    torch.testing.assert_close(pixels, expected[None, :])


def test_ascii_art_accepts_crlf_and_surrounding_empty_lines() -> None:
    art = "\r\n" + "\r\n".join(["@@@@@@@@"] * 8) + "\r\n\r\n"
    torch.testing.assert_close(
        digits_inference.input_fn(art, "text/plain"), torch.full((1, 64), 16.0)
    )


@given(st.lists(st.integers(0, 9), min_size=64, max_size=64))
def test_ascii_art_round_trips(indices: list[int]) -> None:
    ramp = digits_inference.RAMP
    art = "\n".join(
        "".join(ramp[i] for i in indices[row : row + 8]).rstrip() or " " for row in range(0, 64, 8)
    )
    pixels = digits_inference.parse_ascii_art(art)
    assert pixels.tolist() == [[float(round(i * 16 / 9)) for i in indices]]
    assert digits_inference.render_ascii_art(pixels[0].tolist()) == art + "\n"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("@\n" * 7, "has 7 non-empty lines"),
        ("@\n" * 9, "has 9 non-empty lines"),
        ("", "has 0 non-empty lines"),
        ("@\n" * 3 + "@@@@@@@@@\n" + "@\n" * 4, "line 4 has 9 characters"),
        ("@\n" * 5 + "  x\n" + "@\n" * 2, "line 6, column 3: unknown character 'x'"),
        ("\t@\n" + "@\n" * 7, "line 1, column 1: unknown character '\\t'"),
        (b"\xff\n" * 8, "not UTF-8"),
    ],
)
def test_ascii_art_errors_are_400_and_say_what_is_expected(body: str | bytes, message: str) -> None:
    with pytest.raises(InferenceError) as caught:
        digits_inference.input_fn(body, "text/plain")
    assert caught.value.status_code == 400
    assert message in caught.value.message
    if isinstance(body, str):
        assert "expected 8 non-empty lines of at most 8 characters" in caught.value.message


# --- minilm ---------------------------------------------------------------------------

minilm_make = load_module("minilm_make_model", MINILM / "make_model.py")
minilm_inference = load_module("minilm_inference", MINILM / "code" / "inference.py")

SENTENCES = [
    "A man is eating food.",
    "A man is eating a piece of bread.",
    "A man is riding a horse.",
]


@pytest.fixture(scope="module")
def minilm_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    model_dir = tmp_path_factory.mktemp("minilm")
    minilm_make.main(["--model-dir", str(model_dir)])
    return model_dir


@pytest.fixture(scope="module")
def minilm(minilm_dir: Path) -> Iterator[ModuleType]:
    """The inference module from the built model dir, with its model loaded, offline."""
    with pytest.MonkeyPatch.context() as env:
        for name, value in OFFLINE_ENV.items():
            env.setenv(name, value)
        # model_fn sets these itself; the context puts the test process back afterwards.
        env.setenv("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        module = load_module("minilm_inference_built", minilm_dir / "code" / "inference.py")
        module.model = module.model_fn(str(minilm_dir))  # type: ignore[attr-defined]
        yield module


def test_minilm_model_dir_is_self_contained_and_rebuilds_instantly(minilm_dir: Path) -> None:
    for name in ("config.json", "model.safetensors", "tokenizer.json", "vocab.txt", "modules.json"):
        assert (minilm_dir / name).is_file(), name
    assert (minilm_dir / "1_Pooling" / "config.json").is_file()
    assert (minilm_dir / "code" / "inference.py").read_bytes() == (
        MINILM / "code" / "inference.py"
    ).read_bytes()
    assert minilm_make.make_model(minilm_dir) == []


def test_minilm_embeddings_rank_sentences_by_meaning(minilm: ModuleType) -> None:
    data = minilm.input_fn(json.dumps({"inputs": SENTENCES}), "application/json")
    embeddings = minilm.model(data)
    assert embeddings.shape == (3, 384)
    assert embeddings.dtype == torch.float32 and embeddings.device.type == "cpu"
    torch.testing.assert_close(embeddings.norm(dim=1), torch.ones(3))
    similarity = embeddings @ embeddings.T  # cosine, as the rows are unit vectors
    food_bread, food_horse = similarity[0, 1].item(), similarity[0, 2].item()
    assert food_bread > food_horse
    # The published all-MiniLM-L6-v2 gives these; random or wrong weights would not.
    assert food_bread == pytest.approx(0.755, abs=0.01)
    assert food_horse == pytest.approx(0.247, abs=0.01)


def test_minilm_text_and_json_give_the_same_embeddings(minilm: ModuleType) -> None:
    from_text = minilm.model(minilm.input_fn("\n".join(SENTENCES).encode(), "text/plain"))
    from_json = minilm.model(minilm.input_fn(json.dumps(SENTENCES), "application/json"))
    torch.testing.assert_close(from_text, from_json)


@pytest.mark.parametrize(
    ("body", "content_type", "expected"),
    [
        (b"one\n\n  two  \r\nthree\n", "text/plain", ["one", "two", "three"]),
        ("caf\u00e9".encode("latin-1"), "text/plain; charset=ISO-8859-1", ["caf\u00e9"]),
        ("caf\u00e9".encode(), "TEXT/PLAIN", ["caf\u00e9"]),
        ('"just one"', "application/json", ["just one"]),
        ('["a", "b"]', "application/json; charset=utf-8", ["a", "b"]),
        ('{"inputs": "x"}', "application/json", ["x"]),
        ('{"inputs": ["x", "y"]}', "application/json", ["x", "y"]),
        (b'["bytes too"]', "application/json", ["bytes too"]),
    ],
)
def test_minilm_input_fn_parses(body: str | bytes, content_type: str, expected: list[str]) -> None:
    assert minilm_inference.parse_sentences(body, content_type) == expected


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        ("1,2,3", "text/csv", 415),
        (b"\x93NUMPY", "application/x-npy", 415),
        (b"hello", "application/octet-stream", 415),
        (b"hello", "", 415),
        (b"hello", "text/plain; charset=no-such-charset", 415),
        (b"", "text/plain", 400),
        (b"\n  \n", "text/plain", 400),
        (b"\xff\xfe", "text/plain", 400),
        ("[]", "application/json", 400),
        ('{"inputs": []}', "application/json", 400),
        ('""', "application/json", 400),
        ('["a", " "]', "application/json", 400),
        ("[1, 2]", "application/json", 400),
        ('{"text": "a"}', "application/json", 400),
        ('{"inputs": "a", "parameters": {}}', "application/json", 400),
        ("null", "application/json", 400),
        ("42", "application/json", 400),
        ("not json", "application/json", 400),
    ],
)
def test_minilm_input_fn_errors(body: str | bytes, content_type: str, status: int) -> None:
    with pytest.raises(InferenceError) as caught:
        minilm_inference.input_fn(body, content_type)
    assert caught.value.status_code == status
    assert caught.value.message


# --- sentiment ------------------------------------------------------------------------

SENTIMENT = ROOT / "model_store" / "sentiment"
sentiment_train = load_module("sentiment_train", SENTIMENT / "train.py")


@pytest.fixture(scope="module")
def sentiment_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A model dir made by ``train.py`` (it exits non-zero unless the held-out reviews
    come out right)."""
    model_dir = tmp_path_factory.mktemp("sentiment")
    stdout = run_script(SENTIMENT / "train.py", "--model-dir", str(model_dir))
    assert "held-out 8/8 right" in stdout, stdout
    return model_dir


@pytest.fixture(scope="module")
def sentiment(sentiment_dir: Path) -> Iterator[ModuleType]:
    """The built dir's inference module with its pipeline loaded, offline."""
    with pytest.MonkeyPatch.context() as env:
        for name, value in OFFLINE_ENV.items():
            env.setenv(name, value)
        module = load_module("sentiment_inference_built", sentiment_dir / "code" / "inference.py")
        module.model = module.model_fn(str(sentiment_dir))  # type: ignore[attr-defined]
        yield module


def test_sentiment_model_dir_is_a_hugging_face_checkpoint_with_code(sentiment_dir: Path) -> None:
    config = json.loads((sentiment_dir / "config.json").read_text())
    assert config["architectures"] == ["BertForSequenceClassification"]
    assert config["id2label"] == {"0": "NEGATIVE", "1": "POSITIVE"}
    for name in ("model.safetensors", "tokenizer.json", "code/inference.py"):
        assert (sentiment_dir / name).is_file(), name
    assert (sentiment_dir / "code" / "requirements.txt").read_text().split() == [
        "transformers==5.24.0"
    ]
    # Readable to a container user other than the one who made it.
    assert (sentiment_dir / "model.safetensors").stat().st_mode & 0o044 == 0o044


@pytest.mark.parametrize(
    ("review", "label"),
    [
        ((SENTIMENT / "samples" / "review.txt").read_text(), "POSITIVE"),
        *sentiment_train.HELD_OUT.items(),
    ],
)
def test_sentiment_labels_reviews_it_never_saw(
    sentiment: ModuleType, review: str, label: str
) -> None:
    data = sentiment.input_fn(review.encode(), "application/x-text")
    assert data == review  # the post's input_fn: the bytes, decoded as UTF-8
    [answer] = sentiment.predict_fn(data, sentiment.model)
    assert answer["label"] == label and 0.5 < answer["score"] <= 1.0, answer


def test_sentiment_refuses_other_content_types_with_415(sentiment: ModuleType) -> None:
    with pytest.raises(ValueError, match="send application/x-text, not application/json") as caught:
        sentiment.input_fn(b'"great"', "application/json")
    assert caught.value.status_code == 415  # type: ignore[attr-defined]


def test_sentiment_training_reviews_are_balanced_and_distinct_from_the_held_out() -> None:
    assert len(sentiment_train.POSITIVE) == len(sentiment_train.NEGATIVE)
    seen = set(sentiment_train.POSITIVE) | set(sentiment_train.NEGATIVE)
    assert not seen & set(sentiment_train.HELD_OUT)


# --- mlp: the peers' benchmark MLP --------------------------------------------------------


def test_mlp_is_made_offline_and_answers_through_the_default_hooks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from serving.worker.local import LocalModel
    from serving.worker_spec import Placement
    from tests.support.fakes import isolate_user_module, worker_spec

    model_dir = tmp_path / "mlp"
    shutil.copytree(ROOT / "model_store" / "mlp" / "code", model_dir / "code")
    run_script(ROOT / "model_store" / "mlp" / "make_model.py", "--model-dir", str(model_dir))
    weights = torch.load(model_dir / "model.pth", weights_only=True)
    assert [tuple(w.shape) for w in weights.values()] == [
        (512, 784),
        (512,),
        (512, 512),
        (512,),
        (10, 512),
        (10,),
    ]
    sample = (model_dir / "samples" / "one.npy").read_bytes()
    for _ in isolate_user_module(monkeypatch, tmp_path):
        local = LocalModel.load(worker_spec(model_dir), Placement())
        answer = local.answer(sample, "application/x-npy")
        assert answer.status == 200 and len(json.loads(answer.body)[0]) == 10
        # The same row as JSON (for servers that take JSON only) gives the same answer.
        as_json = local.answer(
            (model_dir / "samples" / "one.json").read_bytes(), "application/json"
        )
        assert as_json.status == 200
        np.testing.assert_allclose(json.loads(as_json.body), json.loads(answer.body), rtol=1e-5)
