"""PyTorch layers: output shape, padding per axis and parameters, as ``torch.nn`` computes them.

Shapes are channels first; the batch axis stays ``None``. Each rule refuses what the module's
constructor or its forward pass would refuse, with our own message.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from sphinxcontrib_convpad import arguments as arg
from sphinxcontrib_convpad import arithmetic as ar
from sphinxcontrib_convpad.layers import LayerSpec
from sphinxcontrib_convpad.results import SPATIAL_AXES, Computed, Dims, Weight

Rule = Callable[[LayerSpec, Dims], Computed]
PADDING_MODES = ("zeros", "reflect", "replicate", "circular")


def _split(spec: LayerSpec, shape: Dims, rank: int) -> tuple[list[int], int]:
    """(spatial sizes, channels) of a ``(batch, channels, ...)`` input."""
    if len(shape) != rank + 1:
        layout = ", ".join(["batch", "channels", *SPATIAL_AXES[rank]])
        raise spec.error(
            f"expects a {rank + 2}-D input ({layout}), got {len(shape) + 1}-D"
            f" [N, {', '.join(map(str, shape))}]"
        )
    return list(shape[1:]), shape[0]


def _plain(values: tuple[int, ...]) -> str:
    return str(values[0]) if len(set(values)) == 1 else str(values)


def _channels(spec: LayerSpec, channels: int) -> tuple[int, int, int]:
    in_channels = arg.int_value(spec, "in_channels")
    out_channels = arg.int_value(spec, "out_channels")
    groups = arg.int_value(spec, "groups")
    if in_channels % groups:
        raise spec.error(f"in_channels ({in_channels}) must be divisible by groups ({groups})")
    if out_channels % groups:
        raise spec.error(f"out_channels ({out_channels}) must be divisible by groups ({groups})")
    if channels != in_channels:
        raise spec.error(
            f"expects {in_channels} input channels (in_channels), but the input has {channels}"
        )
    return in_channels, out_channels, groups


def _explicit(spec: LayerSpec, rank: int) -> tuple[int, ...]:
    return arg.int_tuple(spec, "padding", rank, minimum=0)


def _bias(spec: LayerSpec, count: int) -> tuple[Weight, ...]:
    return (Weight("bias", (count,)),) if arg.bool_value(spec, "bias") else ()


def _conv_details(
    spec: LayerSpec,
    padding: object,
    mode: str,
    channels: tuple[int, int, int],
    geometry: tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]],
    **extra: object,
) -> tuple[tuple[str, object], ...]:
    """The result keys of a (transposed) convolution: ``channels`` is (in, out, groups)."""
    (in_channels, out_channels, groups), (kernel, strides, dilation) = channels, geometry
    return (
        ("padding", padding),
        ("padding_mode", mode),
        ("in_channels", in_channels),
        ("out_channels", out_channels),
        ("kernel_size", kernel),
        ("strides", strides),
        ("dilation", dilation),
        ("groups", groups),
        ("use_bias", arg.bool_value(spec, "bias")),
        *extra.items(),
    )


def conv(spec: LayerSpec, shape: Dims) -> Computed:
    rank = spec.type.rank or 1
    kernel = arg.int_tuple(spec, "kernel_size", rank)
    strides = arg.int_tuple(spec, "stride", rank)
    dilation = arg.int_tuple(spec, "dilation", rank)
    arg.choice(spec, "padding_mode", PADDING_MODES)
    padding = spec.get("padding")
    if isinstance(padding, str):
        mode = arg.choice(spec, "padding", ("valid", "same"))
        if mode == "same" and max(strides) > 1:
            raise spec.error(
                f"padding='same' is not supported with stride {_plain(strides)} (torch needs stride 1)",
                "padding",
            )
        pads = [
            ar.torch_same_padding(k, d) if mode == "same" else (0, 0)
            for k, d in zip(kernel, dilation, strict=True)
        ]
        shown: object = mode
    else:
        explicit = _explicit(spec, rank)
        pads = [(p, p) for p in explicit]
        mode, shown = "explicit", list(explicit)
    dims, channels = _split(spec, shape, rank)
    in_channels, out_channels, groups = _channels(spec, channels)
    axes = []
    for name, size, k, s, d, (before, after) in zip(
        SPATIAL_AXES[rank], dims, kernel, strides, dilation, pads, strict=True
    ):
        span = ar.effective_kernel(k, d)
        if size + before + after < span:
            raise spec.error(
                f"the padded input {name} ({size} + {before + after}) is smaller than the"
                f" {'dilated ' if d > 1 else ''}kernel ({span})"
            )
        if spec.get("padding_mode") == "reflect" and max(before, after) >= size:
            raise spec.error(
                f"reflect padding {max(before, after)} must be smaller than the input {name} ({size})"
            )
        axes.append(ar.windowed_axis(name, size, k, s, d, before, after))
    others: dict[str, list[int] | None] = {
        "valid": [
            ar.window_count(n, ar.effective_kernel(k, d), s)
            for n, k, s, d in zip(dims, kernel, strides, dilation, strict=True)
        ],
        "same": dims if max(strides) == 1 else None,
    }
    if min(others["valid"] or [0]) <= 0:
        others["valid"] = None
    return Computed(
        output_shape=(out_channels, *[a.output for a in axes]),
        weights=(
            Weight("weight", (out_channels, in_channels // groups, *kernel)),
            *_bias(spec, out_channels),
        ),
        rank=rank,
        data_format="channels_first",
        details=_conv_details(
            spec,
            shown,
            mode,
            (in_channels, out_channels, groups),
            (kernel, strides, dilation),
            outputs_by_padding=others,
        ),
        axes=tuple(axes),
    )


def conv_transpose(spec: LayerSpec, shape: Dims) -> Computed:
    rank = spec.type.rank or 1
    kernel = arg.int_tuple(spec, "kernel_size", rank)
    strides = arg.int_tuple(spec, "stride", rank)
    dilation = arg.int_tuple(spec, "dilation", rank)
    if spec.get("padding_mode") != "zeros":
        raise spec.error(
            f"only padding_mode='zeros' is supported, got {arg.show(spec.get('padding_mode'))}",
            "padding_mode",
        )
    if isinstance(spec.get("padding"), str):
        raise spec.error(
            f"padding must be an integer or a tuple of {rank} integers, got {arg.show(spec.get('padding'))}",
            "padding",
        )
    padding = _explicit(spec, rank)
    output_padding = arg.int_tuple(spec, "output_padding", rank, minimum=0)
    for op, s, d in zip(output_padding, strides, dilation, strict=True):
        if op >= s and op >= d:
            raise spec.error(
                f"output_padding must be smaller than stride or dilation, got"
                f" output_padding={_plain(output_padding)}, stride={_plain(strides)}, dilation={_plain(dilation)}",
                "output_padding",
            )
    dims, channels = _split(spec, shape, rank)
    in_channels, out_channels, groups = _channels(spec, channels)
    axes = []
    for name, size, k, s, d, p, op in zip(
        SPATIAL_AXES[rank], dims, kernel, strides, dilation, padding, output_padding, strict=True
    ):
        output = (size - 1) * s - 2 * p + ar.effective_kernel(k, d) + op
        if output <= 0:
            raise spec.error(
                f"the output {name} would be {output}: padding {p} crops more than the transposed conv produces"
            )
        before, after = ar.torch_transpose_padding(k, d, p, op)
        axes.append(ar.transposed_axis(name, size, k, s, d, before, after, output, op))
    return Computed(
        output_shape=(out_channels, *[a.output for a in axes]),
        weights=(
            Weight("weight", (in_channels, out_channels // groups, *kernel)),
            *_bias(spec, out_channels),
        ),
        rank=rank,
        data_format="channels_first",
        details=_conv_details(
            spec,
            list(padding),
            "explicit",
            (in_channels, out_channels, groups),
            (kernel, strides, dilation),
            output_padding=output_padding,
        ),
        axes=tuple(axes),
    )


def pooling(spec: LayerSpec, shape: Dims) -> Computed:
    rank = spec.type.rank or 1
    kernel = arg.int_tuple(spec, "kernel_size", rank)
    strides = kernel if spec.get("stride") is None else arg.int_tuple(spec, "stride", rank)
    is_max = spec.class_name.startswith("Max")
    dilation = arg.int_tuple(spec, "dilation", rank) if is_max else (1,) * rank
    padding = _explicit(spec, rank)
    ceil_mode = arg.bool_value(spec, "ceil_mode")
    for p, k, d in zip(padding, kernel, dilation, strict=True):
        limit = ar.effective_kernel(k, d) // 2 if is_max else k // 2
        if p > limit:
            raise spec.error(
                f"padding {p} is more than half the {'effective ' if is_max else ''}kernel size"
                f" ({'dilated ' if d > 1 else ''}kernel {ar.effective_kernel(k, d)}, at most {limit})",
                "padding",
            )
    dims, channels = _split(spec, shape, rank)
    axes = []
    for name, size, k, s, d, p in zip(
        SPATIAL_AXES[rank], dims, kernel, strides, dilation, padding, strict=True
    ):
        output = ar.torch_pool_output(size, k, s, p, d, ceil_mode)
        if output <= 0:
            raise spec.error(
                f"the output {name} would be {output}: the input {name} ({size}) is too small"
            )
        span = (output - 1) * s + ar.effective_kernel(k, d)
        after = max(p, span - size - p)
        axes.append(ar.windowed_axis(name, size, k, s, d, p, after, output=output))
    return Computed(
        output_shape=(channels, *[a.output for a in axes]),
        rank=rank,
        data_format="channels_first",
        details=(
            ("padding", list(padding)),
            ("padding_mode", "explicit"),
            ("in_channels", channels),
            ("out_channels", channels),
            ("kernel_size", kernel),
            ("strides", strides),
            ("dilation", dilation),
            ("ceil_mode", ceil_mode),
        ),
        axes=tuple(axes),
    )


def zero_padding(spec: LayerSpec, shape: Dims) -> Computed:
    """``nn.ZeroPad{n}d``: an int, or (left, right, top, bottom, front, back): last axis first."""
    rank = spec.type.rank or 1
    value = spec.get("padding")
    if arg.is_int(value):
        flat: tuple[int, ...] = (value,) * (2 * rank)  # type: ignore[assignment]
    elif (
        isinstance(value, (tuple, list))
        and len(value) == 2 * rank
        and all(arg.is_int(v) for v in value)
    ):
        flat = tuple(value)
    else:
        raise spec.error(
            f"padding must be an integer or a tuple of {2 * rank} integers, got {arg.show(value)}",
            "padding",
        )
    if len(shape) < rank:
        raise spec.error(f"expects at least a {rank + 1}-D input, got {len(shape) + 1}-D")
    if spec.class_name.startswith(("Reflection", "Circular")) and min(flat) < 0:
        raise spec.error(f"padding must not be negative, got {arg.show(value)}", "padding")
    pairs = [(flat[2 * i], flat[2 * i + 1]) for i in range(rank)][::-1]
    dims = list(shape[-rank:])
    axes: list[dict[str, object]] = []
    sizes: list[int] = []
    for name, size, (before, after) in zip(SPATIAL_AXES[rank], dims, pairs, strict=True):
        output = size + before + after
        sizes.append(output)
        if spec.class_name.startswith("Reflection") and max(before, after) >= size:
            raise spec.error(
                f"reflection padding {max(before, after)} must be smaller than the input {name} ({size})",
                "padding",
            )
        if spec.class_name.startswith("Circular") and max(before, after) > size:
            raise spec.error(
                f"circular padding {max(before, after)} must not exceed the input {name} ({size})",
                "padding",
            )
        if output <= 0:
            raise spec.error(
                f"the output {name} would be {output}: padding {before}, {after} crops all of {size}"
            )
        axes.append(
            {"axis": name, "size": size, "pad_before": before, "pad_after": after, "output": output}
        )
    return Computed(
        output_shape=(*shape[: len(shape) - rank], *sizes),
        rank=rank,
        data_format="channels_first",
        details=(("padding", list(flat)),),
        axes=tuple(axes),
    )


def flatten(spec: LayerSpec, shape: Dims) -> Computed:
    start, end = spec.get("start_dim"), spec.get("end_dim")
    ndim = len(shape) + 1  # with the batch axis, as torch counts
    if not (arg.is_int(start) and arg.is_int(end)) or not (
        -ndim <= start < ndim and -ndim <= end < ndim  # type: ignore[operator]
    ):
        raise spec.error(
            f"start_dim and end_dim must be axes of the {ndim}-D input,"
            f" got {arg.show(start)} and {arg.show(end)}"
        )
    first, last = start % ndim, end % ndim  # type: ignore[operator]
    if first > last:
        raise spec.error(f"start_dim ({start}) comes after end_dim ({end})")
    if first == 0:
        raise spec.error("flattening the batch axis (start_dim=0) is not shown: use start_dim=1")
    merged = math.prod(shape[first - 1 : last])
    return Computed(output_shape=(*shape[: first - 1], merged, *shape[last:]))


def linear(spec: LayerSpec, shape: Dims) -> Computed:
    in_features = arg.int_value(spec, "in_features")
    out_features = arg.int_value(spec, "out_features")
    if shape[-1] != in_features:
        raise spec.error(
            f"expects {in_features} input features (in_features), but the input's last axis has {shape[-1]}"
        )
    weights = (Weight("weight", (out_features, in_features)), *_bias(spec, out_features))
    return Computed(output_shape=(*shape[:-1], out_features), weights=weights)


def batch_norm(spec: LayerSpec, shape: Dims) -> Computed:
    rank = spec.type.rank or 1
    features = arg.int_value(spec, "num_features")
    expected = (2, 3) if rank == 1 else (rank + 2,)
    if len(shape) + 1 not in expected:
        raise spec.error(
            f"expects a {' or '.join(f'{n}-D' for n in expected)} input, got {len(shape) + 1}-D"
        )
    if shape[0] != features:
        raise spec.error(
            f"expects {features} channels (num_features), but the input has {shape[0]}"
        )
    affine = arg.bool_value(spec, "affine")
    weights = (Weight("weight", (features,)), *_bias(spec, features)) if affine else ()
    return Computed(output_shape=shape, weights=weights)


def unchanged(spec: LayerSpec, shape: Dims) -> Computed:
    return Computed(output_shape=shape)


def dropout(spec: LayerSpec, shape: Dims) -> Computed:
    p = spec.get("p")
    if not isinstance(p, (int, float)) or isinstance(p, bool) or not 0 <= p <= 1:
        raise spec.error(f"p must be a probability between 0 and 1, got {arg.show(p)}", "p")
    rank = spec.type.rank
    if rank is not None and len(shape) != rank + 1:
        raise spec.error(f"expects a {rank + 2}-D input, got {len(shape) + 1}-D")
    return Computed(output_shape=shape)


def adaptive_pooling(spec: LayerSpec, shape: Dims) -> Computed:
    """``nn.Adaptive*Pool{n}d``: the output size is given; ``None`` keeps the input's."""
    rank = spec.type.rank or 1
    value = spec.get("output_size")
    sizes = (value,) * rank if arg.is_int(value) or value is None else value
    if (
        not isinstance(sizes, (tuple, list))
        or len(sizes) != rank
        or not all(
            s is None or (arg.is_int(s) and s > 0)
            for s in sizes  # type: ignore[operator]
        )
    ):
        raise spec.error(
            f"output_size must be a positive integer or a tuple of {rank} (or None),"
            f" got {arg.show(value)}",
            "output_size",
        )
    if len(shape) not in (rank, rank + 1):
        raise spec.error(f"expects a {rank + 2}-D input, got {len(shape) + 1}-D")
    dims = shape[len(shape) - rank :]
    output = [n if s is None else s for n, s in zip(dims, sizes, strict=True)]
    return Computed(output_shape=(*shape[: len(shape) - rank], *output), rank=rank)  # type: ignore[arg-type]


