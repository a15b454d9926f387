# ruff: noqa: RUF001, RUF002 -- formulas are written with Unicode minus, times and primes
"""The explanation of an analysis as data: short steps of text with formulas in them.

Pure: no Sphinx, no matplotlib. Every number comes from the analysis dict
(``docs/reference/result.rst``); a formula is the framework's documented formula with
those numbers written in, and the value after its last ``=`` is the analysis' own. Formulas
are plain Unicode (⌈ ⌉ ⌊ ⌋ · × −), so they read right in any builder, without JavaScript.

>>> from sphinxcontrib_convpad import analyze
>>> result = analyze("Conv2D(24, 2, strides=2, padding='same')", input_shape=(5, 5, 1))
>>> step = explain(result).layers[0].steps[0]
>>> [text for kind, text in step.pieces if kind == "formula"]
['o = ⌈n / s⌉ = ⌈5 / 2⌉ = 3', 'max((o − 1)·s + k − n, 0) = max((3 − 1)·2 + 2 − 5, 0) = 1']
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

Layer = Mapping[str, Any]
Piece = tuple[Literal["text", "formula"], str]

NOTATION = (
    "n: input size, k: kernel (window) size, s: stride, d: dilation, p: padding,"
    " o: output size, ⌈x⌉ / ⌊x⌋: x rounded up / down."
)
_CELLS = {
    "height": ("row", "rows"),
    "width": ("column", "columns"),
    "depth": ("slice", "slices"),
    "length": ("cell", "cells"),
}
_FRAMEWORK = {"keras": "Keras", "pytorch": "PyTorch"}


@dataclass(frozen=True, slots=True)
class Step:
    """One bullet of the explanation: a label and text pieces, some of them formulas."""

    label: str
    pieces: tuple[Piece, ...]

    @property
    def text(self) -> str:
        """The step as one line of plain text."""
        return f"{self.label}: " + "".join(text for _, text in self.pieces)


@dataclass(frozen=True, slots=True)
class LayerExplanation:
    """The steps that explain one layer of a stack."""

    index: int
    name: str
    class_name: str
    steps: tuple[Step, ...]

    @property
    def heading(self) -> str:
        return f"{self.name} ({self.class_name})"


@dataclass(frozen=True, slots=True)
class Explanation:
    """The explanation of a whole analysis, one entry per layer."""

    framework: str
    notation: str
    layers: tuple[LayerExplanation, ...]

    def text(self) -> str:
        """Plain text: a heading per layer, then its steps as ``-`` bullets."""
        blocks = [self.notation]
        blocks += (
            "\n".join([layer.heading, *(f"- {s.text}" for s in layer.steps)])
            for layer in self.layers
        )
        return "\n\n".join(blocks) + "\n"


def explain(result: Mapping[str, Any]) -> Explanation:
    """Explain every layer of an :func:`~sphinxcontrib_convpad.analyze` result."""
    framework = str(result.get("framework", "keras"))
    layers = tuple(
        explain_layer(layer, framework, index) for index, layer in enumerate(result["layers"])
    )
    return Explanation(framework=framework, notation=NOTATION, layers=layers)


def explain_layer(layer: Layer, framework: str = "keras", index: int = 0) -> LayerExplanation:
    """The steps for one layer dict of an analysis."""
    steps: list[Step] = []
    axes: Sequence[Layer] = layer.get("axes") or []
    kind = layer["kind"]
    for label, group in _axis_groups(axes):
        first = axes[group[0]]
        if kind == "zero_padding":
            steps.append(_padding_layer_step(label, first))
        elif kind == "cropping":
            steps.append(_cropping_step(label, first))
        elif kind == "upsampling":
            steps.append(_upsampling_step(label, first))
        elif kind == "conv_transpose":
            steps.append(_transpose_step(label, layer, first, group[0], framework))
        elif "kernel" in first:
            words = _group_words([axes[i] for i in group])
            steps.append(_window_step(label, layer, first, group[0], framework, words))
    other = _other_padding_step(layer)
    if other is not None:
        steps.append(other)
    steps.append(_output_step(layer))
    steps.append(_parameters_step(layer))
    return LayerExplanation(
        index=index,
        name=str(layer.get("name", index)),
        class_name=str(layer.get("class_name", kind)),
        steps=tuple(steps),
    )


# ---------------------------------------------------------------- pieces and numbers


def _t(text: str) -> Piece:
    return ("text", text)


def _f(text: str) -> Piece:
    return ("formula", text)


def _n(value: object) -> str:
    """A number as printed in a formula: a real minus sign for negatives."""
    if isinstance(value, int) and not isinstance(value, bool) and value < 0:
        return f"−{-value}"
    return str(value)


def _par(value: object) -> str:
    """A number that follows an operator: negatives get parentheses."""
    text = _n(value)
    return f"({text})" if text.startswith("−") else text


def _plural(count: int, words: tuple[str, str]) -> str:
    return f"{count} {words[0] if count == 1 else words[1]}"


def _dims(values: Sequence[object]) -> str:
    return " × ".join(_n(v) for v in values)


def _shape(shape: Sequence[object] | None) -> str:
    items = ["None" if v is None else _n(v) for v in shape or ()]
    return f"({items[0]},)" if len(items) == 1 else f"({', '.join(items)})"


def _per_axis(layer: Layer, key: str, index: int, default: object = None) -> Any:
    values = layer.get(key)
    if isinstance(values, (list, tuple)) and index < len(values):
        return values[index]
    return default if values is None or isinstance(values, (list, tuple)) else values


def _axis_groups(axes: Sequence[Layer]) -> list[tuple[str, list[int]]]:
    """Axes with identical numbers are explained once: ``Height and width``."""
    groups: list[tuple[dict[str, Any], list[int]]] = []
    for i, axis in enumerate(axes):
        numbers = {key: value for key, value in axis.items() if key != "axis"}
        for seen, members in groups:
            if seen == numbers:
                members.append(i)
                break
        else:
            groups.append((numbers, [i]))
    labelled = []
    for _, members in groups:
        names = [str(axes[i]["axis"]) for i in members]
        label = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        labelled.append((label[:1].upper() + label[1:], members))
    return labelled


def _group_words(axes: Sequence[Layer]) -> tuple[str, str]:
    """``("row", "rows")`` for one axis, ``("row and column", …)`` for a group."""
    words = [_CELLS.get(str(axis.get("axis")), ("cell", "cells")) for axis in axes]
    return " and ".join(w[0] for w in words), " and ".join(w[1] for w in words)


def _fill(layer: Layer, count: int | None = None) -> str:
    """What the padding cells hold: ``zeros``, ``1 zero``, ``2 −∞ cells`` (max pooling)."""
    words = (
        ("−∞ cell", "−∞ cells")
        if str(layer.get("class_name", "")).startswith("Max")
        else ("zero", "zeros")
    )
    return words[1] if count is None else _plural(count, words)


# ---------------------------------------------------------------- windowed layers


def _window_step(
    label: str, layer: Layer, axis: Layer, i: int, framework: str, words: tuple[str, str]
) -> Step:
    n, k, s, d = axis["size"], axis["kernel"], axis["stride"], axis["dilation"]
    kk, o = axis["effective_kernel"], axis["output"]
    mode = layer.get("padding_mode", "valid")
    pieces: list[Piece] = []
    kname, kval = ("k′", kk) if d != 1 else ("k", k)
    if d != 1:
        pieces += [
            _t("the dilated kernel spans "),
            _f(f"k′ = (k − 1)·d + 1 = ({k} − 1)·{d} + 1 = {kk}"),
            _t(" cells. "),
        ]
    if framework == "pytorch":
        pieces += _torch_window(layer, axis, i, mode, words)
    elif mode == "same":
        pieces += [
            _t("padding='same' gives "),
            _f(f"o = ⌈n / s⌉ = ⌈{n} / {s}⌉ = {o}"),
            _t(". The padding is "),
            _f(
                f"max((o − 1)·s + {kname} − n, 0)"
                f" = max(({o} − 1)·{s} + {kval} − {n}, 0) = {axis['pad_total']}"
            ),
            _t(_split(axis, layer, "Keras")),
        ]
    elif mode == "causal":
        p = axis["pad_before"]
        pieces += [
            _t("padding='causal' adds "),
            _f(f"p = (k − 1)·d = ({k} − 1)·{d} = {p}"),
            _t(
                f" {_fill(layer)} before the input and none after, so no output sees a later"
                " input. Then "
            ),
            _f(f"o = ⌊(n + p − {kname}) / s⌋ + 1 = ⌊({n} + {p} − {kval}) / {s}⌋ + 1 = {o}"),
            _t("."),
        ]
    else:
        pieces += [
            _t("padding='valid' adds nothing: "),
            _f(f"o = ⌊(n − {kname}) / s⌋ + 1 = ⌊({n} − {kval}) / {s}⌋ + 1 = {o}"),
            _t("."),
        ]
    pieces += _unread(axis, kname, kval, words)
    return Step(label, tuple(pieces))


def _split(axis: Layer, layer: Layer, who: str) -> str:
    """`` cells of zeros: 0 before, 1 after (Keras puts the odd cell after).``"""
    total, before, after = axis["pad_total"], axis["pad_before"], axis["pad_after"]
    if total == 0:
        return ": no padding is needed, the windows fit the input exactly."
    text = f" {'cell' if total == 1 else 'cells'} of {_fill(layer)}: {before} before, {after} after"
    if before == after:
        return text + " (split evenly)."
    if after == before + 1:
        return text + f" ({who} puts the odd cell after)."
    return text + "."


def _torch_window(
    layer: Layer, axis: Layer, i: int, mode: str, words: tuple[str, str]
) -> list[Piece]:
    n, k, s, d, o = axis["size"], axis["kernel"], axis["stride"], axis["dilation"], axis["output"]
    if mode == "same":
        return [
            _t("padding='same' keeps "),
            _f(f"o = n = {o}"),
            _t(" (stride 1); the padding is "),
            _f(f"d·(k − 1) = {d}·({k} − 1) = {axis['pad_total']}"),
            _t(_split(axis, layer, "PyTorch")),
        ]
    p = _per_axis(layer, "padding", i, 0) if mode == "explicit" else 0
    ceil = bool(layer.get("ceil_mode"))
    inner = "(n + 2p − d·(k − 1) − 1) / s"
    numbers = f"({n} + 2·{_par(p)} − {d}·({k} − 1) − 1) / {s}"
    pieces: list[Piece] = []
    if mode == "valid":
        pieces.append(_t("padding='valid' adds nothing (p = 0): "))
    elif p:
        pieces.append(_t(f"padding={_n(p)} adds {_fill(layer, p)} on each side: "))
    else:
        pieces.append(_t("no padding (p = 0): "))
    if not ceil:
        pieces.append(_f(f"o = ⌊{inner}⌋ + 1 = ⌊{numbers}⌋ + 1 = {o}"))
    else:
        # PyTorch drops a last window that would start in the right padding; the formula
        # is shown without a value so that it never claims a number it does not give.
        pieces += [
            _f(f"o = ⌈{inner}⌉ + 1 = ⌈{numbers}⌉ + 1"),
            _t(
                " (ceil_mode rounds up), less one if the last window would start in the"
                " right padding: "
            ),
            _f(f"o = {o}"),
        ]
        extra = axis["pad_after"] - p
        if extra > 0:
            pieces.append(
                _t(
                    f". The last window runs {_plural(extra, words)} past the padded"
                    " input, which ceil_mode allows"
                )
            )
    pieces.append(_t("."))
    return pieces


def _unread(axis: Layer, kname: str, kval: int, words: tuple[str, str]) -> list[Piece]:
    count, last = axis.get("unread_count", 0), axis.get("unread_after", 0)
    if not count:
        return []
    o, s = axis["output"], axis["stride"]
    pieces: list[Piece] = []
    if last:
        pieces += [
            _t(f" The {_plural(o, ('window', 'windows'))} reach only "),
            _f(f"(o − 1)·s + {kname} = ({o} − 1)·{s} + {kval} = {axis['span']}"),
            _t(
                f" of the {axis['padded_size']} {'padded ' if axis.get('pad_total') else ''}"
                f"{words[1] if ' and ' not in words[1] else 'cells on each axis'}, so the last"
                f" {words[0] if last == 1 else f'{last} {words[1]}'}"
                f" {'is' if last == 1 and ' and ' not in words[0] else 'are'} never read"
                " (dropped)."
            ),
        ]
    if count > last:
        between = count - last
        pieces.append(
            _t(
                f" {_plural(between, words)} between windows {'is' if between == 1 else 'are'}"
                f" never read either ({count} unread in all)."
            )
        )
    return pieces


def _transpose_step(label: str, layer: Layer, axis: Layer, i: int, framework: str) -> Step:
    n, o, kk = axis["size"], axis["output"], axis["effective_kernel"]
    s = _per_axis(layer, "strides", i, 1)
    k = _per_axis(layer, "kernel_size", i, axis["kernel"])
    d = _per_axis(layer, "dilation", i, 1)
    op = axis.get("output_padding")
    pieces: list[Piece]
    if framework == "pytorch":
        p = _per_axis(layer, "padding", i, 0)
        pieces = [
            _f(
                f"o = (n − 1)·s − 2p + d·(k − 1) + output_padding + 1 = ({n} − 1)·{s} − "
                f"2·{_par(p)} + {d}·({k} − 1) + {op or 0} + 1 = {o}"
            ),
            _t(". "),
        ]
    else:
        mode = layer.get("padding_mode", "valid")
        kname = "k′" if d != 1 else "k"
        if op is None and mode == "same":
            pieces = [_t("padding='same' gives "), _f(f"o = n·s = {n}·{s} = {o}"), _t(". ")]
        elif op is None:
            pieces = [
                _t("padding='valid' gives "),
                _f(f"o = n·s + max({kname} − s, 0) = {n}·{s} + max({kk} − {s}, 0) = {o}"),
                _t(". "),
            ]
        elif mode == "same":
            pieces = [
                _t(f"padding='same' with output_padding={op} gives "),
                _f(
                    f"o = (n − 1)·s + {kname} − 2·⌊{kname} / 2⌋ + output_padding"
                    f" = ({n} − 1)·{s} + {kk} − 2·⌊{kk} / 2⌋ + {op} = {o}"
                ),
                _t(". "),
            ]
        else:
            pieces = [
                _t(f"padding='valid' with output_padding={op} gives "),
                _f(f"o = (n − 1)·s + {kname} + output_padding = ({n} − 1)·{s} + {kk} + {op} = {o}"),
                _t(". "),
            ]
    dilated = axis.get("dilated_size")
    before, after = axis["pad_before"], axis["pad_after"]
    pieces += [
        _t("As a direct convolution: the input is stride-dilated to "),
        _f(f"(n − 1)·s + 1 = ({n} − 1)·{s} + 1 = {dilated}"),
        _t(
            f" cells ({_plural(s - 1, ('zero', 'zeros'))} between neighbours),"
            f" {_pad_words(before, after)}, and read by a {kk}-cell window at stride 1."
        ),
    ]
    return Step(label, tuple(pieces))


def _pad_words(before: int, after: int) -> str:
    def side(count: int, where: str) -> str:
        if count < 0:
            return f"cropped by {-count} {where}"
        return f"padded with {_plural(count, ('zero', 'zeros'))} {where}"

    return f"{side(before, 'before')} and {side(after, 'after')}"


# ---------------------------------------------------------------- other spatial layers


def _padding_layer_step(label: str, axis: Layer) -> Step:
    n, before, after, o = axis["size"], axis["pad_before"], axis["pad_after"], axis["output"]
    return Step(
        label,
        (
            _t(f"{_plural(before, ('zero', 'zeros'))} before and {after} after: "),
            _f(f"o = n + before + after = {n} + {before} + {after} = {o}"),
            _t("."),
        ),
    )


def _cropping_step(label: str, axis: Layer) -> Step:
    n, before, after, o = axis["size"], axis["crop_before"], axis["crop_after"], axis["output"]
    return Step(
        label,
        (
            _t(f"{before} cut before and {after} after: "),
            _f(f"o = n − before − after = {n} − {before} − {after} = {o}"),
            _t("."),
        ),
    )


def _upsampling_step(label: str, axis: Layer) -> Step:
    n, factor, o = axis["size"], axis["factor"], axis["output"]
    return Step(
        label,
        (
            _t(f"every cell is repeated {factor} times: "),
            _f(f"o = n·size = {n}·{factor} = {o}"),
            _t("."),
        ),
    )


# ---------------------------------------------------------------- shape, params, alternatives


def _other_padding_step(layer: Layer) -> Step | None:
    outputs = layer.get("outputs_by_padding")
    axes = layer.get("axes") or []
    if not outputs or not axes:
        return None
    current = [a["output"] for a in axes]
    mode = layer.get("padding_mode")
    pieces: list[Piece] = []
    for other, sizes in outputs.items():
        if other == mode and mode != "explicit":
            continue
        if pieces:
            pieces.append(_t(" "))
        if sizes is None:
            pieces.append(_t(f"padding='{other}' would be refused for this layer."))
        elif list(sizes) == current:
            pieces.append(_t(f"padding='{other}' gives the same output ({_dims(sizes)})"))
            pieces.append(_t(_same_reason(layer, mode, other) + "."))
        else:
            pieces.append(_t(f"padding='{other}' would give {_dims(sizes)} instead."))
    if not pieces:
        return None
    return Step("Other padding", tuple(pieces))


def _same_reason(layer: Layer, mode: object, other: str) -> str:
    axes = layer.get("axes") or []
    pad = sum(a.get("pad_total", 0) for a in axes)
    unread = sum(a.get("unread_count", 0) for a in axes)
    if {mode, other} == {"valid", "same"} and pad == 0 and unread == 0:
        return ": the windows tile the input exactly, so 'same' adds no padding"
    return ""


def _output_step(layer: Layer) -> Step:
    shape = layer.get("output_shape")
    pieces: list[Piece] = [_f(_shape(shape))]
    channels = _channels_text(layer)
    if channels:
        pieces.append(_t(f": {channels}"))
    pieces.append(_t("."))
    return Step("Output shape", tuple(pieces))


def _channels_text(layer: Layer) -> str:
    kind, out = layer["kind"], layer.get("out_channels")
    axes = layer.get("axes") or []
    positions = _dims([a["output"] for a in axes]) if axes else ""
    where = f"{positions} positions, " if positions else ""
    if out is None:
        return ""
    if kind in ("conv", "conv_transpose", "separable_conv"):
        arg = "filters" if layer.get("data_format") == "channels_last" else "out_channels"
        return f"{where}{out} channels ({arg})"
    if kind == "depthwise_conv":
        return (
            f"{where}{out} channels ({layer.get('in_channels')} input channels ×"
            f" depth_multiplier {layer.get('depth_multiplier')})"
        )
    if kind == "pooling":
        return f"{where}{out} channels (pooling keeps the channels)"
    return f"{where}{out} channels"


def _parameters_step(layer: Layer) -> Step:
    weights = [w for w in layer.get("weights") or [] if w.get("count") is not None]
    params = layer.get("params", 0)
    if not weights:
        return Step("Parameters", (_t("none (this layer has no weights)."),))
    pieces: list[Piece] = []
    terms = []
    for weight in weights:
        shape = weight.get("shape") or []
        frozen = "" if weight.get("trainable", True) else " (non-trainable)"
        if len(shape) > 1:
            terms.append(
                f"{weight['name']}{frozen} {'·'.join(_n(v) for v in shape)} = {weight['count']}"
            )
        else:
            terms.append(f"{weight['name']}{frozen} {weight['count']}")
    formula = " + ".join(terms)
    if len(weights) > 1:
        formula += f" = {params}"
    pieces.append(_f(formula))
    non_trainable = layer.get("non_trainable_params", 0)
    if non_trainable:
        pieces.append(_t(f" ({non_trainable} of them non-trainable)"))
    pieces.append(_t("."))
    return Step("Parameters", tuple(pieces))
