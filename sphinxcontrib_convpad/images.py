"""Image files: the one function that names them, and an atomic write.

No Sphinx here: the builders' visitors call these with the builder's own image folder.
"""

from __future__ import annotations

import hashlib
import json
import os
import struct
import tempfile
from collections.abc import Callable, Mapping
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

BACKENDS = {"svg": "svg", "png": "matplotlib", "pdf": "matplotlib"}
"""Which renderer draws each file format."""


@cache
def _backend_version(backend: str) -> str:
    """The installed version of the library that draws (``""`` for our own SVG writer)."""
    if backend != "matplotlib":
        return ""
    try:
        return metadata.version("matplotlib")
    except metadata.PackageNotFoundError:
        return ""


def image_name(payload: Mapping[str, Any], fmt: str, version: str) -> str:
    """``convpad-<sha256>.<fmt>``: a hash of everything that changes the picture.

    ``payload`` holds the picture's inputs (the layer analysis or the whole result for a
    shape flow, the title, the palette, the resolution); the backend, its version, the
    format and the extension's ``version`` are added here, so no caller can forget them.
    """
    if fmt not in BACKENDS:
        raise ValueError(f"image format must be one of {', '.join(BACKENDS)}, got {fmt!r}")
    backend = BACKENDS[fmt]
    canonical = json.dumps(
        {
            "payload": payload,
            "format": fmt,
            "backend": backend,
            "backend_version": _backend_version(backend),
            "version": version,
        },
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        allow_nan=False,
    )
    digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    return f"convpad-{digest}.{fmt}"


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder.

    ``os.replace`` is atomic, so a reader (or a parallel writer of the same name) sees
    either no file or the whole file, never half of one.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def remove_temporaries(folder: Path) -> list[Path]:
    """Delete the temporary files of :func:`write_atomically` that a killed build left.

    Only call it when no writer can be running (before a build writes anything).
    Returns the paths removed.
    """
    removed = []
    for path in folder.glob(".convpad-*.tmp"):
        path.unlink(missing_ok=True)
        removed.append(path)
    return removed


def ensure_image(folder: Path, name: str, draw: Callable[[], bytes]) -> tuple[Path, bool]:
    """The path of ``folder / name``, drawing it with ``draw()`` only if it is not there.

    Returns the path and whether it was drawn now.
    """
    path = folder / name
    if path.is_file():
        return path, False
    write_atomically(path, draw())
    return path, True


def png_size(data: bytes) -> tuple[int, int] | None:
    """Pixel width and height from a PNG's header, or None if ``data`` is not a PNG."""
    if len(data) < 24 or data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        return None
    width, height = struct.unpack(">II", data[16:24])
    return int(width), int(height)
