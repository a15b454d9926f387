# ruff: noqa: RUF001, RUF002 -- labels are written with Unicode times and minus signs
"""The diagram of a layer as data: shapes in grid units with semantic roles, no colours.

:func:`build_scene` lays out one convolution, pooling, padding or cropping layer of an
analysis (see ``docs/reference/result.rst``): the padded input grid, the kernel windows, the
cells no window reads and the output grid, with labels and a legend. One cell is one unit;
``y`` grows downwards. Every number printed comes from the analysis; the scene only adds
geometry (window ``i`` starts at ``i * stride``). Axes longer than :data:`FULL` cells are drawn
with their middle elided, so a 224×224 input costs about as much as a 5×5 one.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

Anchor = Literal["start", "middle", "end"]

BAND = 1.2  #: width of an elision band, in cells
STRIP_BAND = 3.2  #: width of the elision band of a 1-D strip, wide enough for its label
FULL = 16  #: axes of up to this many cells (padding included) are drawn whole
OUT_FULL = 12  #: output axes of up to this many cells are drawn whole
FEW = 9  #: up to this many windows are each drawn and numbered; else first, next, last
LEFT = 0.7  #: left edge of the text
DRAWABLE = frozenset(
    {
        "conv",
        "conv_transpose",
        "depthwise_conv",
        "separable_conv",
        "pooling",
        "zero_padding",
        "cropping",
    }
)
_SIDES = {
    "length": ("left", "right"),
    "height": ("top", "bottom"),
    "width": ("left", "right"),
    "depth": ("front", "back"),
}
_LINES = {"length": "cells", "height": "rows", "width": "columns", "depth": "depth slices"}


@dataclass(frozen=True, slots=True)
class Rect:
    """A filled rectangle; ``role`` names what it stands for (``pad``, ``window-3`` …)."""

    x: float
    y: float
    w: float
    h: float
    role: str


@dataclass(frozen=True, slots=True)
class Lines:
    """Straight segments ``(x1, y1, x2, y2)`` drawn alike (grid lines, dimension marks)."""

    segments: tuple[tuple[float, float, float, float], ...]
    role: str


@dataclass(frozen=True, slots=True)
class Arrow:
    """An arrow from ``(x1, y1)`` to ``(x2, y2)``."""

    x1: float
    y1: float
    x2: float
    y2: float
    role: str


@dataclass(frozen=True, slots=True)
class Text:
    """One line of text centred vertically on ``y``; ``size`` is the font size in units."""

    x: float
    y: float
    text: str
    role: str
    anchor: Anchor = "middle"
    size: float = 0.4
    rotate: int = 0  # degrees counter-clockwise: 0 or 90


Shape = Rect | Lines | Arrow | Text
Extent = tuple[int, int, int, float]  # shown head, shown tail, hidden cells, band width
Window = tuple[str, int, tuple[int, ...]]  # label, colour number, window index per axis


@dataclass(frozen=True, slots=True)
class AxisView:
    """One spatial axis as drawn, in padded coordinates (0 = first cell after ``before``).

    ``lo``/``hi`` bound the drawn cells; ``head`` cells from ``lo`` and ``tail`` cells up to
    ``hi`` are shown, the rest is elided. ``windows`` is the number of window positions
    (the output size for a convolution, 0 for padding and cropping layers).
    """

    name: str
    size: int  # cells of the drawn input (the stride-dilated input of a transposed conv)
    before: int  # padding before it; negative crops
    after: int
    step: int  # window start to window start
    span: int  # cells one window spans
    taps: tuple[int, ...]  # offsets a window reads
    every: int  # original input cells sit every `every` cells (transposed stride)
    windows: int
    out: int
    lo: int
    hi: int
    head: int
    tail: int
    out_head: int
    out_tail: int
    band: float = BAND  # drawn width of the elision band

    @property
    def hidden(self) -> int:
        return self.hi - self.lo - self.head - self.tail

    @property
    def out_hidden(self) -> int:
        return self.out - self.out_head - self.out_tail

    @property
    def length(self) -> float:
        return self.head + self.tail + (self.band if self.hidden else 0.0)

    @property
    def out_length(self) -> float:
        return self.out_head + self.out_tail + (self.band if self.out_hidden else 0.0)

    def extent(self) -> Extent:
        return (self.head, self.tail, self.hidden, self.band)

    def out_extent(self) -> Extent:
        return (self.out_head, self.out_tail, self.out_hidden, self.band)

    def shown(self) -> list[int]:
        """Padded coordinates of the cells drawn, in order."""
        return [*range(self.lo, self.lo + self.head), *range(self.hi - self.tail, self.hi)]

    def edge(self, e: int) -> float:
        """Drawn offset of the boundary before padded cell ``e`` (mid-band if elided)."""
        if e <= self.lo + self.head:
            return float(e - self.lo)
        if e >= self.hi - self.tail:
            return e - self.lo - self.hidden + self.band
        return self.head + self.band / 2

    def out_edge(self, i: int) -> float:
        if i <= self.out_head:
            return float(i)
        if i >= self.out - self.out_tail:
            return i - self.out_hidden + self.band
        return self.out_head + self.band / 2

    def kind(self, p: int) -> str:
        """``pad``, ``input``, ``unread``, ``inserted`` (a transposed conv's zeros) or ``crop``."""
        j = p - self.before
        in_frame = 0 <= p < self.size + self.before + self.after
        if not 0 <= j < self.size:
            return "pad" if in_frame else "none"
        if not in_frame:
            return "crop"
        if j % self.every:
            return "inserted"
        if self.windows and not self.is_read(p):
            return "unread"
        return "input"

    def is_read(self, p: int) -> bool:
        for t in self.taps:
            q = p - t
            if q % self.step == 0 and 0 <= q // self.step < self.windows:
                return True
        return False


@dataclass(frozen=True, slots=True)
class Cells:
    """The cell model behind a layer's picture (what the ASCII backend draws)."""

    axes: tuple[AxisView, ...]  # the drawn grid: (length,) or (height, width)
    windows: tuple[Window, ...]
    depth: AxisView | None
    depth_windows: tuple[Window, ...]
    lines: tuple[str, ...]  # headline, padding, kernel (and depth) sentences


@dataclass(frozen=True, slots=True)
class Scene:
    """A finished picture: size in units, shapes in drawing order, the legend used."""

    width: float
    height: float
    shapes: tuple[Shape, ...]
    legend: tuple[tuple[str, str], ...]  # (role of the swatch, label)
    title: str
    description: str
    cells: Cells | None = None


# ---------------------------------------------------------------- reading the analysis


def _axis_view(layer: Mapping[str, Any], a: Mapping[str, Any], index: int) -> AxisView:
    kind = layer["kind"]
    size, every, windows = a["size"], 1, a["output"]
    before, after = a.get("pad_before", 0), a.get("pad_after", 0)
    step, span = a.get("stride", 1), a.get("effective_kernel", 1)
    taps = tuple(t * a.get("dilation", 1) for t in range(a.get("kernel", 1)))
    if kind == "conv_transpose":  # the equivalent direct conv: stride 1 over the dilated input
        size, every = a["dilated_size"], layer["strides"][index]
    elif kind == "cropping":
        before, after, windows = -a["crop_before"], -a["crop_after"], 0
    elif kind == "zero_padding":
        windows = 0
    lo = min(0, before)
    hi = max(size + before + after, size + before, (windows - 1) * step + span if windows else 0)
    head, tail = hi - lo, 0
    if hi - lo > FULL:
        need_head = (step if windows > 1 else 0) + (span if windows else 0) - lo
        need_tail = hi - (windows - 1) * step if windows else 3
        head, tail = min(max(6, need_head), 14), min(max(3, need_tail), 10)
        if head + tail + 2 >= hi - lo:
            head, tail = hi - lo, 0
    out = a["output"]
    out_head, out_tail = (out, 0) if out <= OUT_FULL else (4, 2)
    return AxisView(
        a["axis"],
        size,
        before,
        after,
        step,
        span,
        taps,
        every,
        windows,
        out,
        lo,
        hi,
        head,
        tail,
        out_head,
        out_tail,
    )


def _dims(values: Sequence[object]) -> str:
    return "×".join(str(v) for v in values)


def _uniform(values: Sequence[object]) -> str:
    return str(values[0]) if len(set(values)) == 1 else _dims(values)


def _unread_count(a: Mapping[str, Any]) -> int:
    if "unread_count" in a:
        return int(a["unread_count"])
    unread = a.get("unread", 0)  # a count, or [start, end) ranges
    return sum(end - start for start, end in unread) if isinstance(unread, list) else int(unread)


def _pairs(axes: Sequence[Mapping[str, Any]], key: str = "pad") -> list[tuple[int, int]]:
    return [(a.get(f"{key}_before", 0), a.get(f"{key}_after", 0)) for a in axes]


def _signed(n: int) -> str:
    return f"−{-n}" if n < 0 else str(n)


def _pads(axes: Sequence[Mapping[str, Any]], pairs: Sequence[tuple[int, int]]) -> str:
    """``0 before, 1 after on each axis`` or per axis."""
    if len(set(pairs)) == 1:
        (b, f), each = pairs[0], " on each axis" if len(axes) > 1 else ""
        return f"{_signed(b)} before, {_signed(f)} after{each}"
    return "; ".join(
        f"{a['axis']} {_signed(b)} before, {_signed(f)} after"
        for a, (b, f) in zip(axes, pairs, strict=True)
    )


def _sides(axes: Sequence[Mapping[str, Any]], pairs: Sequence[tuple[int, int]]) -> str:
    """``top 0 · bottom 1 · left 0 · right 1``, or ``1 on every side``."""
    if len({n for p in pairs for n in p}) == 1:
        return f"{_signed(pairs[0][0])} on every side"
    return " · ".join(
        f"{s} {_signed(n)}"
        for a, p in zip(axes, pairs, strict=True)
        for s, n in zip(_SIDES[a["axis"]], p, strict=True)
    )


def _padded(axes: Sequence[Mapping[str, Any]], labels: bool) -> str:
    """``padded to 6×6 (…)``, ``cropped to …`` when every pad is negative, or ``''``."""
    pairs = _pairs(axes)
    if not any(n for p in pairs for n in p):
        return ""
    sign = -1 if all(n <= 0 for p in pairs for n in p) else 1
    pairs = [(b * sign, f * sign) for b, f in pairs]
    verb = "cropped" if sign < 0 else "padded"
    sizes = [a["padded_size"] for a in axes]
    if labels:
        return f"{verb} to {_dims(sizes)}: {_sides(axes, pairs)}"
    size = f"{sizes[0]} cells" if len(sizes) == 1 else _dims(sizes)
    return f"{verb} to {size} ({_pads(axes, pairs)})"


def _operator(layer: Mapping[str, Any]) -> tuple[str, str]:
    """(noun for alt text, short word for labels) of the sliding window."""
    kind, cls = layer["kind"], layer.get("class_name", "")
    if kind == "pooling":
        op = "max" if "Max" in cls else "average" if "Av" in cls else ""
        return (f"{op}-pooling window" if op else "pooling window"), "pool"
    if kind == "depthwise_conv":
        return "depthwise kernel", "depthwise kernel"
    if kind == "separable_conv":
        return "depthwise kernel (then a 1×1 pointwise one)", "depthwise kernel"
    return "kernel", "kernel"


def _size(values: Sequence[int]) -> str:
    """``5×5``, or ``10-cell`` on one axis."""
    return f"{values[0]}-cell" if len(values) == 1 else _dims(values)


def _unread_phrase(axes: Sequence[Mapping[str, Any]]) -> str:
    """``; the last row and the last column are never read`` (or ``''``)."""
    parts: list[tuple[str, int]] = []
    for a in axes:
        what = _LINES[a["axis"]] if len(axes) > 1 else "cells"
        count, last = _unread_count(a), a.get("unread_after", 0)
        if last:
            parts.append(
                (f"the last {what[:-1]}" if last == 1 else f"the last {last} {what}", last)
            )
        if count > last:
            parts.append((f"{count - last} {what} in between", count - last))
    if not parts:
        return ""
    verb = "is" if len(parts) == 1 and parts[0][1] == 1 else "are"
    return f"; {' and '.join(text for text, _ in parts)} {verb} never read"


def describe(layer: Mapping[str, Any]) -> str:
    """Alt text: what the picture of ``layer`` shows, in one sentence.

    E.g. "5×5 input padded to 6×6 (0 before, 1 after on each axis); a 2×2 kernel with
    stride 2 gives a 3×3 output."
    """
    kind, axes = layer["kind"], layer["axes"]
    size, out = _size([a["size"] for a in axes]), _size([a["output"] for a in axes])
    if kind == "zero_padding":
        return f"{size} input padded to {out} ({_pads(axes, _pairs(axes))})."
    if kind == "cropping":
        return f"{size} input cropped to {out} ({_pads(axes, _pairs(axes, 'crop'))})."
    noun, _ = _operator(layer)
    kernel = _size([a["kernel"] for a in axes])
    dilation = [a.get("dilation", 1) for a in axes]
    dil = f" dilated by {_uniform(dilation)}" if max(dilation) > 1 else ""
    pad = _padded(axes, labels=False) or "with no padding"
    if kind == "conv_transpose":
        zeros = [s - 1 for s in layer["strides"]]
        between = f"{_uniform(zeros)} zero{'s' if max(zeros) != 1 else ''} between cells"
        return (
            f"{size} input, stride-dilated to {_size([a['dilated_size'] for a in axes])} "
            f"({between}) and {pad}; a {kernel} {noun}{dil} with stride 1 gives a {out} "
            f"output."
        )
    strides = _uniform([a["stride"] for a in axes])
    return (
        f"{size} input {pad}; a {kernel} {noun}{dil} with stride {strides} gives a {out} "
        f"output{_unread_phrase(axes)}."
    )


def drawable_layers(result: Mapping[str, Any]) -> list[int]:
    """Indices of the layers of an analysis that get a diagram."""
    return [
        i
        for i, layer in enumerate(result["layers"])
        if layer.get("kind") in DRAWABLE and layer.get("rank") in (1, 2, 3) and layer.get("axes")
    ]


# ---------------------------------------------------------------- layout helpers


def _width(text: str, size: float) -> float:
    """A generous estimate of the drawn width of ``text`` (DejaVu Sans is wide)."""
    return len(text) * size * 0.62


def _runs(view: AxisView) -> list[tuple[float, int, str]]:
    """(drawn offset, cells, kind) of consecutive drawn cells of one kind."""
    runs: list[tuple[float, int, str]] = []
    for p in view.shown():
        kind, x = view.kind(p), view.edge(p)
        if runs and kind == runs[-1][2] and x == runs[-1][0] + runs[-1][1]:
            runs[-1] = (runs[-1][0], runs[-1][1] + 1, kind)
        else:
            runs.append((x, 1, kind))
    return runs


def _parts(extent: Extent) -> list[tuple[float, float]]:
    """Drawn extents of the shown parts of an axis."""
    head, tail, hidden, band = extent
    return [(0.0, head), (head + band, head + band + tail)] if hidden else [(0.0, head + tail)]


def _ticks(extent: Extent) -> list[float]:
    head, tail, hidden, band = extent
    if not hidden:
        return [float(i) for i in range(head + tail + 1)]
    return [*map(float, range(head + 1)), *(head + band + i for i in range(tail + 1))]


def _grid_lines(x0: float, y0: float, rows: Extent, cols: Extent) -> Lines:
    segments = [(x0 + x, y0 + a, x0 + x, y0 + b) for x in _ticks(cols) for a, b in _parts(rows)]
    segments += [(x0 + a, y0 + y, x0 + b, y0 + y) for y in _ticks(rows) for a, b in _parts(cols)]
    return Lines(tuple(segments), "grid")


def _combine(a: str, b: str) -> str | None:
    """The role of a cell from the kinds of its row and column."""
    kinds = {a, b}
    if "none" in kinds or kinds == {"crop", "pad"}:
        return None
    return next((k for k in ("crop", "pad", "inserted", "unread") if k in kinds), "input")


def _bands(rows: Extent, cols: Extent, x0: float, y0: float) -> list[Shape]:
    """Elision bands across a grid, each saying how many rows or columns it hides."""
    (rh, rt, rx, rb), (ch, ct, cx, cb) = rows, cols
    height, width = rh + rt + (rb if rx else 0), ch + ct + (cb if cx else 0)
    shapes: list[Shape] = []
    if rx:
        shapes.append(Rect(x0 - 0.15, y0 + rh + 0.08, width + 0.3, rb - 0.16, "elision"))
        shapes.append(
            Text(
                x0 + (ch if cx else width) / 2,
                y0 + rh + rb / 2,
                f"⋯ {rx} more rows ⋯",
                "elision",
                size=0.34,
            )
        )
    if cx:
        shapes.append(Rect(x0 + ch + 0.08, y0 - 0.15, cb - 0.16, height + 0.3, "elision"))
        mid, text = y0 + (rh if rx else height) / 2, f"{cx} more columns"
        if height <= 1:  # a strip: say it across
            shapes.append(Text(x0 + ch + cb / 2, mid, f"⋯ {cx} more ⋯", "elision", size=0.3))
        else:
            shapes.append(Text(x0 + ch + cb / 2, mid, text, "elision", size=0.34, rotate=90))
    return shapes


def _dimension(view: AxisView, at: float, start: float, horizontal: bool) -> list[Shape]:
    """Dimension marks along one side of the input grid: its size and each padding or crop."""
    end, frame = view.before + view.size, view.size + view.before + view.after
    segments = []
    if view.before:
        first, last = sorted((0, view.before))
        segments.append((first, last, f"+{view.before}" if view.before > 0 else f"−{-view.before}"))
    cropped = view.before < 0 or view.after < 0
    middle = (max(view.before, 0), min(end, frame))
    segments.append((*middle, str(middle[1] - middle[0]) if cropped else str(view.size)))
    if view.after:
        first, last = sorted((end, frame))
        segments.append((first, last, f"+{view.after}" if view.after > 0 else f"−{-view.after}"))
    return _marks(
        [(start + view.edge(a), start + view.edge(b), t) for a, b, t in segments], at, horizontal
    )


def _marks(
    segments: Sequence[tuple[float, float, str]], at: float, horizontal: bool, after: bool = False
) -> list[Shape]:
    """Dimension lines with end ticks, each labelled: above, or left (``after``: right)."""
    marks: list[tuple[float, float, float, float]] = []
    texts: list[Shape] = []
    for a, b, label in segments:
        a, b = a + 0.1, b - 0.1
        if horizontal:
            marks += [(a, at, b, at), (a, at - 0.12, a, at + 0.12), (b, at - 0.12, b, at + 0.12)]
            texts.append(Text((a + b) / 2, at - 0.3, label, "axis-label", size=0.34))
        else:
            marks += [(at, a, at, b), (at - 0.12, a, at + 0.12, a), (at - 0.12, b, at + 0.12, b)]
            x = at + 0.22 if after else at - 0.22
            anchor: Anchor = "start" if after else "end"
            texts.append(Text(x, (a + b) / 2, label, "axis-label", anchor, size=0.34))
    return [Lines(tuple(marks), "dimension"), *texts]


def _window_ids(views: Sequence[AxisView], strip: bool) -> tuple[Window, ...]:
    """The windows to draw: each one when few, apart and unelided; else first, next, last."""
    counts = [v.windows for v in views]
    total = math.prod(counts)
    if not total:
        return ()
    apart = strip or all(v.step >= v.span or v.windows == 1 for v in views)
    if total <= FEW and apart and not any(v.hidden for v in views):
        ids = itertools.product(*(range(n) for n in counts))  # row-major, as the output
        return tuple((str(k + 1), k, i) for k, i in enumerate(ids))
    # the first, the next along the width, the next down, the last
    nexts = [
        tuple(int(k == axis) for k in range(len(counts)))
        for axis in reversed(range(len(counts)))
        if counts[axis] > 1
    ]
    first, last = tuple(0 for _ in counts), tuple(n - 1 for n in counts)
    picks = [first, *nexts, last]
    if not strip and any(v.taps != tuple(range(v.span)) for v in views):
        # overlapping dilated windows blur into each other: the first, the next, and the
        # last only where it stands apart from the first
        far = any((n - 1) * v.step >= v.span for n, v in zip(counts, views, strict=True))
        picks = [first, *nexts[:1], *([last] if far else [])]
    return tuple(("abcd"[k], k, i) for k, i in enumerate(dict.fromkeys(picks)))


def _elided(view: AxisView, p: int) -> bool:
    return view.lo + view.head <= p < view.hi - view.tail


_CORNERS = ((0.08, 0.08), (0.5, 0.08), (0.08, 0.5), (0.5, 0.5))


def _window_shapes(
    rows: AxisView, cols: AxisView, windows: Sequence[Window], x0: float, y0: float
) -> list[Shape]:
    """2-D windows: translucent (or outlined, when they overlap), taps when dilated, labelled."""
    overlap = any(v.step < v.span and v.windows > 1 for v in (rows, cols))
    dilated = any(v.taps != tuple(range(v.span)) for v in (rows, cols))
    shapes: list[Shape] = []
    for label, colour, (wr, wc) in windows:
        r0, c0 = wr * rows.step, wc * cols.step
        x, y = x0 + cols.edge(c0), y0 + rows.edge(r0)
        w, h = x0 + cols.edge(c0 + cols.span) - x, y0 + rows.edge(r0 + rows.span) - y
        role = "frame" if dilated or overlap else "window"
        inset = 0.06 + 0.1 * (colour % 3) if overlap else 0.07  # overlapping outlines stay apart
        shapes.append(Rect(x + inset, y + inset, w - 2 * inset, h - 2 * inset, f"{role}-{colour}"))
        if not dilated:
            shapes.append(Text(x + inset + 0.24, y + inset + 0.24, label, "index", size=0.3))
            continue
        side, (dx, dy) = (0.42, _CORNERS[colour % 4]) if overlap else (0.6, (0.2, 0.2))
        # the drawn taps of each axis first: a huge dilated kernel has billions of pairs
        row_taps = [tr for tr in rows.taps if not _elided(rows, r0 + tr)]
        col_taps = [tc for tc in cols.taps if not _elided(cols, c0 + tc)]
        shapes += [
            Rect(
                x0 + cols.edge(c0 + tc) + dx,
                y0 + rows.edge(r0 + tr) + dy,
                side,
                side,
                f"tap-{colour}",
            )
            for tr in row_taps
            for tc in col_taps
        ]
        shapes.append(Text(x + dx + side / 2, y + dy + side / 2, label, "index", size=0.28))
    return shapes


# ---------------------------------------------------------------- blocks


def _grid_block(
    layer: Mapping[str, Any],
    rows: AxisView,
    cols: AxisView,
    windows: Sequence[Window],
    x0: float,
    y0: float,
    ox: float,
) -> tuple[list[Shape], float, float]:
    """Input grid, windows, arrow and output grid of two axes; returns shapes, right, bottom."""
    shapes: list[Shape] = []
    for ry, rh, rk in _runs(rows):
        for cx, cw, ck in _runs(cols):
            role = _combine(rk, ck)
            if role:
                shapes.append(Rect(x0 + cx, y0 + ry, cw, rh, role))
    shapes.append(_grid_lines(x0, y0, rows.extent(), cols.extent()))
    shapes += _bands(rows.extent(), cols.extent(), x0, y0)
    shapes.append(
        _frame(
            rows,
            cols,
            x0,
            y0,
            max(rows.before, rows.lo),
            max(cols.before, cols.lo),
            rows.before + rows.size,
            cols.before + cols.size,
            "frame",
        )
    )
    if min(rows.before, rows.after, cols.before, cols.after) < 0:
        shapes.append(
            _frame(
                rows,
                cols,
                x0,
                y0,
                0,
                0,
                rows.size + rows.before + rows.after,
                cols.size + cols.before + cols.after,
                "crop-frame",
            )
        )
    shapes += _window_shapes(rows, cols, windows, x0, y0)
    shapes += _dimension(cols, y0 - 0.3, x0, True)
    shapes += _dimension(rows, x0 - 0.3, y0, False)
    right, bottom = x0 + cols.length, y0 + rows.length
    mid = y0 + min(rows.length, rows.out_length) / 2
    verbs = {"pooling": "pool", "zero_padding": "pad", "cropping": "crop"}
    shapes.append(Arrow(right + 0.6, mid, ox - 0.7, mid, "arrow"))
    shapes.append(
        Text(
            (right + ox) / 2 - 0.05,
            mid - 0.4,
            verbs.get(layer["kind"], "conv"),
            "axis-label",
            size=0.34,
        )
    )
    shapes += _output_grid(rows, cols, windows, ox, y0)
    oright = ox + cols.out_length
    shapes += _marks([(ox, oright, str(cols.out))], y0 - 0.3, True)
    shapes += _marks([(y0, y0 + rows.out_length, str(rows.out))], oright + 0.3, False, True)
    if len(windows) > 1 and windows[1][2] == (0, 1):
        a, b, yb = x0 + cols.edge(0), x0 + cols.edge(cols.step), bottom + 0.45
        shapes.append(
            Lines(
                ((a, yb, b, yb), (a, yb - 0.2, a, yb + 0.2), (b, yb - 0.2, b, yb + 0.2)),
                "dimension",
            )
        )
        shapes.append(Text(a, yb + 0.45, f"stride {cols.step}", "axis-label", "start", size=0.34))
        bottom += 0.9
    return shapes, oright + 1.3, max(bottom, y0 + rows.out_length)


def _frame(
    rows: AxisView,
    cols: AxisView,
    x0: float,
    y0: float,
    r0: int,
    c0: int,
    r1: int,
    c1: int,
    role: str,
) -> Rect:
    x, y = x0 + cols.edge(c0), y0 + rows.edge(r0)
    return Rect(x, y, x0 + cols.edge(c1) - x, y0 + rows.edge(r1) - y, role)


def _output_grid(
    rows: AxisView, cols: AxisView, windows: Sequence[Window], ox: float, y0: float
) -> list[Shape]:
    shapes: list[Shape] = [
        Rect(ox + ca, y0 + ra, cb - ca, rb - ra, "output")
        for ra, rb in _parts(rows.out_extent())
        for ca, cb in _parts(cols.out_extent())
    ]
    for label, colour, (wr, wc) in windows:
        x, y = ox + cols.out_edge(wc), y0 + rows.out_edge(wr)
        shapes += [
            Rect(x, y, 1.0, 1.0, f"output-{colour}"),
            Text(x + 0.5, y + 0.5, label, "index", size=0.36),
        ]
    shapes.append(_grid_lines(ox, y0, rows.out_extent(), cols.out_extent()))
    return shapes + _bands(rows.out_extent(), cols.out_extent(), ox, y0)


def _strip_block(
    view: AxisView, windows: Sequence[Window], x0: float, y0: float, out_label: str
) -> tuple[list[Shape], float, float]:
    """A 1-D axis: the strip, one bar per drawn window below it, then the output strip."""
    one: Extent = (1, 0, 0, 0.0)
    shapes: list[Shape] = [
        Rect(x0 + x, y0, w, 1.0, _combine(k, "input") or "pad") for x, w, k in _runs(view)
    ]
    shapes.append(_grid_lines(x0, y0, one, view.extent()))
    shapes += _bands(one, view.extent(), x0, y0)
    fx = x0 + view.edge(max(view.before, view.lo))
    shapes.append(Rect(fx, y0, x0 + view.edge(view.before + view.size) - fx, 1.0, "frame"))
    shapes += _dimension(view, y0 - 0.3, x0, True)
    dilated = view.taps != tuple(range(view.span))
    lanes = 1 if view.step >= view.span else min(-(-view.span // view.step), len(windows))
    for n, (label, colour, (w,)) in enumerate(windows):
        y = y0 + 1.35 + (n % lanes) * 0.7
        a, b = x0 + view.edge(w * view.step), x0 + view.edge(w * view.step + view.span)
        role = "frame" if dilated else "window"
        shapes.append(Rect(a + 0.06, y, b - a - 0.12, 0.5, f"{role}-{colour}"))
        if dilated:
            shapes += [
                Rect(x0 + view.edge(w * view.step + t) + 0.2, y + 0.08, 0.6, 0.34, f"tap-{colour}")
                for t in view.taps
                if not _elided(view, w * view.step + t)
            ]
        shapes.append(Text(a + 0.3, y + 0.25, label, "index", size=0.3))
    oy = (y0 + 1.35 + lanes * 0.7 if windows else y0 + 1.0) + 1.3
    shapes.append(Text(x0, oy - 0.75, out_label, "heading", "start", size=0.42))
    shapes += [Rect(x0 + a, oy, b - a, 1.0, "output") for a, b in _parts(view.out_extent())]
    for label, colour, (w,) in windows:
        x = x0 + view.out_edge(w)
        shapes += [
            Rect(x, oy, 1.0, 1.0, f"output-{colour}"),
            Text(x + 0.5, oy + 0.5, label, "index", size=0.36),
        ]
    shapes.append(_grid_lines(x0, oy, one, view.out_extent()))
    shapes += _bands(one, view.out_extent(), x0, oy)
    shapes.append(Arrow(x0 - 0.9, y0 + 0.5, x0 - 0.9, oy + 0.5, "arrow"))
    right = x0 + max(view.length, view.out_length, _width(out_label, 0.42))
    return shapes, right, oy + 1.0


def _legend_width(label: str) -> float:
    return 1.15 + _width(label, 0.36) + 0.6


def _legend(
    entries: Sequence[tuple[str, str]], y0: float, width: float
) -> tuple[list[Shape], float]:
    shapes: list[Shape] = []
    x, y = LEFT, y0
    for role, label in entries:
        w = _legend_width(label)
        if x > LEFT and x + w > width:
            x, y = LEFT, y + 0.85
        box = (
            (x, y, x + 0.9, y),
            (x, y + 0.6, x + 0.9, y + 0.6),
            (x, y, x, y + 0.6),
            (x + 0.9, y, x + 0.9, y + 0.6),
        )
        shapes += [
            Rect(x, y, 0.9, 0.6, role),
            Lines(box, "grid"),
            Text(x + 1.15, y + 0.3, label, "legend", "start", size=0.36),
        ]
        x += w
    return shapes, y + 0.6


def _legend_entries(
    layer: Mapping[str, Any], roles: set[str], windows: Sequence[Window]
) -> tuple[tuple[str, str], ...]:
    cls, pooling = layer.get("class_name", ""), layer["kind"] == "pooling"
    names = {
        "pad": "padding (−∞)"
        if pooling and "Max" in cls
        else "padding"
        if pooling
        else "padding (zeros)",
        "inserted": "inserted zeros",
        "unread": "never read",
        "crop": "cropped",
    }
    entries = [("input", "input"), *((k, names[k]) for k in names if k in roles)]
    if windows:
        first = windows[0][0]
        entries.append(("window-0", f"window {first} → output cell {first}"))
    return (*entries, ("output", "output"))


# ---------------------------------------------------------------- scenes


def build_scene(layer: Mapping[str, Any], *, title: str | None = None) -> Scene:
    """The picture of one convolution, pooling, padding or cropping layer of an analysis."""
    kind = layer["kind"]
    if kind not in DRAWABLE or not layer.get("axes"):
        raise ValueError(f"no diagram for a layer of kind {kind!r}")
    axes = layer["axes"]
    views = [_axis_view(layer, a, i) for i, a in enumerate(axes)]
    if len(views) != 2:  # a strip: 1-D, or the depth of 3-D
        views[0] = replace(views[0], band=STRIP_BAND)
    drawn, depth = (
        (views[-2:], views[0] if len(views) == 3 else None) if len(views) > 1 else (views, None)
    )
    windows = _window_ids(drawn, strip=len(drawn) == 1)
    depth_windows = _window_ids([depth], strip=True) if depth else ()
    head, sub, kernel_line, depth_line = _sentences(layer)
    x0, y0 = 2.2, 2.75
    shapes: list[Shape] = [
        Text(LEFT, 0.55, head, "heading", "start", size=0.46),
        Text(LEFT, 1.25, sub, "label", "start", size=0.38),
    ]
    out_label, channels = f"output {_dims([a['output'] for a in axes])}", _channels(layer)
    if len(drawn) == 2:
        ox = max(x0 + drawn[1].length + 3.4, LEFT + max(_width(head, 0.46), _width(sub, 0.38)) + 1)
        block, right, bottom = _grid_block(layer, drawn[0], drawn[1], windows, x0, y0, ox)
        shapes += [
            Text(ox, 0.55, out_label, "heading", "start", size=0.46),
            Text(ox, 1.25, channels, "label", "start", size=0.38),
        ]
    else:
        label = f"{out_label} · {channels}" if channels else out_label
        block, right, bottom = _strip_block(drawn[0], windows, x0, y0, label)
    if depth is not None:
        block.append(Text(LEFT, bottom + 0.8, depth_line, "label", "start", size=0.38))
        more, more_right, bottom = _strip_block(
            depth, depth_windows, x0, bottom + 2.3, f"output depth {depth.out}"
        )
        block += more
        right = max(right, more_right)
    shapes += block
    shapes.append(Text(LEFT, bottom + 0.7, kernel_line, "label", "start", size=0.38))
    roles = {shape.role for shape in block if isinstance(shape, Rect)}
    entries = _legend_entries(layer, roles, windows)
    one_line = LEFT + sum(_legend_width(label) for _, label in entries)
    width = max(right + 0.5, LEFT + _width(kernel_line, 0.38) + 0.5, min(one_line, 26.0), 14.0)
    legend, bottom = _legend(entries, bottom + 1.4, width)
    name = f"{layer.get('name', kind)} ({layer.get('class_name', kind)})"
    cells = Cells(
        tuple(drawn),
        windows,
        depth,
        depth_windows,
        tuple(t for t in (head, sub, kernel_line, depth_line) if t),
    )
    return Scene(
        round(width, 2),
        round(bottom + 0.4, 2),
        (*shapes, *legend),
        entries,
        name if title is None else title,
        describe(layer),
        cells,
    )


def _channels(layer: Mapping[str, Any]) -> str:
    shape = layer.get("output_shape") or []
    if len(shape) < 3 or layer["kind"] in ("zero_padding", "cropping"):
        return ""
    n = shape[1] if layer.get("data_format") == "channels_first" else shape[-1]
    return f"{n} channel{'s' if n != 1 else ''}"


def _padding_words(layer: Mapping[str, Any]) -> str:
    """The layer's own padding argument: ``padding='same'``, ``padding=1``, ``padding=(1, 2)``."""
    mode = layer.get("padding_mode", "")
    if mode in ("valid", "same", "causal"):
        return f"padding='{mode}'"
    values = layer.get("padding")
    if isinstance(values, list) and len(set(values)) == 1:
        values = values[0]
    return f"padding={tuple(values) if isinstance(values, list) else values}"


def _sentences(layer: Mapping[str, Any]) -> tuple[str, str, str, str]:
    """Headline, padding line, kernel line and (3-D) depth line of the picture."""
    kind, axes = layer["kind"], layer["axes"]
    head = f"input {_dims([a['size'] for a in axes])}"
    drawn = axes[-2:] if len(axes) > 1 else axes
    slice_ = "one depth slice, " if len(axes) == 3 else ""
    if len(axes) == 3:
        head += " (depth×height×width)"
    if kind in ("zero_padding", "cropping"):
        key, verb = ("pad", "padded") if kind == "zero_padding" else ("crop", "cropped")
        what = "zero padding adds" if kind == "zero_padding" else "cropping removes"
        out = _dims([a["output"] for a in drawn])
        sides = _sides(drawn, _pairs(drawn, key))
        depth = ""
        if len(axes) == 3:
            (b, f), d = _pairs(axes[:1], key)[0], axes[0]
            depth = f"depth {d['size']}, {verb} {b} before and {f} after → {d['output']}"
        return head, f"{slice_}{verb} to {out}: {sides}", f"{what} the border", depth
    pad = _padded(drawn, labels=True) or "no padding"
    _, word = _operator(layer)
    kernel = f"{word} {_dims([a['kernel'] for a in axes])}"
    dilation = [a.get("dilation", 1) for a in axes]
    dil = f" · dilation {_uniform(dilation)}" if max(dilation) > 1 else ""
    if kind == "conv_transpose":
        dilated = _dims([a["dilated_size"] for a in drawn])
        pad = f"stride-dilated to {dilated}, " + ("not padded" if pad == "no padding" else pad)
        stride = f"stride 1 over the input dilated by {_uniform(layer['strides'])}"
    else:
        stride = f"stride {_uniform([a['stride'] for a in axes])}"
    depth = ""
    if len(axes) == 3:
        d = axes[0]
        depth = (
            f"depth {d['size']} + pad {d['pad_before']} + {d['pad_after']} = "
            f"{d['padded_size']}; {word} {d['kernel']}, stride {d['stride']} → "
            f"{d['output']}"
        )
        if kind == "conv_transpose":
            depth = (
                f"depth {d['size']}, dilated to {d['dilated_size']}, + pad {d['pad_before']}"
                f" + {d['pad_after']}; {word} {d['kernel']} at stride 1 → {d['output']}"
            )
    ceil = " · ceil_mode=True" if layer.get("ceil_mode") else ""
    return head, slice_ + pad, f"{kernel}{dil} · {stride} · {_padding_words(layer)}{ceil}", depth


def build_flow(result: Mapping[str, Any]) -> Scene:
    """The shape flow of a stack: the input, then one box per layer with its output shape."""
    drawn = set(drawable_layers(result))
    rows = [("input", "", _shape(result.get("input_shape")), "flow-input")]
    rows += [
        (
            layer.get("name", ""),
            layer.get("class_name", ""),
            _shape(layer.get("output_shape")),
            "flow-drawn" if i in drawn else "flow-box",
        )
        for i, layer in enumerate(result["layers"])
    ]
    names = [f"{name} ({cls})" if cls else name for name, cls, _, _ in rows]
    width = max(max(map(len, names)) * 0.25 + max(len(r[2]) for r in rows) * 0.25 + 2.0, 8.0)
    shapes: list[Shape] = []
    y = 0.3
    for k, (label, (_, _, shape, role)) in enumerate(zip(names, rows, strict=True)):
        if k:
            shapes.append(Arrow(1.2, y - 0.75, 1.2, y - 0.05, "arrow"))
        shapes += [
            Rect(0.3, y, width, 1.1, role),
            Text(0.7, y + 0.55, label, "flow-name", "start"),
            Text(width - 0.1, y + 0.55, shape, "flow-shape", "end"),
        ]
        y += 1.9
    steps = " → ".join(
        f"{layer.get('name', '')} {_shape(layer.get('output_shape'))}" for layer in result["layers"]
    )
    return Scene(
        round(width + 0.6, 2),
        round(y - 0.5, 2),
        tuple(shapes),
        (),
        f"{result.get('model_name', 'model')}: shape flow",
        f"input {_shape(result.get('input_shape'))} → {steps}",
    )


def _shape(shape: Sequence[int | None] | None) -> str:
    if shape is None:
        return ""
    inner = ", ".join("None" if n is None else str(n) for n in shape)
    return f"({inner},)" if len(shape) == 1 else f"({inner})"
