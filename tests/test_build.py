# ruff: noqa: RUF001, RUF003 -- expected text uses the Unicode the pages print
"""Whole builds of the test roots: what each builder writes for the three parts."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from pageparts import class_count, element_ids, explanations, summary_blocks, svgs, unmarked
from sphinx.util.console import strip_colors

from sphinxcontrib_convpad import analyze, summary
from sphinxcontrib_convpad.nodes import SVG_CACHE

if TYPE_CHECKING:
    from sphinx.testing.util import SphinxTestApp

PARTS = ("conv-padding-diagram", "conv-padding-summary", "conv-padding-explanation")
RECORDED = Path(__file__).parent / "data" / "recorded" / "keras3.json"

#: The tutorial's three models, as pasted in tests/roots/test-tutorial/index.rst, with the
#: ids of their recordings in tests/data/recorded/keras3.json.
TUTORIAL = [
    (
        "tutorial-same-5x5-k2-s2",
        "Conv2D(filters=24, input_shape=(5,5,1), kernel_size=(2,2), strides=(2,2), padding='Same')",
    ),
    (
        "tutorial-valid-5x5-k2-s2",
        "Conv2D(filters=24, input_shape=(5,5,1), kernel_size=(2,2), strides=(2,2),"
        " padding='Valid')",
    ),
    (
        "tutorial-valid-6x6-k2-s2",
        "Conv2D(filters=24, input_shape=(6,6,1), kernel_size=(2,2), strides=(2,2),"
        " padding='Valid')",
    ),
]

#: What the explanation must say, worked out by hand from Keras' documented rules
#: ('same': o = ceil(n/s), pad total = max((o-1)s + k - n, 0) with the odd cell after;
#: 'valid': o = floor((n - k)/s) + 1) and the parameter count k·k·C_in·filters + filters.
EXPLAINED = [
    [
        "⌈5 / 2⌉ = 3",
        "max((3 − 1)·2 + 2 − 5, 0) = 1",
        "0 before, 1 after",
        "Keras puts the odd cell after",
        "(None, 3, 3, 24)",
        "kernel 2·2·1·24 = 96 + bias 24 = 120",
        "padding='valid' would give 2 × 2",
    ],
    [
        "⌊(5 − 2) / 2⌋ + 1 = 2",
        "(2 − 1)·2 + 2 = 4 of the 5",
        "the last row and column are never read",
        "(None, 2, 2, 24)",
        "kernel 2·2·1·24 = 96 + bias 24 = 120",
        "padding='same' would give 3 × 3",
    ],
    [
        "⌊(6 − 2) / 2⌋ + 1 = 3",
        "padding='same' gives the same output (3 × 3)",
        "(None, 3, 3, 24)",
        "kernel 2·2·1·24 = 96 + bias 24 = 120",
    ],
]


def directives_of(page: str) -> list[str]:
    """The page cut into one chunk per ``conv-padding`` container."""
    return page.split('<div class="conv-padding docutils container">')[1:]


def pre_text(block: str) -> str:
    """The text of a highlighted ``<pre>``, failing if Pygments coloured anything."""
    assert block.startswith("<span></span>")
    assert "<span" not in block[len("<span></span>") :], "the summary must not be highlighted"
    return unmarked(block[len("<span></span>") :])


@pytest.mark.sphinx("html", testroot="tutorial", freshenv=True)
def test_html_shows_each_part_once_per_directive(app: SphinxTestApp) -> None:
    app.build(force_all=True)
    page = (app.outdir / "index.html").read_text(encoding="utf8")
    chunks = directives_of(page)
    assert len(chunks) == 3
    for chunk in chunks:
        for name in PARTS:
            assert class_count(chunk, name) == 1, name
    assert app.warning.getvalue() == ""


@pytest.mark.sphinx("html", testroot="tutorial", freshenv=True)
def test_html_summary_is_the_summary_text_unhighlighted(app: SphinxTestApp) -> None:
    app.build(force_all=True)
    page = (app.outdir / "index.html").read_text(encoding="utf8")
    blocks = [pre_text(block) for block in summary_blocks(page)]
    expected = [summary(analyze(call)) for _, call in TUTORIAL]
    assert blocks == expected
    assert "┏" in blocks[0]
    assert "Total params: 120 (480.00 B)" in blocks[0]


@pytest.mark.skipif(not RECORDED.is_file(), reason=f"no Keras recording at {RECORDED}")
@pytest.mark.sphinx("html", testroot="tutorial", freshenv=True)
def test_html_summary_is_what_keras_printed(app: SphinxTestApp) -> None:
    recorded = {case["id"]: case for case in json.loads(RECORDED.read_text("utf8"))["cases"]}
    app.build(force_all=True)
    page = (app.outdir / "index.html").read_text(encoding="utf8")
    blocks = [pre_text(block) for block in summary_blocks(page)]
    for block, (case_id, call) in zip(blocks, TUTORIAL, strict=True):
        assert recorded[case_id]["layers"] == [call]
        assert block == recorded[case_id]["summaries"]["76"]


@pytest.mark.sphinx("html", testroot="tutorial", freshenv=True)
def test_html_explanation_has_the_numbers(app: SphinxTestApp) -> None:
    app.build(force_all=True)
    page = (app.outdir / "index.html").read_text(encoding="utf8")
    texts = explanations(page)
    assert len(texts) == 3
    for text, expected in zip(texts, EXPLAINED, strict=True):
        for phrase in expected:
            assert phrase in text


@pytest.mark.sphinx("html", testroot="tutorial", freshenv=True)
def test_html_svg_is_well_formed_with_unique_ids(app: SphinxTestApp) -> None:
    app.build(force_all=True)
    page = (app.outdir / "index.html").read_text(encoding="utf8")
    pictures = svgs(page)
    assert len(pictures) == 3
    for picture in pictures:
        root = ET.fromstring(picture)
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
        assert root.find("{http://www.w3.org/2000/svg}title") is not None
    ids = element_ids(page)
    assert len(ids) == len(set(ids))
    assert 'role="img" aria-label="5×5 input padded to 6×6' in page
    assert not list(app.outdir.rglob("convpad-*.svg"))  # inline, not files


@pytest.mark.sphinx("html", testroot="tutorial", freshenv=True)
def test_html_adds_the_stylesheet(app: SphinxTestApp) -> None:
    app.build(force_all=True)
    page = (app.outdir / "index.html").read_text(encoding="utf8")
    assert "_static/convpad.css" in page
    assert (app.outdir / "_static" / "convpad.css").is_file()


@pytest.mark.sphinx(
    "html", testroot="tutorial", confoverrides={"convpad_image_format": "png"}, freshenv=True
)
def test_html_png_files(app: SphinxTestApp) -> None:
    app.build(force_all=True)
    page = (app.outdir / "index.html").read_text(encoding="utf8")
    sources = re.findall(r'<img src="(_images/convpad-[0-9a-f]{64}\.png)" alt="([^"]+)"', page)
    assert len(sources) == 3
    assert "<svg" not in page
    for source, alt in sources:
        assert (app.outdir / source).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert "input" in alt
    written = Path(app.srcdir).rglob("convpad-*")
    build_dirs = {Path(app.outdir), Path(app.doctreedir)}
    assert [path for path in written if not build_dirs & set(path.parents)] == []
    assert app.warning.getvalue() == ""


@pytest.mark.sphinx("latex", testroot="tutorial", freshenv=True)
def test_latex_includes_pdf_figures(app: SphinxTestApp) -> None:
    app.build(force_all=True)
    tex = next(app.outdir.glob("*.tex")).read_text(encoding="utf8")
    names = re.findall(r"\\sphinxincludegraphics\{(convpad-[0-9a-f]{64}\.pdf)\}", tex)
    assert len(names) == 3
    for name in names:
        assert (app.outdir / name).read_bytes().startswith(b"%PDF")
    assert tex.count(r"\begin{sphinxuseclass}{conv-padding}") == 3
    assert tex.count(r"\begin{sphinxuseclass}{conv-padding-explanation}") == 3
    assert tex.count("Total params: 120 (480.00 B)") == 3
    assert "⌈5 / 2⌉ = 3" in tex
    assert app.warning.getvalue() == ""


@pytest.mark.sphinx("text", testroot="tutorial", freshenv=True)
def test_text_has_ascii_diagram_summary_and_explanation(app: SphinxTestApp) -> None:
    app.build(force_all=True)
    text = (app.outdir / "index.txt").read_text(encoding="utf8")
    for _, call in TUTORIAL:
        for line in summary(analyze(call)).splitlines():
            assert line in text
    flat = " ".join(text.split())
    for expected in EXPLAINED:
        for phrase in expected:
            assert phrase in flat
    assert "padded to 6×6" in text  # the ASCII diagram of 'same' on 5×5
    assert app.warning.getvalue() == ""


@pytest.mark.sphinx("epub", testroot="tutorial", freshenv=True)
def test_epub_uses_png_files(app: SphinxTestApp) -> None:
    app.build(force_all=True)
    page = (app.outdir / "index.xhtml").read_text(encoding="utf8")
    ET.fromstring(page)  # XHTML must be well-formed XML
    for chunk in directives_of(page):
        for name in PARTS:
            assert class_count(chunk, name) == 1, name
    assert "<svg" not in page
    sources = re.findall(r'<img src="(_images/convpad-[0-9a-f]{64}\.png)"', page)
    assert len(sources) == 3
    for source in sources:
        assert (app.outdir / source).read_bytes()[:4] == b"\x89PNG"
    manifest = (app.outdir / "content.opf").read_text(encoding="utf8")
    assert all(source in manifest for source in sources)
    assert app.warning.getvalue() == ""


@pytest.mark.sphinx("man", testroot="tutorial", freshenv=True)
def test_man_has_the_ascii_diagram(app: SphinxTestApp) -> None:
    app.build(force_all=True)
    page = next(app.outdir.glob("*.1")).read_text(encoding="utf8")
    assert "padded to 6×6" in page
    assert app.warning.getvalue() == ""


@pytest.mark.sphinx("texinfo", testroot="tutorial", freshenv=True)
def test_texinfo_has_png_images(app: SphinxTestApp) -> None:
    app.build(force_all=True)
    texi = next(app.outdir.glob("*.texi")).read_text(encoding="utf8")
    names = re.findall(r"@image\{(convpad-[0-9a-f]{64}),,,", texi)
    assert len(names) == 3
    assert all((app.outdir / f"{name}.png").is_file() for name in names)
    assert app.warning.getvalue() == ""


@pytest.mark.sphinx("xml", testroot="tutorial", freshenv=True)
def test_other_builders_get_the_alt_text(app: SphinxTestApp) -> None:
    app.build(force_all=True)
    xml = (app.outdir / "index.xml").read_text(encoding="utf8")
    assert "conv_padding_diagram" not in xml
    assert xml.count('classes="conv-padding-alt"') == 3
    assert "5×5 input padded to 6×6" in xml
    assert app.warning.getvalue() == ""


@pytest.mark.sphinx("html", testroot="basic", freshenv=True)
def test_caption_and_numref(app: SphinxTestApp) -> None:
    app.build(force_all=True)
    page = (app.outdir / "index.html").read_text(encoding="utf8")
    assert re.search(r'<figure class="conv-padding-diagram[^"]*" id="fig-same">', page)
    assert "<em>5×5</em> input" in page  # the caption is parsed as inline markup
    assert '<span class="std std-numref">Fig. 1</span>' in page
    assert '<span class="caption-number">Fig. 1 </span>' in page
    assert app.warning.getvalue() == ""


@pytest.mark.sphinx("html", testroot="stack", freshenv=True)
def test_stack_draws_the_chosen_layers_and_the_flow(app: SphinxTestApp) -> None:
    app.build(force_all=True)
    page = (app.outdir / "index.html").read_text(encoding="utf8")
    first, second = directives_of(page)
    titles = re.findall(r'<title id="[^"]+">([^<]+)</title>', first)
    assert titles == [
        "small_cnn: shape flow",
        "conv2d_1 (Conv2D)",
        "max_pooling2d (MaxPooling2D)",
    ]
    assert 'Model: "small_cnn"' in first
    assert class_count(first, "conv-padding-summary") == 1
    assert class_count(second, "conv-padding-summary") == 0
    assert class_count(second, "conv-padding-explanation") == 0
    compared = re.findall(r'<title id="[^"]+">([^<]+)</title>', second)
    assert compared == [
        "conv2d (Conv2D) with padding='same'",
        "conv2d (Conv2D) with padding='valid'",
    ]
    assert "2×2 output" in second and "3×3 output" in second
    assert app.warning.getvalue() == ""


@pytest.mark.sphinx("html", testroot="pytorch", freshenv=True)
def test_pytorch_root_uses_torch_conventions(app: SphinxTestApp) -> None:
    app.build(force_all=True)
    page = (app.outdir / "index.html").read_text(encoding="utf8")
    single, stack = directives_of(page)
    # PyTorch's documented shapes: floor((n + 2p - d(k-1) - 1)/s) + 1, ceil in ceil_mode,
    # and (n-1)s - 2p + d(k-1) + output_padding + 1 for ConvTranspose2d.
    assert "⌊(7 + 2·1 − 1·(3 − 1) − 1) / 2⌋ + 1 = 4" in explanations(single)[0]
    text = explanations(stack)[0]
    assert "⌈(6 + 2·1 − 1·(3 − 1) − 1) / 2⌉ + 1 (ceil_mode rounds up)" in text
    assert "right padding: o = 4." in text
    assert "(4 − 1)·2 − 2·1 + 1·(3 − 1) + 1 + 1 = 8" in text
    assert "weight 4·1·3·3 = 36 + bias 4 = 40" in explanations(single)[0]
    (block,) = summary_blocks(single)
    assert "Layer (type:depth-idx)" in pre_text(block)  # torchinfo is PyTorch's default
    assert app.warning.getvalue() == ""


@pytest.mark.sphinx("html", testroot="config", freshenv=True)
def test_bad_config_values_warn_and_fall_back(app: SphinxTestApp) -> None:
    app.build(force_all=True)
    warnings = strip_colors(app.warning.getvalue())
    for name in (
        "convpad_framework",
        "convpad_summary_width",
        "convpad_image_format",
        "convpad_show",
        "convpad_colors['padding']",
        "convpad_colors['ink']",
    ):
        assert re.search(rf"WARNING: {re.escape(name)} .*\[convpad\.config\]", warnings), name
    assert app.config.convpad_framework == "keras"
    assert app.config.convpad_colors == {"pad": "#ff0000", "dark": {"pad": "#330000"}}
    page = (app.outdir / "index.html").read_text(encoding="utf8")
    assert class_count(page, "conv-padding-summary") == 1  # the default parts are shown
    assert "--cp-pad:#ff0000" in page and "--cp-pad:#330000" in page
    assert "red; }" not in page  # a colour that is not one is never written into CSS


@pytest.mark.sphinx(
    "html", testroot="config", confoverrides={"suppress_warnings": ["convpad.config"]}
)
def test_config_warnings_can_be_suppressed(app: SphinxTestApp) -> None:
    app.build(force_all=True)
    assert "convpad" not in app.warning.getvalue()


@pytest.mark.sphinx("singlehtml", testroot="many", freshenv=True)
def test_singlehtml_ids_stay_unique_across_documents(app: SphinxTestApp) -> None:
    app.build(force_all=True)
    page = (app.outdir / "index.html").read_text(encoding="utf8")
    assert len(svgs(page)) == 8
    ids = element_ids(page)
    assert len(ids) == len(set(ids))
    for picture in svgs(page):
        ET.fromstring(picture)


def _break_svg_renderer(app: SphinxTestApp, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make every SVG render fail, and drop the SVGs cached by earlier builds."""
    from sphinxcontrib_convpad.render import svg

    def broken(*args: object, **kwargs: object) -> str:
        raise ValueError("no pens left")

    monkeypatch.setattr(svg, "render_svg", broken)
    shutil.rmtree(app.doctreedir / SVG_CACHE, ignore_errors=True)  # draw, don't reuse


