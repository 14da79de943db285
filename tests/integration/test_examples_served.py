"""The shipped configs serve the example models with meaningful answers."""

from __future__ import annotations

import http.client
import io
import json
from pathlib import Path

import numpy as np
import pytest

from serving.net import free_port
from tests.integration.conftest import REPO, SAMPLES
from tests.support.modules import load_module
from tests.support.servers import ping_ok, running

pytestmark = pytest.mark.integration


def test_make_serve_config_answers_like_the_readme(tmp_path: Path, digits_weights: Path) -> None:
    port = free_port()
    args = ["serve", "--config", str(REPO / "config" / "local.yaml"), "--port", str(port)]
    with running(args, {}, port, tmp_path / "log", ready=ping_ok) as server:
        for sample, content_type in [
            ("seven.json", "application/json"),
            ("seven.csv", "text/csv"),
            ("seven.npy", "application/x-npy"),
            ("seven.txt", "text/plain"),
        ]:
            reply = server.invoke((SAMPLES / sample).read_bytes(), content_type)
            assert reply.status == 200 and int(np.argmax(json.loads(reply.body)[0])) == 7
        server.wait_until(lambda: "serving - ready: " in server.log, timeout=30)
        lines = server.log.splitlines()
        ready = next(i for i, line in enumerate(lines) if "serving - ready: " in line)
        first_screen = lines[:ready]
    # What a user sees first: what was sized, the engine starting, which netty its
    # frontend loaded, the model loaded with its hooks, ready. Nothing else of
    # TorchServe's start-up, nginx or the JVM.
    sizing, starting, libraries, *loaded = first_screen
    assert "model model: " in sizing and "(sized: unset)" in sizing
    assert "starting TorchServe for model" in starting
    assert "frontend libraries: netty " in libraries
    workers = int(sizing.split("model model: ")[1].split(" worker(s)")[0])
    assert len(loaded) == workers, first_screen  # one line per worker, nothing else
    assert all("model model loaded on cpu in" in line and "(hooks: " in line for line in loaded)


def test_minilm_embeddings_rank_similar_sentences_closer(tmp_path: Path) -> None:
    if not (REPO / "model_store" / "minilm" / "model.safetensors").exists():
        pytest.fail("run `make examples` first: the MiniLM model directory is not built")
    port = free_port()
    args = ["serve", "--config", str(REPO / "config" / "minilm.yaml"), "--port", str(port)]
    with running(args, {}, port, tmp_path / "log", ready=ping_ok, timeout=300) as server:
        sentences = (
            "A man is eating food.\nA man is eating a piece of bread.\nA man is riding a horse.\n"
        )
        reply = server.invoke(sentences.encode(), "text/plain", accept="application/x-npy")
        assert reply.status == 200, reply.body
        embeddings = np.load(io.BytesIO(reply.body), allow_pickle=False)
        assert embeddings.shape == (3, 384)
        similar, different = embeddings[0] @ embeddings[1], embeddings[0] @ embeddings[2]
        assert similar > different + 0.3, (similar, different)
        empty = server.invoke(b"[]", "application/json")
        assert empty.status == 400


def test_sentiment_pipeline_answers_as_it_does_in_process(tmp_path: Path) -> None:
    sentiment = REPO / "model_store" / "sentiment"
    if not (sentiment / "model.safetensors").exists():
        pytest.fail("run `make examples` first: the sentiment model is not built")
    reviews = [
        (sentiment / "samples" / "review.txt").read_text(),
        "The hotel was filthy and noisy.",
    ]
    inference = load_module("sentiment_inference", sentiment / "code" / "inference.py")
    pipeline = inference.model_fn(str(sentiment))  # type: ignore[attr-defined]
    expected = [inference.predict_fn(review, pipeline) for review in reviews]  # type: ignore[attr-defined]
    assert [answer[0]["label"] for answer in expected] == ["POSITIVE", "NEGATIVE"]

    port = free_port()
    args = ["serve", "--config", str(REPO / "config" / "sentiment.yaml"), "--port", str(port)]
    with running(args, {}, port, tmp_path / "log", ready=ping_ok, timeout=300) as server:
        # code/requirements.txt went through pip at start (transformers is already in
        # this environment, so pip had nothing to fetch; the image test installs it).
        assert "installed " + str(sentiment / "code" / "requirements.txt") in server.log
        for review, [want] in zip(reviews, expected, strict=True):
            reply = server.invoke(review.encode(), "application/x-text")
            assert reply.status == 200, reply.body
            [got] = json.loads(reply.body)
            assert got["label"] == want["label"]
            assert got["score"] == pytest.approx(want["score"], abs=1e-5)
        wrong_type = server.invoke(b'"great"', "application/json")
        assert wrong_type.status == 415
        assert json.loads(wrong_type.body)["message"] == (
            "send application/x-text, not application/json"
        )


def test_zen_streams_the_text_it_learned_part_by_part(tmp_path: Path) -> None:
    zen = REPO / "model_store" / "zen"
    if not (zen / "model.pth").exists():
        pytest.fail("run `make examples` first: the zen model is not trained")
    port = free_port()
    args = ["serve", "--config", str(REPO / "config" / "zen.yaml"), "--port", str(port)]
    with running(args, {}, port, tmp_path / "log", ready=ping_ok) as server:
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        try:
            body = json.dumps({"prompt": "Beautiful is", "max_chars": 60})
            headers = {"Content-Type": "application/json", "Accept": "application/jsonlines"}
            connection.request("POST", "/invocations", body, headers)
            response = connection.getresponse()
            assert response.getheader("Transfer-Encoding") == "chunked"
            parts = [json.loads(line) for line in response.read().splitlines()]
        finally:
            connection.close()
        # One character per part (one JSON string per line), the Zen's first two lines.
        assert all(isinstance(part, str) and len(part) == 1 for part in parts)
        zen_start = (
            "Beautiful is better than ugly.\nExplicit is better than implicit.\n"
            "Simple is better than complex.\n"
        )
        assert "Beautiful is" + "".join(parts) == zen_start[: len("Beautiful is") + 60]
        plain = server.invoke(b"Flat is", "text/plain", accept="text/plain")
        assert plain.body.decode().startswith(" better than nested.\nSparse is better")
        # With no Accept, the characters the model yields are sent as they are, as text.
        unnamed = server.invoke(b"Flat is", "text/plain")
        assert unnamed.headers["content-type"] == "text/plain; charset=utf-8"
        assert unnamed.body == plain.body
        unknown = server.invoke("Beautiful ☃".encode(), "text/plain")
        assert unknown.status == 400  # refused before the stream starts
