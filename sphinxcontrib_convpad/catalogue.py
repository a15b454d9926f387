"""The layers we know: their framework, family and constructor signature.

Signatures are written as the frameworks' own ``__init__`` parameter lists (Keras 3.15,
PyTorch 2.13) and checked against ``inspect.signature`` recordings in the tests.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from functools import cache
from typing import Literal

Framework = Literal["keras", "pytorch"]
FRAMEWORKS: tuple[Framework, ...] = ("keras", "pytorch")

REQUIRED = object()
"""Default of a parameter that has none."""

#: Keyword arguments that every Keras 3 layer takes through ``Layer.__init__``.
KERAS_BASE_KWARGS: dict[str, object] = {
    "activity_regularizer": None,
    "trainable": True,
    "dtype": None,
    "autocast": True,
    "name": None,
    "input_dim": None,
    "input_shape": None,
}

_CONV = (
    "filters, kernel_size, strides={one}, padding='valid', data_format=None,"
    " dilation_rate={one}, groups=1, activation=None, use_bias=True,"
    " kernel_initializer='glorot_uniform', bias_initializer='zeros',"
    " kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,"
    " kernel_constraint=None, bias_constraint=None, **kwargs"
)
_CONV_TRANSPOSE = (
    "filters, kernel_size, strides={one}, padding='valid', output_padding=None,"
    " data_format=None, dilation_rate={one}, activation=None, use_bias=True,"
    " kernel_initializer='glorot_uniform', bias_initializer='zeros',"
    " kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,"
    " kernel_constraint=None, bias_constraint=None, **kwargs"
)
_CONV_TRANSPOSE_3D = _CONV_TRANSPOSE.replace(
    " output_padding=None, data_format=None,", " data_format=None, output_padding=None,"
)
_MAX_POOL = "pool_size={two}, strides=None, padding='valid', data_format=None, name=None, **kwargs"
_AVERAGE_POOL = "pool_size, strides=None, padding='valid', data_format=None, name=None, **kwargs"
_GLOBAL_POOL = "data_format=None, keepdims=False, **kwargs"
_DEPTHWISE = (
    "kernel_size, strides={one}, padding='valid', depth_multiplier=1, data_format=None,"
    " dilation_rate={one}, activation=None, use_bias=True,"
    " depthwise_initializer='glorot_uniform', bias_initializer='zeros',"
    " depthwise_regularizer=None, bias_regularizer=None, activity_regularizer=None,"
    " depthwise_constraint=None, bias_constraint=None, **kwargs"
)
_SEPARABLE = (
    "filters, kernel_size, strides={one}, padding='valid', data_format=None,"
    " dilation_rate={one}, depth_multiplier=1, activation=None, use_bias=True,"
    " depthwise_initializer='glorot_uniform', pointwise_initializer='glorot_uniform',"
    " bias_initializer='zeros', depthwise_regularizer=None, pointwise_regularizer=None,"
    " bias_regularizer=None, activity_regularizer=None, depthwise_constraint=None,"
    " pointwise_constraint=None, bias_constraint=None, **kwargs"
)

_KERAS: dict[str, tuple[str, int | None, str]] = {
    # class name: (kind, rank, signature)
    "ZeroPadding1D": ("zero_padding", 1, "padding=1, data_format=None, **kwargs"),
    "ZeroPadding2D": ("zero_padding", 2, "padding=(1, 1), data_format=None, **kwargs"),
    "ZeroPadding3D": (
        "zero_padding",
        3,
        "padding=((1, 1), (1, 1), (1, 1)), data_format=None, **kwargs",
    ),
    "Cropping1D": ("cropping", 1, "cropping=(1, 1), **kwargs"),
    "Cropping2D": ("cropping", 2, "cropping=((0, 0), (0, 0)), data_format=None, **kwargs"),
    "Cropping3D": (
        "cropping",
        3,
        "cropping=((1, 1), (1, 1), (1, 1)), data_format=None, **kwargs",
    ),
    "UpSampling1D": ("upsampling", 1, "size=2, **kwargs"),
    "UpSampling2D": (
        "upsampling",
        2,
        "size=(2, 2), data_format=None, interpolation='nearest', **kwargs",
    ),
    "UpSampling3D": ("upsampling", 3, "size=(2, 2, 2), data_format=None, **kwargs"),
    "Flatten": ("flatten", None, "data_format=None, **kwargs"),
    "Dense": (
        "dense",
        None,
        "units, activation=None, use_bias=True, kernel_initializer='glorot_uniform',"
        " bias_initializer='zeros', kernel_regularizer=None, bias_regularizer=None,"
        " activity_regularizer=None, kernel_constraint=None, bias_constraint=None,"
        " lora_rank=None, lora_alpha=None, quantization_config=None, **kwargs",
    ),
    "Dropout": ("dropout", None, "rate, noise_shape=None, seed=None, **kwargs"),
    "SpatialDropout2D": (
        "dropout",
        None,
        "rate, data_format=None, seed=None, name=None, dtype=None",
    ),
    "Activation": ("activation", None, "activation, **kwargs"),
    "ReLU": (
        "activation",
        None,
        "max_value=None, negative_slope=0.0, threshold=0.0, **kwargs",
    ),
    "LeakyReLU": ("activation", None, "negative_slope=0.3, **kwargs"),
    "ELU": ("activation", None, "alpha=1.0, **kwargs"),
    "Softmax": ("activation", None, "axis=-1, **kwargs"),
    "PReLU": (
        "prelu",
        None,
        "alpha_initializer='Zeros', alpha_regularizer=None, alpha_constraint=None,"
        " shared_axes=None, **kwargs",
    ),
    "BatchNormalization": (
        "batch_norm",
        None,
        "axis=-1, momentum=0.99, epsilon=0.001, center=True, scale=True,"
        " beta_initializer='zeros', gamma_initializer='ones',"
        " moving_mean_initializer='zeros', moving_variance_initializer='ones',"
        " beta_regularizer=None, gamma_regularizer=None, beta_constraint=None,"
        " gamma_constraint=None, renorm=False, renorm_clipping=None, renorm_momentum=0.99,"
        " synchronized=False, **kwargs",
    ),
    "Reshape": ("reshape", None, "target_shape, **kwargs"),
    "InputLayer": (
        "input",
        None,
        "shape=None, batch_size=None, dtype=None, sparse=None, ragged=None, batch_shape=None,"
        " input_tensor=None, optional=False, name=None, **kwargs",
    ),
    "Input": (
        "input",
        None,
        "shape=None, batch_size=None, dtype=None, sparse=None, ragged=None, batch_shape=None,"
        " name=None, tensor=None, optional=False",
    ),
}

_RANK_DEFAULTS = {1: ("1", "2"), 2: ("(1, 1)", "(2, 2)"), 3: ("(1, 1, 1)", "(2, 2, 2)")}
for _rank, (_one, _two) in _RANK_DEFAULTS.items():
    _KERAS[f"Conv{_rank}D"] = ("conv", _rank, _CONV.format(one=_one))
    _KERAS[f"Conv{_rank}DTranspose"] = (
        "conv_transpose",
        _rank,
        (_CONV_TRANSPOSE_3D if _rank == 3 else _CONV_TRANSPOSE).format(one=_one),
    )
    if _rank < 3:
        _KERAS[f"DepthwiseConv{_rank}D"] = ("depthwise_conv", _rank, _DEPTHWISE.format(one=_one))
        _KERAS[f"SeparableConv{_rank}D"] = ("separable_conv", _rank, _SEPARABLE.format(one=_one))
    _KERAS[f"MaxPooling{_rank}D"] = ("pooling", _rank, _MAX_POOL.format(two=_two))
    _KERAS[f"AveragePooling{_rank}D"] = ("pooling", _rank, _AVERAGE_POOL)
    _KERAS[f"GlobalAveragePooling{_rank}D"] = ("global_pooling", _rank, _GLOBAL_POOL)
    _KERAS[f"GlobalMaxPooling{_rank}D"] = ("global_pooling", _rank, _GLOBAL_POOL)

#: Other names Keras exports for the same classes (``keras.layers.Convolution2D is Conv2D``).
KERAS_ALIASES: dict[str, str] = {}
for _rank in (1, 2, 3):
    KERAS_ALIASES[f"Convolution{_rank}D"] = f"Conv{_rank}D"
    KERAS_ALIASES[f"Convolution{_rank}DTranspose"] = f"Conv{_rank}DTranspose"
    KERAS_ALIASES[f"MaxPool{_rank}D"] = f"MaxPooling{_rank}D"
    KERAS_ALIASES[f"AvgPool{_rank}D"] = f"AveragePooling{_rank}D"
    KERAS_ALIASES[f"GlobalAvgPool{_rank}D"] = f"GlobalAveragePooling{_rank}D"
    KERAS_ALIASES[f"GlobalMaxPool{_rank}D"] = f"GlobalMaxPooling{_rank}D"
for _rank in (1, 2):
    KERAS_ALIASES[f"SeparableConvolution{_rank}D"] = f"SeparableConv{_rank}D"

_TORCH_CONV = (
    "in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1, groups=1,"
    " bias=True, padding_mode='zeros', device=None, dtype=None"
)
_TORCH_CONV_TRANSPOSE = (
    "in_channels, out_channels, kernel_size, stride=1, padding=0, output_padding=0, groups=1,"
    " bias=True, dilation=1, padding_mode='zeros', device=None, dtype=None"
)
_TORCH_MAX_POOL = (
    "kernel_size, stride=None, padding=0, dilation=1, return_indices=False, ceil_mode=False"
)
_TORCH_AVG_POOL = "kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True"
_TORCH_BATCH_NORM = (
    "num_features, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True,"
    " device=None, dtype=None, *, bias=True"
)

_TORCH: dict[str, tuple[str, int | None, str]] = {
    "Flatten": ("flatten", None, "start_dim=1, end_dim=-1"),
    "Linear": ("dense", None, "in_features, out_features, bias=True, device=None, dtype=None"),
    "Dropout": ("dropout", None, "p=0.5, inplace=False"),
    "Identity": ("activation", None, "*args, **kwargs"),
    "ReLU": ("activation", None, "inplace=False"),
    "ReLU6": ("activation", None, "inplace=False"),
    "LeakyReLU": ("activation", None, "negative_slope=0.01, inplace=False"),
    "ELU": ("activation", None, "alpha=1.0, inplace=False"),
    "GELU": ("activation", None, "approximate='none'"),
    "SiLU": ("activation", None, "inplace=False"),
    "Hardswish": ("activation", None, "inplace=False"),
    "Mish": ("activation", None, "inplace=False"),
    "Sigmoid": ("activation", None, ""),
    "Tanh": ("activation", None, ""),
    "Softmax": ("activation", None, "dim=None"),
    "LogSoftmax": ("activation", None, "dim=None"),
    "SELU": ("activation", None, "inplace=False"),
    "CELU": ("activation", None, "alpha=1.0, inplace=False"),
    "Hardsigmoid": ("activation", None, "inplace=False"),
    "Hardtanh": (
        "activation",
        None,
        "min_val=-1.0, max_val=1.0, inplace=False, min_value=None, max_value=None",
    ),
    "Softplus": ("activation", None, "beta=1.0, threshold=20.0"),
    "AlphaDropout": ("dropout", None, "p=0.5, inplace=False"),
    "PReLU": ("prelu", None, "num_parameters=1, init=0.25, device=None, dtype=None"),
    "Upsample": (
        "upsampling",
        None,
        "size=None, scale_factor=None, mode='nearest', align_corners=None,"
        " recompute_scale_factor=None",
    ),
    "Unflatten": ("unflatten", None, "dim, unflattened_size"),
}
for _rank in (1, 2, 3):
    _TORCH[f"AdaptiveAvgPool{_rank}d"] = ("adaptive_pooling", _rank, "output_size")
    _TORCH[f"AdaptiveMaxPool{_rank}d"] = (
        "adaptive_pooling",
        _rank,
        "output_size, return_indices=False",
    )
    _TORCH[f"ConstantPad{_rank}d"] = ("zero_padding", _rank, "padding, value")
    _TORCH[f"ReflectionPad{_rank}d"] = ("zero_padding", _rank, "padding")
    _TORCH[f"ReplicationPad{_rank}d"] = ("zero_padding", _rank, "padding")
    _TORCH[f"CircularPad{_rank}d"] = ("zero_padding", _rank, "padding")
    _TORCH[f"Conv{_rank}d"] = ("conv", _rank, _TORCH_CONV)
    _TORCH[f"ConvTranspose{_rank}d"] = ("conv_transpose", _rank, _TORCH_CONV_TRANSPOSE)
    _TORCH[f"MaxPool{_rank}d"] = ("pooling", _rank, _TORCH_MAX_POOL)
    _TORCH[f"AvgPool{_rank}d"] = (
        "pooling",
        _rank,
        _TORCH_AVG_POOL + ("" if _rank == 1 else ", divisor_override=None"),
    )
    _TORCH[f"ZeroPad{_rank}d"] = ("zero_padding", _rank, "padding")
    _TORCH[f"BatchNorm{_rank}d"] = ("batch_norm", _rank, _TORCH_BATCH_NORM)
    _TORCH[f"Dropout{_rank}d"] = ("dropout", _rank, "p=0.5, inplace=False")


@dataclass(frozen=True, slots=True)
class LayerType:
    """One layer class of one framework and its constructor signature."""

    framework: Framework
    class_name: str
    kind: str
    rank: int | None
    parameters: tuple[str, ...]
    """Named parameters in positional order."""
    defaults: tuple[tuple[str, object], ...]
    """``(name, default)``; ``REQUIRED`` where there is none."""
    keyword_only: frozenset[str]
    var_keywords: bool
    """Takes ``**kwargs`` (Keras: the base layer's keywords; ``Identity``: anything)."""

    def default(self, name: str) -> object:
        return dict(self.defaults).get(name, KERAS_BASE_KWARGS.get(name))


def _signature(
    framework: Framework, class_name: str, kind: str, rank: int | None, text: str
) -> LayerType:
    args = ast.parse(f"def f({text}): pass").body[0].args  # type: ignore[attr-defined]
    positional = [a.arg for a in args.args]
    defaults = [REQUIRED] * (len(positional) - len(args.defaults))
    defaults += [ast.literal_eval(d) for d in args.defaults]
    keyword_only = [a.arg for a in args.kwonlyargs]
    defaults += [ast.literal_eval(d) if d is not None else REQUIRED for d in args.kw_defaults]
    names = (*positional, *keyword_only)
    return LayerType(
        framework=framework,
        class_name=class_name,
        kind=kind,
        rank=rank,
        parameters=names,
        defaults=tuple(zip(names, defaults, strict=True)),
        keyword_only=frozenset(keyword_only),
        var_keywords=args.kwarg is not None,
    )


@cache
def catalogue(framework: Framework) -> dict[str, LayerType]:
    """All layer types of ``framework``, by class name (aliases included)."""
    table = _KERAS if framework == "keras" else _TORCH
    types = {
        name: _signature(framework, name, kind, rank, text)
        for name, (kind, rank, text) in sorted(table.items())
    }
    if framework == "keras":
        types.update((alias, types[name]) for alias, name in KERAS_ALIASES.items())
    return types


@cache
def argument_names(framework: Framework) -> frozenset[str]:
    """Every constructor argument name any layer of ``framework`` accepts."""
    names: set[str] = set()
    for layer_type in set(catalogue(framework).values()):
        names.update(layer_type.parameters)
    if framework == "keras":
        names.update(KERAS_BASE_KWARGS)
    return frozenset(names)


#: String identifiers Keras 3.15 resolves (``keras.activations.get`` and friends).
KERAS_IDENTIFIERS: dict[str, frozenset[str]] = {
    "activation": frozenset(
        [
            "celu",
            "elu",
            "exponential",
            "gelu",
            "glu",
            "hard_shrink",
            "hard_sigmoid",
            "hard_silu",
            "hard_swish",
            "hard_tanh",
            "leaky_relu",
            "linear",
            "log_sigmoid",
            "log_softmax",
            "mish",
            "relu",
            "relu6",
            "selu",
            "sigmoid",
            "silu",
            "soft_shrink",
            "softmax",
            "softplus",
            "softsign",
            "sparse_plus",
            "sparse_sigmoid",
            "sparsemax",
            "squareplus",
            "swish",
            "tanh",
            "tanh_shrink",
            "threshold",
        ]
    ),
    "initializer": frozenset(
        [
            "GlorotNormal",
            "GlorotUniform",
            "HeNormal",
            "HeUniform",
            "Identity",
            "IdentityInitializer",
            "LecunNormal",
            "LecunUniform",
            "Ones",
            "Orthogonal",
            "OrthogonalInitializer",
            "RandomNormal",
            "RandomUniform",
            "TruncatedNormal",
            "VarianceScaling",
            "Zeros",
            "glorot_normal",
            "glorot_uniform",
            "he_normal",
            "he_uniform",
            "identity",
            "lecun_normal",
            "lecun_uniform",
            "ones",
            "orthogonal",
            "random_normal",
            "random_uniform",
            "truncated_normal",
            "variance_scaling",
            "zeros",
        ]
    ),
    "regularizer": frozenset(
        ["L1", "L1L2", "L2", "OrthogonalRegularizer", "l1", "l1l2", "l2", "orthogonal_regularizer"]
    ),
    "constraint": frozenset(
        [
            "MaxNorm",
            "MinMaxNorm",
            "NonNeg",
            "UnitNorm",
            "max_norm",
            "min_max_norm",
            "non_neg",
            "unit_norm",
        ]
    ),
}
