"""Keras 3 layers: output shape, padding per axis and variables, from a spec and an input.

Each rule follows the layer's ``__init__``/``build``/``compute_output_shape`` in
``keras/src/layers`` and refuses what Keras refuses, with our own message.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import NamedTuple

from sphinxcontrib_convpad import arguments as arg
from sphinxcontrib_convpad import arithmetic as ar
from sphinxcontrib_convpad.layers import LayerSpec
from sphinxcontrib_convpad.results import SPATIAL_AXES, Computed, Dims, Weight

Rule = Callable[[LayerSpec, Dims], Computed]


def _split(spec: LayerSpec, shape: Dims, rank: int, data_format: str) -> tuple[list[int], int]:
    """(spatial sizes, channels) of a ``(batch, ...)`` input, refusing a wrong rank."""
    if len(shape) != rank + 1:
        layout = ", ".join(["batch", *SPATIAL_AXES[rank], "channels"])
        if data_format == "channels_first":
            layout = ", ".join(["batch", "channels", *SPATIAL_AXES[rank]])
        raise spec.error(
            f"expects a {rank + 2}-D input ({layout}), got shape {_shape((None, *shape))}"
        )
    if data_format == "channels_last":
        return list(shape[:-1]), shape[-1]
    return list(shape[1:]), shape[0]


def _join(spatial: list[int], channels: int, shape: Dims, data_format: str) -> Dims:
    if data_format == "channels_last":
        return (*spatial, channels)
    return (channels, *spatial)


def _shape(shape: tuple[int | None, ...]) -> str:
    return (
        "("
        + ", ".join("None" if d is None else str(d) for d in shape)
        + ("," if len(shape) == 1 else "")
        + ")"
    )


def _conv_output(size: int, kernel: int, stride: int, dilation: int, padding: str) -> int:
    """Keras ``compute_conv_output_shape`` for one axis."""
    if padding == "valid":
        return (size - ar.effective_kernel(kernel, dilation)) // stride + 1
    return (size - 1) // stride + 1


def _pads(size: int, kernel: int, stride: int, dilation: int, padding: str) -> tuple[int, int]:
    if padding == "same":
        return ar.same_padding(size, kernel, stride, dilation)
    if padding == "causal":
        return ar.causal_padding(kernel, dilation)
    return 0, 0


def _windowed(
    spec: LayerSpec, dims: list[int], geometry: Geometry, padding: str, modes: tuple[str, ...]
) -> tuple[list[ar.Axis], dict[str, list[int] | None]]:
    """The per-axis arithmetic, refusing an empty output, and the outputs of other modes."""
    kernel, strides, dilation = geometry
    axes = []
    for name, size, k, s, d in zip(
        SPATIAL_AXES[len(dims)], dims, kernel, strides, dilation, strict=True
    ):
        output = _conv_output(size, k, s, d, padding)
        if output <= 0:
            raise spec.error(
                f"the output {name} would be {output}: input {name} {size} is smaller than"
                f" the {'dilated ' if d > 1 else ''}kernel ({ar.effective_kernel(k, d)})"
                f" with padding {padding!r}"
            )
        before, after = _pads(size, k, s, d, padding)
        axes.append(ar.windowed_axis(name, size, k, s, d, before, after, output=output))
    others: dict[str, list[int] | None] = {}
    for mode in modes:
        sizes = [
            _conv_output(n, k, s, d, mode)
            for n, k, s, d in zip(dims, kernel, strides, dilation, strict=True)
        ]
        others[mode] = sizes if min(sizes) > 0 else None
    return axes, others


class Geometry(NamedTuple):
    """A windowed layer's per-axis kernel, strides and dilation."""

    kernel_size: tuple[int, ...]
    strides: tuple[int, ...]
    dilation: tuple[int, ...]

    def details(self) -> dict[str, object]:
        return self._asdict()


