"""The default hooks: model loading, decoding, inference mode and device, encoding."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
import torch

from serving.errors import InvalidInput, ModelLoadError, UnsupportedContentType
from serving.worker.context import LoadContext, RequestContext
from serving.worker.defaults import (
    default_input_fn,
    default_model_fn,
    default_output_fn,
    default_predict_fn,
    find_model_file,
)
from serving.worker.loader import resolve_device

# torch 2.13 deprecates torch.jit (script/save/load) with a DeprecationWarning, which
# this project's pytest config turns into an error; TorchScript is still what the AWS
# toolkit's model.pt contract means, so the tests that exercise it silence just that.
TORCHSCRIPT_DEPRECATED = pytest.mark.filterwarnings("ignore::DeprecationWarning")


class Double(torch.nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x * 2


class Recorder(torch.nn.Module):
    """Records the state its forward pass ran in."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[tuple[bool, torch.device, torch.dtype]] = []

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        self.seen.append((torch.is_inference_mode_enabled(), x.device, x.dtype))
        return x


def _script(path: Path) -> None:
    torch.jit.save(torch.jit.script(Double()), str(path))


# --- find_model_file / default_model_fn ------------------------------------------------


@pytest.mark.parametrize(
    ("names", "chosen"),
    [
        (["model.pt", "other.pt", "extra.pth", "x.pt2"], "model.pt"),
        (["weights.pth", "README.md", "code"], "weights.pth"),
        (["program.pt2", "notes.txt"], "program.pt2"),
        (["only.pt"], "only.pt"),
    ],
)
def test_find_model_file_prefers_model_pt_else_exactly_one(names: list[str], chosen: str):
    assert find_model_file(names) == chosen


@pytest.mark.parametrize(
    ("names", "found"),
    [([], "found: none"), (["a.pt", "b.pth"], "found: a.pt, b.pth"), (["m.pt2", "n.pt"], "m.pt2")],
)
def test_find_model_file_says_what_was_found_and_what_is_expected(names: list[str], found: str):
    with pytest.raises(ModelLoadError) as raised:
        find_model_file(names)
    message = str(raised.value)
    assert found in message
    assert "model.pt" in message and "exactly one" in message
    assert "model_fn(model_dir)" in message


@TORCHSCRIPT_DEPRECATED
def test_default_model_fn_loads_model_pt_torchscript_in_eval_mode(tmp_path: Path):
    _script(tmp_path / "model.pt")
    (tmp_path / "other.pt").write_bytes(b"never read")
    model = default_model_fn(str(tmp_path), LoadContext("m", str(tmp_path)))
    assert isinstance(model, torch.jit.ScriptModule)
    assert not model.training
    assert torch.equal(model(torch.tensor([[1.5, -2.0]])), torch.tensor([[3.0, -4.0]]))


@TORCHSCRIPT_DEPRECATED
def test_default_model_fn_loads_a_single_pth_torchscript(tmp_path: Path):
    _script(tmp_path / "weights.pth")
    model = default_model_fn(str(tmp_path))
    assert torch.equal(model(torch.ones(1, 2)), torch.full((1, 2), 2.0))


def test_default_model_fn_loads_a_torch_export_program(tmp_path: Path):
    class Affine(torch.nn.Module):
        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return x * 3 + 1

    batch = torch.export.Dim("batch")
    program = torch.export.export(Affine(), (torch.ones(2, 4),), dynamic_shapes=({0: batch},))
    torch.export.save(program, str(tmp_path / "affine.pt2"))
    model = default_model_fn(str(tmp_path), LoadContext("m", str(tmp_path)))
    assert torch.equal(model(torch.zeros(3, 4)), torch.ones(3, 4))


@TORCHSCRIPT_DEPRECATED
def test_a_state_dict_is_not_torchscript_and_needs_a_model_fn(tmp_path: Path):
    torch.save(torch.nn.Linear(2, 1).state_dict(), tmp_path / "model.pth")
    with pytest.raises(ModelLoadError) as raised:
        default_model_fn(str(tmp_path))
    message = str(raised.value)
    assert "model.pth is not a TorchScript program" in message
    assert "state_dict" in message and "model_fn(model_dir)" in message


def test_a_corrupt_pt2_says_it_is_not_a_torch_export_program(tmp_path: Path):
    (tmp_path / "model.pt2").write_bytes(b"not a zip")
    with pytest.raises(ModelLoadError, match="model.pt2 is not a torch.export program"):
        default_model_fn(str(tmp_path))


def test_default_model_fn_with_no_weights_says_so(tmp_path: Path):
    (tmp_path / "code").mkdir()  # directories never count, even one named like weights
    (tmp_path / "dir.pt").mkdir()
    with pytest.raises(ModelLoadError, match="found: none"):
        default_model_fn(str(tmp_path))


# --- default_predict_fn -----------------------------------------------------------------


def _context(device: str = "cpu", dtype: str = "float32") -> RequestContext:
    return RequestContext("m", "/m", device=device, dtype=dtype)


def test_default_predict_fn_runs_under_inference_mode():
    model = Recorder()
    default_predict_fn(torch.ones(1, 2), model, _context())
    assert model.seen == [(True, torch.device("cpu"), torch.float32)]
    assert not torch.is_inference_mode_enabled()


def test_default_predict_fn_moves_data_to_the_worker_device():
    # "meta" stands in for cuda:N on a machine without a GPU: any device but the
    # input's own proves the move follows the context rather than a fixed cuda:0.
    model = Recorder()
    default_predict_fn(torch.ones(1, 2), model, _context(device="meta"))
    assert model.seen == [(True, torch.device("meta"), torch.float32)]


