"""TorchServe's Python package, imported for tests that use it as an oracle."""

from __future__ import annotations

import gc
import warnings


def import_torchserve_quietly() -> None:
    """TorchServe's package leaves its version file open when imported (ts/version.py):
    import it once here, where that ResourceWarning is expected, not in a test."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        import ts.context  # noqa: F401
        import ts.protocol.otf_message_handler  # noqa: F401

        gc.collect()
