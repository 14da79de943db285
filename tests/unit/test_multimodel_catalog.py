"""The multi-model endpoint's requests, pages and a loaded model's settings, by value."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from serving.config.schema import Config, ModelConfig
from serving.config.sources import Layer
from serving.errors import InvalidInput
from serving.multimodel.catalog import LoadRequest, model_config, page, parse_load_request

MULTI = Config.model_validate({"server": {"multi_model": True}})


# -- requests and pages ------------------------------------------------------------


def test_a_load_request_names_a_model_and_its_directory() -> None:
    request = parse_load_request(b'{"model_name": "m.tar.gz", "url": "/opt/ml/models/m/model"}')
    assert request == LoadRequest("m.tar.gz", "/opt/ml/models/m/model")
    assert request.model_dir == Path("/opt/ml/models/m/model")
    assert parse_load_request(b'{"model_name": "m", "url": "file:///x"}').model_dir == Path("/x")


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        (b"not json", "must be JSON"),
        (b"[1]", "JSON object"),
        (b'{"url": "/x"}', '"model_name"'),
        (b'{"model_name": "../x", "url": "/x"}', '"model_name"'),
        (b'{"model_name": ".hidden", "url": "/x"}', '"model_name"'),
        (b'{"model_name": "a..b", "url": "/x"}', '"model_name"'),
        (b'{"model_name": "' + b"m" * 201 + b'", "url": "/x"}', '"model_name"'),
        (b'{"model_name": "m", "url": "relative/dir"}', "absolute path"),
        (b'{"model_name": "m"}', '"url"'),
    ],
)
def test_a_bad_load_request_says_what_is_wrong(body: bytes, fragment: str) -> None:
    with pytest.raises(InvalidInput, match=fragment.replace("(", r"\(")):
        parse_load_request(body)


MODELS = {name: f"/opt/ml/models/{name}" for name in ("c", "a", "e", "b", "d")}


def test_pages_list_models_by_name_with_a_token_for_the_next() -> None:
    first = page(MODELS, {"max_results": "2"})
    assert [name for name, _ in first.models] == ["a", "b"] and first.next_token == "b"
    second = page(MODELS, {"max_results": "2", "next_page_token": "b"})
    assert [name for name, _ in second.models] == ["c", "d"]
    last = page(MODELS, {"max_results": "2", "next_page_token": "d"})
    assert last.body() == {"models": [{"modelName": "e", "modelUrl": "/opt/ml/models/e"}]}
    assert page(MODELS, {}).next_token is None and len(page(MODELS, {}).models) == 5
    # A model unloaded between two pages shifts nothing: the token is a name.
    fewer = {k: v for k, v in MODELS.items() if k != "a"}
    assert [name for name, _ in page(fewer, {"next_page_token": "b"}).models] == ["c", "d", "e"]


@pytest.mark.parametrize(
    "query",
    [{"max_results": "0"}, {"max_results": "x"}, {"max_results": "1001"}, {"max_results": "²"}],
)
def test_a_page_size_out_of_range_is_refused(query: dict[str, str]) -> None:
    with pytest.raises(InvalidInput, match="max_results"):
        page(MODELS, query)


# -- a loaded model's settings -----------------------------------------------------

REQUEST = LoadRequest("m", "/opt/ml/models/m/model")


def test_a_models_settings_come_from_its_serving_yaml_then_the_environment() -> None:
    bundled = {"models": [{"name": "ignored", "batch_size": 4, "max_batch_delay_ms": 7}]}
    environment = Layer("environment")
    environment.set(("max_batch_delay_ms",), 9, "SAGEMAKER_TS_MAX_BATCH_DELAY='9'")
    model = model_config(MULTI, REQUEST, bundled, [environment])
    assert (model.name, model.model_dir) == ("m", Path("/opt/ml/models/m/model"))
    assert (model.batch_size, model.max_batch_delay_ms) == (4, 9)
    assert model_config(MULTI, REQUEST, None) == ModelConfig(
        name="m", model_dir=Path("/opt/ml/models/m/model")
    )


@pytest.mark.parametrize(
    ("bundled", "fragment"),
    [
        ({"models": [{}, {}]}, "at most one model"),
        ({"models": [{"batch_size": 0}]}, "batch_size"),
        ({"models": [{"wokers": 2}]}, "unknown key"),
        ({"models": [{"response_timeout_s": 61}]}, "above the endpoint's 60"),
    ],
)
def test_bad_model_settings_are_refused(bundled: dict[str, Any], fragment: str) -> None:
    with pytest.raises(InvalidInput, match=fragment):
        model_config(MULTI, REQUEST, bundled)
