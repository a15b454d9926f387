"""PDF (for LaTeX) and PNG of a scene with matplotlib, imported only when a figure is drawn.

No pyplot, no ``matplotlib.use()``, and no Figure or Artists either: the shapes go straight
to the renderer ``savefig`` would use (``RendererPdf`` on a ``PdfFile``, or ``RendererAgg``),
in the order a Figure draws them (cells and arrow heads, then lines, then text). That skips
the Artist layer's transforms, property lookups and text layout, which were most of the
cost. PDF text is set in the standard 14 fonts, so nothing is embedded (see
:mod:`~sphinxcontrib_convpad.render.mpl_text`); PNG text in DejaVu. The light palette;
hatching as in the SVG; bytes that depend only on the scene: no dates in the metadata,
settings pinned in an ``rc_context``.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Iterable, Mapping
from itertools import groupby
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal, NamedTuple, cast

from sphinxcontrib_convpad.render import LIGHT, colour_slot, resolve_palette
from sphinxcontrib_convpad.render import mpl_text as text
from sphinxcontrib_convpad.scene import Arrow, Lines, Rect, Scene, Shape, Text

if TYPE_CHECKING:
    from matplotlib.backend_bases import GraphicsContextBase, RendererBase
    from matplotlib.path import Path
    from matplotlib.transforms import Transform

INCHES = 0.3  #: inches per grid unit (a 5x5 diagram is about 5.5 in wide)
POINTS = INCHES * 72  #: points per grid unit
PX = POINTS / 30  #: one SVG pixel (render.svg.UNIT = 30 per unit), in points
_RC: Mapping[str, Any] = MappingProxyType(
    {
        "pdf.use14corefonts": True,  # Helvetica & co.: nothing to embed or lay out
        "pdf.fonttype": 3,  # for a label beyond them; Type 42 subsetting costs 0.1 s a face
        "ps.fonttype": 3,  # read by PdfFile too
        "pdf.compression": 6,
        "pdf.inheritcolor": False,
        "path.simplify": False,
        "text.hinting": "no_hinting",  # "default" hinting makes + and = look bold
    }
)
_HATCH = {"pad": "////", "unread": "xxx", "inserted": "..", "crop": "\\\\\\\\"}
_HATCH_WIDTH = 0.5  #: points
_PLAIN = {  # role -> (fill slot, edge slot)
    "input": ("input", None),
    "output": ("output", None),
    "elision": ("elision", None),
    "flow-box": ("flow", "grid"),
    "flow-input": ("flow", "grid"),
    "flow-drawn": ("flow-drawn", "ink"),
}
_DASHED = (3.7, 1.6)  #: matplotlib's "--", in line widths
_ANCHOR = {"start": 0.0, "middle": 0.5, "end": 1.0}
_TEXT = {  # role -> (colour slot, face)
    "heading": ("ink", text.Face(bold=True)),
    "axis-label": ("muted", text.Face()),
    "index": ("ink", text.Face(bold=True)),
    "elision": ("muted", text.Face(italic=True)),
    "flow-shape": ("ink", text.Face(mono=True)),
}
_PLAIN_TEXT = ("ink", text.Face())

RGBA = tuple[float, float, float, float]
TextDrawer = Callable[["GraphicsContextBase", text.Label], None]  #: PdfText or AggText


class Paint(NamedTuple):
    """How a shape is filled and stroked."""

    fill: RGBA | None
    edge: RGBA | None = None
    width: float = 0.0  # stroke width, points
    dashes: tuple[float, ...] = ()  # in stroke widths
    hatch: str | None = None
    hatch_colour: RGBA | None = None


def _alpha(colour: RGBA, alpha: float) -> RGBA:
    return (colour[0], colour[1], colour[2], alpha)


def _rect_paint(role: str, c: Mapping[str, RGBA]) -> Paint:
    """The paint of a rectangle of ``role``, from the palette ``c``."""
    if role in _HATCH:
        return Paint(c[role], hatch=_HATCH[role], hatch_colour=c[f"{role}-hatch"])
    if role in _PLAIN:
        fill, edge = _PLAIN[role]
        face = _alpha(c[fill], 0.85) if role == "elision" else c[fill]
        dashes = _DASHED if role == "flow-input" else ()
        return Paint(face, c[edge] if edge else None, 0.8 * PX, dashes)
    if role in ("frame", "crop-frame"):
        stroke = c["ink"] if role == "frame" else c["crop-hatch"]
        return Paint(None, stroke, 1.8 * PX, () if role == "frame" else (3, 2))
    kind, _, _ = role.rpartition("-")
    colour = c[colour_slot(role)]
    if kind == "tap":
        return Paint(_alpha(colour, 0.6))
    if kind == "output":
        return Paint(_alpha(colour, 0.45))
    return Paint(_alpha(colour, 0.3 if kind == "window" else 0.06), colour, 2.4 * PX)


def _gc(renderer: RendererBase, paint: Paint) -> GraphicsContextBase:
    """A graphics context for ``paint``."""
    gc = renderer.new_gc()
    gc.set_snap(False)  # frames and grid lines stay on the same boundaries
    gc.set_linewidth(paint.width if paint.edge else 0)
    if paint.edge:
        gc.set_foreground(paint.edge, isRGBA=True)
        if paint.dashes:
            gc.set_dashes(0, [d * paint.width for d in paint.dashes])
    if paint.hatch and paint.hatch_colour:
        gc.set_hatch(paint.hatch)
        gc.set_hatch_color(paint.hatch_colour)
        gc.set_hatch_linewidth(_HATCH_WIDTH)
    return gc


def _rects(rects: Iterable[Rect]) -> Path:
    """One path of closed rectangles."""
    from matplotlib.path import Path

    points, codes = [], []
    for r in rects:
        points += [(r.x, r.y), (r.x + r.w, r.y), (r.x + r.w, r.y + r.h), (r.x, r.y + r.h)]
        points.append((r.x, r.y))
        codes += [Path.MOVETO, Path.LINETO, Path.LINETO, Path.LINETO, Path.CLOSEPOLY]
    return Path(points, codes)


def _segments(segments: Iterable[tuple[float, float, float, float]]) -> Path:
    from matplotlib.path import Path

    points, codes = [], []
    for a, b, x, y in segments:
        points += [(a, b), (x, y)]
        codes += [Path.MOVETO, Path.LINETO]
    return Path(points, codes)


def _arrow(shape: Arrow) -> tuple[Path, Path]:
    """The shaft and the head (a closed triangle) of an arrow, as in the SVG."""
    from matplotlib.path import Path

    dx, dy = shape.x2 - shape.x1, shape.y2 - shape.y1
    length = math.hypot(dx, dy) or 1.0
    ux, uy = dx / length, dy / length
    bx, by = shape.x2 - 0.32 * ux, shape.y2 - 0.32 * uy
    tip = (shape.x2, shape.y2)
    head = [tip, (bx - 0.16 * uy, by + 0.16 * ux), (bx + 0.16 * uy, by - 0.16 * ux), tip]
    shaft = _segments([(shape.x1, shape.y1, bx, by)])
    return shaft, Path(head, [Path.MOVETO, Path.LINETO, Path.LINETO, Path.CLOSEPOLY])


def _rect_role(shape: Shape) -> str:
    return shape.role if isinstance(shape, Rect) else ""


GcFor = Callable[[Paint], "GraphicsContextBase"]


def _draw(
    renderer: RendererBase,
    scene: Scene,
    c: Mapping[str, RGBA],
    unit: float,
    draw_text: TextDrawer,
) -> None:
    """Draw ``scene`` on ``renderer``, ``unit`` display units to a grid unit.

    In a Figure's z-order: rectangles and arrow heads, then lines and arrow shafts, then text.
    """
    from matplotlib.transforms import Affine2D

    grid: Transform = Affine2D().scale(unit, -unit).translate(0, scene.height * unit)
    contexts: dict[Paint, GraphicsContextBase] = {}

    def gc(paint: Paint) -> GraphicsContextBase:
        """One graphics context per paint, shared: the renderer writes only what changes."""
        return contexts.get(paint) or contexts.setdefault(paint, _gc(renderer, paint))

    page = Rect(0, 0, scene.width, scene.height, "page")
    renderer.draw_path(gc(Paint(None)), _rects([page]), grid, (1.0, 1.0, 1.0, 1.0))
    _draw_areas(renderer, scene.shapes, grid, c, gc)
    _draw_lines(renderer, scene.shapes, grid, c, gc)
    for shape in scene.shapes:
        if isinstance(shape, Text):
            slot, face = _TEXT.get(shape.role, _PLAIN_TEXT)
            shift = 0.35 * shape.size  # from the middle of the text to its baseline
            x, y = (shape.x + shift, shape.y) if shape.rotate else (shape.x, shape.y + shift)
            xy = (x * unit, (scene.height - y) * unit)
            size, fraction = shape.size * POINTS, _ANCHOR[shape.anchor]
            label = text.Label(xy, shape.text, face, size, shape.rotate, fraction)
            draw_text(gc(Paint(None, c[slot])), label)


def _draw_areas(
    renderer: RendererBase,
    shapes: Iterable[Shape],
    grid: Transform,
    c: Mapping[str, RGBA],
    gc: GcFor,
) -> None:
    """Rectangles, consecutive ones of a role as one path, and arrow heads."""
    for role, run in groupby(shapes, _rect_role):
        if role:
            paint = _rect_paint(role, c)
            rects = (shape for shape in run if isinstance(shape, Rect))
            renderer.draw_path(gc(paint), _rects(rects), grid, paint.fill)
            continue
        for shape in run:
            if isinstance(shape, Arrow):
                renderer.draw_path(gc(Paint(None)), _arrow(shape)[1], grid, c["ink"])


def _draw_lines(
    renderer: RendererBase,
    shapes: Iterable[Shape],
    grid: Transform,
    c: Mapping[str, RGBA],
    gc: GcFor,
) -> None:
    """Grid lines, dimension marks and arrow shafts."""
    for shape in shapes:
        if isinstance(shape, Lines):
            colour = c["grid" if shape.role == "grid" else "muted"]
            renderer.draw_path(gc(Paint(None, colour, 0.8 * PX)), _segments(shape.segments), grid)
        elif isinstance(shape, Arrow):
            renderer.draw_path(gc(Paint(None, c["ink"], 1.4 * PX)), _arrow(shape)[0], grid)


def _pdf(scene: Scene, colours: Mapping[str, RGBA]) -> bytes:
    """A one-page PDF, as ``FigureCanvasPdf.print_pdf`` writes it."""
    from matplotlib.backends.backend_pdf import RendererPdf

    metadata = {
        "Creator": "sphinxcontrib-convpad",
        "Producer": None,
        "CreationDate": None,
        "Title": scene.title,
    }
    width, height = scene.width * INCHES, scene.height * INCHES
    buffer = io.BytesIO()
    file = text.pdf_file_class()(buffer, metadata=metadata)
    try:
        file.newPage(width, height)
        renderer = RendererPdf(file, 72, height, width)
        _draw(renderer, scene, colours, POINTS, text.PdfText(renderer))
        renderer.finalize()
        file.finalize()
    finally:
        file.close()
    return buffer.getvalue()


def _png(scene: Scene, colours: Mapping[str, RGBA], dpi: int) -> bytes:
    """A PNG, as ``FigureCanvasAgg.print_png`` draws it (without the Software key)."""
    import numpy as np
    from matplotlib.backends.backend_agg import RendererAgg
    from PIL import Image

    unit = INCHES * dpi  # pixels per grid unit
    # Agg rounds the canvas down to whole pixels: 737.9999999999999 must count as 738
    width, height = (round(v * INCHES * dpi, 6) for v in (scene.width, scene.height))
    renderer = RendererAgg(width, height, dpi)
    _draw(renderer, scene, colours, unit, text.AggText(renderer))
    # Opaque, so RGB: a quarter less to compress than print_png's RGBA, the same pixels;
    # zlib level 3 keeps files about as small as print_png's level 6, in two thirds the time
    image = Image.fromarray(np.asarray(renderer.buffer_rgba()))
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, format="png", dpi=(dpi, dpi), compress_level=3)
    return buffer.getvalue()


def render_figure(
    scene: Scene,
    fmt: Literal["pdf", "png"],
    *,
    dpi: int = 150,
    palette: Mapping[str, str] | None = None,
) -> bytes:
    """The bytes of a PDF or PNG of ``scene``; equal scenes give equal bytes.

    ``palette`` overrides slots of :data:`~sphinxcontrib_convpad.render.LIGHT`.
    """
    if fmt not in ("pdf", "png"):
        raise ValueError(f"fmt must be 'pdf' or 'png', got {fmt!r}")
    import matplotlib as mpl
    from matplotlib.colors import to_rgba

    colours = {slot: to_rgba(c) for slot, c in resolve_palette(LIGHT, palette).items()}
    with mpl.rc_context(cast(Any, dict(_RC))):
        return _pdf(scene, colours) if fmt == "pdf" else _png(scene, colours, dpi)
