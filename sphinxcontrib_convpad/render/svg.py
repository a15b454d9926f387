"""SVG text for a scene, meant to be inlined in HTML (written directly: fast, byte-stable).

Colours are CSS custom properties scoped to the diagram's id, with light defaults and a dark
variant that follows the page's theme: ``html[data-theme="dark"]`` (pydata-sphinx-theme),
``body[data-theme="dark"]`` (furo) and, for ``body[data-theme="auto"]``, the reader's
``prefers-color-scheme``. Outside such a theme the picture stays light.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping

from sphinxcontrib_convpad.render import DARK, LIGHT, WINDOW_COLOURS, resolve_palette
from sphinxcontrib_convpad.scene import Arrow, Lines, Rect, Scene, Shape, Text

UNIT = 30  #: pixels per grid unit at the natural size
FONT = 'system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"DejaVu Sans",sans-serif'
_ID = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")
_RECT = {  # role -> class
    "input": "cp-input",
    "pad": "cp-pad",
    "unread": "cp-unread",
    "inserted": "cp-inserted",
    "crop": "cp-crop",
    "output": "cp-output",
    "elision": "cp-elision",
    "frame": "cp-frame",
    "crop-frame": "cp-crop-frame",
    "flow-input": "cp-flow-input",
    "flow-box": "cp-flow",
    "flow-drawn": "cp-flow-drawn",
}
_TEXT = {
    "heading": "cp-t cp-heading",
    "label": "cp-t",
    "axis-label": "cp-t cp-muted",
    "index": "cp-t cp-index",
    "elision": "cp-t cp-muted cp-em",
    "legend": "cp-t",
    "flow-name": "cp-t",
    "flow-shape": "cp-t cp-mono",
}


def _n(value: float) -> str:
    """A coordinate in pixels, at most two decimals, no trailing zeros."""
    text = f"{value * UNIT:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _vars(colours: Mapping[str, str]) -> str:
    return ";".join(f"--cp-{slot}:{colour}" for slot, colour in colours.items())


def _style(p: str, light: Mapping[str, str], dark: Mapping[str, str]) -> str:
    s = f"#{p}"
    windows = "".join(f"{s} .cp-c{i}{{--c:var(--cp-window-{i})}}" for i in range(WINDOW_COLOURS))
    return (
        f"{s}{{{_vars(light)}}}"
        f"html[data-theme=dark] {s},body[data-theme=dark] {s},"
        f"[data-md-color-scheme=slate] {s}{{{_vars(dark)}}}"
        f"@media (prefers-color-scheme:dark){{body[data-theme=auto] {s}{{{_vars(dark)}}}}}"
        f"{s} .cp-t{{font-family:{FONT};fill:var(--cp-ink)}}"
        f"{s} .cp-heading{{font-weight:600}}{s} .cp-muted{{fill:var(--cp-muted)}}"
        f"{s} .cp-em{{font-style:italic}}{s} .cp-index{{font-weight:700}}"
        f"{s} .cp-mono{{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}}"
        f"{s} .cp-input{{fill:var(--cp-input)}}{s} .cp-output{{fill:var(--cp-output)}}"
        f"{s} .cp-pad{{fill:url(#{p}-pad)}}{s} .cp-unread{{fill:url(#{p}-unread)}}"
        f"{s} .cp-inserted{{fill:url(#{p}-inserted)}}{s} .cp-crop{{fill:url(#{p}-crop)}}"
        f"{s} .cp-pad-bg{{fill:var(--cp-pad)}}{s} .cp-pad-ln{{stroke:var(--cp-pad-hatch)}}"
        f"{s} .cp-unread-bg{{fill:var(--cp-unread)}}"
        f"{s} .cp-unread-ln{{stroke:var(--cp-unread-hatch)}}"
        f"{s} .cp-inserted-bg{{fill:var(--cp-inserted)}}"
        f"{s} .cp-inserted-dot{{fill:var(--cp-inserted-hatch)}}"
        f"{s} .cp-crop-bg{{fill:var(--cp-crop)}}{s} .cp-crop-ln{{stroke:var(--cp-crop-hatch)}}"
        f"{s} .cp-elision{{fill:var(--cp-elision);fill-opacity:.85}}"
        f"{s} .cp-grid{{stroke:var(--cp-grid);stroke-width:.8;fill:none}}"
        f"{s} .cp-dim{{stroke:var(--cp-muted);stroke-width:.8;fill:none}}"
        f"{s} .cp-frame{{fill:none;stroke:var(--cp-ink);stroke-width:1.8}}"
        f"{s} .cp-crop-frame{{fill:none;stroke:var(--cp-crop-hatch);stroke-width:1.8;"
        f"stroke-dasharray:5 3}}"
        f"{s} .cp-arrow{{stroke:var(--cp-ink);stroke-width:1.4;fill:var(--cp-ink)}}"
        f"{s} .cp-window{{fill:var(--c);fill-opacity:.3;stroke:var(--c);stroke-width:2.4}}"
        f"{s} .cp-wframe{{fill:var(--c);fill-opacity:.06;stroke:var(--c);stroke-width:2.4}}"
        f"{s} .cp-tap{{fill:var(--c);fill-opacity:.6}}"
        f"{s} .cp-out{{fill:var(--c);fill-opacity:.45}}"
        f"{s} .cp-flow,{s} .cp-flow-input{{fill:var(--cp-flow);stroke:var(--cp-grid)}}"
        f"{s} .cp-flow-input{{stroke-dasharray:4 3}}"
        f"{s} .cp-flow-drawn{{fill:var(--cp-flow-drawn);stroke:var(--cp-ink)}}"
        f"{windows}"
    )


def _defs(p: str) -> str:
    def pattern(name: str, angle: int, body: str) -> str:
        return (
            f'<pattern id="{p}-{name}" patternUnits="userSpaceOnUse" width="6" height="6" '
            f'patternTransform="rotate({angle})"><rect width="6" height="6" '
            f'class="cp-{name}-bg"/>{body}</pattern>'
        )

    return (
        "<defs>"
        + pattern("pad", 45, '<path d="M0 0V6" class="cp-pad-ln" stroke-width="1.3"/>')
        + pattern("unread", 45, '<path d="M0 0V6M0 0H6" class="cp-unread-ln" stroke-width="1.1"/>')
        + pattern("inserted", 0, '<circle cx="3" cy="3" r="1.1" class="cp-inserted-dot"/>')
        + pattern("crop", -45, '<path d="M0 0V6" class="cp-crop-ln" stroke-width="1.1"/>')
        + "</defs>"
    )


def _rect(shape: Rect) -> str:
    role = shape.role
    if role in _RECT:
        cls = _RECT[role]
    else:
        kind, _, number = role.rpartition("-")
        base = {"window": "cp-window", "frame": "cp-wframe", "tap": "cp-tap", "output": "cp-out"}
        cls = f"{base[kind]} cp-c{int(number) % WINDOW_COLOURS}"
    return (
        f'<rect x="{_n(shape.x)}" y="{_n(shape.y)}" width="{_n(shape.w)}" '
        f'height="{_n(shape.h)}" class="{cls}"/>'
    )


def _lines(shape: Lines) -> str:
    d = "".join(f"M{_n(a)} {_n(b)}L{_n(c)} {_n(e)}" for a, b, c, e in shape.segments)
    cls = "cp-grid" if shape.role == "grid" else "cp-dim"
    return f'<path d="{d}" class="{cls}"/>'


def _arrow(shape: Arrow) -> str:
    dx, dy = shape.x2 - shape.x1, shape.y2 - shape.y1
    length = math.hypot(dx, dy) or 1.0
    ux, uy = dx / length, dy / length
    bx, by = shape.x2 - 0.32 * ux, shape.y2 - 0.32 * uy
    left, right = (bx - 0.16 * uy, by + 0.16 * ux), (bx + 0.16 * uy, by - 0.16 * ux)
    return (
        f'<path d="M{_n(shape.x1)} {_n(shape.y1)}L{_n(bx)} {_n(by)}" class="cp-arrow"/>'
        f'<path d="M{_n(shape.x2)} {_n(shape.y2)}L{_n(left[0])} {_n(left[1])}'
        f'L{_n(right[0])} {_n(right[1])}Z" class="cp-arrow"/>'
    )


def _text(shape: Text) -> str:
    y = shape.y + 0.35 * shape.size
    turn = f' transform="rotate(-90 {_n(shape.x)} {_n(shape.y)})"' if shape.rotate else ""
    return (
        f'<text x="{_n(shape.x)}" y="{_n(y)}" font-size="{_n(shape.size)}" '
        f'text-anchor="{shape.anchor}" class="{_TEXT.get(shape.role, "cp-t")}"{turn}>'
        f"{_escape(shape.text)}</text>"
    )


def _element(shape: Shape) -> str:
    if isinstance(shape, Rect):
        return _rect(shape)
    if isinstance(shape, Lines):
        return _lines(shape)
    if isinstance(shape, Arrow):
        return _arrow(shape)
    return _text(shape)


def render_svg(
    scene: Scene,
    *,
    id_prefix: str,
    palette: Mapping[str, str] | None = None,
    dark_palette: Mapping[str, str] | None = None,
) -> str:
    """Standalone-valid SVG text of ``scene``; every id starts with ``id_prefix``.

    ``palette``/``dark_palette`` override slots of :data:`~sphinxcontrib_convpad.render.LIGHT`
    and :data:`~sphinxcontrib_convpad.render.DARK`.
    """
    if not _ID.fullmatch(id_prefix):
        raise ValueError(f"id_prefix must be an XML name such as 'convpad-1', got {id_prefix!r}")
    p = id_prefix
    light, dark = resolve_palette(LIGHT, palette), resolve_palette(DARK, dark_palette)
    body = "".join(map(_element, scene.shapes))
    width, height = _n(scene.width), _n(scene.height)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" id="{p}" class="convpad-svg" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" '
        f'style="max-width:100%;height:auto" aria-labelledby="{p}-title {p}-desc">'
        f'<title id="{p}-title">{_escape(scene.title)}</title>'
        f'<desc id="{p}-desc">{_escape(scene.description)}</desc>'
        f"<style>{_style(p, light, dark)}</style>{_defs(p)}{body}</svg>\n"
    )
