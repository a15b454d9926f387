"""PDF (for LaTeX) and PNG of a scene with matplotlib, imported only when a figure is drawn.

Object-oriented API only (``Figure``, no pyplot, no ``matplotlib.use()``); the light palette;
hatching as in the SVG; bytes that depend only on the scene: no dates in the metadata, fonts
that ship with matplotlib (DejaVu), settings pinned in an ``rc_context``.
"""

from __future__ import annotations

import io
import math
from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal, cast

from sphinxcontrib_convpad.render import LIGHT, colour_slot, resolve_palette
from sphinxcontrib_convpad.scene import Arrow, Lines, Rect, Scene, Text

if TYPE_CHECKING:
    from matplotlib.axes import Axes

INCHES = 0.3  #: inches per grid unit (a 5x5 diagram is about 5.5 in wide)
POINTS = INCHES * 72  #: points per grid unit
PX = POINTS / 30  #: one SVG pixel (render.svg.UNIT = 30 per unit), in points
_RC: Mapping[str, Any] = MappingProxyType(
    {
        "font.family": "DejaVu Sans",
        "mathtext.fontset": "dejavusans",
        "pdf.fonttype": 3,  # text stays text; Type 42 subsetting costs 0.13 s a face
        "pdf.compression": 6,
        "svg.hashsalt": "sphinxcontrib-convpad",
        "hatch.linewidth": 0.5,
        "path.simplify": False,
        "path.snap": False,  # frames and grid lines stay on the same boundaries
        "text.usetex": False,
        "text.hinting": "no_hinting",  # "default" hinting makes + and = look bold
    }
)
_HATCH = {"pad": "////", "unread": "xxx", "inserted": "..", "crop": "\\\\\\\\"}
_ANCHOR = {"start": "left", "middle": "center", "end": "right"}
_TEXT = {  # role -> (colour slot, weight, style, family)
    "heading": ("ink", "bold", "normal", "DejaVu Sans"),
    "axis-label": ("muted", "normal", "normal", "DejaVu Sans"),
    "index": ("ink", "bold", "normal", "DejaVu Sans"),
    "elision": ("muted", "normal", "italic", "DejaVu Sans"),
    "flow-shape": ("ink", "normal", "normal", "DejaVu Sans Mono"),
}


def _rect_style(role: str, c: Mapping[str, str]) -> dict[str, Any]:
    """Keyword arguments of a Rectangle for ``role``."""
    from matplotlib.colors import to_rgba

    if role in _HATCH:
        return {
            "facecolor": c[role],
            "hatch": _HATCH[role],
            "hatchcolor": c[f"{role}-hatch"],
            "edgecolor": "none",
            "linewidth": 0,
        }
    plain = {
        "input": "input",
        "output": "output",
        "elision": "elision",
        "flow-box": "flow",
        "flow-input": "flow",
        "flow-drawn": "flow-drawn",
    }
    if role in plain:
        edge = {"flow-box": "grid", "flow-input": "grid", "flow-drawn": "ink"}.get(role)
        return {
            "facecolor": to_rgba(c[plain[role]], 0.85 if role == "elision" else 1.0),
            "edgecolor": c[edge] if edge else "none",
            "linewidth": 0.8 * PX if edge else 0,
            "linestyle": "--" if role == "flow-input" else "-",
        }
    if role in ("frame", "crop-frame"):
        colour = c["ink"] if role == "frame" else c["crop-hatch"]
        return {
            "facecolor": "none",
            "edgecolor": colour,
            "linewidth": 1.8 * PX,
            "linestyle": "-" if role == "frame" else (0, (3, 2)),
        }
    kind, _, _ = role.rpartition("-")
    colour = c[colour_slot(role)]
    if kind == "tap":
        return {"facecolor": to_rgba(colour, 0.6), "edgecolor": "none", "linewidth": 0}
    if kind == "output":
        return {"facecolor": to_rgba(colour, 0.45), "edgecolor": "none", "linewidth": 0}
    alpha = 0.3 if kind == "window" else 0.06
    return {"facecolor": to_rgba(colour, alpha), "edgecolor": colour, "linewidth": 2.4 * PX}


def _draw(ax: Axes, scene: Scene, c: Mapping[str, str]) -> None:
    from matplotlib.collections import LineCollection
    from matplotlib.patches import Polygon, Rectangle

    for shape in scene.shapes:
        if isinstance(shape, Rect):
            ax.add_patch(
                Rectangle((shape.x, shape.y), shape.w, shape.h, **_rect_style(shape.role, c))
            )
        elif isinstance(shape, Lines):
            grid = shape.role == "grid"
            ax.add_collection(
                LineCollection(
                    [((a, b), (x, y)) for a, b, x, y in shape.segments],
                    colors=c["grid" if grid else "muted"],
                    linewidths=0.8 * PX,
                    capstyle="butt",
                )
            )
        elif isinstance(shape, Arrow):
            dx, dy = shape.x2 - shape.x1, shape.y2 - shape.y1
            length = math.hypot(dx, dy) or 1.0
            ux, uy = dx / length, dy / length
            bx, by = shape.x2 - 0.32 * ux, shape.y2 - 0.32 * uy
            ax.add_collection(
                LineCollection(
                    [((shape.x1, shape.y1), (bx, by))], colors=c["ink"], linewidths=1.4 * PX
                )
            )
            head = [
                (shape.x2, shape.y2),
                (bx - 0.16 * uy, by + 0.16 * ux),
                (bx + 0.16 * uy, by - 0.16 * ux),
            ]
            ax.add_patch(Polygon(head, closed=True, facecolor=c["ink"], edgecolor="none"))
        elif isinstance(shape, Text):
            slot, weight, style, family = _TEXT.get(
                shape.role, ("ink", "normal", "normal", "DejaVu Sans")
            )
            shift = 0.35 * shape.size
            x, y = (shape.x + shift, shape.y) if shape.rotate else (shape.x, shape.y + shift)
            ax.text(
                x,
                y,
                shape.text,
                fontsize=shape.size * POINTS,
                color=c[slot],
                fontweight=weight,
                fontstyle=style,
                fontfamily=family,
                ha=_ANCHOR[shape.anchor],
                va="baseline",
                rotation=shape.rotate,
                rotation_mode="anchor",
                parse_math=False,
            )


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
    from matplotlib.figure import Figure

    colours = resolve_palette(LIGHT, palette)
    metadata: dict[str, str | None] = (
        {
            "Creator": "sphinxcontrib-convpad",
            "Producer": None,
            "CreationDate": None,
            "Title": scene.title,
        }
        if fmt == "pdf"
        else {"Software": None}
    )
    with mpl.rc_context(cast(Any, dict(_RC))):
        fig = Figure(figsize=(scene.width * INCHES, scene.height * INCHES), dpi=dpi)
        ax = fig.add_axes((0, 0, 1, 1))
        ax.set_xlim(0, scene.width)
        ax.set_ylim(scene.height, 0)
        ax.set_axis_off()
        _draw(ax, scene, colours)
        buffer = io.BytesIO()
        fig.savefig(buffer, format=fmt, dpi=dpi, metadata=metadata, facecolor="white")
    return buffer.getvalue()
