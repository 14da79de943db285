"""The front on the public port (nginx): its config, rendered purely (``nginx.py``), and
finding the binary on this machine (here, the one side effect)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping

from serving.errors import ConfigError

# Debian puts nginx in /usr/sbin, which is not on every user's PATH.
_SBIN = ("/usr/sbin", "/sbin", "/usr/local/sbin")


def find_nginx(environ: Mapping[str, str]) -> str:
    """``$SERVING_NGINX``, else ``nginx`` on PATH or in an sbin directory."""
    chosen = environ.get("SERVING_NGINX")
    path = os.pathsep.join([environ.get("PATH", ""), *_SBIN])
    found = chosen if chosen else shutil.which("nginx", path=path)
    if not found or not os.access(found, os.X_OK):
        raise ConfigError(
            "the front needs nginx: install it (Debian: apt-get install nginx-light; the "
            "images have it), or set SERVING_NGINX to its path"
        )
    return found
