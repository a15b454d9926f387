# ruff: noqa: RUF001, RUF002 -- expected text uses the Unicode the PDFs print
"""A real PDF: the LaTeX output compiles, and the PDF shows what the pages show.

* tests/roots/test-hard-pdf (English) with pdflatex: the tutorial's diagrams, a Keras 3
  box-drawing summary, Keras 2 and torchinfo summaries, the explanations' ⌈⌉⌊⌋−·;
  compiled twice, in two directories, with SOURCE_DATE_EPOCH set: the PDFs are identical.
* tests/roots/test-hard-pdf-zh (Chinese) with ``latexmk -xelatex``: Sphinx loads xeCJK, TeX
  Live's Fandol fonts set the Chinese, and sphinxcontribconvpad.sty leaves the box drawing to
  the monospace font, so the tables' borders line up.

pdftotext and pdfinfo (poppler-utils) read the PDFs back. Skipped, with the reason, where
latexmk, the engine or poppler-utils is missing (.ci/run installs them).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import NamedTuple

import pytest
from sphinx.testing.util import SphinxTestApp

from sphinxcontrib_convpad import analyze, summary

ROOTS = Path(__file__).parent / "roots"
EPOCH = "1767225600"  # 2026-01-01
POPPLER = ("pdftotext", "pdfinfo", "pdffonts")


def missing(*tools: str, tex_files: tuple[str, ...] = ()) -> list[str]:
    absent = [tool for tool in tools if shutil.which(tool) is None]
    if tex_files and shutil.which("kpsewhich"):
        found = subprocess.run(
            ["kpsewhich", *tex_files], capture_output=True, text=True, check=False
        ).stdout
        absent += [name for name in tex_files if name not in found]
    return absent


PDFLATEX_MISSING = missing("latexmk", "pdflatex", *POPPLER)
XELATEX_MISSING = missing(
    "latexmk", "xelatex", "kpsewhich", *POPPLER, tex_files=("xeCJK.sty", "ctexhook.sty")
)
needs_pdflatex = pytest.mark.skipif(
    bool(PDFLATEX_MISSING),
    reason=f"needs {', '.join(PDFLATEX_MISSING)} (Debian: latexmk texlive-latex-extra"
    " texlive-fonts-recommended tex-gyre poppler-utils)",
)
needs_xelatex = pytest.mark.skipif(
    bool(XELATEX_MISSING),
    reason=f"needs {', '.join(XELATEX_MISSING)} (Debian: latexmk texlive-xetex"
    " texlive-lang-chinese fonts-freefont-otf poppler-utils)",
)


class Compiled(NamedTuple):
    pdf: Path
    log: str
    tex: str


def compile_root(root: str, dest: Path, engine: str) -> Compiled:
    """Sphinx's LaTeX output of ``root`` (copied to ``dest``), run through latexmk."""
    source = dest / "src"
    shutil.copytree(ROOTS / root, source)
    app = SphinxTestApp("latex", srcdir=source, builddir=dest / "_build")
    try:
        app.build(force_all=True)
        assert app.warning.getvalue() == ""
    finally:
        app.cleanup()
    (tex,) = app.outdir.glob("*.tex")
    run = subprocess.run(
        ["latexmk", f"-{engine}", "-interaction=nonstopmode", "-halt-on-error", tex.name],
        cwd=app.outdir, capture_output=True, text=True, check=False, timeout=600,
        env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH},
    )  # fmt: skip
    log = tex.with_suffix(".log").read_text(encoding="utf8", errors="replace")
    assert run.returncode == 0, log[-4000:]
    return Compiled(tex.with_suffix(".pdf"), log, tex.read_text(encoding="utf8"))


def pdf_text(pdf: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def flat(text: str) -> str:
    return " ".join(text.split())


def pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    return int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.MULTILINE).group(1))


def table_rows(pdf: Path) -> list[list[tuple[str, float, float]]]:
    """The lines of each box-drawn table: (text, left, right) in points, per table."""
    out = pdf.with_suffix(".bbox.html")
    subprocess.run(["pdftotext", "-bbox", str(pdf), str(out)], check=True)
    xhtml = "{http://www.w3.org/1999/xhtml}"
    lines: list[list[ET.Element]] = []
    for page in ET.parse(out).getroot().iter(f"{xhtml}page"):
        words = sorted(page.iter(f"{xhtml}word"), key=lambda w: float(w.get("yMax", 0)))
        for word in words:  # a CJK glyph's box is taller: a line is words within 3 pt
            if lines and abs(float(lines[-1][0].get("yMax", 0)) - float(word.get("yMax", 0))) < 3:
                lines[-1].append(word)
            else:
                lines.append([word])
    lines = [sorted(line, key=lambda w: float(w.get("xMin", 0))) for line in lines]
    tables: list[list[tuple[str, float, float]]] = []
    previous_was_row = False
    for words in lines:
        text = " ".join(word.text or "" for word in words)
        row = text[:1] in set("┏┃┡│└├┌")
        if row:
            if not previous_was_row:
                tables.append([])
            tables[-1].append((text, float(words[0].get("xMin")), float(words[-1].get("xMax"))))
        previous_was_row = row
    return tables


# ---------------------------------------------------------------- English, pdflatex