def test_default_predict_fn_casts_floats_to_the_configured_dtype_only():
    model = Recorder()
    default_predict_fn(torch.ones(1, 2), model, _context(dtype="bfloat16"))
    default_predict_fn(torch.ones(1, 2, dtype=torch.int64), model, _context(dtype="bfloat16"))
    assert [dtype for *_, dtype in model.seen] == [torch.bfloat16, torch.int64]


@pytest.mark.parametrize(
    ("setting", "gpu_id", "cuda", "device"),
    [
        ("auto", 1, True, "cuda:1"),
        ("auto", None, True, "cpu"),
        ("auto", 0, False, "cpu"),
        ("cpu", 0, True, "cpu"),
        ("cuda", 2, True, "cuda:2"),
        ("cuda", None, True, "cuda:0"),
    ],
)
def test_resolve_device(setting: str, gpu_id: int | None, cuda: bool, device: str):
    assert resolve_device(setting, gpu_id, cuda) == device


def test_resolve_device_cuda_without_cuda_fails_the_load():
    with pytest.raises(ModelLoadError, match="device: cuda .* no CUDA device"):
        resolve_device("cuda", None, False)


# --- default_input_fn / default_output_fn ----------------------------------------------


def _npy(array: np.ndarray) -> bytes:
    out = io.BytesIO()
    np.save(out, array, allow_pickle=True)
    return out.getvalue()


def test_json_and_csv_decode_to_float32_tensors():
    from_json = default_input_fn("[[1, 2], [3, 4]]", "application/json")
    from_csv = default_input_fn("1,2\n3,4\n", "text/csv")
    for tensor in (from_json, from_csv):
        assert tensor.dtype == torch.float32
        assert torch.equal(tensor, torch.tensor([[1.0, 2.0], [3.0, 4.0]]))


@pytest.mark.parametrize("dtype", [np.int64, np.uint8, np.float64, np.bool_])
def test_npy_keeps_its_dtype(dtype: type):
    tensor = default_input_fn(_npy(np.arange(6).reshape(2, 3).astype(dtype)), "application/x-npy")
    assert tensor.numpy().dtype == np.dtype(dtype)
    assert tensor.tolist() == np.arange(6).reshape(2, 3).astype(dtype).tolist()


@pytest.mark.parametrize(
    ("body", "what"),
    [
        ("[1, null]", "found null"),  # float32 conversion would make it NaN
        ('["1.5"]', "found strings"),  # nor parse numbers out of text
        ('{"a": 1}', "found dict"),
        ("[[1, 2], [3]]", "inhomogeneous"),
        ("[1e999999, " + "9" * 400 + "]", "too large"),
        ("[1e999, 1]", "not finite in float32"),
        ("[NaN, 1]", "not finite in float32"),  # Python's json reads it; JSON has no NaN
        ("[-Infinity]", "not finite in float32"),
        ("[1e300]", "not finite in float32"),  # finite, but not as a float32
    ],
)
def test_json_that_is_not_a_rectangle_of_numbers_is_a_400(body: str, what: str):
    with pytest.raises(InvalidInput) as raised:
        default_input_fn(body, "application/json")
    assert what in str(raised.value)
    assert "rectangular array of numbers in the application/json body" in str(raised.value)


@pytest.mark.parametrize("dtype", [">f8", ">i4"])
def test_big_endian_npy_is_read_in_native_byte_order(dtype: str):
    tensor = default_input_fn(_npy(np.array([1, -2, 3], dtype=dtype)), "application/x-npy")
    assert tensor.tolist() == [1, -2, 3]
    assert tensor.numpy().dtype == np.dtype(dtype).newbyteorder("=")


def test_non_numeric_npy_is_a_400_and_object_npy_is_never_unpickled():
    with pytest.raises(InvalidInput, match="numeric NPY array, got dtype <U"):
        default_input_fn(_npy(np.array(["a", "b"])), "application/x-npy")
    with pytest.raises(InvalidInput, match="pickled object arrays are refused"):
        default_input_fn(_npy(np.array([{"x": 1}], dtype=object)), "application/x-npy")


def test_text_plain_is_a_str_and_unknown_types_are_415():
    assert default_input_fn(b"hello", "text/plain; charset=utf-8") == "hello"
    with pytest.raises(UnsupportedContentType, match="image/png"):
        default_input_fn(b"\x89PNG", "image/png")
    with pytest.raises(UnsupportedContentType, match="missing Content-Type"):
        default_input_fn(b"1", None)


def test_default_output_fn_negotiates_and_names_the_produced_type():
    body, content_type = default_output_fn(torch.tensor([[1.0, 2.0]]), "text/csv", _context())
    assert (body, content_type) == (b"1.0,2.0\n", "text/csv")
    body, content_type = default_output_fn(torch.tensor([1], dtype=torch.int64), None)
    assert (body, content_type) == (b"[1]", "application/json")
    bf16 = torch.tensor([0.5], dtype=torch.bfloat16)  # numpy has no bfloat16
    assert default_output_fn(bf16, "application/json")[0] == b"[0.5]"


def test_user_code_imports_the_defaults_from_serving_defaults():
    # docs/model.md tells user scripts to write `from serving.defaults import default_input_fn`.
    import serving.defaults as public
    from serving.worker import defaults

    for name in public.__all__:
        assert getattr(public, name) is getattr(defaults, name)
