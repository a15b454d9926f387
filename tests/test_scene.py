# ruff: noqa: RUF001, RUF003 -- the pictures are labelled with Unicode times and minus signs
"""The diagram as data: cells, windows and labels of the scenes built from analyses.

Expected numbers come from the Keras formulas (out = ceil(n/s) for 'same', with the odd
padding cell after; out = floor((n - k)/s) + 1 for 'valid') and the seed tutorial, not from
the code under test.
"""

from __future__ import annotations

from itertools import pairwise

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from sphinxcontrib_convpad import analyze
from sphinxcontrib_convpad.scene import (
    Arrow,
    Rect,
    Scene,
    Text,
    build_flow,
    build_scene,
    describe,
    drawable_layers,
)


def layer(call: str, shape: tuple[int, ...], framework: str = "keras") -> dict:
    return analyze([call], input_shape=shape, framework=framework)["layers"][0]


def tutorial(size: int, padding: str) -> dict:
    return layer(f"Conv2D(24, (2, 2), strides=(2, 2), padding='{padding}')", (size, size, 1))


def legend_top(scene: Scene) -> float:
    return min(s.y for s in scene.shapes if isinstance(s, Text) and s.role == "legend") - 1


def rects(scene: Scene, role: str) -> list[Rect]:
    """Rectangles of ``role`` in the picture (the legend swatches left out)."""
    top = legend_top(scene)
    return [s for s in scene.shapes if isinstance(s, Rect) and s.role == role and s.y < top]


def area(scene: Scene, role: str) -> float:
    return sum(r.w * r.h for r in rects(scene, role))


def grid_origin(scene: Scene) -> tuple[float, float]:
    cells = [r for role in ("input", "pad", "unread") for r in rects(scene, role)]
    return min(r.x for r in cells), min(r.y for r in cells)


def texts(scene: Scene) -> list[str]:
    return [s.text for s in scene.shapes if isinstance(s, Text)]


def windows(scene: Scene, kind: str = "window") -> list[Rect]:
    """Numbered rectangles (``window-3``, ``output-3`` …) in the picture."""
    top = legend_top(scene)
    return [
        s
        for s in scene.shapes
        if isinstance(s, Rect) and s.role.startswith(f"{kind}-") and s.y < top
    ]


# ---------------------------------------------------------------- the tutorial's three cases


def test_same_pads_one_row_and_column_after() -> None:
    scene = build_scene(tutorial(5, "same"))
    assert area(scene, "input") == 25
    assert area(scene, "pad") == 36 - 25  # padded 6×6
    assert area(scene, "unread") == 0
    x0, y0 = grid_origin(scene)
    for r in rects(scene, "pad"):  # 0 before, 1 after: only the bottom row and right column
        assert r.x >= x0 + 5 or r.y >= y0 + 5
    assert len(windows(scene)) == 9
    assert sorted(r.role for r in windows(scene, "output")) == [f"output-{i}" for i in range(9)]
    assert scene.description == (
        "5×5 input padded to 6×6 (0 before, 1 after on each axis); "
        "a 2×2 kernel with stride 2 gives a 3×3 output."
    )
    assert "padded to 6×6: top 0 · bottom 1 · left 0 · right 1" in texts(scene)


def test_window_i_matches_output_cell_i() -> None:
    scene = build_scene(tutorial(5, "same"))
    x0, y0 = grid_origin(scene)
    out = {r.role.split("-")[1]: r for r in windows(scene, "output")}
    ox, oy = min(r.x for r in out.values()), min(r.y for r in out.values())
    for w in windows(scene):
        i = int(w.role.split("-")[1])
        row, col = divmod(i, 3)
        assert (round(w.x - x0), round(w.y - y0)) == (2 * col, 2 * row)  # stride 2
        cell = out[str(i)]
        assert (cell.x - ox, cell.y - oy) == (col, row)


