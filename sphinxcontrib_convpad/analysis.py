"""A stack of layers in, one analysis out: every number the views show.

``analyze()`` is the public entry point and returns the JSON form (documented in
``docs/reference/result.rst``); :func:`analyze_specs` is its typed form.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import replace

from sphinxcontrib_convpad import arguments as arg
from sphinxcontrib_convpad import keras_rules, torch_rules
from sphinxcontrib_convpad.catalogue import FRAMEWORKS, KERAS_IDENTIFIERS, Framework
from sphinxcontrib_convpad.errors import ConvPadError
from sphinxcontrib_convpad.layers import Expr, LayerSpec, parse_stack, parse_value_text
from sphinxcontrib_convpad.results import Analysis, LayerAnalysis, Shape

_MAX_DIM = 10**6
_DTYPE_NAMES = {
    "float16": "float16",
    "half": "float16",
    "bfloat16": "bfloat16",
    "float32": "float32",
    "float": "float32",
    "float64": "float64",
    "double": "float64",
    "mixed_float16": "float32",
    "mixed_bfloat16": "float32",
}


def analyze(
    layers: str | Sequence[str],
    *,
    input_shape: Sequence[int] | str | None = None,
    framework: str = "keras",
    model_name: str | None = None,
) -> dict[str, object]:
    """Analyse a layer call (or a stack of them) as Keras 3 or PyTorch would build it.

    >>> analyze("Conv2D(24, 2, strides=2, padding='same')", input_shape=(5, 5, 1))["layers"][0]["output_shape"]
    [None, 3, 3, 24]
    """
    checked = check_framework(framework)
    specs = parse_stack(layers, checked)
    return analyze_specs(
        specs, input_shape=input_shape, framework=checked, model_name=model_name
    ).to_dict()


def check_framework(framework: object) -> Framework:
    if framework not in FRAMEWORKS:
        raise ConvPadError(
            f"framework must be 'keras' or 'pytorch', got {framework!r}", option="framework"
        )
    return framework  # type: ignore[return-value]


def analyze_specs(
    specs: Sequence[LayerSpec],
    *,
    input_shape: Sequence[int] | str | None = None,
    framework: Framework = "keras",
    model_name: str | None = None,
) -> Analysis:
    """The typed analysis of parsed specs (see :func:`analyze`)."""
    layers = list(specs)
    given = None if input_shape is None else parse_shape(input_shape)
    shape, layers = _model_input(layers, given, framework)
    rules = keras_rules.RULES if framework == "keras" else torch_rules.RULES
    names = _names(layers, framework)
    results = []
    for spec, name in zip(layers, names, strict=True):
        if framework == "keras":
            _check_keras_arguments(spec)
        computed = rules[spec.type.kind](spec, shape[1:])  # type: ignore[arg-type]
        if framework == "keras" and spec.get("trainable") is False:
            computed = replace(
                computed, weights=tuple(replace(w, trainable=False) for w in computed.weights)
            )
        results.append(
            LayerAnalysis(
                name=name,
                class_name=spec.class_name,
                kind=spec.type.kind,
                input_shape=shape,
                computed=computed,
                dtype=_dtype(spec, framework),
                line=spec.line,
            )
        )
        shape = (shape[0], *computed.output_shape)
    default_name = "sequential" if framework == "keras" else "Sequential"
    if model_name is not None and (not isinstance(model_name, str) or not model_name.strip()):
        raise ConvPadError(
            f"model_name must be a non-empty string, got {model_name!r}", option="model_name"
        )
    return Analysis(
        framework=framework,
        model_name=model_name or default_name,
        input_shape=results[0].input_shape if results else shape,
        layers=tuple(results),
    )


def parse_shape(value: Sequence[int] | str, what: str = "input_shape") -> tuple[int, ...]:
    """An input shape without the batch axis: ``(5, 5, 1)`` or the text ``5, 5, 1``."""
    parsed: object = parse_value_text(value) if isinstance(value, str) else value
    if arg.is_int(parsed):
        parsed = (parsed,)
    if (
        not isinstance(parsed, (tuple, list))
        or not parsed
        or not all(arg.is_int(d) and 0 < d <= _MAX_DIM for d in parsed)
    ):
        raise ConvPadError(
            f"{what} must be positive integers such as '5, 5, 1' (without the batch axis),"
            f" got {value!r}",
            option=what.replace("_", "-"),
        )
    return tuple(parsed)


def _model_input(
    layers: list[LayerSpec], given: tuple[int, ...] | None, framework: Framework
) -> tuple[Shape, list[LayerSpec]]:
    """The model's input shape (batch first) and the layers proper (without ``Input``)."""
    found: tuple[int, ...] | None = None
    batch: int | None = None
    if layers and layers[0].type.kind == "input":
        first, layers = layers[0], layers[1:]
        found, batch = _shape_from_input(first)
    elif layers and framework == "keras":
        found, batch = _shape_from_kwargs(layers[0])
    for spec in layers:
        if spec.type.kind == "input":
            raise spec.error("an Input can only be the first element of the stack")
    if not layers:
        raise ConvPadError("no layer given after the Input")
    if given is not None and found is not None and given != found:
        raise ConvPadError(
            f"input_shape {given} disagrees with the shape in the layers {found}",
            option="input-shape",
        )
    shape = given or found
    if shape is None:
        where = (
            "channels first, without the batch axis"
            if framework == "pytorch"
            else "or input_shape= / keras.Input(shape=...) in the code"
        )
        raise ConvPadError(
            f"no input shape: give input_shape (the :input-shape: option; {where})",
            option="input-shape",
        )
    return (batch, *shape), layers