def prelu(spec: LayerSpec, shape: Dims) -> Computed:
    """``nn.PReLU``: one weight, or one per channel (axis 1)."""
    count = arg.int_value(spec, "num_parameters")
    if count != 1 and (len(shape) < 2 or count != shape[0]):
        raise spec.error(
            f"num_parameters must be 1 or the number of channels ({shape[0]}), got {count}",
            "num_parameters",
        )
    return Computed(output_shape=shape, weights=(Weight("weight", (count,)),))


def upsample(spec: LayerSpec, shape: Dims) -> Computed:
    """``nn.Upsample``: ``size`` or ``floor(size * scale_factor)`` per spatial axis."""
    if len(shape) not in (2, 3, 4):
        raise spec.error(f"expects a 3-D, 4-D or 5-D input, got {len(shape) + 1}-D")
    rank = len(shape) - 1
    size, factor = spec.get("size"), spec.get("scale_factor")
    if (size is None) == (factor is None):
        raise spec.error("give either size or scale_factor")
    if size is not None:
        outputs = arg.int_tuple(spec, "size", rank)
        factors: tuple[object, ...] = tuple(o / n for o, n in zip(outputs, shape[1:], strict=True))
    else:
        factors = (factor,) * rank if not isinstance(factor, (tuple, list)) else tuple(factor)
        if len(factors) != rank or not all(
            isinstance(f, (int, float)) and not isinstance(f, bool) and f > 0 for f in factors
        ):
            raise spec.error(
                f"scale_factor must be a positive number or {rank} of them, got {arg.show(factor)}",
                "scale_factor",
            )
        outputs = tuple(int(n * f) for n, f in zip(shape[1:], factors, strict=True))  # type: ignore[operator]
        if min(outputs) <= 0:
            raise spec.error(f"scale_factor {arg.show(factor)} leaves an empty output")
    axes = tuple(
        {"axis": axis, "size": n, "factor": f, "output": o}
        for axis, n, f, o in zip(SPATIAL_AXES[rank], shape[1:], factors, outputs, strict=True)
    )
    return Computed(
        output_shape=(shape[0], *outputs), rank=rank, data_format="channels_first", axes=axes
    )