def test_valid_never_reads_last_row_and_column() -> None:
    scene = build_scene(tutorial(5, "valid"))
    assert area(scene, "pad") == 0
    assert area(scene, "unread") == 5 + 5 - 1
    assert area(scene, "input") == 16
    x0, y0 = grid_origin(scene)
    for r in rects(scene, "unread"):
        assert r.x >= x0 + 4 or r.y >= y0 + 4
    assert len(windows(scene)) == 4
    assert scene.description.endswith("; the last row and the last column are never read.")
    assert ("unread", "never read") in scene.legend


def test_six_by_six_valid_tiles_exactly() -> None:
    scene = build_scene(tutorial(6, "valid"))
    assert area(scene, "input") == 36
    assert area(scene, "pad") == area(scene, "unread") == 0
    x0, y0 = grid_origin(scene)
    starts = {(round(w.x - x0), round(w.y - y0)) for w in windows(scene)}
    assert starts == {(c, r) for r in (0, 2, 4) for c in (0, 2, 4)}
    assert "output 3×3" in texts(scene)
    assert not any(role == "pad" for role, _ in scene.legend)


# ---------------------------------------------------------------- other layers


def test_stride_larger_than_kernel_leaves_gaps_unread() -> None:
    scene = build_scene(layer("Conv2D(4, 1, strides=3)", (7, 7, 1)))
    assert area(scene, "input") == 9  # rows and columns 0, 3, 6
    assert area(scene, "unread") == 49 - 9


def test_dilated_kernel_shows_its_taps() -> None:
    scene = build_scene(layer("Conv2D(4, 3, dilation_rate=2)", (7, 7, 1)))
    taps = [r for r in windows(scene, "tap") if r.role == "tap-0"]
    assert len(taps) == 9  # a 3×3 kernel reads 9 cells, every other one
    xs = sorted({round(t.x, 2) for t in taps})
    assert [round(b - a, 2) for a, b in pairwise(xs)] == [2, 2]


def test_transposed_draws_inserted_zeros_and_padding() -> None:
    # 3×3 input, stride 2: 5×5 dilated input (16 zeros inserted), padded by k - 1 = 2 to 9×9
    scene = build_scene(layer("Conv2DTranspose(8, 3, strides=2)", (3, 3, 1)))
    assert area(scene, "input") == 9
    assert area(scene, "inserted") == 25 - 9
    assert area(scene, "pad") == 81 - 25
    assert "output 7×7" in texts(scene)


def test_pytorch_transposed_with_large_padding_crops() -> None:
    # ConvTranspose2d padding 3 > k - 1 = 2: the dilated 7×7 input loses one cell a side
    scene = build_scene(
        layer("nn.ConvTranspose2d(1, 2, 3, stride=2, padding=3)", (1, 4, 4), "pytorch")
    )
    assert area(scene, "crop") == 49 - 25
    assert "stride-dilated to 7×7, cropped to 5×5: 1 on every side" in texts(scene)


def test_zero_padding_and_cropping() -> None:
    padded = build_scene(layer("ZeroPadding2D(((0, 1), (2, 1)))", (4, 4, 3)))
    assert area(padded, "pad") == 5 * 7 - 16
    assert not windows(padded)
    cropped = build_scene(layer("Cropping2D(((1, 2), (1, 1)))", (6, 6, 3)))
    assert area(cropped, "crop") == 36 - 3 * 4
    assert (
        cropped.description
        == "6×6 input cropped to 3×4 (height 1 before, 2 after; width 1 before, 1 after)."
    )


def test_max_pooling_padding_is_minus_infinity() -> None:
    scene = build_scene(layer("MaxPooling2D(2, padding='same')", (5, 5, 1)))
    assert ("pad", "padding (−∞)") in scene.legend
    assert "a 2×2 max-pooling window with stride 2 gives a 3×3 output" in describe(
        layer("MaxPooling2D(2, padding='same')", (5, 5, 1))
    )


def test_one_d_is_a_strip() -> None:
    scene = build_scene(layer("Conv1D(4, 3, strides=2, padding='same')", (10, 1)))
    assert area(scene, "input") == 10 and area(scene, "pad") == 1  # ceil(10/2)=5: pad 1, after
    assert {r.h for r in rects(scene, "input")} == {1.0}
    assert len(windows(scene)) == 5
    assert scene.description.startswith("10-cell input padded to 11 cells (0 before, 1 after)")


