"""The ``server.torchserve`` section of the YAML, and what TorchServe cannot take.

Imported by the config (pydantic only, nothing of TorchServe's), so that these knobs and
limits are written down in the TorchServe wing and nowhere else.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

# 0: no wait; a lone request goes at once, and at most one request already queued joins
# it (TorchServe reads a 0 in model-config.yaml as its 100-ms default; the plugin's
# NoWaitBatches sets it).
MIN_BATCH_DELAY_MS = 0
# With no delay, TorchServe 0.12.0's Model.pollBatch takes the first request and at most
# one more (it polls only while the delay lasts), whatever the batch size.
BATCH_WITH_NO_DELAY = 2
# Keys that used to sit directly under `server`; accepted there for one release.
MOVED_FROM_SERVER = ("java_heap_mb", "management_port", "metrics_port")


class TorchServeSettings(BaseModel):
    """Knobs of TorchServe's Java frontend; the defaults suit one model on one machine."""

    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True)

    java_heap_mb: int | None = Field(
        None,
        ge=128,
        le=262_144,
        description="the frontend's -Xmx; unset: 1024, or more when the requests the server "
        "may hold (each model's queue_size and batches, at max_payload_mb each) need it",
    )
    management_port: int | None = Field(
        None,
        ge=1,
        le=65535,
        description="TorchServe's management API on 127.0.0.1:port; unset: a Unix socket in "
        "serve's private runtime directory",
    )
    metrics_port: int | None = Field(
        None, ge=1, le=65535, description="127.0.0.1 only; default a free port"
    )
