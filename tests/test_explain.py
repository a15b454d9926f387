# ruff: noqa: RUF001, RUF002 -- expected text uses the Unicode the pages print
"""The explanation: documented formulas, written with the analysis' numbers."""

from __future__ import annotations

import ast
import math
import operator
import re
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sphinxcontrib_convpad import ConvPadError, analyze
from sphinxcontrib_convpad.explain import Explanation, explain


def formulas(explanation: Explanation) -> list[str]:
    return [
        text
        for layer in explanation.layers
        for step in layer.steps
        for kind, text in step.pieces
        if kind == "formula"
    ]


def text_of(layers: Any, **kwargs: Any) -> str:
    return " ".join(explain(analyze(layers, **kwargs)).text().split())


_OPERATORS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
              ast.Div: operator.truediv}  # fmt: skip


def evaluate(formula: str) -> Fraction:
    """The value of a formula as printed: ⌊x⌋, ⌈x⌉, max(), ·, −, exact fractions."""
    python = (
        formula.replace("⌊", "floor(").replace("⌋", ")").replace("⌈", "ceil(")
        .replace("⌉", ")").replace("−", "-").replace("·", "*")
    )  # fmt: skip
    python = re.sub(r"(\d)\(", r"\1*(", python)

    def walk(node: ast.AST) -> Fraction:
        if isinstance(node, ast.Expression):
            return walk(node.body)
        if isinstance(node, ast.Constant) and isinstance(node.value, int):
            return Fraction(node.value)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return -walk(node.operand)
        if isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS:
            return _OPERATORS[type(node.op)](walk(node.left), walk(node.right))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            values = [walk(arg) for arg in node.args]
            functions = {"floor": math.floor, "ceil": math.ceil, "max": max}
            return Fraction(functions[node.func.id](*values))
        raise ValueError(f"not a number formula: {formula!r}")

    return walk(ast.parse(python, mode="eval"))


def check_numbers(explanation: Explanation) -> int:
    """Every ``symbols = numbers = value`` formula must compute its value; returns how many.

    PyTorch's ceil_mode formula is printed without a value (the last window may be dropped),
    followed by ``o = value``: there the value must be the formula's or one less.
    """
    checked = 0
    pending: Fraction | None = None
    for formula in formulas(explanation):
        parts = formula.split(" = ")
        if pending is not None and len(parts) == 2 and parts[0] == "o":
            assert int(parts[1]) in (pending, pending - 1), formula
            checked += 1
        pending = None
        if not re.fullmatch(NUMBERS, parts[-2] if len(parts) > 1 else ""):
            if re.fullmatch(NUMBERS, parts[-1]) and "⌈" in parts[-1]:
                pending = evaluate(parts[-1])
            continue
        assert evaluate(parts[-2]) == int(parts[-1].replace("−", "-")), formula
        checked += 1
    return checked


NUMBERS = r"[\d\s()+−·/⌊⌋⌈⌉max,]+"


# ---------------------------------------------------------------- Keras


def test_keras_same_pads_the_odd_cell_after() -> None:
    text = text_of("Conv2D(24, 2, strides=2, padding='same')", input_shape=(5, 5, 1))
    # Keras/TF 'same': o = ceil(5/2) = 3; total = (3-1)*2 + 2 - 5 = 1, before 0, after 1
    assert "Height and width: padding='same' gives o = ⌈n / s⌉ = ⌈5 / 2⌉ = 3." in text
    assert "max((o − 1)·s + k − n, 0) = max((3 − 1)·2 + 2 − 5, 0) = 1 cell of zeros" in text
    assert "0 before, 1 after (Keras puts the odd cell after)" in text
    assert "kernel 2·2·1·24 = 96 + bias 24 = 120" in text
    assert "padding='valid' would give 2 × 2 instead" in text


def test_keras_valid_drops_the_last_row_and_column() -> None:
    text = text_of("Conv2D(24, 2, strides=2, padding='valid')", input_shape=(5, 5, 1))
    assert "o = ⌊(n − k) / s⌋ + 1 = ⌊(5 − 2) / 2⌋ + 1 = 2" in text
    assert "(o − 1)·s + k = (2 − 1)·2 + 2 = 4 of the 5 cells on each axis" in text
    assert "the last row and column are never read" in text


def test_keras_valid_on_6x6_equals_same() -> None:
    text = text_of("Conv2D(24, 2, strides=2, padding='valid')", input_shape=(6, 6, 1))
    assert "⌊(6 − 2) / 2⌋ + 1 = 3" in text
    assert "padding='same' gives the same output (3 × 3): the windows tile the input" in text
    assert "never read" not in text