@pytest.mark.sphinx("html", testroot="basic", freshenv=True)
def test_render_failure_is_one_located_warning(
    app: SphinxTestApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    _break_svg_renderer(app, monkeypatch)
    app.build(force_all=True)
    log = strip_colors(app.warning.getvalue())
    assert re.findall(r"index\.rst:(\d+): WARNING: (.*)", log) == [
        ("6", "conv-padding: cannot draw the diagram (no pens left); showing its alt text"
              " instead [convpad.render]"),
    ]  # fmt: skip
    page = (app.outdir / "index.html").read_text(encoding="utf8")
    assert '<p class="conv-padding-alt">5×5 input padded to 6×6' in page
    assert class_count(page, "conv-padding-summary") == 1


@pytest.mark.sphinx(
    "html",
    testroot="basic",
    freshenv=True,
    confoverrides={"suppress_warnings": ["convpad.render"]},
)
def test_render_warnings_can_be_suppressed(
    app: SphinxTestApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    _break_svg_renderer(app, monkeypatch)
    app.build(force_all=True)
    assert app.warning.getvalue() == ""


@pytest.mark.sphinx("latex", testroot="tutorial", freshenv=True)
def test_latex_gets_the_unicode_package(app: SphinxTestApp) -> None:
    app.build(force_all=True)
    tex = next(app.outdir.glob("*.tex")).read_text(encoding="utf8")
    assert r"\usepackage{sphinxcontribconvpad}" in tex
    package = (app.outdir / "sphinxcontribconvpad.sty").read_text(encoding="utf8")
    for character in "━┃┏┓┳┡╇┩─│└┴┘⌈⌉⌊⌋−":  # what Keras 3 summaries and explanations print
        if character in "─│└┴┘":
            continue  # light lines: declared by pmboxdraw itself
        assert f"{{{ord(character):04X}}}" in package, character


@pytest.mark.skipif(shutil.which("latexmk") is None or shutil.which("pdflatex") is None,
                    reason="no pdflatex/latexmk installed")  # fmt: skip
@pytest.mark.sphinx("latex", testroot="tutorial", freshenv=True)
def test_latex_compiles_with_pdflatex(app: SphinxTestApp) -> None:
    app.build(force_all=True)
    run = subprocess.run(
        ["latexmk", "-pdf", "-interaction=nonstopmode", "-halt-on-error",
         next(app.outdir.glob("*.tex")).name],
        cwd=app.outdir, capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout[-3000:]
    assert next(app.outdir.glob("convpadtutorial.pdf")).read_bytes().startswith(b"%PDF")


# ---------------------------------------------------------------- file names and writes


def test_image_name_hashes_everything_that_changes_pixels() -> None:
    from sphinxcontrib_convpad.images import image_name

    layer = analyze(TUTORIAL[0][1])["layers"][0]
    payload = {"scene": "layer", "layer": layer, "title": None, "palette": {}, "dpi": 192}
    name = image_name(payload, "png", "0.1.0")
    assert re.fullmatch(r"convpad-[0-9a-f]{64}\.png", name)
    reordered = dict(reversed(list(payload.items())))
    assert image_name(reordered, "png", "0.1.0") == name
    changed = [
        image_name({**payload, "palette": {"pad": "#ff0000"}}, "png", "0.1.0"),
        image_name({**payload, "dpi": 96}, "png", "0.1.0"),
        image_name({**payload, "title": "other"}, "png", "0.1.0"),
        image_name({**payload, "layer": analyze(TUTORIAL[1][1])["layers"][0]}, "png", "0.1.0"),
        image_name(payload, "pdf", "0.1.0")[: -len(".pdf")] + ".png",
        image_name(payload, "png", "0.1.1"),
    ]
    assert name not in changed
    assert len(set(changed)) == len(changed)
    with pytest.raises(ValueError, match="image format"):
        image_name(payload, "gif", "0.1.0")


def test_existing_files_are_not_drawn_again(tmp_path: Path) -> None:
    from sphinxcontrib_convpad.images import ensure_image

    calls: list[int] = []

    def draw() -> bytes:
        calls.append(1)
        return b"picture"

    path, drawn = ensure_image(tmp_path / "_images", "convpad-x.png", draw)
    assert (path.read_bytes(), drawn) == (b"picture", True)
    assert ensure_image(tmp_path / "_images", "convpad-x.png", draw) == (path, False)
    assert calls == [1]
    assert [p.name for p in path.parent.iterdir()] == ["convpad-x.png"]  # no temp files left