def unflatten(spec: LayerSpec, shape: Dims) -> Computed:
    """``nn.Unflatten(dim, sizes)``: ``dim`` counts the batch axis; one size may be -1."""
    dim, sizes = spec.get("dim"), spec.get("unflattened_size")
    ndim = len(shape) + 1
    if not arg.is_int(dim) or not -ndim <= dim < ndim or dim % ndim == 0:  # type: ignore[operator]
        raise spec.error(
            f"dim must be a non-batch axis of the {ndim}-D input, got {arg.show(dim)}", "dim"
        )
    if (
        not isinstance(sizes, (tuple, list))
        or not sizes
        or not all(
            arg.is_int(s) and (s > 0 or s == -1)
            for s in sizes  # type: ignore[operator]
        )
        or list(sizes).count(-1) > 1
    ):
        raise spec.error(
            f"unflattened_size must be positive integers (one may be -1), got {arg.show(sizes)}",
            "unflattened_size",
        )
    index = dim % ndim - 1  # type: ignore[operator]
    size = shape[index]
    known = math.prod(s for s in sizes if s != -1)
    resolved = tuple(size // known if s == -1 else s for s in sizes)
    if math.prod(resolved) != size:
        raise spec.error(f"cannot unflatten {size} values into {tuple(sizes)}")
    return Computed(output_shape=(*shape[:index], *resolved, *shape[index + 1 :]))


RULES: dict[str, Rule] = {
    "adaptive_pooling": adaptive_pooling,
    "prelu": prelu,
    "upsampling": upsample,
    "unflatten": unflatten,
    "conv": conv,
    "conv_transpose": conv_transpose,
    "pooling": pooling,
    "zero_padding": zero_padding,
    "flatten": flatten,
    "dense": linear,
    "batch_norm": batch_norm,
    "activation": unchanged,
    "dropout": dropout,
}
