"""`serving package`: the archive SageMaker expects, and refusals of what serve can't start."""

from __future__ import annotations

import tarfile
from pathlib import Path

import pytest

from serving.cli import main
from serving.errors import ConfigError
from serving.packaging import members, package

INFERENCE = "def model_fn(model_dir):\n    return None\n"


def model_dir(root: Path, inference: str | None = INFERENCE, weights: bool = True) -> Path:
    directory = root / "model"
    (directory / "code").mkdir(parents=True)
    if inference is not None:
        (directory / "code" / "inference.py").write_text(inference)
    if weights:
        (directory / "model.pth").write_bytes(b"weights")
    return directory


def names(archive: Path) -> list[str]:
    with tarfile.open(archive) as tar:
        return [member.name for member in tar.getmembers() if member.isfile()]


def test_archive_has_the_weights_at_the_root_and_code_below(tmp_path: Path) -> None:
    source = model_dir(tmp_path)
    (source / "code" / "requirements.txt").write_text("six==1.16.0\n")
    (source / "code" / "serving.yaml").write_text("models:\n  - name: model\n    batch_size: 2\n")
    archive = tmp_path / "model.tar.gz"
    package(source, archive)
    assert names(archive) == [
        "code/inference.py",
        "code/requirements.txt",
        "code/serving.yaml",
        "model.pth",
    ]
    with tarfile.open(archive) as tar:
        assert tar.extractfile("model.pth").read() == b"weights"  # type: ignore[union-attr]
        assert {(m.uid, m.gid, m.mtime) for m in tar.getmembers()} == {(0, 0, 0)}


def test_same_directory_gives_the_same_bytes(tmp_path: Path) -> None:
    source = model_dir(tmp_path)
    first, second = tmp_path / "a.tar.gz", tmp_path / "b.tar.gz"
    package(source, first)
    (source / "model.pth").touch()  # a new mtime must not change the archive
    package(source, second)
    assert first.read_bytes() == second.read_bytes()


def test_caches_are_left_out_and_links_are_archived_as_files(tmp_path: Path) -> None:
    source = model_dir(tmp_path)
    (source / "code" / "__pycache__").mkdir()
    (source / "code" / "__pycache__" / "inference.cpython-311.pyc").write_bytes(b"x")
    (source / "code" / "stale.pyc").write_bytes(b"x")
    outside = tmp_path / "shared-weights.bin"
    outside.write_bytes(b"shared")
    (source / "extra.bin").symlink_to(outside)
    archive = source / "model.tar.gz"  # written inside the directory: not archived in itself
    package(source, archive)
    assert names(archive) == ["code/inference.py", "extra.bin", "model.pth"]
    with tarfile.open(archive) as tar:
        assert tar.extractfile("extra.bin").read() == b"shared"  # type: ignore[union-attr]


def test_broken_link_is_refused(tmp_path: Path) -> None:
    source = model_dir(tmp_path)
    (source / "gone.bin").symlink_to(tmp_path / "missing")
    with pytest.raises(ConfigError, match="gone.bin is a broken link"):
        members(source)


def test_config_flag_is_bundled_as_code_serving_yaml(tmp_path: Path) -> None:
    source = model_dir(tmp_path)
    (source / "code" / "serving.yaml").write_text("models: [{name: old}]\n")
    config = tmp_path / "prod.yaml"
    config.write_text("server:\n  workers: 2\nmodels:\n  - name: model\n")
    archive = tmp_path / "model.tar.gz"
    package(source, archive, config)
    with tarfile.open(archive) as tar:
        bundled = tar.extractfile("code/serving.yaml").read()  # type: ignore[union-attr]
    assert bundled == config.read_bytes()
    assert names(archive).count("code/serving.yaml") == 1


@pytest.mark.parametrize(
    ("inference", "weights", "yaml", "message"),
    [
        (
            "def predict_fn(d, m): pass\ndef transform_fn(m, d, c, a): pass\n",
            True,
            None,
            "transform_fn together with predict_fn",
        ),
        (None, True, "models:\n  - entry: serve_me.py\n", "serve_me.py does not exist"),
        (None, False, None, "the default model_fn needs model.pt"),
        (INFERENCE, True, "models:\n  - name: a\n  - name: b\n", "holds one model"),
        (INFERENCE, True, "models:\n  - model_dir: /elsewhere\n", "model_dir must not be set"),
        (INFERENCE, True, "models:\n  - batch_size: 0\n", "batch_size"),
    ],
    ids=["conflicting-hooks", "missing-entry", "no-weights", "two-models", "model-dir", "invalid"],
)
def test_what_serve_could_not_start_is_refused_and_nothing_written(
    tmp_path: Path, inference: str | None, weights: bool, yaml: str | None, message: str
) -> None:
    source = model_dir(tmp_path, inference, weights)
    if yaml is not None:
        (source / "code" / "serving.yaml").write_text(yaml)
    archive = tmp_path / "model.tar.gz"
    with pytest.raises(ConfigError, match=message):
        package(source, archive)
    assert not archive.exists()
    assert list(tmp_path.glob("*.partial")) == []


def test_cli_prints_the_members_and_exits_2_with_the_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = model_dir(tmp_path)
    assert main(["package", str(source), "-o", str(tmp_path / "m.tar.gz")], {}) == 0
    assert "code/inference.py" in capsys.readouterr().out
    assert main(["package", str(tmp_path / "nope"), "-o", str(tmp_path / "n.tar.gz")], {}) == 2
    assert "is not a directory" in capsys.readouterr().err


def test_source_date_epoch_sets_the_timestamps(tmp_path: Path) -> None:
    source = model_dir(tmp_path)
    archive = tmp_path / "m.tar.gz"
    main(["package", str(source), "-o", str(archive)], {"SOURCE_DATE_EPOCH": "1700000000"})
    with tarfile.open(archive) as tar:
        assert {m.mtime for m in tar.getmembers()} == {1700000000}


def test_packaging_a_deprecated_key_warns_as_serve_would(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = model_dir(tmp_path)
    bundled = source / "code" / "serving.yaml"
    bundled.write_text("server:\n  java_heap_mb: 2048\n")
    archive = tmp_path / "model.tar.gz"
    assert main(["package", str(source), "-o", str(archive)], environ={}) == 0
    assert capsys.readouterr().err == (
        f"serving: warning: {bundled}: server.java_heap_mb is deprecated and will be refused "
        "in the next release; write it as server.torchserve.java_heap_mb\n"
    )
    assert "code/serving.yaml" in names(archive)
