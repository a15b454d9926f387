# ruff: noqa: RUF003 -- comments name sizes as the pages print them (5×5)
"""Builds that can be trusted: reproducible, parallel, incremental and interrupted.

All on tests/roots/test-hard-many: nine pages, 26 directives, 33 pictures of every kind
(stacks with shape flows, :compare:, captions and :numref:, PyTorch, transposed, dilated,
depthwise, pooling, 1-D/3-D, elided large inputs).

* two clean builds in different directories give the same bytes (HTML with inline SVG, PNG
  files, the LaTeX sources and PDF pictures), whatever SOURCE_DATE_EPOCH says;
* ``-j 2`` gives the same bytes as ``-j 1`` (the whole output tree, search index included);
* editing one directive draws exactly its picture again; changing ``convpad_colors`` or
  ``convpad_image_format`` redraws what it changes, and the pages are then exactly those of
  a clean build with the new configuration: nothing stale is served;
* a build killed half-way, then a normal build: every referenced picture exists, is whole
  and is right, and no temporary file is left.

Clean builds are cached per module (``clean``), so each configuration is built once.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from sphinx.testing.util import SphinxTestApp
from sphinx.util.console import strip_colors
from sphinx.util.parallel import parallel_available

from sphinxcontrib_convpad.images import write_atomically

if TYPE_CHECKING:
    from collections.abc import Callable

ROOT = Path(__file__).parent / "roots" / "test-hard-many"
PAGES = ("index", "tutorial", "stack", "compare", "pytorch", "transposed", "dilated",
         "pooling", "large")  # fmt: skip
PICTURES = 33  #: diagrams in the root (stacks draw their flow and every windowed layer)
PNG = {"convpad_image_format": "png"}
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PNG_END = b"\x00\x00\x00\x00IEND\xaeB`\x82"

# ---------------------------------------------------------------- helpers


def build(
    dest: Path,
    builder: str = "html",
    *,
    parallel: int = 0,
    confoverrides: dict[str, Any] | None = None,
    source: Path = ROOT,
) -> Path:
    """A clean build of ``source`` copied to ``dest/src``; returns the output folder."""
    srcdir = dest / "src"
    shutil.copytree(source, srcdir)
    app = SphinxTestApp(
        builder, srcdir=srcdir, builddir=dest / "_build", parallel=parallel,
        confoverrides=dict(confoverrides or {}),
    )  # fmt: skip
    try:
        app.build(force_all=True)
        assert app.warning.getvalue() == ""
        if parallel:
            assert app.builder.parallel_ok
    finally:
        app.cleanup()
    return app.outdir


def tree(outdir: Path) -> dict[str, bytes]:
    """Every file of an output folder, by relative path."""
    return {
        path.relative_to(outdir).as_posix(): path.read_bytes()
        for path in sorted(outdir.rglob("*"))
        if path.is_file()
    }


def pictures(outdir: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in outdir.rglob("convpad-*")}


def referenced(outdir: Path) -> dict[str, set[str]]:
    """The pictures each page (or .tex file) refers to, by page."""
    found: dict[str, set[str]] = {}
    for path in [*outdir.glob("*.html"), *outdir.glob("*.tex")]:
        text = path.read_text(encoding="utf8")
        found[path.stem] = set(re.findall(r"convpad-[0-9a-f]{64}\.(?:png|pdf)", text))
    return found


def whole(data: bytes, name: str) -> bool:
    """Whether ``data`` is a complete PNG or PDF file (signature and end marker)."""
    if name.endswith(".png"):
        return data.startswith(PNG_SIGNATURE) and data.endswith(PNG_END)
    return data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf8")
    later = time.time() + 5  # newer than the last build's output, whatever the clock
    os.utime(path, (later, later))


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Path]:
    """``clean(builder, **confoverrides)``: a clean build of the root, built once per module."""
    cache: dict[str, Path] = {}

    def get(builder: str = "html", **confoverrides: Any) -> Path:
        key = f"{builder}-{sorted(confoverrides.items())!r}"
        if key not in cache:
            cache[key] = build(
                tmp_path_factory.mktemp("clean"), builder, confoverrides=confoverrides
            )
        return cache[key]

    return get


# ---------------------------------------------------------------- reproducible


@pytest.mark.parametrize(
    ("builder", "confoverrides"),
    [("html", {}), ("html", PNG), ("latex", {})],
    ids=["html-svg", "html-png", "latex-pdf"],
)
def test_clean_builds_in_other_directories_give_the_same_bytes(
    clean: Callable[..., Path], tmp_path: Path, builder: str, confoverrides: dict[str, str]
) -> None:
    first = clean(builder, **confoverrides)
    elsewhere = tmp_path / "a" / "much" / "longer" / "path"
    second = build(elsewhere, builder, confoverrides=confoverrides)
    assert str(first.parent.parent) not in str(second)
    files = tree(second)
    assert files == tree(first)
    drawn = [name for name in files if "convpad-" in name]
    if builder == "html" and not confoverrides:
        assert drawn == []  # inline SVG, compared as part of the pages
        assert sum(page.count(b"<svg") for page in files.values()) == PICTURES
    else:
        assert len(drawn) == PICTURES


def test_pictures_carry_no_date_even_with_source_date_epoch(
    clean: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """matplotlib writes SOURCE_DATE_EPOCH into a PDF unless told not to: we tell it."""
    reference = {**pictures(clean("latex")), **pictures(clean("html", **PNG))}
    for data in reference.values():
        assert b"CreationDate" not in data and b"ModDate" not in data
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    dated = build(tmp_path / "latex", "latex")
    assert pictures(dated) == pictures(clean("latex"))
    assert re.search(rb"\\date\{1 January 2026\}", (dated / "hardening.tex").read_bytes())


# ---------------------------------------------------------------- parallel


@pytest.mark.skipif(not parallel_available, reason="no parallel builds on this platform")
@pytest.mark.parametrize("confoverrides", [{}, PNG], ids=["svg", "png"])
def test_parallel_build_gives_the_same_tree_as_a_serial_one(
    clean: Callable[..., Path], tmp_path: Path, confoverrides: dict[str, str]
) -> None:
    """Several directives per page, flows and :numref: too; the whole tree, not just pages."""
    parallel = build(tmp_path, "html", parallel=2, confoverrides=confoverrides)
    assert tree(parallel) == tree(clean("html", **confoverrides))


# ---------------------------------------------------------------- incremental


@pytest.fixture
def incremental(tmp_path: Path) -> Callable[..., SphinxTestApp]:
    """``rebuild(**confoverrides)``: build a private copy of the root again, incrementally.

    Each application is cleaned up (docutils' global registry) as soon as it has built, so
    that clean builds can be made in between; its output and logs stay readable.
    """
    srcdir = tmp_path / "src"
    shutil.copytree(ROOT, srcdir)

    def rebuild(**confoverrides: Any) -> SphinxTestApp:
        app = SphinxTestApp(
            "html", srcdir=srcdir, builddir=tmp_path / "_build", confoverrides=confoverrides
        )
        try:
            app.build()
        finally:
            app.cleanup()
        assert app.warning.getvalue() == ""
        return app

    return rebuild


def mtimes(outdir: Path) -> dict[str, int]:
    return {path.name: path.stat().st_mtime_ns for path in outdir.rglob("convpad-*")}


def pages(outdir: Path) -> dict[str, bytes]:
    return {page: (outdir / f"{page}.html").read_bytes() for page in PAGES}


def serves_what_a_clean_build_serves(outdir: Path, clean_outdir: Path) -> None:
    """Same pages, and every picture they refer to is there with the clean build's bytes."""
    assert pages(outdir) == pages(clean_outdir)
    fresh = pictures(clean_outdir)
    for page, names in referenced(outdir).items():
        for name in names:
            assert (outdir / "_images" / name).read_bytes() == fresh[name], (page, name)


def test_editing_one_directive_draws_exactly_its_picture(
    incremental: Callable[..., SphinxTestApp], tmp_path: Path
) -> None:
    first = incremental(**PNG)
    before, served = mtimes(first.outdir), referenced(first.outdir)
    old_pages = pages(first.outdir)
    assert len(before) == PICTURES
    # the second of the three directives of tutorial.rst: 5×5 'valid' becomes 7×7
    edit(first.srcdir / "tutorial.rst", "input_shape=(5,5,1), kernel_size=(2,2), strides=(2,2),"
         " padding='Valid'", "input_shape=(7,7,1), kernel_size=(2,2), strides=(2,2),"
         " padding='Valid'")  # fmt: skip
    second = incremental(**PNG)
    status = strip_colors(second.status.getvalue())
    assert "0 added, 1 changed, 0 removed" in status
    assert "configuration has changed" not in status  # nor does the extension change it
    after = mtimes(second.outdir)
    new = set(after) - set(before)
    assert len(new) == 1, "exactly the edited directive's picture is drawn"
    assert {name: after[name] for name in before} == before, "no other picture is redrawn"
    (gone,) = served["tutorial"] - referenced(second.outdir)["tutorial"]
    assert referenced(second.outdir)["tutorial"] == served["tutorial"] - {gone} | new
    changed = {p for p in PAGES if pages(second.outdir)[p] != old_pages[p]}
    assert changed == {"tutorial"}
    edited = tmp_path / "edited"
    shutil.copytree(second.srcdir, edited, ignore=shutil.ignore_patterns("_build"))
    serves_what_a_clean_build_serves(
        second.outdir, build(tmp_path / "clean", "html", confoverrides=PNG, source=edited)
    )


def test_changing_the_colours_redraws_every_picture(
    incremental: Callable[..., SphinxTestApp], clean: Callable[..., Path]
) -> None:
    colours = {"pad": "#ff0000", "dark": {"pad": "#330000"}}
    first = incremental(**PNG)
    before = referenced(first.outdir)
    second = incremental(**PNG, convpad_colors=colours)
    status = strip_colors(second.status.getvalue())
    assert "The configuration has changed (1 option: 'convpad_colors')" in status
    after = referenced(second.outdir)
    old, new = set().union(*before.values()), set().union(*after.values())
    assert len(new) == PICTURES and not old & new, "every PNG has the new colours"
    serves_what_a_clean_build_serves(second.outdir, clean("html", **PNG, convpad_colors=colours))
    # and as inline SVG: the new colours are in the pages
    third = incremental(convpad_colors=colours)
    assert referenced(third.outdir) == {page: set() for page in after}
    page = (third.outdir / "tutorial.html").read_text(encoding="utf8")
    assert "--cp-pad:#ff0000" in page and "--cp-pad:#330000" in page


def test_switching_the_image_format_switches_every_page(
    incremental: Callable[..., SphinxTestApp], clean: Callable[..., Path]
) -> None:
    svg = incremental()
    assert pages(svg.outdir) == pages(clean("html"))
    png = incremental(**PNG)
    status = strip_colors(png.status.getvalue())
    assert "The configuration has changed (1 option: 'convpad_image_format')" in status
    serves_what_a_clean_build_serves(png.outdir, clean("html", **PNG))
    back = incremental()
    assert pages(back.outdir) == pages(clean("html"))


# ---------------------------------------------------------------- robust writes

#: ``python -m sphinx`` whose pictures take a while: at the sixth picture a process writes
#: its pid to a file and waits to be killed, so the kill lands in the middle of the build.
SLOW_SPHINX = r"""
import os, sys, time
from pathlib import Path
import sphinxcontrib_convpad.render.mpl as backend

sentinel, arguments = Path(sys.argv[1]), sys.argv[2:]
draw, drawn = backend.render_figure, []

def slow(*args, **kwargs):
    drawn.append(1)
    if len(drawn) == 6:
        sentinel.write_text(str(os.getpid()))
        time.sleep(300)
    time.sleep(0.01)
    return draw(*args, **kwargs)

backend.render_figure = slow
from sphinx.cmd.build import main
sys.exit(main(arguments))
"""


def sphinx_build(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sphinx", "-q", *arguments],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("builder", "options", "confoverrides"),
    [("html", ["-j", "2", "-D", "convpad_image_format=png"], PNG), ("latex", [], {})],
    ids=["html-png-j2", "latex-pdf"],
)
def test_killed_build_then_normal_build_serves_whole_pictures(
    clean: Callable[..., Path],
    tmp_path: Path,
    builder: str,
    options: list[str],
    confoverrides: dict[str, str],
) -> None:
    source, out, sentinel = tmp_path / "src", tmp_path / "out", tmp_path / "drawing"
    shutil.copytree(ROOT, source)
    arguments = ["-b", builder, *options, str(source), str(out)]
    killed = subprocess.Popen(
        [sys.executable, "-c", SLOW_SPHINX, str(sentinel), *arguments],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 240
        while not sentinel.exists() and killed.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        assert sentinel.exists(), killed.stderr.read().decode() if killed.stderr else ""
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(killed.pid, signal.SIGKILL)  # the build and its parallel workers
        killed.wait()
        if killed.stderr:
            killed.stderr.close()
    images = out / ("_images" if builder == "html" else "")
    left = {path.name: path.read_bytes() for path in images.glob("convpad-*")}
    assert 5 <= len(left) < PICTURES, "the kill lands half-way through the pictures"
    for name, data in left.items():
        assert whole(data, name), f"{name} is cut short: writes must be atomic"
    # as if the kill had landed inside a write: a temporary file with half a picture
    name = next(iter(left))
    stale = images / f".{name}.k1ll3d.tmp"
    stale.write_bytes(left[name][: len(left[name]) // 2])

    finished = sphinx_build(*arguments)
    assert finished.returncode == 0, finished.stderr
    assert list(out.rglob("*.tmp")) == [], "no temporary file is left"
    fresh = pictures(clean(builder, **confoverrides))
    refs = referenced(out)
    assert set().union(*refs.values()) == set(fresh), "every picture is referenced again"
    for names in refs.values():
        for name in names:
            data = (images / name).read_bytes()
            assert whole(data, name) and data == fresh[name], name


def test_a_failed_write_leaves_neither_a_picture_nor_a_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "_images" / "convpad-x.png"
    real_replace = Path.replace

    def disk_full(self: Path, other: Path) -> Path:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Path, "replace", disk_full)
    with pytest.raises(OSError, match="No space"):
        write_atomically(target, b"\x89PNG" + b"x" * 1000)
    monkeypatch.setattr(Path, "replace", real_replace)
    assert list(target.parent.iterdir()) == []
    write_atomically(target, b"whole")
    write_atomically(target, b"whole again")  # replacing an existing file is atomic too
    assert [p.name for p in target.parent.iterdir()] == ["convpad-x.png"]
    assert target.read_bytes() == b"whole again"