def test_keras_one_axis_at_a_time_when_they_differ() -> None:
    text = text_of("Conv2D(1, (2, 3), strides=(2, 1))", input_shape=(5, 6, 1))
    assert (
        "Height: padding='valid' adds nothing: o = ⌊(n − k) / s⌋ + 1 = ⌊(5 − 2) / 2⌋ + 1 = 2"
        in text
    )
    assert "the last row is never read" in text
    assert (
        "Width: padding='valid' adds nothing: o = ⌊(n − k) / s⌋ + 1 = ⌊(6 − 3) / 1⌋ + 1 = 4" in text
    )


def test_keras_causal_dilated() -> None:
    text = text_of("Conv1D(4, 3, padding='causal', dilation_rate=2)", input_shape=(10, 2))
    # Keras 'causal': (k - 1)*d zeros before; k' = (k - 1)*d + 1
    assert "k′ = (k − 1)·d + 1 = (3 − 1)·2 + 1 = 5" in text
    assert "p = (k − 1)·d = (3 − 1)·2 = 4 zeros before the input and none after" in text
    assert "o = ⌊(n + p − k′) / s⌋ + 1 = ⌊(10 + 4 − 5) / 1⌋ + 1 = 10" in text


def test_keras_stride_larger_than_kernel_skips_cells() -> None:
    text = text_of("Conv1D(4, 2, strides=3)", input_shape=(10, 2))
    # windows start at 0, 3, 6: cells 2, 5 and 8, 9 are never read
    assert "⌊(10 − 2) / 3⌋ + 1 = 3" in text
    assert "(3 − 1)·3 + 2 = 8 of the 10 cells, so the last 2 cells are never read" in text
    assert "2 cells between windows are never read either (4 unread in all)" in text


def test_keras_transposed() -> None:
    text = text_of(
        [
            "Conv2DTranspose(4, 3, strides=2, padding='same')",
            "Conv2DTranspose(4, 3, strides=2, padding='valid')",
            "Conv2DTranspose(4, 3, strides=2, padding='valid', output_padding=1)",
        ],
        input_shape=(9, 9, 3),
    )
    # keras deconv_output_length: same n*s; valid n*s + max(k - s, 0);
    # with output_padding: (n - 1)*s + k + output_padding
    assert "o = n·s = 9·2 = 18" in text
    assert "o = n·s + max(k − s, 0) = 18·2 + max(3 − 2, 0) = 37" in text
    assert "o = (n − 1)·s + k + output_padding = (37 − 1)·2 + 3 + 1 = 76" in text
    assert "stride-dilated to (n − 1)·s + 1 = (9 − 1)·2 + 1 = 17 cells (1 zero between" in text


def test_keras_padding_cropping_upsampling() -> None:
    text = text_of(
        ["ZeroPadding2D(((1, 2), (0, 1)))", "Cropping2D(1)", "UpSampling2D(2)"],
        input_shape=(4, 4, 1),
    )
    assert "Height: 1 zero before and 2 after: o = n + before + after = 4 + 1 + 2 = 7" in text
    assert "Width: 0 zeros before and 1 after: o = n + before + after = 4 + 0 + 1 = 5" in text
    assert "o = n − before − after = 7 − 1 − 1 = 5" in text
    assert "o = n·size = 5·2 = 10" in text


def test_parameters_come_from_the_weights() -> None:
    text = text_of(
        ["DepthwiseConv2D(3, depth_multiplier=2)", "MaxPooling2D(2)", "Flatten()",
         "Dense(10)", "BatchNormalization()"],
        input_shape=(8, 8, 4),
    )  # fmt: skip
    assert "kernel 3·3·4·2 = 72 + bias 8 = 80" in text  # k·k·C_in·multiplier + C_in·multiplier
    assert "8 channels (4 input channels × depth_multiplier 2)" in text
    assert "Parameters: none (this layer has no weights)" in text
    assert "kernel 72·10 = 720 + bias 10 = 730" in text  # 3·3·8 = 72 features after pooling
    assert "(20 of them non-trainable)" in text  # moving mean and variance


# ---------------------------------------------------------------- PyTorch


def test_torch_explicit_padding_uses_the_documented_formula() -> None:
    text = text_of("Conv2d(1, 4, 3, stride=2, padding=1)", input_shape=(1, 7, 7),
                   framework="pytorch")  # fmt: skip
    # torch.nn.Conv2d: floor((H + 2p - d(k-1) - 1)/s + 1)
    assert "padding=1 adds 1 zero on each side" in text
    assert (
        "o = ⌊(n + 2p − d·(k − 1) − 1) / s⌋ + 1 = ⌊(7 + 2·1 − 1·(3 − 1) − 1) / 2⌋ + 1 = 4" in text
    )
    assert "weight 4·1·3·3 = 36 + bias 4 = 40" in text


