# ruff: noqa: RUF001, RUF002, RUF003 -- the pictures are labelled with Unicode times signs
"""The three backends: SVG text, matplotlib PDF/PNG and the ASCII picture."""

from __future__ import annotations

import io
import itertools
import re
import shutil
import struct
import subprocess
import sys
import warnings
import zlib
from dataclasses import replace

import pytest
from defusedxml import ElementTree

from sphinxcontrib_convpad import analyze
from sphinxcontrib_convpad.render import DARK, LIGHT, resolve_palette
from sphinxcontrib_convpad.render.ascii import render_ascii
from sphinxcontrib_convpad.render.mpl import INCHES, render_figure
from sphinxcontrib_convpad.render.svg import render_svg
from sphinxcontrib_convpad.scene import Scene, Text, build_flow, build_scene

SVG = "{http://www.w3.org/2000/svg}"
CASES = {
    "same": ("Conv2D(24, (2, 2), strides=(2, 2), padding='same')", (5, 5, 1)),
    "valid": ("Conv2D(24, (2, 2), strides=(2, 2), padding='valid')", (5, 5, 1)),
    "large": ("Conv2D(24, 3, strides=2)", (224, 224, 3)),
    "strip": ("Conv1D(4, 3, padding='causal')", (4096, 1)),
    "cube": ("Conv3D(4, 2, strides=2, padding='same')", (4, 5, 5, 1)),
    "transposed": ("Conv2DTranspose(8, 3, strides=2)", (3, 3, 1)),
    "dilated": ("Conv2D(4, 3, dilation_rate=2)", (7, 7, 1)),
    "pool": ("MaxPooling2D(2, padding='same')", (5, 5, 1)),
    "large same": ("Conv2D(64, 7, strides=2, padding='same')", (224, 224, 3)),
}


def layer(name: str) -> dict:
    call, shape = CASES[name]
    return analyze([call], input_shape=shape)["layers"][0]


def scene(name: str) -> Scene:
    return build_scene(layer(name))


# ---------------------------------------------------------------- SVG


@pytest.mark.parametrize("name", sorted(CASES))
def test_svg_is_valid_xml_with_prefixed_unique_ids(name: str) -> None:
    text = render_svg(scene(name), id_prefix="cp-7")
    root = ElementTree.fromstring(text)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img" and root.get("viewBox", "").startswith("0 0 ")
    ids = [el.get("id") for el in root.iter() if el.get("id")]
    assert len(ids) == len(set(ids))
    assert all(i == "cp-7" or i.startswith("cp-7-") for i in ids)
    for ref in re.findall(r"url\(#([^)]+)\)", text) + root.get("aria-labelledby", "").split():
        assert ref in ids
    assert "#" not in root.get("width", "") and root.get("height") is None


def test_svg_title_desc_and_text() -> None:
    s = scene("same")
    root = ElementTree.fromstring(render_svg(s, id_prefix="d1"))
    assert root.find(f"{SVG}title").text == s.title == "conv2d (Conv2D)"
    assert root.find(f"{SVG}desc").text == s.description
    words = {el.text for el in root.iter(f"{SVG}text")}
    assert {"output 3×3", "stride 2", "+1", "padding (zeros)"} <= words


def test_svg_two_diagrams_do_not_share_ids() -> None:
    first = ElementTree.fromstring(render_svg(scene("same"), id_prefix="convpad-a"))
    second = ElementTree.fromstring(render_svg(scene("same"), id_prefix="convpad-b"))
    ids = [el.get("id") for root in (first, second) for el in root.iter() if el.get("id")]
    assert len(ids) == len(set(ids))


def test_svg_is_byte_identical_on_repeat() -> None:
    assert render_svg(scene("large"), id_prefix="x") == render_svg(scene("large"), id_prefix="x")


def test_svg_padding_is_hatched_and_themes_switch() -> None:
    text = render_svg(scene("same"), id_prefix="p")
    assert '<pattern id="p-pad"' in text and 'class="cp-pad"' in text
    css = text[text.index("<style>") : text.index("</style>")]
    for selector in (
        "html[data-theme=dark] #p",
        "body[data-theme=dark] #p",
        "@media (prefers-color-scheme:dark){body[data-theme=auto] #p{",
    ):
        assert selector in css
    assert f"--cp-input:{LIGHT['input']}" in css and f"--cp-input:{DARK['input']}" in css


