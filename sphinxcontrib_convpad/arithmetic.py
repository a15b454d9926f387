"""Per-axis convolution arithmetic, one function per framework convention.

Every function takes plain ints and returns plain ints or an :class:`Axis`; none of them
validates its input beyond what the formula needs (the analysis refuses bad layers first).
References: Keras ``keras/src/ops/operation_utils.py`` (``compute_conv_output_shape``,
``compute_pooling_output_shape``), ``keras/src/backend/common/backend_utils.py``
(transposed padding), TensorFlow's ``GetWindowedOutputSize`` ('SAME' split), PyTorch's
``torch.nn.Conv2d``/``MaxPool2d``/``ConvTranspose2d`` documented shape formulas.
"""

from __future__ import annotations

from dataclasses import dataclass


def effective_kernel(kernel: int, dilation: int = 1) -> int:
    """Cells one window spans: ``(kernel - 1) * dilation + 1``."""
    return (kernel - 1) * dilation + 1


def ceil_div(a: int, b: int) -> int:
    """``ceil(a / b)`` for ints, without floats."""
    return -(-a // b)


def window_count(padded: int, span: int, stride: int) -> int:
    """Windows of ``span`` cells at ``stride`` that fit in ``padded`` cells (may be <= 0)."""
    return (padded - span) // stride + 1


def same_padding(size: int, kernel: int, stride: int, dilation: int = 1) -> tuple[int, int]:
    """Return (before, after) for Keras/TF 'same'; the odd cell goes *after*.

    total = max((ceil(size/stride) - 1)*stride + (kernel-1)*dilation + 1 - size, 0)
    """
    output = ceil_div(size, stride)
    total = max((output - 1) * stride + effective_kernel(kernel, dilation) - size, 0)
    return total // 2, total - total // 2


def causal_padding(kernel: int, dilation: int = 1) -> tuple[int, int]:
    """Return (before, after) for Keras 'causal': all ``(kernel-1)*dilation`` cells before."""
    return effective_kernel(kernel, dilation) - 1, 0


def torch_same_padding(kernel: int, dilation: int = 1) -> tuple[int, int]:
    """Return (before, after) for PyTorch ``padding='same'`` (stride 1): odd cell after.

    total = dilation * (kernel - 1); before = total // 2
    """
    total = dilation * (kernel - 1)
    return total // 2, total - total // 2


def torch_pool_output(
    size: int, kernel: int, stride: int, padding: int, dilation: int, ceil_mode: bool
) -> int:
    """PyTorch pooling output size.

    floor_or_ceil((size + 2*padding - dilation*(kernel-1) - 1) / stride) + 1, and in
    ceil mode one less when the last window would start in the right padding.
    """
    numerator = size + 2 * padding - effective_kernel(kernel, dilation)
    output = (ceil_div(numerator, stride) if ceil_mode else numerator // stride) + 1
    if ceil_mode and (output - 1) * stride >= size + padding:
        output -= 1
    return output


def keras_transpose_padding(
    kernel: int, stride: int, dilation: int, padding: str, output_padding: int | None
) -> tuple[int, int]:
    """(before, after) padding of the stride-dilated input in a Keras transposed conv.

    As Keras' backend converts a transposed conv to a direct one (the JAX form):
    'valid': before = k' - 1, after = k' - 1 + output_padding (default max(k', s) - k');
    'same': pad = s + k' - 2 (or k' + k' % 2 - 2 + output_padding), before = min(ceil(pad/2),
    k' - 1), after = pad - before; with k' the effective kernel.
    """
    span = effective_kernel(kernel, dilation)
    if padding == "valid":
        extra = max(span, stride) - span if output_padding is None else output_padding
        return span - 1, span - 1 + extra
    total = stride + span - 2 if output_padding is None else span + span % 2 - 2 + output_padding
    before = min(ceil_div(total, 2), span - 1)
    return before, total - before


def torch_transpose_padding(
    kernel: int, dilation: int, padding: int, output_padding: int
) -> tuple[int, int]:
    """(before, after) padding of the stride-dilated input in a PyTorch transposed conv.

    before = dilation*(kernel-1) - padding; after = before + output_padding (negative: crop).
    """
    before = effective_kernel(kernel, dilation) - 1 - padding
    return before, before + output_padding


@dataclass(frozen=True, slots=True)
class Axis:
    """The arithmetic of one spatial axis of a windowed layer (see the result docs)."""

    axis: str
    size: int
    kernel: int
    stride: int
    dilation: int
    effective_kernel: int
    output: int
    pad_before: int
    pad_after: int
    pad_total: int
    padded_size: int
    span: int
    unread_after: int
    unread_count: int
    unread: tuple[tuple[int, int], ...]
    """Half-open ranges ``(start, stop)`` of input cells no window reads."""
    output_padding: int | None = None
    dilated_size: int | None = None


def windowed_axis(
    axis: str,
    size: int,
    kernel: int,
    stride: int,
    dilation: int,
    pad_before: int,
    pad_after: int,
    *,
    output: int | None = None,
    input_stride: int | None = None,
    output_padding: int | None = None,
) -> Axis:
    """Describe ``output`` windows (default: as many as fit) over the padded input.

    An ``input_stride`` describes a transposed conv as its equivalent direct one: the input
    is stride-dilated to ``(size - 1) * input_stride + 1`` cells before padding, and only real
    cells count as read or unread (see :func:`transposed_axis`).
    """
    span_one = effective_kernel(kernel, dilation)
    dilated = (size - 1) * (input_stride or 1) + 1
    padded = dilated + pad_before + pad_after
    if output is None:
        output = window_count(padded, span_one, stride)
    span = (output - 1) * stride + span_one
    unread = _unread_ranges(size, input_stride or 1, pad_before, span_one, stride, dilation, output)
    trailing = 0
    if unread and unread[-1][1] == size:
        trailing = unread[-1][1] - unread[-1][0]
    return Axis(
        axis=axis,
        size=size,
        kernel=kernel,
        stride=stride,
        dilation=dilation,
        effective_kernel=span_one,
        output=output,
        pad_before=pad_before,
        pad_after=pad_after,
        pad_total=pad_before + pad_after,
        padded_size=padded,
        span=span,
        unread_after=trailing,
        unread_count=sum(stop - start for start, stop in unread),
        unread=unread,
        output_padding=output_padding,
        dilated_size=None if input_stride is None else dilated,
    )


def transposed_axis(
    axis: str,
    size: int,
    kernel: int,
    stride: int,
    dilation: int,
    pad_before: int,
    pad_after: int,
    output: int,
    output_padding: int | None,
) -> Axis:
    """A transposed convolution's axis as its equivalent direct one (stride-1 windows)."""
    return windowed_axis(
        axis,
        size,
        kernel,
        1,
        dilation,
        pad_before,
        pad_after,
        output=output,
        input_stride=stride,
        output_padding=output_padding,
    )


def _is_read(position: int, span_one: int, stride: int, dilation: int, output: int) -> bool:
    """Whether some window reads padded cell ``position``."""
    first = max(0, ceil_div(position - span_one + 1, stride))
    last = min(output - 1, position // stride)
    return any((position - i * stride) % dilation == 0 for i in range(first, last + 1))


def _unread_ranges(
    size: int,
    input_stride: int,
    pad_before: int,
    span_one: int,
    stride: int,
    dilation: int,
    output: int,
) -> tuple[tuple[int, int], ...]:
    ranges: list[tuple[int, int]] = []
    for cell in range(size):
        position = pad_before + cell * input_stride
        if _is_read(position, span_one, stride, dilation, output):
            continue
        if ranges and ranges[-1][1] == cell:
            ranges[-1] = (ranges[-1][0], cell + 1)
        else:
            ranges.append((cell, cell + 1))
    return tuple(ranges)
