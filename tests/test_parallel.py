"""Parallel builds give what a serial build gives; rebuilds draw nothing again."""

from __future__ import annotations

import os
import re
import shutil
import time
from typing import TYPE_CHECKING

import pytest
from sphinx.util.console import strip_colors
from sphinx.util.parallel import parallel_available

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from sphinx.testing.util import SphinxTestApp

PNG = {"convpad_image_format": "png"}
PAGES = ["again", "causal", "dilated", "pool", "same5", "transposed", "valid5", "valid6"]


def build_copy(
    make_app: Callable[..., SphinxTestApp],
    rootdir: Path,
    tmp_path: Path,
    name: str,
    **kwargs: object,
) -> SphinxTestApp:
    srcdir = tmp_path / name
    shutil.copytree(rootdir / "test-many", srcdir)
    app = make_app("html", srcdir=srcdir, **kwargs)
    app.build(force_all=True)
    return app


def pages(app: SphinxTestApp) -> dict[str, str]:
    return {page: (app.outdir / f"{page}.html").read_text(encoding="utf8") for page in PAGES}


def images(app: SphinxTestApp) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in (app.outdir / "_images").glob("convpad-*")}


def outdated(app: SphinxTestApp) -> list[str]:
    """What the builder would write, after finding the sources as ``Builder.read`` does."""
    app.env.find_files(app.config, app.builder)
    return sorted(app.builder.get_outdated_docs())


def mtimes(app: SphinxTestApp) -> dict[str, int]:
    folder = app.outdir / "_images"
    return {path.name: path.stat().st_mtime_ns for path in folder.glob("convpad-*")}


@pytest.mark.skipif(not parallel_available, reason="no parallel builds on this platform")
@pytest.mark.parametrize("confoverrides", [{}, PNG], ids=["svg", "png"])
def test_parallel_build_equals_serial(
    make_app: Callable[..., SphinxTestApp],
    rootdir: Path,
    tmp_path: Path,
    confoverrides: dict[str, str],
) -> None:
    serial = build_copy(make_app, rootdir, tmp_path, "serial", confoverrides=confoverrides)
    serial.cleanup()  # docutils' global registry, before the next application
    parallel = build_copy(
        make_app, rootdir, tmp_path, "parallel", parallel=2, confoverrides=confoverrides
    )
    assert parallel.builder.parallel_ok
    # a parallel build reads and writes in chunks: "reading sources... [ 33%] again .. index"
    assert re.search(
        r"reading sources\.\.\. \[\s*\d+%\] \w+ \.\. \w+", strip_colors(parallel.status.getvalue())
    )
    assert pages(parallel) == pages(serial)
    assert images(parallel) == images(serial)
    # the two pages with the same layer share one file
    assert len(images(serial)) == (7 if confoverrides else 0)
    assert serial.warning.getvalue() == parallel.warning.getvalue() == ""


@pytest.mark.sphinx("html", testroot="many", srcdir="incremental", confoverrides=PNG)
def test_rebuild_draws_nothing_and_touching_one_page_outdates_only_it(
    app: SphinxTestApp, app_params: tuple, make_app: Callable[..., SphinxTestApp]
) -> None:
    app.build()
    drawn = mtimes(app)
    assert len(drawn) == 7
    app.cleanup()

    again = make_app(*app_params.args, **app_params.kwargs)
    assert outdated(again) == []
    again.build()
    assert "0 added, 0 changed, 0 removed" in strip_colors(again.status.getvalue())
    assert mtimes(again) == drawn

    again.cleanup()
    source = again.srcdir / "valid5.rst"
    later = time.time() + 10  # later than the last build's output
    os.utime(source, (later, later))
    touched = make_app(*app_params.args, **app_params.kwargs)
    assert outdated(touched) == ["valid5"]
    touched.build()
    status = strip_colors(touched.status.getvalue())
    assert "0 added, 1 changed, 0 removed" in status
    assert "writing output... [100%] valid5" in status
    assert mtimes(touched) == drawn  # the picture exists already: not drawn again
    assert touched.warning.getvalue() == ""


@pytest.mark.sphinx("html", testroot="many", srcdir="incremental-names", confoverrides=PNG)
def test_changed_layer_gets_a_new_file_and_old_ones_stay(
    app: SphinxTestApp, app_params: tuple, make_app: Callable[..., SphinxTestApp]
) -> None:
    app.build()
    before = set(mtimes(app))
    app.cleanup()
    source = app.srcdir / "valid6.rst"
    source.write_text(
        source.read_text(encoding="utf8").replace("input_shape=(6, 6, 1)", "input_shape=(8, 8, 1)"),
        encoding="utf8",
    )
    rebuilt = make_app(*app_params.args, **app_params.kwargs)
    rebuilt.build()
    after = set(mtimes(rebuilt))
    assert before < after and len(after - before) == 1
    page = (rebuilt.outdir / "valid6.html").read_text(encoding="utf8")
    assert (after - before).pop() in page
