# ruff: noqa: RUF001 -- the pictures are labelled with Unicode times signs
"""The three backends: SVG text, matplotlib PDF/PNG and the ASCII picture."""

from __future__ import annotations

import re
import struct
import subprocess
import sys

import pytest
from defusedxml import ElementTree

from sphinxcontrib_convpad import analyze
from sphinxcontrib_convpad.render import DARK, LIGHT, resolve_palette
from sphinxcontrib_convpad.render.ascii import render_ascii
from sphinxcontrib_convpad.render.mpl import INCHES, render_figure
from sphinxcontrib_convpad.render.svg import render_svg
from sphinxcontrib_convpad.scene import Scene, build_flow, build_scene

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


def test_pdf_and_png_bytes_are_reproducible(monkeypatch: pytest.MonkeyPatch) -> None:
    s = scene("same")
    pdf, png = render_figure(s, "pdf"), render_figure(s, "png")
    assert pdf.startswith(b"%PDF-") and png.startswith(b"\x89PNG\r\n\x1a\n")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert render_figure(s, "pdf") == pdf and render_figure(s, "png") == png
    assert b"CreationDate" not in pdf and b"Software" not in png


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