def test_svg_palette_overrides() -> None:
    text = render_svg(scene("same"), id_prefix="p", palette={"pad": "#123456"})
    assert "--cp-pad:#123456" in text
    with pytest.raises(ValueError, match="unknown palette slot 'padding'"):
        render_svg(scene("same"), id_prefix="p", palette={"padding": "#000"})
    with pytest.raises(ValueError, match="must be a CSS colour"):
        render_svg(scene("same"), id_prefix="p", palette={"pad": "red}</style><script>"})
    with pytest.raises(ValueError, match="id_prefix"):
        render_svg(scene("same"), id_prefix="1 bad")


def test_svg_of_a_flow() -> None:
    result = analyze(["Conv2D(8, 3)", "MaxPooling2D(2)", "Flatten()"], input_shape=(28, 28, 1))
    root = ElementTree.fromstring(render_svg(build_flow(result), id_prefix="flow"))
    assert "(None, 13, 13, 8)" in {el.text for el in root.iter(f"{SVG}text")}


# ---------------------------------------------------------------- matplotlib


def pdf_streams(pdf: bytes) -> bytes:
    """The PDF's streams (page content, patterns, fonts), inflated."""
    streams = re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.DOTALL)
    return b"\n".join(zlib.decompress(stream) for stream in streams)


def pdf_string(text: str) -> bytes:
    """``text`` as a PDF literal string in Windows-1252, as shown by ``Tj``."""
    raw = text.encode("cp1252")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


@pytest.mark.parametrize("name", ["same", "large", "strip", "transposed"])
def test_pdf_and_png_bytes_are_reproducible(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    s = scene(name)
    pdf, png = render_figure(s, "pdf"), render_figure(s, "png")
    assert pdf.startswith(b"%PDF-") and png.startswith(b"\x89PNG\r\n\x1a\n")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert render_figure(s, "pdf") == pdf and render_figure(s, "png") == png
    assert b"CreationDate" not in pdf and b"Software" not in png


@pytest.mark.parametrize("name", sorted(CASES))
def test_pdf_sets_text_in_core_fonts_and_embeds_none(name: str) -> None:
    pdf = render_figure(scene(name), "pdf")
    fonts = set(re.findall(rb"/BaseFont /([A-Za-z-]+)", pdf))
    allowed = {b"Helvetica", b"Helvetica-Bold", b"Helvetica-Oblique"}
    assert b"Helvetica" in fonts and fonts <= allowed
    assert b"/Type3" not in pdf and b"/FontFile" not in pdf  # nothing embedded


def windows_1252(char: str) -> bool:
    try:
        char.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


@pytest.mark.parametrize("name", sorted(CASES))
def test_pdf_holds_every_text(name: str) -> None:
    """Windows-1252 runs are core-font text; the others (→, −∞, ⋯) drawn, with ActualText."""
    s = scene(name)
    content = pdf_streams(render_figure(s, "pdf"))
    for text in (shape.text for shape in s.shapes if isinstance(shape, Text)):
        for core, chars in itertools.groupby(text, windows_1252):
            run = "".join(chars)
            if core:
                assert pdf_string(run) + b" Tj" in content, run
            else:
                utf16 = ("\ufeff" + run).encode("utf-16-be").replace(b"\\", b"\\\\")
                assert b"/ActualText (" + utf16 + b")" in content, run


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="no pdftotext (poppler)")
@pytest.mark.parametrize("name", ["same", "large", "strip", "cube"])
def test_pdf_text_extracts_as_written(name: str) -> None:
    s = scene(name)
    pdf = render_figure(s, "pdf")
    out = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    words = " ".join(out.stdout.decode().split())
    for shape in s.shapes:
        if isinstance(shape, Text):
            assert " ".join(shape.text.split()) in words


