"""Read and check one argument of a spec, with the framework's rules and our messages."""

from __future__ import annotations

from collections.abc import Collection

from sphinxcontrib_convpad.layers import Expr, LayerSpec

MAX_INT = 10**9


def is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def show(value: object) -> str:
    """An argument value as the author wrote it."""
    if isinstance(value, Expr):
        return value.text
    return repr(value)


def int_value(spec: LayerSpec, name: str, *, minimum: int = 1) -> int:
    """A single int argument, at least ``minimum``."""
    value = spec.get(name)
    if not is_int(value) or value < minimum:  # type: ignore[operator]
        raise spec.error(f"{name} must be {_bound(minimum)} integer, got {show(value)}", name)
    return value  # type: ignore[return-value]


def int_tuple(spec: LayerSpec, name: str, rank: int, *, minimum: int = 1) -> tuple[int, ...]:
    """An int or a tuple of ``rank`` ints, each at least ``minimum`` (Keras/torch style)."""
    value = spec.get(name)
    items = (value,) * rank if is_int(value) else value
    if (
        not isinstance(items, (tuple, list))
        or len(items) != rank
        or not all(is_int(item) and item >= minimum for item in items)
    ):
        plural = f"a tuple of {rank} integers" if rank > 1 else "an integer"
        raise spec.error(
            f"{name} must be {_bound(minimum)} integer or {plural} {_constraint(minimum)},"
            f" got {show(value)}",
            name,
        )
    return tuple(items)


def bool_value(spec: LayerSpec, name: str) -> bool:
    value = spec.get(name)
    if not isinstance(value, bool):
        raise spec.error(f"{name} must be True or False, got {show(value)}", name)
    return value


def choice(spec: LayerSpec, name: str, allowed: Collection[str], *, lower: bool = False) -> str:
    """A string argument from ``allowed`` (lower-cased first where the framework does)."""
    value = spec.get(name)
    text = value.lower() if lower and isinstance(value, str) else value
    if not isinstance(text, str) or text not in allowed:
        options = ", ".join(repr(item) for item in allowed)
        raise spec.error(f"{name} must be one of {options}, got {show(value)}", name)
    return text


def data_format(spec: LayerSpec) -> str:
    """Keras ``data_format``: None means 'channels_last' (the default image data format)."""
    if spec.get("data_format") is None:
        return "channels_last"
    return choice(spec, "data_format", ("channels_last", "channels_first"))


def pairs(
    spec: LayerSpec, name: str, rank: int, *, minimum: int = 0
) -> tuple[tuple[int, int], ...]:
    """Keras padding/cropping: int, tuple of ``rank`` ints, or ``rank`` (before, after) pairs.

    A 1-D layer takes an int or one ``(before, after)`` pair.
    """
    value = spec.get(name)
    error = spec.error(
        f"{name} must be an integer, a tuple of {rank} integers or a tuple of {rank}"
        f" (before, after) pairs, {_constraint(minimum)}, got {show(value)}"
        if rank > 1
        else f"{name} must be an integer or a (before, after) pair {_constraint(minimum)},"
        f" got {show(value)}",
        name,
    )
    if is_int(value):
        result = ((value, value),) * rank
    elif isinstance(value, (tuple, list)) and rank == 1 and len(value) == 2:
        result = (tuple(value),)
    elif isinstance(value, (tuple, list)) and len(value) == rank:
        result = tuple(
            (item, item) if is_int(item) else tuple(item) if isinstance(item, (tuple, list)) else ()
            for item in value
        )
    else:
        raise error
    if not all(
        len(pair) == 2 and all(is_int(v) and v >= minimum for v in pair)  # type: ignore[operator]
        for pair in result
    ):
        raise error
    return result  # type: ignore[return-value]


def _bound(minimum: int) -> str:
    return {0: "a non-negative", 1: "a positive"}.get(minimum, "an")


def _constraint(minimum: int) -> str:
    return {0: "(0 or more)", 1: "(1 or more)"}.get(minimum, "")
