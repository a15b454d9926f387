"""``model.summary()`` text, character for character, drawn from an analysis dict.

Four styles, each the text a fresh session prints to stdout (final newline included):

``keras3``
   Keras 3.15 ``model.summary()``: a rich 15 table (``keras/src/utils/summary_utils.py``).
``keras2``
   tf_keras 2.21 / Keras 2.13+ ``print_summary`` (``tf_keras/src/utils/layer_utils.py``).
``keras2-classic``
   Keras 2.6 and earlier (``keras/utils/layer_utils.py`` at 2.6.0): columns are cut, not
   wrapped.
``torchinfo``
   torchinfo 1.8.0 ``summary(model, input_size=(1, *input_shape))`` on an ``nn.Sequential``.

Nothing here is imported from those projects; their layouts are rebuilt in the standard
library and checked against recordings in ``tests/data/summaries``.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Sequence
from itertools import pairwise
from types import MappingProxyType
from typing import Any

from sphinxcontrib_convpad.errors import ConvPadError

__all__ = ["STYLES", "keras3_column_widths", "readable_memory_size", "summary"]

STYLES: tuple[str, ...] = ("keras3", "keras2", "keras2-classic", "torchinfo")

Layer = dict[str, Any]
Result = dict[str, Any]


def summary(
    result: Result, style: str = "keras3", width: int | None = None, *, columns: int | None = None
) -> str:
    """Return what ``model.summary()`` prints for the analysed model in a fresh session.

    ``width`` is Keras' ``line_length``: by default ``min(88, columns - 4)`` for ``keras3``
    (76 in a script, notebook or CI run, where the terminal counts as 80 columns) and 65 for
    the Keras 2 styles; torchinfo has no width and ignores it. ``columns`` is the terminal
    width, which rich also crops ``keras3`` lines to: a table wider than that loses its
    right edge, exactly as Keras prints it. By default the terminal is taken to be wide enough
    for ``width`` (``max(80, width + 4)``): the 88-wide table of a wide terminal is whole.
    """
    if columns is None:
        columns = max(80, (width if isinstance(width, int) else 0) + 4)
    render = _RENDERERS.get(style)
    if render is None:
        allowed = ", ".join(repr(name) for name in STYLES)
        raise ConvPadError(f"summary style must be one of {allowed}, got {style!r}", option="style")
    for option, value in (("width", width), ("columns", columns)):
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, int) or value < 1
        ):
            raise ConvPadError(
                f"summary {option} must be a positive integer, got {value!r}", option=option
            )
    return render(result, width, columns)


# --- shared facts -----------------------------------------------------------------------


def _totals(result: Result) -> tuple[int, int]:
    """(trainable, non-trainable) parameter counts of the whole model."""
    layers = result.get("layers", [])
    trainable = result.get("trainable_params")
    if trainable is None:
        trainable = sum(layer.get("trainable_params") or 0 for layer in layers)
    frozen = result.get("non_trainable_params")
    if frozen is None:
        frozen = sum(layer.get("non_trainable_params") or 0 for layer in layers)
    return trainable, frozen


def _weight_bytes(result: Result, trainable: bool) -> int:
    """Bytes of the trainable (or non-trainable) variables; float32 unless a dtype says so."""
    total = 0
    for layer in result.get("layers", []):
        size = _DTYPE_BYTES.get(layer.get("dtype", "float32"), 4)
        if "weights" in layer:
            total += sum(w["count"] * size for w in layer["weights"] if w["trainable"] == trainable)
        else:
            key = "trainable_params" if trainable else "non_trainable_params"
            total += (layer.get(key) or 0) * size
    return total


_DTYPE_BYTES = MappingProxyType({"float16": 2, "bfloat16": 2, "float32": 4, "float64": 8})


def _dims(shape: Sequence[int | None]) -> list[str]:
    return ["None" if dim is None else str(dim) for dim in shape]


def _python_tuple(shape: Sequence[int | None]) -> str:
    """``str(tuple(shape))``: ``(None, 3, 3, 24)``, ``(None,)``."""
    dims = _dims(shape)
    return f"({dims[0]},)" if len(dims) == 1 else f"({', '.join(dims)})"


def _title(layer: Layer) -> str:
    return f"{layer['name']} ({layer['class_name']})"


def readable_memory_size(
    size: float, units: Sequence[str] = ("B", "KB", "MB", "GB", "TB", "PB")
) -> str:
    """Keras' byte-size label: divide by 1024 until below 1024, two decimals.

    ``480 -> '480.00 B'``, ``1048575 -> '1024.00 KB'`` (the test is on the value *before*
    the last division), past the last unit the value is divided once more.
    """
    for unit in units:
        if size / 1024 < 1:
            return f"{size:.2f} {unit}"
        size /= 1024
    return f"{size:.2f} {units[-1]}"


# --- rich 15 text layout (only what a Keras summary uses) --------------------------------


def _char_cells(char: str) -> int:
    if unicodedata.combining(char) or unicodedata.category(char) in ("Cc", "Cf", "Mn", "Me"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def _cells(text: str) -> int:
    """Terminal cells a string takes (rich's ``cell_len``)."""
    return len(text) if text.isascii() else sum(_char_cells(char) for char in text)


def _fit_cells(text: str, total: int) -> str:
    """Crop or space-pad ``text`` to exactly ``total`` cells; a cut wide glyph becomes a space."""
    kept, used = [], 0
    for char in text:
        size = _char_cells(char) if not char.isascii() else 1
        if used + size > total:
            break
        kept.append(char)
        used += size
    return "".join(kept) + " " * (total - used)


def _truncate(line: str, width: int, overflow: str, pad: bool = False) -> str:
    length = _cells(line)
    if length > width:
        line = (
            _fit_cells(line, width - 1) + "…" if overflow == "ellipsis" else _fit_cells(line, width)
        )
    if pad and length < width:
        line += " " * (width - length)
    return line


_WORD = re.compile(r"\s*\S+\s*")


def _chop(word: str, width: int) -> list[str]:
    """Pieces of ``word`` of at most ``width`` cells."""
    pieces, current, used = [], "", 0
    for char in word:
        size = _cells(char)
        if current and used + size > width:
            pieces.append(current)
            current, used = "", 0
        current += char
        used += size
    return [*pieces, current] if current else pieces


def _break_offsets(text: str, width: int, fold: bool) -> list[int]:
    """Where rich breaks ``text`` into lines of ``width`` cells (a word keeps its trailing space)."""
    breaks: list[int] = []
    used = 0
    for match in _WORD.finditer(text):
        start, word = match.start(), match.group()
        size = _cells(word.rstrip())
        if width - used >= size:
            used += _cells(word)
        elif size > width and fold:
            pieces = _chop(word, width)
            for piece in pieces[:-1]:
                if start:
                    breaks.append(start)
                start += len(piece)
            if start:
                breaks.append(start)
            used = _cells(pieces[-1])
        elif size > width:
            if start:
                breaks.append(start)
            used = _cells(word)
        elif used and start:
            breaks.append(start)
            used = _cells(word)
    return breaks


def _strip_excess_space(line: str, width: int) -> str:
    """Drop trailing spaces, but only those beyond ``width`` characters."""
    excess = len(line) - width
    if excess <= 0:
        return line
    trailing = len(line) - len(line.rstrip())
    return line[: len(line) - min(trailing, excess)]


def _wrap(text: str, width: int, justify: str = "default", overflow: str = "fold") -> list[str]:
    """rich's ``Text.wrap``: word-wrap each line of ``text``, then justify and overflow it."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        offsets = [0, *_break_offsets(paragraph, width, overflow == "fold"), len(paragraph)]
        pieces = [_strip_excess_space(paragraph[a:b], width) for a, b in pairwise(offsets)]
        lines += [
            _truncate(_justify(piece, width, justify, overflow), width, overflow)
            for piece in pieces
        ]
    return lines


def _justify(line: str, width: int, justify: str, overflow: str) -> str:
    if justify == "left":
        return _truncate(line, width, overflow, pad=True)
    if justify == "right":
        line = _truncate(line.rstrip(), width, overflow)
        return " " * (width - _cells(line)) + line
    return line


def _ratio_reduce(
    total: int, ratios: list[int], maximums: list[int], values: list[int]
) -> list[int]:
    """Take ``total`` away from ``values`` in proportion to ``ratios`` (rich's ``ratio_reduce``)."""
    ratios = [ratio if maximum else 0 for ratio, maximum in zip(ratios, maximums, strict=True)]
    remaining_ratio, remaining = sum(ratios), total
    if not remaining_ratio:
        return values[:]
    reduced = []
    for ratio, maximum, value in zip(ratios, maximums, values, strict=True):
        if ratio and remaining_ratio > 0:
            share = min(maximum, round(ratio * remaining / remaining_ratio))
            reduced.append(value - share)
            remaining -= share
            remaining_ratio -= ratio
        else:
            reduced.append(value)
    return reduced


# --- keras3 ------------------------------------------------------------------------------

_KERAS3_POSITIONS = (0.45, 0.80, 1.0)
_KERAS3_HEADER = ("Layer (type)", "Output Shape", "Param #")
_KERAS3_JUSTIFY = ("left", "left", "right")


def keras3_column_widths(line_length: int) -> list[int]:
    """Cell widths (padding included, borders not) of the three columns rich draws.

    Keras asks for ``int(position * line_length)`` steps as fixed column widths; rich adds
    one space of padding each side, then takes the overshoot (the padding plus the four
    borders, 10 cells) back from the columns in equal shares.
    """
    widths, current = [], 0
    for position in _KERAS3_POSITIONS:
        width = int(position * line_length) - current
        if width < 4:
            raise ConvPadError(
                f"summary width {line_length} is too narrow for a Keras summary", option="width"
            )
        widths.append(width + 2)
        current += width
    available = line_length - (len(widths) + 1)
    excess = sum(widths) - available
    if excess > 0:
        widths = _ratio_reduce(excess, [1] * len(widths), widths, widths)
    return widths


def _keras3_shape(shape: Sequence[int | None] | None) -> str:
    """``(None, 3, 3, 24)``; ``?`` for a layer that was never built."""
    return "?" if shape is None else f"({', '.join(_dims(shape))})"


def _keras3_params(count: int | None) -> str:
    return "0 (unbuilt)" if count is None else f"{count:,}"


def _table_row(cells: Sequence[str], widths: Sequence[int], header: bool) -> list[list[str]]:
    """Each cell as lines of its column's width, padded, aligned top (header: bottom)."""
    blocks = [
        [f" {line} " for line in _wrap(text, width - 2, justify, "ellipsis")]
        for text, width, justify in zip(cells, widths, _KERAS3_JUSTIFY, strict=True)
    ]
    height = max(len(block) for block in blocks)
    for block, width in zip(blocks, widths, strict=True):
        blank = [" " * width] * (height - len(block))
        block[:] = blank + block if header else block + blank
    return blocks


def _box_line(widths: Sequence[int], left: str, fill: str, cross: str, right: str) -> str:
    return left + cross.join(fill * width for width in widths) + right


def _keras3_table(rows: list[tuple[str, str, str]], widths: list[int]) -> list[str]:
    lines = [_box_line(widths, "┏", "━", "┳", "┓")]
    lines += [
        "┃" + "┃".join(parts) + "┃"
        for parts in zip(*_table_row(_KERAS3_HEADER, widths, True), strict=True)
    ]
    lines.append(_box_line(widths, "┡", "━", "╇", "┩"))
    for index, row in enumerate(rows):
        if index:
            lines.append(_box_line(widths, "├", "─", "┼", "┤"))
        lines += [
            "│" + "│".join(parts) + "│"
            for parts in zip(*_table_row(row, widths, False), strict=True)
        ]
    lines.append(_box_line(widths, "└", "─", "┴", "┘"))
    return lines


def _keras3(result: Result, width: int | None, columns: int) -> str:
    line_length = width or min(88, columns - 4)
    rows = [
        (_title(layer), _keras3_shape(layer["output_shape"]), _keras3_params(layer["params"]))
        for layer in result.get("layers", [])
    ]
    table = [
        _crop(line, columns) for line in _keras3_table(rows, keras3_column_widths(line_length))
    ]
    trainable, frozen = _totals(result)
    sizes = (_weight_bytes(result, True), _weight_bytes(result, False))
    totals = [
        f" Total params: {trainable + frozen:,} ({readable_memory_size(sum(sizes))})",
        f" Trainable params: {trainable:,} ({readable_memory_size(sizes[0])})",
        f" Non-trainable params: {frozen:,} ({readable_memory_size(sizes[1])})",
    ]
    lines = [*_wrap(f'Model: "{result["model_name"]}"', columns), *table]
    for line in totals:
        lines += _wrap(line, columns)
    return "".join(line + "\n" for line in lines)


def _crop(line: str, columns: int) -> str:
    """rich crops every printed line to the console width."""
    return _fit_cells(line, columns) if _cells(line) > columns else line


# --- keras2 (tf_keras 2.13+) -------------------------------------------------------------

_KERAS2_HEADER = ("Layer (type)", "Output Shape", "Param #")
_TUPLE_ENDS = ("),", "},", "],", "',")


def _require_built(result: Result, style: str) -> None:
    """Keras 2 and torchinfo cannot summarise a model without an input shape."""
    if any(layer["output_shape"] is None for layer in result.get("layers", [])):
        raise ConvPadError(
            f"a {style} summary needs the model's input shape (the model is not built)",
            option="input_shape",
        )


def _keras2_positions(line_length: int) -> list[int]:
    return [int(line_length * position) for position in (0.45, 0.85, 1.0)]


def _keras2_check(line_length: int, positions: Sequence[int]) -> None:
    """Refuse a width that leaves a column no room: tf_keras would loop forever on it."""
    first, second, last = positions
    if min(first - 3, second - first - 3, last - second) < 1:
        raise ConvPadError(
            f"summary width {line_length} is too narrow for a Keras 2 summary", option="width"
        )


def _keras2_chunk(text: str, cutoff: int) -> int:
    """How much of ``text`` goes on this line: ``cutoff`` characters, or up to the first
    ``),`` (or ``},`` ``],`` ``',``) inside them."""
    head = text[:cutoff]
    ends = [head.find(end) + len(end) for end in _TUPLE_ENDS if end in head]
    return min(ends) if ends else cutoff


def _keras2_row(fields: Sequence[str], positions: Sequence[int]) -> list[str]:
    """tf_keras' ``print_row``: fill the columns line by line until every field is used up."""
    left = list(fields)
    last = len(positions) - 1
    lines = []
    while any(left):
        line = ""
        for col, text in enumerate(left):
            start = positions[col - 1] if col else 0
            gap = 0 if col == last else 2
            cutoff = _keras2_chunk(text, positions[col] - start - gap - (col != last))
            line += (" " if col == 0 else "") + text[:cutoff] + " " * gap
            left[col] = text[cutoff:]
            line += " " * (positions[col] - len(line))
        lines.append(line)
    return lines


def _keras2(result: Result, width: int | None, columns: int) -> str:
    del columns
    _require_built(result, "keras2")
    line_length = width or 65
    positions = _keras2_positions(line_length)
    _keras2_check(line_length, positions)
    lines = [f'Model: "{result["model_name"]}"', "_" * line_length]
    lines += _keras2_row(_KERAS2_HEADER, positions)
    lines.append("=" * line_length)
    for layer in result.get("layers", []):
        fields = (_title(layer), _python_tuple(layer["output_shape"]), str(layer["params"]))
        lines += [*_keras2_row(fields, positions), " " * line_length]
    trainable, frozen = _totals(result)
    sizes = (_weight_bytes(result, True), _weight_bytes(result, False))
    units = ("Byte", "KB", "MB", "GB", "TB", "PB")
    lines += [
        "=" * line_length,
        f"Total params: {trainable + frozen} ({readable_memory_size(sum(sizes), units)})",
        f"Trainable params: {trainable} ({readable_memory_size(sizes[0], units)})",
        f"Non-trainable params: {frozen} ({readable_memory_size(sizes[1], units)})",
        "_" * line_length,
    ]
    return "".join(line + "\n" for line in lines)


# --- keras2-classic (Keras <= 2.6) -------------------------------------------------------


def _classic_row(fields: Sequence[str], positions: Sequence[int]) -> str:
    """Keras 2.6's ``print_row``: each field starts over the last character of the one
    before, and is cut at its column's end."""
    line = ""
    for index, (text, end) in enumerate(zip(fields, positions, strict=True)):
        line = (line[:-1] + " " if index else "") + text
        line = line[:end].ljust(end)
    return line


def _keras2_classic(result: Result, width: int | None, columns: int) -> str:
    del columns
    _require_built(result, "keras2-classic")
    line_length = width or 65
    positions = _keras2_positions(line_length)
    lines = [f'Model: "{result["model_name"]}"', "_" * line_length]
    lines += [_classic_row(_KERAS2_HEADER, positions), "=" * line_length]
    for layer in result.get("layers", []):
        fields = (_title(layer), _python_tuple(layer["output_shape"]), str(layer["params"]))
        lines += [_classic_row(fields, positions), "_" * line_length]
    if result.get("layers"):
        lines[-1] = "=" * line_length
    trainable, frozen = _totals(result)
    lines += [
        f"Total params: {trainable + frozen:,}",
        f"Trainable params: {trainable:,}",
        f"Non-trainable params: {frozen:,}",
        "_" * line_length,
    ]
    return "".join(line + "\n" for line in lines)


# --- torchinfo 1.8.0 ---------------------------------------------------------------------

_TORCH_COLUMN = 25
_FLOAT_BYTES = 4
STORAGE_OVERHEAD = 64
"""``sys.getsizeof(tensor.untyped_storage())`` minus its bytes (torch 2.13, CPython 3.11):
torchinfo's "Input size" counts the storage object, not just the data."""
MACS_UNITS = ((1e12, "Units.TERABYTES"), (1e9, "Units.GIGABYTES"), (0.0, "Units.MEGABYTES"))
"""torchinfo formats its ``Units`` enum with an f-string; on Python 3.11+ that gives the
member's full name (``Units.MEGABYTES``), on 3.10 and earlier its value (``M``)."""


def _torch_shape(shape: Sequence[int | None]) -> list[int]:
    """The shape with batch 1, as torchinfo's forward pass sees it."""
    return [1, *(dim or 0 for dim in shape[1:])]


def _torch_weights(layer: Layer) -> list[dict[str, Any]]:
    """The layer's parameters; without ``weights``, one trainable ``weight`` of ``params``."""
    if "weights" in layer:
        return layer["weights"]
    count = layer["params"]
    trainable = layer.get("trainable_params")
    return [
        {
            "name": "weight",
            "count": count,
            "trainable": (count if trainable is None else trainable) > 0,
        }
    ]


def _torch_macs(layer: Layer) -> int:
    """torchinfo's mult-adds: for a ``weight``/``bias`` a Conv* uses every output position
    (batch and spatial, not channels), any other layer the batch only."""
    shape = _torch_shape(layer["output_shape"])
    per_param = math.prod(shape[:1] + shape[2:]) if "Conv" in layer["class_name"] else shape[0]
    return sum(
        w["count"] * per_param for w in _torch_weights(layer) if w["name"] in ("weight", "bias")
    )


def _torch_params(layer: Layer) -> str:
    if not layer["params"]:
        return "--"
    count = f"{layer['params']:,}"
    trainable = sum(w["count"] for w in _torch_weights(layer) if w["trainable"])
    return count if trainable else f"({count})"


def _torch_row(name: str, values: Sequence[str], name_width: int) -> str:
    line = f"{name:<{name_width}} " + "".join(f"{value:<{_TORCH_COLUMN}} " for value in values)
    return line.rstrip()


def _torch_name_width(layers: Sequence[Layer]) -> int:
    """40, or the longest ``Class: depth-idx`` plus its indent, rounded up to 5."""
    longest = max(
        [len("Sequential") + 1] + [len(_torch_title(layers, i)) + 6 for i in range(len(layers))]
    )
    return 40 if longest < 40 else math.ceil(longest / 5) * 5


def _torch_title(layers: Sequence[Layer], index: int) -> str:
    return f"{layers[index]['class_name']}: 1-{index + 1}"


def _torch_sizes(result: Result) -> list[str]:
    layers = result.get("layers", [])
    input_bytes = _FLOAT_BYTES * math.prod(_torch_shape(result["input_shape"])) + STORAGE_OVERHEAD
    pass_bytes = sum(
        2 * _FLOAT_BYTES * math.prod(_torch_shape(layer["output_shape"]))
        for layer in layers
        if layer["params"] > 0
    )
    param_bytes = sum(_FLOAT_BYTES * layer["params"] for layer in layers)
    total = input_bytes + pass_bytes + param_bytes
    return [
        f"Input size (MB): {input_bytes / 1e6:0.2f}",
        f"Forward/backward pass size (MB): {pass_bytes / 1e6:0.2f}",
        f"Params size (MB): {param_bytes / 1e6:0.2f}",
        f"Estimated Total Size (MB): {total / 1e6:0.2f}",
    ]


def _torch_number(value: float, unit: str | None = None) -> str:
    """torchinfo's ``format_output_num``: whole numbers as ``1,234``, others ``0.46``."""
    label = f" ({unit})" if unit else ""
    text = f"{int(value):,d}" if float(value).is_integer() else f"{value:,.2f}"
    return f"{label}: {text}"


def _torch_macs_line(total: int) -> str:
    scale, unit = next((scale, unit) for scale, unit in MACS_UNITS if total >= scale)
    return f"Total mult-adds{_torch_number(total / (scale or 1e6), unit)}"


def _torchinfo(result: Result, width: int | None, columns: int) -> str:
    del width, columns
    _require_built(result, "torchinfo")
    layers = result.get("layers", [])
    name_width = _torch_name_width(layers)
    divider = "=" * (2 * _TORCH_COLUMN + name_width)
    last_shape = layers[-1]["output_shape"] if layers else result["input_shape"]
    rows = [_torch_row("Sequential", (str(_torch_shape(last_shape)), "--"), name_width)]
    rows += [
        _torch_row(
            f"├─{_torch_title(layers, i)}",
            (str(_torch_shape(layer["output_shape"])), _torch_params(layer)),
            name_width,
        )
        for i, layer in enumerate(layers)
    ]
    trainable = sum(w["count"] for layer in layers for w in _torch_weights(layer) if w["trainable"])
    total = sum(layer["params"] for layer in layers)
    lines = [
        divider,
        _torch_row("Layer (type:depth-idx)", ("Output Shape", "Param #"), name_width),
        divider,
        *rows,
        divider,
        f"Total params{_torch_number(total)}",
        f"Trainable params{_torch_number(trainable)}",
        f"Non-trainable params{_torch_number(total - trainable)}",
        _torch_macs_line(sum(_torch_macs(layer) for layer in layers)),
        divider,
        *_torch_sizes(result),
        divider,
    ]
    return "".join(line + "\n" for line in lines)


_RENDERERS: MappingProxyType[str, Callable[[Result, int | None, int], str]] = MappingProxyType(
    {
        "keras3": _keras3,
        "keras2": _keras2,
        "keras2-classic": _keras2_classic,
        "torchinfo": _torchinfo,
    }
)