def test_torch_same_and_ceil_mode() -> None:
    text = text_of(
        ["Conv2d(3, 4, 4, padding='same')", "MaxPool2d(3, stride=2, padding=1, ceil_mode=True)"],
        input_shape=(3, 6, 6),
        framework="pytorch",
    )
    # PyTorch 'same' (stride 1): total d(k-1) = 3, the extra cell after
    assert "d·(k − 1) = 1·(4 − 1) = 3 cells of zeros: 1 before, 2 after (PyTorch puts" in text
    # torch.nn.MaxPool2d, ceil_mode: ceil((6 + 2 - 2 - 1)/2) + 1 = 4
    assert "⌈(6 + 2·1 − 1·(3 − 1) − 1) / 2⌉ + 1 (ceil_mode rounds up)" in text
    assert "o = 4" in text
    assert "1 −∞ cell on each side" in text


def test_torch_transposed() -> None:
    text = text_of(
        "ConvTranspose2d(4, 2, 3, stride=2, padding=1, output_padding=1)",
        input_shape=(4, 2, 2),
        framework="pytorch",
    )
    # torch.nn.ConvTranspose2d: (H - 1)s - 2p + d(k - 1) + output_padding + 1
    assert "(2 − 1)·2 − 2·1 + 1·(3 − 1) + 1 + 1 = 4" in text


# ---------------------------------------------------------------- every formula adds up


def test_the_evaluator_reads_our_notation() -> None:
    assert evaluate("⌈5 / 2⌉") == 3
    assert evaluate("⌊(5 − 2) / 2⌋ + 1") == 2
    assert evaluate("max((3 − 1)·2 + 2 − 5, 0)") == 1
    assert evaluate("(2 − 1)·2 − 2·(−1) + 1·(3 − 1) + 0 + 1") == 7


@st.composite
def keras_layers(draw: st.DrawFn) -> tuple[str, tuple[int, ...]]:
    rank = draw(st.sampled_from([1, 2]))
    cls = draw(st.sampled_from(["Conv", "MaxPooling", "AveragePooling", "ConvTranspose"]))
    size = draw(st.integers(1, 14))
    kernel = draw(st.integers(1, 5))
    stride = draw(st.integers(1, 4))
    dilation = draw(st.integers(1, 3)) if stride == 1 and cls != "MaxPooling" else 1
    padding = draw(st.sampled_from(["valid", "same", "causal"]))
    if cls == "ConvTranspose":
        name = f"Conv{rank}DTranspose"
        call = (
            f"{name}(2, {kernel}, strides={stride}, padding='{padding}', dilation_rate={dilation})"
        )
    elif cls == "Conv":
        call = f"Conv{rank}D(2, {kernel}, strides={stride}, padding='{padding}', dilation_rate={dilation})"
    else:
        call = f"{cls}{rank}D({kernel}, strides={stride}, padding='{padding}')"
    return call, (size,) * rank + (3,)


@st.composite
def torch_layers(draw: st.DrawFn) -> tuple[str, tuple[int, ...]]:
    cls = draw(st.sampled_from(["Conv2d", "MaxPool2d", "AvgPool2d", "ConvTranspose2d"]))
    size = draw(st.integers(1, 14))
    kernel = draw(st.integers(1, 5))
    stride = draw(st.integers(1, 4))
    padding = draw(st.integers(0, 3))
    ceil = draw(st.booleans())
    if cls == "Conv2d":
        pad = draw(st.sampled_from([str(padding), "'same'", "'valid'"]))
        call = f"Conv2d(3, 2, {kernel}, stride={stride}, padding={pad})"
    elif cls == "ConvTranspose2d":
        extra = draw(st.integers(0, 3))
        call = f"ConvTranspose2d(3, 2, {kernel}, stride={stride}, padding={padding}, output_padding={extra})"
    else:
        call = f"{cls}({kernel}, stride={stride}, padding={padding}, ceil_mode={ceil})"
    return call, (3, size, size)


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        keras_layers().map(lambda c: ("keras", *c)), torch_layers().map(lambda c: ("pytorch", *c))
    )
)
def test_every_formula_computes_the_analysis_number(case: tuple[str, str, tuple[int, ...]]) -> None:
    framework, call, shape = case
    try:
        result = analyze(call, input_shape=shape, framework=framework)
    except ConvPadError:
        return
    assert check_numbers(explain(result)) >= 1


@pytest.mark.parametrize(
    ("layers", "shape", "framework"),
    [
        ("Conv2D(24, 2, strides=2, padding='same')", (5, 5, 1), "keras"),
        ("Conv1D(4, 3, padding='causal', dilation_rate=2)", (10, 2), "keras"),
        ("SeparableConv2D(8, 3, strides=2, padding='same')", (9, 9, 3), "keras"),
        ("Conv3D(2, 3, strides=(1, 2, 2))", (5, 7, 7, 1), "keras"),
        ("ConvTranspose2d(4, 2, 3, stride=2, padding=1, output_padding=1)", (4, 2, 2), "pytorch"),
    ],
)
def test_formulas_add_up(layers: str, shape: tuple[int, ...], framework: str) -> None:
    assert check_numbers(explain(analyze(layers, input_shape=shape, framework=framework))) >= 2
