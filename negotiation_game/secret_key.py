"""The per-install secret key: generated once into a local file that is never committed.

It signs sessions and seat cookies, so every process of one install must read the same value: the
first process to start writes the file (exclusive create), every later one reads it.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

MIN_LENGTH = 50


def read_or_create(path: Path) -> str:
    """The key stored at `path`, creating the file (owner-only) with a fresh random key if it is absent."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        key = path.read_text(encoding="ascii").strip()
        if len(key) < MIN_LENGTH:
            raise RuntimeError(
                f"{path} holds no usable secret key (fewer than {MIN_LENGTH} characters): delete it to have a new "
                "one generated, or set DJANGO_SECRET_KEY"
            ) from None
        return key
    key = secrets.token_urlsafe(MIN_LENGTH)
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(key + "\n")
    return key