def test_labels_beyond_the_core_fonts_and_dejavu() -> None:
    """Greek is drawn from DejaVu; a label DejaVu lacks a glyph of falls back, whole."""
    extra = (Text(1, 1, "α ← β", "label", "start"), Text(2, 2, "卷积 →", "heading"))
    s = replace(scene("same"), shapes=(*scene("same").shapes, *extra))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "Glyph ... missing from font(s) DejaVu Sans"
        pdf, png = render_figure(s, "pdf"), render_figure(s, "png")
    assert b"/ActualText" in pdf_streams(pdf) and b"/Type3" in pdf  # the fallback label
    assert png.startswith(b"\x89PNG")


def test_png_is_opaque_rgb_with_its_text() -> None:
    from PIL import Image

    s = scene("same")
    png = render_figure(s, "png", dpi=100)
    assert png[25] == 2  # IHDR colour type: RGB, no alpha channel
    image = Image.open(io.BytesIO(png))
    unit = INCHES * 100
    heading = image.crop((0, 0, int(4 * unit), int(0.8 * unit))).convert("L")  # "input 5×5"
    assert sum(heading.histogram()[:100]) > 50  # dark glyph pixels


def test_png_size_follows_the_scene() -> None:
    s = scene("valid")
    png = render_figure(s, "png", dpi=100)
    width, height = struct.unpack(">II", png[16:24])  # IHDR
    assert abs(width - s.width * INCHES * 100) < 1 and abs(height - s.height * INCHES * 100) < 1


def test_figure_refuses_other_formats() -> None:
    with pytest.raises(ValueError, match="fmt must be"):
        render_figure(scene("same"), "svg")  # type: ignore[arg-type]


def test_matplotlib_without_pyplot() -> None:
    code = (
        "import sys\n"
        "from sphinxcontrib_convpad import analyze\n"
        "from sphinxcontrib_convpad.scene import build_scene\n"
        "import sphinxcontrib_convpad.render.mpl as m\n"
        "assert 'matplotlib' not in sys.modules\n"
        "layer = analyze(['Conv2D(2, 2)'], input_shape=(5, 5, 1))['layers'][0]\n"
        "m.render_figure(build_scene(layer), 'png')\n"
        "assert 'matplotlib' in sys.modules and 'matplotlib.pyplot' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_palette_is_complete_and_equal_in_both_modes() -> None:
    assert LIGHT.keys() == DARK.keys()
    assert resolve_palette(LIGHT, None) == dict(LIGHT)


# ---------------------------------------------------------------- ASCII


def test_ascii_same() -> None:
    text = render_ascii(layer("same"))
    assert "padded to 6×6: top 0 · bottom 1 · left 0 · right 1" in text
    rows = [line.split("    ") for line in text.splitlines() if line.startswith((". ", "0 "))]
    rows = [r for r in rows if len(r) > 1]  # the panels, not the legend
    assert [r[0] for r in rows] == [". . . . . 0"] * 5 + ["0 0 0 0 0 0"]
    assert [r[1] for r in rows] == ["1 1 2 2 3 3"] * 2 + ["4 4 5 5 6 6"] * 2 + ["7 7 8 8 9 9"] * 2
    assert [r[2] for r in rows[:3]] == ["1 2 3", "4 5 6", "7 8 9"]


def test_ascii_valid_marks_the_unread_row_and_column() -> None:
    text = render_ascii(build_scene(layer("valid")))
    rows = [line.split("    ") for line in text.splitlines() if line.startswith((". ", "x "))]
    rows = [r for r in rows if len(r) > 1]
    assert [r[0] for r in rows] == [". . . . x"] * 4 + ["x x x x x"]
    assert [r[1] for r in rows] == ["1 1 2 2 x"] * 2 + ["3 3 4 4 x"] * 2 + ["x x x x x"]
    assert "x never read" in text


@pytest.mark.parametrize("name", sorted(CASES))
def test_ascii_fits_76_columns(name: str) -> None:
    text = render_ascii(layer(name))
    assert max(len(line) for line in text.splitlines()) <= 76
    assert text == render_ascii(layer(name))


def test_ascii_elides_large_inputs() -> None:
    text = render_ascii(layer("large"))
    assert "~ ~ ~" in text and len(text.splitlines()) < 30


def test_ascii_of_a_flow() -> None:
    result = analyze(["Conv2D(8, 3)", "Flatten()"], input_shape=(28, 28, 1))
    assert render_ascii(build_flow(result)).splitlines()[2].startswith("conv2d (Conv2D)")
