"""The typed form of an analysis; :meth:`Analysis.to_dict` gives the public JSON form."""

from __future__ import annotations

import math
from dataclasses import dataclass, fields

from sphinxcontrib_convpad.arithmetic import Axis

Shape = tuple[int | None, ...]
"""A shape with the batch axis first (``None`` unless a batch size is given)."""
Dims = tuple[int, ...]
"""A shape without the batch axis."""

SPATIAL_AXES = {1: ("length",), 2: ("height", "width"), 3: ("depth", "height", "width")}


@dataclass(frozen=True, slots=True)
class Weight:
    """One variable of a layer, e.g. ``kernel`` of shape (2, 2, 1, 24)."""

    name: str
    shape: tuple[int, ...]
    trainable: bool = True

    @property
    def count(self) -> int:
        return math.prod(self.shape)

    def to_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "shape": list(self.shape),
            "count": self.count,
            "trainable": self.trainable,
        }


@dataclass(frozen=True, slots=True)
class Computed:
    """What one layer rule works out from its spec and its input shape."""

    output_shape: Dims
    """Without the batch axis."""
    weights: tuple[Weight, ...] = ()
    rank: int | None = None
    data_format: str | None = None
    details: tuple[tuple[str, object], ...] = ()
    """Kind-specific keys: ``padding``, ``kernel_size``, ``outputs_by_padding`` …"""
    axes: tuple[Axis | dict[str, object], ...] = ()


@dataclass(frozen=True, slots=True)
class LayerAnalysis:
    name: str
    class_name: str
    kind: str
    input_shape: Shape
    computed: Computed
    dtype: str = "float32"
    line: int | None = None

    @property
    def params(self) -> int:
        return sum(weight.count for weight in self.computed.weights)

    @property
    def trainable_params(self) -> int:
        return sum(weight.count for weight in self.computed.weights if weight.trainable)

    def to_dict(self) -> dict[str, object]:
        computed = self.computed
        result: dict[str, object] = {
            "name": self.name,
            "class_name": self.class_name,
            "kind": self.kind,
            "rank": computed.rank,
            "data_format": computed.data_format,
            "input_shape": list(self.input_shape),
            "output_shape": [self.input_shape[0], *computed.output_shape],
            "params": self.params,
            "trainable_params": self.trainable_params,
            "non_trainable_params": self.params - self.trainable_params,
            "dtype": self.dtype,
            "weights": [weight.to_dict() for weight in computed.weights],
        }
        result.update((key, _jsonable(value)) for key, value in computed.details)
        if computed.axes:
            result["axes"] = [_axis_dict(axis) for axis in computed.axes]
        return result


@dataclass(frozen=True, slots=True)
class Analysis:
    framework: str
    model_name: str
    input_shape: Shape
    layers: tuple[LayerAnalysis, ...]

    def to_dict(self) -> dict[str, object]:
        total = sum(layer.params for layer in self.layers)
        trainable = sum(layer.trainable_params for layer in self.layers)
        return {
            "framework": self.framework,
            "model_name": self.model_name,
            "input_shape": list(self.input_shape),
            "layers": [layer.to_dict() for layer in self.layers],
            "total_params": total,
            "trainable_params": trainable,
            "non_trainable_params": total - trainable,
        }


def _axis_dict(axis: Axis | dict[str, object]) -> dict[str, object]:
    if isinstance(axis, dict):
        return axis
    result = {field.name: getattr(axis, field.name) for field in fields(axis)}
    result["unread"] = [list(span) for span in axis.unread]
    return {key: value for key, value in result.items() if value is not None}


def _jsonable(value: object) -> object:
    if isinstance(value, (tuple, list)):
        return [_jsonable(item) for item in value]
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    return value
