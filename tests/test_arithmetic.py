"""Per-axis arithmetic against the frameworks' documented formulas, worked by hand."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sphinxcontrib_convpad import arithmetic as ar

# TensorFlow's documented 'SAME' rule (tf.nn.convolution guide, "padding"): output =
# ceil(in / stride), pad_along = max((out - 1) * stride + filter - in, 0), pad_top =
# pad_along // 2, pad_bottom = pad_along - pad_top.  Rows: size, kernel, stride, dilation,
# (before, after) worked out by hand.
SAME_CASES = [
    (5, 2, 2, 1, (0, 1)),  # the tutorial: one extra zero row/column at the bottom/right
    (6, 2, 2, 1, (0, 0)),  # windows tile 6 exactly
    (5, 3, 1, 1, (1, 1)),  # even total: split evenly
    (5, 4, 1, 1, (1, 2)),  # odd total 3: the odd cell after
    (7, 3, 2, 1, (1, 1)),  # out 4: (4-1)*2+3-7 = 2
    (8, 3, 2, 1, (0, 1)),  # out 4: (4-1)*2+3-8 = 1
    (4, 7, 1, 1, (3, 3)),  # kernel larger than input
    (5, 1, 3, 1, (0, 0)),  # stride larger than kernel
    (10, 3, 1, 2, (2, 2)),  # dilation 2: effective kernel 5
    (10, 2, 1, 3, (1, 2)),  # dilation 3: effective kernel 4, total 3
    (1, 5, 1, 1, (2, 2)),
]


@pytest.mark.parametrize(("size", "kernel", "stride", "dilation", "expected"), SAME_CASES)
def test_same_padding_matches_tf_rule(size, kernel, stride, dilation, expected):
    assert ar.same_padding(size, kernel, stride, dilation) == expected


@pytest.mark.parametrize(
    ("kernel", "dilation", "expected"),
    [(2, 1, (0, 1)), (3, 1, (1, 1)), (4, 1, (1, 2)), (3, 2, (2, 2)), (2, 3, (1, 2))],
)
def test_torch_same_puts_odd_cell_after(kernel, dilation, expected):
    # torch.nn.Conv2d docs: 'same' pads dilation*(kernel-1) in total; ATen pads the
    # extra cell on the right when the total is odd.
    assert ar.torch_same_padding(kernel, dilation) == expected


@pytest.mark.parametrize(
    ("kernel", "dilation", "expected"), [(3, 1, (2, 0)), (2, 4, (4, 0)), (1, 1, (0, 0))]
)
def test_causal_padding_is_all_before(kernel, dilation, expected):
    assert ar.causal_padding(kernel, dilation) == expected


# torch.nn.MaxPool2d docs: out = floor_or_ceil((in + 2p - d(k-1) - 1)/s + 1); in ceil
# mode the last window must start inside the input or the left padding.
@pytest.mark.parametrize(
    ("size", "kernel", "stride", "padding", "dilation", "ceil_mode", "expected"),
    [
        (5, 2, 2, 0, 1, False, 2),
        (5, 2, 2, 0, 1, True, 3),
        (6, 2, 2, 0, 1, True, 3),
        (4, 2, 2, 1, 1, False, 3),
        (4, 2, 2, 1, 1, True, 3),  # ceil gives 4 but window 4 would start at 6 >= 4+1
        (7, 3, 2, 1, 2, False, 3),
        (1, 1, 5, 0, 1, True, 1),
    ],
)
def test_torch_pool_output(size, kernel, stride, padding, dilation, ceil_mode, expected):
    assert ar.torch_pool_output(size, kernel, stride, padding, dilation, ceil_mode) == expected


def test_tutorial_valid_5x5_leaves_last_cell_unread():
    axis = ar.windowed_axis("width", 5, 2, 2, 1, 0, 0)
    assert (axis.output, axis.unread_after, axis.unread_count) == (2, 1, 1)
    assert axis.unread == ((4, 5),)


def test_tutorial_same_5x5_reads_every_cell():
    axis = ar.windowed_axis("width", 5, 2, 2, 1, 0, 1)
    assert (axis.output, axis.padded_size, axis.span, axis.unread_count) == (3, 6, 6, 0)


def test_stride_larger_than_kernel_skips_cells_between_windows():
    # windows [0], [3], [6] over 7 cells: cells 1, 2, 4, 5 are never read
    axis = ar.windowed_axis("length", 7, 1, 3, 1, 0, 0)
    assert axis.output == 3
    assert axis.unread == ((1, 3), (4, 6))
    assert axis.unread_after == 0


def test_dilated_kernel_holes_are_unread_only_when_no_window_covers_them():
    # kernel 2, dilation 3, stride 3 over 7 cells: windows read {0,3} and {3,6}
    axis = ar.windowed_axis("length", 7, 2, 3, 3, 0, 0)
    assert axis.output == 2
    assert axis.unread == ((1, 3), (4, 6))


@pytest.mark.parametrize(
    # Keras deconv_output_length: 'same' -> n*s; 'valid' -> n*s + max(k'-s, 0); with
    # output_padding: (n-1)*s + k' - 2*pad + op, pad = k'//2 ('same') or 0.
    ("size", "kernel", "stride", "dilation", "padding", "output_padding", "expected_output"),
    [
        (3, 3, 2, 1, "same", None, 6),
        (3, 3, 2, 1, "valid", None, 7),
        (3, 2, 3, 1, "valid", None, 9),
        (3, 3, 2, 1, "same", 1, 6),
        (3, 3, 2, 1, "valid", 1, 8),
        (4, 4, 2, 1, "same", None, 8),
        (5, 3, 1, 2, "same", None, 5),
    ],
)
def test_keras_transpose_padding_gives_documented_output(
    size, kernel, stride, dilation, padding, output_padding, expected_output
):
    before, after = ar.keras_transpose_padding(kernel, stride, dilation, padding, output_padding)
    dilated = (size - 1) * stride + 1
    span = (kernel - 1) * dilation + 1
    assert dilated + before + after - span + 1 == expected_output


@given(
    size=st.integers(1, 300),
    kernel=st.integers(1, 12),
    stride=st.integers(1, 12),
    dilation=st.integers(1, 6),
)
def test_same_padding_properties(size, kernel, stride, dilation):
    before, after = ar.same_padding(size, kernel, stride, dilation)
    span_one = (kernel - 1) * dilation + 1
    axis = ar.windowed_axis("x", size, kernel, stride, dilation, before, after)
    assert axis.output == math.ceil(size / stride)
    assert axis.pad_before + axis.pad_after == axis.pad_total
    assert 0 <= after - before <= 1
    # the last window ends inside the padded input; one more stride would leave it
    assert axis.span <= axis.padded_size
    assert axis.span + stride > axis.padded_size
    assert axis.padded_size >= span_one


@given(
    size=st.integers(1, 300),
    kernel=st.integers(1, 12),
    stride=st.integers(1, 12),
    dilation=st.integers(1, 6),
)
def test_valid_properties(size, kernel, stride, dilation):
    span_one = (kernel - 1) * dilation + 1
    axis = ar.windowed_axis("x", size, kernel, stride, dilation, 0, 0)
    if size < span_one:
        assert axis.output <= 0
        return
    assert axis.output == (size - span_one) // stride + 1
    assert axis.span <= size < axis.span + stride
    assert axis.unread_after == size - axis.span
    if stride <= kernel and dilation == 1:
        assert axis.unread_count == axis.unread_after