@pytest.fixture(scope="module")
def english(tmp_path_factory: pytest.TempPathFactory) -> tuple[Compiled, Compiled]:
    """The English root compiled twice, in directories of different depths."""
    with pytest.MonkeyPatch.context() as env:
        env.setenv("SOURCE_DATE_EPOCH", EPOCH)
        first = compile_root("test-hard-pdf", tmp_path_factory.mktemp("pdf"), "pdf")
        deeper = tmp_path_factory.mktemp("pdf") / "some" / "deeper" / "folder"
        second = compile_root("test-hard-pdf", deeper, "pdf")
    return first, second


#: The calls of tests/roots/test-hard-pdf/index.rst, with their summary styles.
ENGLISH_SUMMARIES = [
    ("Conv2D(filters=24, input_shape=(5,5,1), kernel_size=(2,2), strides=(2,2), padding='Same')",
     {}, "keras3"),
    ("Conv2D(filters=24, input_shape=(5,5,1), kernel_size=(2,2), strides=(2,2), padding='Valid')",
     {}, "keras3"),
    ("Conv2D(filters=24, input_shape=(6,6,1), kernel_size=(2,2), strides=(2,2), padding='Valid')",
     {}, "keras3"),
    ("keras.Input(shape=(28, 28, 1))\nConv2D(8, 3, padding='same')\nMaxPooling2D(2)\nFlatten()\n"
     "Dense(10)", {"model_name": "small_cnn"}, "keras3"),
    ("Conv2D(8, 3, strides=2, padding='same')", {"input_shape": (7, 7, 3)}, "keras2"),
    ("nn.Conv2d(1, 4, 3, stride=2, padding=1)\nnn.MaxPool2d(3, stride=2, padding=1,"
     " ceil_mode=True)", {"input_shape": (1, 7, 7), "framework": "pytorch"}, "torchinfo"),
]  # fmt: skip


@needs_pdflatex
def test_pdflatex_prints_the_summaries_the_diagrams_and_the_formulas(
    english: tuple[Compiled, Compiled],
) -> None:
    compiled, _ = english
    assert pages(compiled.pdf) >= 3
    assert "Missing character" not in compiled.log
    assert not re.search(r"Unicode character .* not set up", compiled.log)
    text = flat(pdf_text(compiled.pdf))
    for call, arguments, style in ENGLISH_SUMMARIES:
        printed = summary(analyze(call, **arguments), style=style)
        for line in printed.splitlines():
            # every cell's text; pmboxdraw draws the borders with rules, which are not text
            for cell in re.split(r"[\u2500-\u257f]|\s{2,}", line):
                assert flat(cell) in text, line
    assert "Total params: 120 (480.00 B)" in text
    assert "⌈5 / 2⌉ = 3" in text  # the explanation's ceiling brackets, via the .sty
    assert "max((3 − 1)·2 + 2 − 5, 0) = 1" in text
    assert "padded to 6×6" in text  # the diagram is a PDF figure, its labels are text
    assert "Fig. 1: ‘same’ on 5×5." in text
    assert r"\usepackage{sphinxcontribconvpad}" in compiled.tex


@needs_pdflatex
def test_pdflatex_output_is_reproducible_with_source_date_epoch(
    english: tuple[Compiled, Compiled],
) -> None:
    first, second = english
    assert first.pdf.parent != second.pdf.parent
    assert first.pdf.read_bytes() == second.pdf.read_bytes()
    assert b"D:20260101000000" in first.pdf.read_bytes()  # the date comes from the epoch


# ---------------------------------------------------------------- Chinese, xelatex


@pytest.fixture(scope="module")
def chinese(tmp_path_factory: pytest.TempPathFactory) -> Compiled:
    return compile_root("test-hard-pdf-zh", tmp_path_factory.mktemp("pdf-zh"), "xelatex")


@needs_xelatex
def test_xelatex_prints_chinese_and_the_keras_3_table(chinese: Compiled) -> None:
    assert pages(chinese.pdf) >= 2
    assert "Missing character" not in chinese.log  # every glyph found, CJK and box drawing
    assert r"\usepackage{xeCJK}" in chinese.tex
    assert r"\usepackage{sphinxcontribconvpad}" in chinese.tex
    text = pdf_text(chinese.pdf)
    compact = re.sub(r"\s+", "", text)  # xeCJK spaces CJK glyphs in the extracted text
    assert "卷积层的输出大小取决于填充方式。" in compact
    assert "最后一行和最后一列从未被读取" in compact
    assert 'Model:"小模型"' in compact and "卷积(Conv2D)" in compact
    for line in summary(analyze(
        "Conv2D(filters=24, input_shape=(5,5,1), kernel_size=(2,2), strides=(2,2),"
        " padding='Same')"
    )).splitlines():  # fmt: skip
        assert line.rstrip() in text, line  # box drawing included, character for character
    fonts = subprocess.run(
        ["pdffonts", str(chinese.pdf)], capture_output=True, text=True, check=True
    ).stdout
    assert re.search(r"Fandol|Noto\w*CJK|AR ?PL|WenQuanYi", fonts), fonts


@needs_xelatex
def test_xelatex_box_drawing_lines_up(chinese: Compiled) -> None:
    """The monospace font draws the borders, not the CJK font: each table's rows have the
    same left and right edges, the row with a Chinese layer name too."""
    tables = table_rows(chinese.pdf)
    assert [len(rows) for rows in tables] == [5, 5, 11]
    assert "卷积" in "".join(row for row, _, _ in tables[2])
    for rows in tables:
        lefts = [left for _, left, _ in rows]
        rights = [right for _, _, right in rows]
        assert max(lefts) - min(lefts) < 0.5, rows
        assert max(rights) - min(rights) < 0.5, rows
