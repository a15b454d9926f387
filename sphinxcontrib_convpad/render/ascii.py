# ruff: noqa: RUF001, RUF002 -- the legend names the minus sign it explains
"""A monospace picture of a layer for the text and man builders (at most 76 columns).

Each cell is one character and a space: ``.`` input, ``0`` padding (``-`` for max pooling's
−∞), ``x`` a cell no window reads, ``z`` a zero a transposed conv inserts, ``/`` a cropped
cell, ``~`` an elided stretch. The windows panel writes each drawn window's label on the
cells it reads; the output panel writes it on the cell it produces.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from textwrap import wrap
from typing import Any

from sphinxcontrib_convpad.scene import AxisView, Cells, Scene, Text, Window, build_scene

WIDTH = 76
_GAP = "    "


def _slots(head: int, tail: int, hidden: int, start: int = 0) -> list[int | None]:
    """The coordinates shown along an axis, ``None`` where the elided stretch sits."""
    end = start + head + hidden + tail
    return [*range(start, start + head), *([None] if hidden else []), *range(end - tail, end)]


def _cells(view: AxisView) -> list[int | None]:
    return _slots(view.head, view.tail, view.hidden, view.lo)


def _outs(view: AxisView) -> list[int | None]:
    return _slots(view.out_head, view.out_tail, view.out_hidden)


def _symbols(scene: Scene) -> dict[str, str]:
    pad = "-" if any(label == "padding (−∞)" for _, label in scene.legend) else "0"
    return {"input": ".", "pad": pad, "unread": "x", "inserted": "z", "crop": "/", "output": "o"}


def _base(views: Sequence[AxisView], coords: Sequence[int], symbols: Mapping[str, str]) -> str:
    kinds = {view.kind(p) for view, p in zip(views, coords, strict=True)}
    if "none" in kinds or kinds == {"crop", "pad"}:
        return " "
    for kind in ("crop", "pad", "inserted", "unread"):
        if kind in kinds:
            return symbols[kind]
    return symbols["input"]


def _cover(views: Sequence[AxisView], windows: Sequence[Window]) -> dict[tuple[int, ...], str]:
    """Cell -> label of the first drawn window that reads it."""
    cover: dict[tuple[int, ...], str] = {}
    for label, _, index in windows:
        taps: list[tuple[int, ...]] = [()]
        for view, w in zip(views, index, strict=True):
            shown = set(_cells(view))  # only drawn cells: a 99999² kernel must not be listed
            reads = [w * view.step + d for d in view.taps if w * view.step + d in shown]
            taps = [(*t, p) for t in taps for p in reads]
        for cell in taps:
            cover.setdefault(cell, label)
    return cover


def _grid(rows: AxisView, cols: AxisView, cell: Any) -> list[str]:
    return [
        " ".join("~" if r is None or c is None else cell(r, c) for c in _cells(cols))
        for r in _cells(rows)
    ]


def _panels(columns: Sequence[tuple[str, list[str]]]) -> list[str]:
    """Panels side by side, each under its heading."""
    widths = [max(len(title), *map(len, lines)) for title, lines in columns]
    height = max(len(lines) for _, lines in columns)
    rows = [_GAP.join(t.ljust(w) for (t, _), w in zip(columns, widths, strict=True))]
    for i in range(height):
        cells = [lines[i] if i < len(lines) else "" for _, lines in columns]
        rows.append(_GAP.join(c.ljust(w) for c, w in zip(cells, widths, strict=True)))
    return [row.rstrip() for row in rows]


def _two_d(cells: Cells, symbols: Mapping[str, str], width: int) -> list[str]:
    rows, cols = cells.axes
    cover = _cover(cells.axes, cells.windows)
    plain = _grid(rows, cols, lambda r, c: _base(cells.axes, (r, c), symbols))
    covered = _grid(
        rows, cols, lambda r, c: cover.get((r, c)) or _base(cells.axes, (r, c), symbols)
    )
    produced = {index: label for label, _, index in cells.windows}
    output = [
        " ".join("~" if r is None or c is None else produced.get((r, c), "o") for c in _outs(cols))
        for r in _outs(rows)
    ]
    panels = [("input", plain), ("windows", covered), ("output", output)]
    if not cells.windows:
        panels = [panels[0], panels[2]]
    picture = _panels(panels)
    if max(map(len, picture)) > width and cells.windows:
        picture = _panels(panels[1:])
    return picture


def _strip(view: AxisView, windows: Sequence[Window], symbols: Mapping[str, str]) -> list[str]:
    slots = _cells(view)
    lines = [
        "input    " + " ".join("~" if p is None else _base([view], [p], symbols) for p in slots)
    ]
    for label, _, (w,) in windows:
        read = {w * view.step + d for d in view.taps}
        marks = ["~" if p is None else label if p in read else " " for p in slots]
        lines.append(f"window {label} " + " ".join(marks).rstrip())
    produced = {w: label for label, _, (w,) in windows}
    outs = ["~" if i is None else produced.get(i, "o") for i in _outs(view)]
    return [*lines, "output   " + " ".join(outs)]


def _legend(scene: Scene, symbols: Mapping[str, str], width: int) -> list[str]:
    parts = []
    for role, label in scene.legend:
        if role.startswith("window"):
            parts.append(label.replace("→", "->"))
        elif role in symbols:
            parts.append(f"{symbols[role]} {label}".replace("−∞", "-inf"))
    lines = [parts[0]]
    for part in parts[1:]:
        if len(lines[-1]) + 3 + len(part) > width:
            lines.append(part)
        else:
            lines[-1] += "   " + part
    return lines


def _flow(scene: Scene) -> str:
    names = [s.text for s in scene.shapes if isinstance(s, Text) and s.role == "flow-name"]
    shapes = [s.text for s in scene.shapes if isinstance(s, Text) and s.role == "flow-shape"]
    pad = max(map(len, names), default=0)
    lines = [f"{n.ljust(pad)}  {s}" for n, s in zip(names, shapes, strict=True)]
    return "\n  |\n".join(lines) + "\n"


def render_ascii(scene_or_layer: Scene | Mapping[str, Any], *, width: int = WIDTH) -> str:
    """The text picture of a scene (or of a layer of an analysis, built into one)."""
    scene = scene_or_layer if isinstance(scene_or_layer, Scene) else build_scene(scene_or_layer)
    cells = scene.cells
    if cells is None:
        return _flow(scene)
    symbols = _symbols(scene)
    head, sub, kernel, *depth = cells.lines
    if len(cells.axes) == 2:
        picture = _two_d(cells, symbols, width)
    else:
        picture = _strip(cells.axes[0], cells.windows, symbols)
    lines = [head, sub, "", *picture, ""]
    if cells.depth is not None:
        lines += [*wrap(" ".join(depth), width), *_strip(cells.depth, cells.depth_windows, symbols)]
        lines.append("")
    text = [*wrap(head, width), *wrap(sub, width), *lines[2:], *wrap(kernel, width)]
    return "\n".join([*text, *_legend(scene, symbols, width)]) + "\n"