def test_three_d_draws_a_slice_and_the_depth_arithmetic() -> None:
    scene = build_scene(layer("Conv3D(4, 2, strides=2, padding='same')", (4, 5, 5, 1)))
    assert "output 2×3×3" in texts(scene)
    assert "depth 4 + pad 0 + 0 = 4; kernel 2, stride 2 → 2" in texts(scene)
    assert area(scene, "pad") == 11  # the 6×6 slice, as in the 2-D 'same' case


# ---------------------------------------------------------------- large inputs


def test_large_input_is_elided_and_bounded() -> None:
    small = build_scene(layer("Conv2D(24, 3, strides=2)", (5, 5, 3)))
    large = build_scene(layer("Conv2D(24, 3, strides=2)", (224, 224, 3)))
    huge = build_scene(layer("Conv2D(24, 3, strides=2)", (4000, 4000, 3)))
    assert len(large.shapes) < 2 * len(small.shapes)
    assert len(huge.shapes) == len(large.shapes)
    assert area(large, "input") + area(large, "unread") < 300
    assert "⋯ 214 more rows ⋯" in texts(large)  # 224 - 6 shown first - 4 shown last
    assert "214 more columns" in texts(large)
    # valid, k3 s2: out = 111, span 223: the last row and column stay visible and unread
    assert large.description.endswith("the last row and the last column are never read.")


def test_long_strip_is_elided() -> None:
    scene = build_scene(layer("Conv1D(4, 3, padding='causal')", (4096, 1)))
    assert len(scene.shapes) < 60
    assert scene.width < 25
    assert [t for t in texts(scene) if "more" in t]


# ---------------------------------------------------------------- stacks and properties


def test_drawable_layers_and_flow() -> None:
    result = analyze(
        [
            "Conv2D(8, 3, padding='same')",
            "MaxPooling2D(2)",
            "Flatten()",
            "Dense(10)",
        ],
        input_shape=(28, 28, 1),
    )
    assert drawable_layers(result) == [0, 1]
    flow = build_flow(result)
    assert sum(isinstance(s, Arrow) for s in flow.shapes) == 4
    assert [s.role for s in flow.shapes if isinstance(s, Rect)] == [
        "flow-input",
        "flow-drawn",
        "flow-drawn",
        "flow-box",
        "flow-box",
    ]
    assert "(None, 14, 14, 8)" in texts(flow)


def test_scenes_are_deterministic() -> None:
    a, b = build_scene(tutorial(5, "same")), build_scene(tutorial(5, "same"))
    assert a == b and repr(a) == repr(b)


def test_refuses_layers_without_a_picture() -> None:
    dense = analyze(["Dense(4)"], input_shape=(8,))["layers"][0]
    with pytest.raises(ValueError, match="no diagram"):
        build_scene(dense)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(
    size=st.integers(1, 12),
    kernel=st.integers(1, 4),
    stride=st.integers(1, 4),
    dilation=st.integers(1, 3),
    padding=st.sampled_from(["valid", "same"]),
)
def test_cells_agree_with_the_analysis(
    size: int, kernel: int, stride: int, dilation: int, padding: str
) -> None:
    assume(stride == 1 or dilation == 1)  # Keras refuses both > 1
    assume(padding == "same" or (kernel - 1) * dilation + 1 <= size)
    result = layer(
        f"Conv2D(2, {kernel}, strides={stride}, dilation_rate={dilation}, padding='{padding}')",
        (size, size, 1),
    )
    scene = build_scene(result)
    assume(scene.cells is not None and not any(v.hidden for v in scene.cells.axes))
    height, width = result["axes"]
    padded = height["padded_size"] * width["padded_size"]
    read = (size - height["unread_count"]) * (size - width["unread_count"])
    assert area(scene, "pad") == padded - size * size
    assert area(scene, "unread") == size * size - read
    assert area(scene, "input") == read