def _shape_from_input(spec: LayerSpec) -> tuple[tuple[int, ...], int | None]:
    batch_shape = spec.get("batch_shape")
    if batch_shape is not None:
        if not isinstance(batch_shape, (tuple, list)) or len(batch_shape) < 2:
            raise spec.error(
                f"batch_shape must be a tuple with the batch axis first, got {arg.show(batch_shape)}"
            )
        return parse_shape(tuple(batch_shape[1:]), "batch_shape"), _batch(spec, batch_shape[0])
    shape = spec.get("shape")
    if shape is None:
        raise spec.error("needs shape=(...)", "shape")
    if isinstance(shape, Expr):
        raise spec.error(f"shape must be a tuple of integers, got {shape}", "shape")
    return parse_shape(shape, "shape"), _batch(spec, spec.get("batch_size"))  # type: ignore[arg-type]


def _shape_from_kwargs(spec: LayerSpec) -> tuple[tuple[int, ...] | None, int | None]:
    if spec.get("batch_input_shape") is not None:
        value = spec.get("batch_input_shape")
        if not isinstance(value, (tuple, list)) or len(value) < 2:
            raise spec.error(
                f"batch_input_shape must be a tuple with the batch axis first, got {arg.show(value)}"
            )
        return parse_shape(tuple(value[1:]), "batch_input_shape"), _batch(spec, value[0])
    if spec.get("input_shape") is not None:
        value = spec.get("input_shape")
        if isinstance(value, Expr):
            raise spec.error(f"input_shape must be a tuple of integers, got {value}", "input_shape")
        return parse_shape(value, "input_shape"), _batch(spec, spec.get("batch_size"))  # type: ignore[arg-type]
    if spec.get("input_dim") is not None:
        dim = spec.get("input_dim")
        shape = parse_shape([dim] if arg.is_int(dim) else repr(dim), "input_dim")  # type: ignore[list-item]
        return shape, _batch(spec, spec.get("batch_size"))
    return None, None


def _batch(spec: LayerSpec, value: object) -> int | None:
    if value is None:
        return None
    if not arg.is_int(value) or value <= 0:  # type: ignore[operator]
        raise spec.error(
            f"batch_size must be a positive integer, got {arg.show(value)}", "batch_size"
        )
    return value  # type: ignore[return-value]


def snake_case(name: str) -> str:
    """Keras' ``to_snake_case``: ``Conv2DTranspose`` → ``conv2d_transpose``."""
    name = re.sub(r"\W+", "", name)
    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()


def _names(layers: Sequence[LayerSpec], framework: Framework) -> list[str]:
    """Keras' automatic names in a fresh session (``conv2d``, ``conv2d_1``); torch indices."""
    if framework == "pytorch":
        return [str(index) for index, _ in enumerate(layers)]
    counters: dict[str, int] = {}
    names = []
    for spec in layers:
        given = spec.get("name")
        if given is not None:
            if not isinstance(given, str) or not given:
                raise spec.error(f"name must be a non-empty string, got {arg.show(given)}", "name")
            names.append(given)
            continue
        base = snake_case(spec.class_name)
        count = counters.get(base, 0)
        counters[base] = count + 1
        names.append(base if count == 0 else f"{base}_{count}")
    seen: set[str] = set()
    for spec, name in zip(layers, names, strict=False):
        if name in seen:
            raise spec.error(
                f"the layer name {name!r} is used twice; layer names must be unique", "name"
            )
        seen.add(name)
    return names


def _dtype(spec: LayerSpec, framework: Framework) -> str:
    value = spec.get("dtype")
    if value is None:
        return "float32"
    text = str(value).rpartition(".")[2]
    if text not in _DTYPE_NAMES:
        raise spec.error(f"dtype {arg.show(value)} is not a floating-point type we know", "dtype")
    return _DTYPE_NAMES[text]


def _check_keras_arguments(spec: LayerSpec) -> None:
    """Refuse what Keras' base layer and ``activations.get`` & co. refuse."""
    if not isinstance(spec.get("trainable"), bool):
        raise spec.error(
            f"trainable must be True or False, got {arg.show(spec.get('trainable'))}", "trainable"
        )
    name = spec.get("name")
    if isinstance(name, str) and "/" in name:
        raise spec.error(f"name cannot contain '/', got {name!r}", "name")
    for key, value in spec.arguments:
        kind = key if key == "activation" else key.rpartition("_")[2]
        known = KERAS_IDENTIFIERS.get(kind)
        if known is None or not isinstance(value, str) or value in known:
            continue
        close = difflib.get_close_matches(value, known, n=3)
        hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
        raise spec.error(f"{key} {value!r} is not a Keras {kind} name{hint}", key)
