"""The multi-model manager's decisions against a hand-written engine (the real one:
tests/integration/test_multi_model.py), its routes, and its place in the launch."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer

from serving.config import sizing
from serving.config.batching import WHEN_FREE_BATCH_SIZE
from serving.config.schema import Config, ModelConfig
from serving.engine import Child, EnginePlan, Host, LoadWatch, Upstream
from serving.errors import (
    InsufficientMemory,
    InvalidInput,
    ModelAlreadyLoaded,
    ModelLoadError,
    ModelNotLoaded,
    UnloadIncomplete,
)
from serving.load_report import LoadReport, write_load_report
from serving.multimodel.catalog import LoadRequest
from serving.multimodel.launch import SPEC_FILE, ManagerSpec, plan_manager
from serving.multimodel.manager import Manager, make_app
from serving.worker_spec import WorkerSpec

MULTI = Config.model_validate({"server": {"multi_model": True}})


# -- the manager, against a hand-written engine ------------------------------------


class FakeEngine:
    """The engine as the manager sees it: a model it is given is serving at once
    (its ready flag appears), unless named in ``failing`` (a failed load report) or
    ``stuck`` (nothing ever happens)."""

    def __init__(
        self, spec: ManagerSpec, failing: set[str] | None = None, stuck: set[str] | None = None
    ) -> None:
        self.spec = spec
        self.failing = failing or set()
        self.stuck = stuck or set()
        self.added: dict[str, WorkerSpec] = {}
        self.removed: list[str] = []
        self.closed = False

    async def add(self, model: ModelConfig, config: Config, spec: WorkerSpec) -> None:
        self.added[model.name] = spec
        if model.name in self.failing:
            report = LoadReport(model.name, "cpu", 0.1, error="ValueError: weights corrupt")
            write_load_report(report, self.spec.load_reports)
        elif model.name not in self.stuck:
            (self.spec.ready_flags / model.name).touch()

    async def remove(self, name: str) -> None:
        self.removed.append(name)
        (self.spec.ready_flags / name).unlink(missing_ok=True)

    async def alive(self) -> bool:
        return True

    async def close(self) -> None:
        self.closed = True


def manager_spec(root: Path) -> ManagerSpec:
    spec = ManagerSpec(
        config=MULTI.model_dump(mode="json"),
        root=root,
        socket=root / "models.sock",
        loaded_flags=root / "loaded",
        ready_flags=root / "ready",
        load_reports=root / "reports",
        environments=root / "environments",
    )
    for directory in (spec.loaded_flags, spec.ready_flags, spec.load_reports):
        directory.mkdir(parents=True)
    return spec


def model_dir(root: Path, name: str, serving_yaml: str | None = None) -> Path:
    directory = root / "models" / name
    (directory / "code").mkdir(parents=True)
    (directory / "code" / "inference.py").write_text("def model_fn(model_dir):\n    return 1\n")
    if serving_yaml is not None:
        (directory / "code" / "serving.yaml").write_text(serving_yaml)
    return directory


def run_with(
    tmp_path: Path,
    test: Callable[[Manager, FakeEngine], Awaitable[None]],
    config: Config = MULTI,
    free: int | None = None,
    **engine: set[str],
) -> FakeEngine:
    spec = manager_spec(tmp_path / "runtime")
    fake = FakeEngine(spec, **engine)
    manager = Manager(config, fake, spec, {}, machine_free_mb=lambda: free)
    asyncio.run(test(manager, fake))
    return fake


def request_for(tmp_path: Path, name: str, serving_yaml: str | None = None) -> LoadRequest:
    return LoadRequest(name, str(model_dir(tmp_path, name, serving_yaml)))


def test_a_load_registers_the_model_and_flags_it_loaded(tmp_path: Path) -> None:
    async def test(manager: Manager, fake: FakeEngine) -> None:
        wanted = request_for(tmp_path, "a", "models:\n  - batch_size: 3\n")
        await manager.load(wanted)
        assert manager.urls() == {"a": wanted.url}
        assert (manager.spec.loaded_flags / "a").exists()
        assert fake.added["a"].batch_size == 3 and fake.added["a"].packages_dir is None
        assert fake.added["a"].report_dir == manager.spec.load_reports
        with pytest.raises(ModelAlreadyLoaded):
            await manager.load(LoadRequest("a", wanted.url))

    run_with(tmp_path, test)


def test_a_loaded_model_with_no_batch_size_batches_what_is_queued(tmp_path: Path) -> None:
    async def test(manager: Manager, fake: FakeEngine) -> None:
        await manager.load(request_for(tmp_path, "free"))  # model_fn only: the runtime runs it
        assert fake.added["free"].batch_size == WHEN_FREE_BATCH_SIZE
        await manager.load(request_for(tmp_path, "one", "models:\n  - batch_size: 1\n"))
        assert fake.added["one"].batch_size == 1

    run_with(tmp_path, test)


def test_a_failed_load_is_named_and_undone(tmp_path: Path) -> None:
    async def test(manager: Manager, fake: FakeEngine) -> None:
        with pytest.raises(ModelLoadError, match="failed to load: ValueError") as caught:
            await manager.load(request_for(tmp_path, "bad"))
        assert "corrupt" not in caught.value.message  # the type, not what it said
        assert fake.removed == ["bad"] and manager.urls() == {} and manager.loading == {}
        assert not (manager.spec.loaded_flags / "bad").exists()

    run_with(tmp_path, test, failing={"bad"})


def test_a_load_that_never_serves_ends_at_its_startup_timeout(tmp_path: Path) -> None:
    async def test(manager: Manager, fake: FakeEngine) -> None:
        wanted = request_for(tmp_path, "stuck", "models:\n  - startup_timeout_s: 1\n")
        with pytest.raises(ModelLoadError, match=r"within its startup_timeout_s \(1 s\)"):
            await manager.load(wanted)
        assert fake.removed == ["stuck"] and manager.loading == {}

    run_with(tmp_path, test, stuck={"stuck"})


def test_a_model_that_would_not_fit_is_refused_before_the_engine_sees_it(
    tmp_path: Path,
) -> None:
    async def test(manager: Manager, fake: FakeEngine) -> None:
        with pytest.raises(InsufficientMemory, match="100 MiB are free"):
            await manager.load(request_for(tmp_path, "big"))
        assert fake.added == {} and manager.loading == {}

    run_with(tmp_path, test, free=100)


def test_the_memory_limit_counts_the_models_loaded(tmp_path: Path) -> None:
    limited = Config.model_validate({"server": {"multi_model": True, "memory_limit_mb": 500}})

    async def test(manager: Manager, fake: FakeEngine) -> None:
        await manager.load(request_for(tmp_path, "one"))
        await manager.load(request_for(tmp_path, "two"))  # 2 x 220 MiB of 500
        with pytest.raises(InsufficientMemory, match="60 MiB are free"):
            await manager.load(request_for(tmp_path, "three"))
        await manager.unload("one")
        await manager.load(LoadRequest("three", str(tmp_path / "models" / "three")))

    fake = run_with(tmp_path, test, config=limited)
    assert sorted(fake.added) == ["one", "three", "two"]


def test_loads_under_way_count_too(tmp_path: Path) -> None:
    limited = Config.model_validate({"server": {"multi_model": True, "memory_limit_mb": 300}})

    async def test(manager: Manager, fake: FakeEngine) -> None:
        slow = request_for(tmp_path, "slow", "models:\n  - startup_timeout_s: 2\n")
        loading = asyncio.create_task(manager.load(slow))
        await asyncio.sleep(0.05)
        assert manager.reserved == {"slow": sizing.WORKER_BASE_MB}
        with pytest.raises(InsufficientMemory):
            await manager.load(request_for(tmp_path, "other"))
        # Asked again (SageMaker's client gives up after 60 s and retries): the same
        # load's outcome, not a second load and not a 409.
        with pytest.raises(ModelLoadError, match="startup_timeout_s"):
            await manager.load(slow)
        with pytest.raises(ModelLoadError):
            await loading
        assert manager.loading == {} and manager.reserved == {}
        assert list(fake.added) == ["slow"]

    run_with(tmp_path, test, config=limited, stuck={"slow"})


def test_a_retried_load_of_a_model_loading_waits_for_it(tmp_path: Path) -> None:
    async def test(manager: Manager, fake: FakeEngine) -> None:
        wanted = request_for(tmp_path, "a")
        first = asyncio.create_task(manager.load(wanted))
        for _ in range(500):  # bounded: until the first load has claimed the name
            if "a" in manager.loading:
                break
            await asyncio.sleep(0.01)
        retried = asyncio.create_task(manager.load(wanted))
        await asyncio.sleep(0.2)
        assert not retried.done()  # waiting for the first, not a 409
        (manager.spec.ready_flags / "a").touch()  # now a worker serves it
        await asyncio.gather(first, retried)
        assert list(fake.added) == ["a"] and manager.urls() == {"a": wanted.url}

    run_with(tmp_path, test, stuck={"a"})


class UnloadFails(FakeEngine):
    async def remove(self, name: str) -> None:
        self.removed.append(name)
        raise ModelLoadError(f"the engine did not unload model {name!r}")


def test_an_unload_that_fails_leaves_the_model_listed(tmp_path: Path) -> None:
    spec = manager_spec(tmp_path / "runtime")
    fake = UnloadFails(spec)

    async def test() -> None:
        manager = Manager(MULTI, fake, spec, {}, machine_free_mb=lambda: None)
        wanted = request_for(tmp_path, "a")
        await manager.load(wanted)
        with pytest.raises(ModelLoadError):
            await manager.unload("a")
        assert manager.urls() == {"a": wanted.url} and manager.unloading == {}
        assert (spec.loaded_flags / "a").exists()

    asyncio.run(test())


class WorkersLinger(FakeEngine):
    async def remove(self, name: str) -> None:
        self.removed.append(name)
        raise UnloadIncomplete(f"model {name!r} was unloaded, but its worker did not exit")


def test_an_unload_whose_workers_do_not_exit_is_an_error_but_not_listed(tmp_path: Path) -> None:
    spec = manager_spec(tmp_path / "runtime")
    fake = WorkersLinger(spec)

    async def test() -> None:
        manager = Manager(MULTI, fake, spec, {}, machine_free_mb=lambda: None)
        await manager.load(request_for(tmp_path, "a"))
        with pytest.raises(UnloadIncomplete):
            await manager.unload("a")
        # The engine let it go: it is not served, so it is not listed either.
        assert manager.urls() == {} and manager.unloading == {}
        assert not (spec.loaded_flags / "a").exists()

    asyncio.run(test())


def test_a_ready_flag_left_by_an_earlier_model_is_not_this_ones(tmp_path: Path) -> None:
    async def test(manager: Manager, fake: FakeEngine) -> None:
        (manager.spec.ready_flags / "a").touch()  # the engine had not dropped it yet
        wanted = request_for(tmp_path, "a", "models:\n  - startup_timeout_s: 1\n")
        with pytest.raises(ModelLoadError, match="did not load"):
            await manager.load(wanted)

    run_with(tmp_path, test, stuck={"a"})


def test_an_earlier_failed_report_of_the_name_is_not_this_loads(tmp_path: Path) -> None:
    async def test(manager: Manager, fake: FakeEngine) -> None:
        report = LoadReport("a", "cpu", 0.1, error="ValueError: an earlier model's")
        write_load_report(report, manager.spec.load_reports)
        await manager.load(request_for(tmp_path, "a"))
        assert manager.urls() == {"a": str(tmp_path / "models" / "a")}
        await manager.unload("a")  # which drops the model's reports
        assert list(manager.spec.load_reports.iterdir()) == []

    run_with(tmp_path, test)


def test_unloading_drops_the_flag_before_the_engine_lets_go(tmp_path: Path) -> None:
    async def test(manager: Manager, fake: FakeEngine) -> None:
        with pytest.raises(ModelNotLoaded):
            await manager.unload("nothing")
        await manager.load(request_for(tmp_path, "a"))
        await manager.unload("a")
        assert fake.removed == ["a"] and manager.urls() == {}
        assert not (manager.spec.loaded_flags / "a").exists()
        with pytest.raises(ModelNotLoaded):
            await manager.unload("a")

    run_with(tmp_path, test)


def test_a_model_directory_that_would_not_serve_is_a_400(tmp_path: Path) -> None:
    async def test(manager: Manager, fake: FakeEngine) -> None:
        with pytest.raises(InvalidInput, match="is not a directory"):
            await manager.load(LoadRequest("x", str(tmp_path / "nowhere")))
        empty = tmp_path / "empty"
        empty.mkdir()
        with pytest.raises(InvalidInput, match="model.pt"):  # no model_fn, no weights
            await manager.load(LoadRequest("x", str(empty)))
        assert fake.added == {}

    run_with(tmp_path, test)


def test_the_routes_answer_json_with_the_contracts_shapes(tmp_path: Path) -> None:
    async def test(manager: Manager, fake: FakeEngine) -> None:
        async with TestClient(TestServer(make_app(manager))) as client:
            assert (await client.get("/ping")).status == 200
            url = str(model_dir(tmp_path, "a"))
            loaded = await client.post("/models", json={"model_name": "a", "url": url})
            assert loaded.status == 200
            assert await loaded.json() == {"modelName": "a", "modelUrl": url, "status": "loaded"}
            again = await client.post("/models", json={"model_name": "a", "url": url})
            assert again.status == 409
            assert (await again.json())["type"] == "ModelAlreadyLoaded"
            listed = await (await client.get("/models")).json()
            assert listed == {"models": [{"modelName": "a", "modelUrl": url}]}
            described = await client.get("/models/a")
            assert await described.json() == {"modelName": "a", "modelUrl": url}
            bad = await client.post("/models", data=b"{")
            assert bad.status == 400 and (await bad.json())["code"] == 400
            assert (await client.delete("/models/a")).status == 200
            missing = await client.get("/models/a")
            assert missing.status == 404 and (await missing.json())["type"] == "ModelNotLoaded"
            assert (await client.delete("/models/a")).status == 404
        assert fake.closed

    run_with(tmp_path, test)


# -- the manager's place in the launch ---------------------------------------------


def test_the_manager_starts_after_the_engine_in_its_environment() -> None:

    root = Path("/run/serving-1")
    engine = EnginePlan(
        {"config.properties": ""},
        ("tmp",),
        Child("TorchServe", ("java",), {"SERVING_TORCHSERVE_TOKEN": "k"}),
        "http://127.0.0.1:8080/ping",
        60,
        Upstream("unix:/run/serving-1/inference.sock", flags=root / "ready"),
        LoadWatch(root / "load-reports"),
    )
    host = Host(environ={}, cpus=2, python="/venv/bin/python")
    planned = plan_manager(MULTI, engine, host, root)
    assert planned.child.name == "model manager"
    assert planned.child.command == (
        "/venv/bin/python",
        "-m",
        "serving.multimodel",
        f"{root}/{SPEC_FILE}",
    )
    assert planned.child.environment == engine.child.environment  # the engine's key, paths
    assert planned.upstream == Upstream(f"unix:{root}/models.sock", flags=root / "loaded")
    assert planned.directories == ("loaded", "environments")
    assert list(planned.files) == [SPEC_FILE]
    spec = ManagerSpec.from_json(planned.files[SPEC_FILE])
    assert spec.ready_flags == root / "ready" and spec.loaded_flags == root / "loaded"
    assert Config.model_validate(spec.config) == MULTI
    assert json.loads(planned.files[SPEC_FILE])["socket"] == f"{root}/models.sock"
