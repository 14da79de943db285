"""The runtime's own log lines (serve's, the multi-model manager's): on stdout, where
containers ship them (CloudWatch), one format for every process of ours."""

from __future__ import annotations

import logging
import sys


def setup_logging(level: str) -> None:
    """Log at ``level`` and above to stdout, replacing whatever was configured before."""
    logging.basicConfig(
        stream=sys.stdout,
        level=level,
        format="%(asctime)s [%(levelname)-5s] %(name)s - %(message)s",
        force=True,
    )
