"""What a ``conv-padding`` directive draws: the pure part of its options (no Sphinx).

``:draw:`` picks layers, ``:compare:`` analyses a layer again with other padding values,
``:layer-name:`` names a pasted layer; :func:`plan_diagrams` turns the choice into JSON-able
payloads for the diagram nodes. Errors are :class:`.ConvPadError`, as in the core.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sphinxcontrib_convpad.errors import ConvPadError
from sphinxcontrib_convpad.layers import LayerSpec, parse_value_text
from sphinxcontrib_convpad.scene import build_flow, describe, drawable_layers


@dataclass(frozen=True, slots=True)
class Diagram:
    """One picture to draw: the node payload and its alt text."""

    payload: dict[str, Any]
    alt: str


def _words(text: str) -> list[str]:
    return [word for word in re.split(r"[\s,]+", text.strip()) if word]


def select_drawn(result: Mapping[str, Any], text: str | None) -> list[int]:
    """The layer indices ``:draw:`` picks: indices or names, ``all`` (default) or ``none``."""
    drawable = drawable_layers(result)
    words = _words(text or "all")
    if words == ["all"]:
        return drawable
    if words == ["none"]:
        return []
    layers = result["layers"]
    by_name = {str(layer["name"]): index for index, layer in enumerate(layers)}
    chosen: list[int] = []
    for word in words:
        if word in by_name:
            index = by_name[word]
        elif word.isdigit() and int(word) < len(layers):
            index = int(word)
        else:
            raise ConvPadError(
                f"draw: no layer {word!r}; give 'all', 'none', layer indices (0 to"
                f" {len(layers) - 1}) or names ({', '.join(by_name)})",
                option="draw",
            )
        if index not in drawable:
            names = ", ".join(str(layers[i]["name"]) for i in drawable) or "none"
            raise ConvPadError(
                f"draw: layer {layers[index]['name']!r} ({layers[index]['class_name']}) has no"
                f" padding diagram; layers with one: {names}",
                option="draw",
            )
        if index not in chosen:
            chosen.append(index)
    return chosen


def compare_layers(
    specs: Sequence[LayerSpec],
    result: Mapping[str, Any],
    drawn: Iterable[int],
    text: str | None,
    analyse: Callable[[Sequence[LayerSpec]], dict[str, Any]],
) -> dict[int, list[tuple[object, dict[str, Any]]]]:
    """``:compare:``: each drawn layer analysed again with the other padding values.

    Only the layers up to the compared one are analysed again, so a later layer that would
    not fit the other shape does not stop the comparison.
    """
    if not text:
        return {}
    values = [parse_value_text(word) for word in _words(text)]
    offset = 1 if specs and specs[0].type.kind == "input" else 0
    compared: dict[int, list[tuple[object, dict[str, Any]]]] = {}
    for index in drawn:
        spec = specs[index + offset]
        if "padding" not in spec.type.parameters:
            continue
        current = result["layers"][index].get("padding")
        for value in values:
            if _same_padding(value, current):
                continue
            arguments = (*((k, v) for k, v in spec.arguments if k != "padding"), ("padding", value))
            changed = dataclasses.replace(spec, arguments=arguments)
            try:
                layer = analyse([*specs[: index + offset], changed])["layers"][index]
            except ConvPadError as err:
                raise ConvPadError(f"compare: {err}", option="compare") from err
            compared.setdefault(index, []).append((value, layer))
    if not compared and not any("padding" in specs[i + offset].type.parameters for i in drawn):
        raise ConvPadError("compare: none of the drawn layers takes a padding", option="compare")
    return compared


def name_single_layer(specs: Sequence[LayerSpec], name: str) -> list[LayerSpec]:
    """``:layer-name:`` on pasted content: the name of its one layer (the Input aside)."""
    layers = [i for i, spec in enumerate(specs) if spec.type.kind != "input"]
    if len(layers) != 1:
        raise ConvPadError(
            "layer-name names a single layer; in a stack, give name= in the calls",
            option="layer-name",
        )
    spec = specs[layers[0]]
    if spec.given("name"):
        raise ConvPadError(
            f"the layer is named twice: :layer-name: {name} and name= in the call",
            option="layer-name",
        )
    named = dataclasses.replace(spec, arguments=(*spec.arguments, ("name", name)))
    return [named if i == layers[0] else item for i, item in enumerate(specs)]


def _same_padding(value: object, current: object) -> bool:
    if isinstance(value, str) and isinstance(current, str):
        return value.strip().lower() == current
    if isinstance(value, int) and isinstance(current, list):
        return all(item == value for item in current)
    return value == current


def _padding_title(layer: Mapping[str, Any], value: object) -> str:
    shown = f"'{value}'" if isinstance(value, str) else str(value)
    return f"{layer['name']} ({layer['class_name']}) with padding={shown}"


def plan_diagrams(
    result: Mapping[str, Any],
    drawn: Sequence[int],
    compared: Mapping[int, Sequence[tuple[object, dict[str, Any]]]],
    alt: str | None,
) -> tuple[Diagram, ...]:
    """The shape flow (for a stack), then each drawn layer next to its comparisons."""
    diagrams: list[Diagram] = []
    if len(result["layers"]) > 1:
        flow = {"scene": "flow", "result": result}
        diagrams.append(Diagram(flow, alt or build_flow(result).description))
    for index in drawn:
        layer = result["layers"][index]
        others = compared.get(index, ())
        title = _padding_title(layer, layer.get("padding")) if others else None
        diagrams.append(
            Diagram({"scene": "layer", "layer": layer, "title": title}, alt or describe(layer))
        )
        for value, other in others:
            payload = {"scene": "layer", "layer": other, "title": _padding_title(other, value)}
            diagrams.append(Diagram(payload, alt or describe(other)))
    return tuple(diagrams)