def _conv_common(spec: LayerSpec, rank: int, *, dilated_strides: bool = False) -> Geometry:
    kernel = arg.int_tuple(spec, "kernel_size", rank)
    strides = arg.int_tuple(spec, "strides", rank)
    dilation = arg.int_tuple(spec, "dilation_rate", rank)
    if not dilated_strides and max(strides) > 1 and max(dilation) > 1:
        raise spec.error(
            f"strides > 1 cannot be combined with dilation_rate > 1"
            f" (got strides={_plain(strides)}, dilation_rate={_plain(dilation)})"
        )
    return Geometry(kernel, strides, dilation)


def _plain(values: tuple[int, ...]) -> str:
    return str(values[0]) if len(set(values)) == 1 else str(values)


def _padding(spec: LayerSpec, rank: int, *, causal: bool) -> str:
    allowed = ("valid", "same", "causal") if causal else ("valid", "same")
    return arg.choice(spec, "padding", allowed, lower=True)


def _bias(spec: LayerSpec, count: int) -> tuple[Weight, ...]:
    return (Weight("bias", (count,)),) if arg.bool_value(spec, "use_bias") else ()


def conv(spec: LayerSpec, shape: Dims) -> Computed:
    rank = spec.type.rank or 1
    filters = arg.int_value(spec, "filters")
    groups = arg.int_value(spec, "groups")
    common = _conv_common(spec, rank)
    padding = _padding(spec, rank, causal=rank == 1)
    data_format = arg.data_format(spec)
    if filters % groups:
        raise spec.error(f"filters ({filters}) must be divisible by groups ({groups})")
    dims, channels = _split(spec, shape, rank, data_format)
    if channels % groups:
        raise spec.error(f"the input's {channels} channels must be divisible by groups ({groups})")
    modes = ("valid", "same", "causal") if rank == 1 else ("valid", "same")
    axes, others = _windowed(spec, dims, common, padding, modes)
    kernel = (*common.kernel_size, channels // groups, filters)
    weights = (Weight("kernel", kernel), *_bias(spec, filters))
    return Computed(
        output_shape=_join([a.output for a in axes], filters, shape, data_format),
        weights=weights,
        rank=rank,
        data_format=data_format,
        details=_details(
            spec, padding, channels, filters, common, groups=groups, outputs_by_padding=others
        ),
        axes=tuple(axes),
    )


def _details(
    spec: LayerSpec,
    padding: str,
    in_channels: int,
    out_channels: int,
    common: Geometry,
    **extra: object,
) -> tuple[tuple[str, object], ...]:
    items = {
        "padding": padding,
        "padding_mode": padding,
        "in_channels": in_channels,
        "out_channels": out_channels,
        **common.details(),
        **extra,
    }
    if "use_bias" in spec.type.parameters:
        items["use_bias"] = arg.bool_value(spec, "use_bias")
    return tuple(items.items())


class _Depthwise(NamedTuple):
    """What depthwise and separable convolutions share: one kernel per input channel."""

    multiplier: int
    common: Geometry
    padding: str
    data_format: str
    channels: int
    axes: list[ar.Axis]
    others: dict[str, list[int] | None]


def _depthwise(spec: LayerSpec, shape: Dims, rank: int) -> _Depthwise:
    multiplier = arg.int_value(spec, "depth_multiplier")
    common = _conv_common(spec, rank, dilated_strides=True)  # Keras allows both here
    padding = _padding(spec, rank, causal=False)
    data_format = arg.data_format(spec)
    dims, channels = _split(spec, shape, rank, data_format)
    axes, others = _windowed(spec, dims, common, padding, ("valid", "same"))
    return _Depthwise(multiplier, common, padding, data_format, channels, axes, others)


def depthwise_conv(spec: LayerSpec, shape: Dims) -> Computed:
    rank = spec.type.rank or 1
    d = _depthwise(spec, shape, rank)
    out_channels = d.channels * d.multiplier
    kernel = Weight("kernel", (*d.common.kernel_size, d.channels, d.multiplier))
    return Computed(
        output_shape=_join([a.output for a in d.axes], out_channels, shape, d.data_format),
        weights=(kernel, *_bias(spec, out_channels)),
        rank=rank,
        data_format=d.data_format,
        details=_details(
            spec,
            d.padding,
            d.channels,
            out_channels,
            d.common,
            groups=d.channels,
            depth_multiplier=d.multiplier,
            outputs_by_padding=d.others,
        ),
        axes=tuple(d.axes),
    )


def separable_conv(spec: LayerSpec, shape: Dims) -> Computed:
    rank = spec.type.rank or 1
    filters = arg.int_value(spec, "filters")
    d = _depthwise(spec, shape, rank)
    weights = (
        Weight("depthwise_kernel", (*d.common.kernel_size, d.channels, d.multiplier)),
        Weight("pointwise_kernel", (*(1,) * rank, d.channels * d.multiplier, filters)),
        *_bias(spec, filters),
    )
    return Computed(
        output_shape=_join([a.output for a in d.axes], filters, shape, d.data_format),
        weights=weights,
        rank=rank,
        data_format=d.data_format,
        details=_details(
            spec,
            d.padding,
            d.channels,
            filters,
            d.common,
            depth_multiplier=d.multiplier,
            outputs_by_padding=d.others,
        ),
        axes=tuple(d.axes),
    )


def _transpose_output(
    size: int, kernel: int, stride: int, dilation: int, padding: str, output_padding: int | None
) -> int:
    """Keras ``compute_conv_transpose_output_shape`` for one axis (``deconv_output_length``)."""
    span = ar.effective_kernel(kernel, dilation)
    if output_padding is None:
        if padding == "valid":
            return size * stride + max(span - stride, 0)
        return size * stride
    pad = span // 2 if padding == "same" else 0
    return (size - 1) * stride + span - 2 * pad + output_padding


def conv_transpose(spec: LayerSpec, shape: Dims) -> Computed:
    rank = spec.type.rank or 1
    filters = arg.int_value(spec, "filters")
    common = _conv_common(spec, rank)
    padding = _padding(spec, rank, causal=False)
    data_format = arg.data_format(spec)
    output_padding = None
    if spec.get("output_padding") is not None:
        output_padding = arg.int_tuple(spec, "output_padding", rank, minimum=0)
        for s, p in zip(common.strides, output_padding, strict=True):
            if p >= s:
                raise spec.error(
                    f"output_padding must be smaller than strides, got output_padding={_plain(output_padding)}"
                    f" and strides={_plain(common.strides)}"
                )
    dims, channels = _split(spec, shape, rank, data_format)
    axes = []
    others: dict[str, list[int] | None] = {"valid": [], "same": []}
    for i, (name, size) in enumerate(zip(SPATIAL_AXES[rank], dims, strict=True)):
        k, s, d = common.kernel_size[i], common.strides[i], common.dilation[i]
        op = None if output_padding is None else output_padding[i]
        output = _transpose_output(size, k, s, d, padding, op)
        if output <= 0:
            raise spec.error(f"the output {name} would be {output}")
        before, after = ar.keras_transpose_padding(k, s, d, padding, op)
        axes.append(ar.transposed_axis(name, size, k, s, d, before, after, output, op))
        for mode in ("valid", "same"):
            others[mode].append(_transpose_output(size, k, s, d, mode, op))  # type: ignore[union-attr]
    kernel = (*common.kernel_size, filters, channels)
    return Computed(
        output_shape=_join([a.output for a in axes], filters, shape, data_format),
        weights=(Weight("kernel", kernel), *_bias(spec, filters)),
        rank=rank,
        data_format=data_format,
        details=_details(
            spec,
            padding,
            channels,
            filters,
            common,
            output_padding=output_padding,
            outputs_by_padding=others,
        ),
        axes=tuple(axes),
    )


def pooling(spec: LayerSpec, shape: Dims) -> Computed:
    rank = spec.type.rank or 1
    pool = arg.int_tuple(spec, "pool_size", rank)
    strides = pool if spec.get("strides") is None else arg.int_tuple(spec, "strides", rank)
    padding = spec.get("padding")
    if padding not in ("valid", "same"):
        hint = (
            " (pooling layers do not lower-case it)"
            if isinstance(padding, str) and padding.lower() in ("valid", "same")
            else ""
        )
        raise spec.error(
            f"padding must be 'valid' or 'same', got {arg.show(padding)}{hint}", "padding"
        )
    data_format = arg.data_format(spec)
    dims, channels = _split(spec, shape, rank, data_format)
    ones = (1,) * rank
    axes, others = _windowed(spec, dims, Geometry(pool, strides, ones), padding, ("valid", "same"))
    return Computed(
        output_shape=_join([a.output for a in axes], channels, shape, data_format),
        rank=rank,
        data_format=data_format,
        details=(
            ("padding", padding),
            ("padding_mode", padding),
            ("in_channels", channels),
            ("out_channels", channels),
            ("pool_size", pool),
            ("kernel_size", pool),
            ("strides", strides),
            ("dilation", ones),
            ("outputs_by_padding", others),
        ),
        axes=tuple(axes),
    )


def global_pooling(spec: LayerSpec, shape: Dims) -> Computed:
    rank = spec.type.rank or 1
    data_format = arg.data_format(spec)
    keepdims = arg.bool_value(spec, "keepdims")
    _, channels = _split(spec, shape, rank, data_format)
    output = _join([1] * rank, channels, shape, data_format) if keepdims else (channels,)
    return Computed(output_shape=output, rank=rank, data_format=data_format)


def _border(spec: LayerSpec, shape: Dims, name: str, sign: int) -> Computed:
    rank = spec.type.rank or 1
    data_format = "channels_last" if rank == 1 else arg.data_format(spec)
    amounts = arg.pairs(spec, name, rank, minimum=0 if sign < 0 else -arg.MAX_INT)
    dims, channels = _split(spec, shape, rank, data_format)
    axes: list[dict[str, object]] = []
    sizes = []
    keys = ("pad_before", "pad_after") if sign > 0 else ("crop_before", "crop_after")
    for axis, size, (before, after) in zip(SPATIAL_AXES[rank], dims, amounts, strict=True):
        output = size + sign * (before + after)
        if output <= 0:
            raise spec.error(
                f"cropping {before} + {after} cells leaves nothing of the input {axis} ({size})",
                name,
            )
        sizes.append(output)
        axes.append({"axis": axis, "size": size, keys[0]: before, keys[1]: after, "output": output})
    return Computed(
        output_shape=_join(sizes, channels, shape, data_format),
        rank=rank,
        data_format=data_format,
        details=((name, amounts),),
        axes=tuple(axes),
    )


def zero_padding(spec: LayerSpec, shape: Dims) -> Computed:
    return _border(spec, shape, "padding", +1)


def cropping(spec: LayerSpec, shape: Dims) -> Computed:
    return _border(spec, shape, "cropping", -1)


def upsampling(spec: LayerSpec, shape: Dims) -> Computed:
    rank = spec.type.rank or 1
    data_format = "channels_last" if rank == 1 else arg.data_format(spec)
    factors = arg.int_tuple(spec, "size", rank)
    dims, channels = _split(spec, shape, rank, data_format)
    axes = tuple(
        {"axis": axis, "size": size, "factor": f, "output": size * f}
        for axis, size, f in zip(SPATIAL_AXES[rank], dims, factors, strict=True)
    )
    return Computed(
        output_shape=_join([a["output"] for a in axes], channels, shape, data_format),  # type: ignore[misc]
        rank=rank,
        data_format=data_format,
        details=(("size", factors),),
        axes=axes,
    )


def flatten(spec: LayerSpec, shape: Dims) -> Computed:
    return Computed(output_shape=(math.prod(shape),))


def dense(spec: LayerSpec, shape: Dims) -> Computed:
    units = arg.int_value(spec, "units")
    features = shape[-1]
    weights = (Weight("kernel", (features, units)), *_bias(spec, units))  # type: ignore[arg-type]
    return Computed(output_shape=(*shape[:-1], units), weights=weights)


def unchanged(spec: LayerSpec, shape: Dims) -> Computed:
    return Computed(output_shape=shape)


def dropout(spec: LayerSpec, shape: Dims) -> Computed:
    rate = spec.get("rate")
    if not isinstance(rate, (int, float)) or isinstance(rate, bool) or not 0 <= rate <= 1:
        raise spec.error(f"rate must be a number between 0 and 1, got {arg.show(rate)}", "rate")
    return Computed(output_shape=shape)


def batch_norm(spec: LayerSpec, shape: Dims) -> Computed:
    axis = spec.get("axis")
    ndim = len(shape) + 1  # with the batch axis, as Keras counts
    if not arg.is_int(axis) or not -ndim <= axis < ndim or axis % ndim == 0:  # type: ignore[operator]
        raise spec.error(
            f"axis {arg.show(axis)} is not a feature axis of the input {_shape((None, *shape))}",
            "axis",
        )
    channels = shape[axis % ndim - 1]  # type: ignore[operator]
    weights = []
    if arg.bool_value(spec, "scale"):
        weights.append(Weight("gamma", (channels,)))
    if arg.bool_value(spec, "center"):
        weights.append(Weight("beta", (channels,)))
    weights += [
        Weight("moving_mean", (channels,), trainable=False),
        Weight("moving_variance", (channels,), trainable=False),
    ]
    return Computed(output_shape=shape, weights=tuple(weights))


def reshape(spec: LayerSpec, shape: Dims) -> Computed:
    target = spec.get("target_shape")
    if arg.is_int(target):
        target = (target,)
    if (
        not isinstance(target, (tuple, list))
        or not all(arg.is_int(t) and (t > 0 or t == -1) for t in target)
        or list(target).count(-1) > 1
    ):
        raise spec.error(
            f"target_shape must be a tuple of positive integers (one may be -1), got {arg.show(spec.get('target_shape'))}",
            "target_shape",
        )
    size = math.prod(shape)
    known = math.prod(t for t in target if t != -1)
    if -1 in target:
        if size % known:
            raise spec.error(f"cannot reshape {size} values into {tuple(target)}")
        target = tuple(size // known if t == -1 else t for t in target)
    elif known != size:
        raise spec.error(
            f"cannot reshape the input {_shape((None, *shape))} ({size} values) into {tuple(target)} ({known} values)"
        )
    return Computed(output_shape=tuple(target))


def prelu(spec: LayerSpec, shape: Dims) -> Computed:
    """``alpha`` has the input's shape, with the ``shared_axes`` (counted with the batch) set to 1."""
    alpha = list(shape)
    shared = spec.get("shared_axes")
    if shared is not None:
        axes = [shared] if arg.is_int(shared) else shared
        if not isinstance(axes, (tuple, list)) or not all(
            arg.is_int(a) and 1 <= a <= len(shape)
            for a in axes  # type: ignore[operator]
        ):
            raise spec.error(
                f"shared_axes must name axes 1 to {len(shape)}, got {arg.show(shared)}",
                "shared_axes",
            )
        for a in axes:
            alpha[a - 1] = 1  # type: ignore[operator]
    return Computed(output_shape=shape, weights=(Weight("alpha", tuple(alpha)),))


RULES: dict[str, Rule] = {
    "prelu": prelu,
    "conv": conv,
    "conv_transpose": conv_transpose,
    "depthwise_conv": depthwise_conv,
    "separable_conv": separable_conv,
    "pooling": pooling,
    "global_pooling": global_pooling,
    "zero_padding": zero_padding,
    "cropping": cropping,
    "upsampling": upsampling,
    "flatten": flatten,
    "dense": dense,
    "dropout": dropout,
    "activation": unchanged,
    "batch_norm": batch_norm,
    "reshape": reshape,
}
