# ruff: noqa: RUF001, RUF002 -- Unicode arrows and minus signs, and their ASCII stand-ins
"""Text for :mod:`~sphinxcontrib_convpad.render.mpl`, drawn straight onto a renderer.

PDF labels are set in the standard 14 fonts, which every PDF reader has, so nothing is
embedded or laid out with FreeType: Helvetica (Courier for monospaced roles) for the
Windows-1252 characters. The few others a scene uses (→, −, ⋯, ∞) are DejaVu's glyph
outlines, filled, marked with ``/ActualText`` and an invisible ASCII stand-in so that the
PDF still reads and searches as written. PNG labels are DejaVu throughout, as filled paths of
the same cached outlines.

Of matplotlib's PDF backend this uses public names only: ``PdfFile``, subclassed to own the
core fonts' resources (``reserveObject``, ``writeObject``, ``fontObject``), its ``output``
with the ``Op``/``Name``/``Verbatim`` vocabulary, and ``RendererPdf``'s ``check_gc``,
``draw_path``, ``draw_text`` and ``get_text_width_height_descent``. Glyph outlines come from
``FT2Font`` (``font_manager.get_font``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, NamedTuple, cast

if TYPE_CHECKING:
    from matplotlib.backend_bases import GraphicsContextBase, RendererBase
    from matplotlib.font_manager import FontProperties

XY = tuple[float, float]
_EM = 100.0  #: the size, in points at 72 dpi, at which outlines are read (as TextToPath)


class Face(NamedTuple):
    """A text style: DejaVu in PNGs and for symbols, its core-font twin in PDFs."""

    mono: bool = False
    bold: bool = False
    italic: bool = False

    def ttf(self, size: float) -> FontProperties:
        """DejaVu Sans (Mono) of ``size`` points, shipped with matplotlib."""
        from matplotlib.font_manager import FontProperties

        style: Literal["normal", "italic"] = "italic" if self.italic else "normal"
        return FontProperties(
            family="DejaVu Sans Mono" if self.mono else "DejaVu Sans",
            weight="bold" if self.bold else "normal",
            style=style,
            size=size,
        )

    @property
    def core(self) -> str:
        """The PostScript name of the standard-14 twin, e.g. ``Helvetica-BoldOblique``.

        Courier's regular strokes are hairlines; its bold has DejaVu Sans Mono's weight.
        """
        suffix = ("Bold" if self.bold or self.mono else "") + ("Oblique" if self.italic else "")
        return ("Courier" if self.mono else "Helvetica") + (f"-{suffix}" if suffix else "")


class Run(NamedTuple):
    """A stretch of a label set alike."""

    text: str
    core: bool  # Windows-1252: set in the core font; else in DejaVu


def runs(text: str) -> list[Run]:
    """``text`` split into runs for the core font and runs for DejaVu."""
    out: list[Run] = []
    for char in text:
        try:
            core = bool(char.encode("cp1252"))
        except UnicodeEncodeError:
            core = False
        if out and out[-1].core == core:
            out[-1] = Run(out[-1].text + char, core)
        else:
            out.append(Run(char, core))
    return out


class Label(NamedTuple):
    """A text to draw, its point ``fraction`` along its width on ``xy`` (display units, y up)."""

    xy: XY
    text: str
    face: Face
    size: float  # points
    angle: float  # degrees, counter-clockwise
    fraction: float  # 0 start, 0.5 middle, 1 end

    def start(self, width: float) -> XY:
        """Where the baseline starts, if the text is ``width`` long."""
        a = math.radians(self.angle)
        shift = self.fraction * width
        return self.xy[0] - shift * math.cos(a), self.xy[1] - shift * math.sin(a)


@dataclass(frozen=True, slots=True)
class Glyph:
    """A glyph of a font file, at 1 em."""

    index: int  # in the font; 0 if the font lacks the character
    advance: float  # in em
    vertices: Any  # the unhinted outline in em, y up (a read-only array)
    codes: Any


@cache
def glyph(font_file: str, char: str) -> Glyph:
    """``char`` in ``font_file`` (a pure function of the two: cached for the process)."""
    from matplotlib.font_manager import get_font
    from matplotlib.ft2font import LoadFlags

    font = get_font(font_file)
    index = font.get_char_index(ord(char))
    if not index:
        return Glyph(0, 0.0, None, None)
    font.set_size(_EM, 72)
    advance = font.load_glyph(index, LoadFlags.NO_HINTING).linearHoriAdvance / 65536
    vertices, codes = font.get_path()
    vertices = vertices / _EM
    vertices.flags.writeable = codes.flags.writeable = False
    return Glyph(index, advance / _EM, vertices, codes)


@cache
def kerning(font_file: str, left: int, right: int) -> float:
    """The kerning between two glyphs of ``font_file``, in em."""
    from matplotlib.font_manager import get_font
    from matplotlib.ft2font import Kerning

    font = get_font(font_file)
    font.set_size(_EM, 72)
    return font.get_kerning(cast(Any, left), cast(Any, right), Kerning.UNFITTED) / 64 / _EM


class Outline(NamedTuple):
    """A line of glyphs as one path."""

    path: Any  # a matplotlib Path in em, y up; None if there is nothing to fill (spaces)
    advance: float  # in em, kerned


def outline(font_file: str, text: str) -> Outline | None:
    """``text`` in ``font_file`` as one path of glyph outlines; None if a glyph is missing."""
    import numpy as np
    from matplotlib.path import Path as MplPath

    glyphs = [glyph(font_file, c) for c in text]
    if not all(g.index for g in glyphs):
        return None
    offsets, x = [], 0.0
    for i, g in enumerate(glyphs):
        x += kerning(font_file, glyphs[i - 1].index, g.index) if i else 0.0
        offsets.append(x)
        x += g.advance
    if not any(len(g.codes) for g in glyphs):
        return Outline(None, x)
    shifted = [np.add(g.vertices, (dx, 0.0)) for g, dx in zip(glyphs, offsets, strict=True)]
    return Outline(MplPath(np.concatenate(shifted), np.concatenate([g.codes for g in glyphs])), x)


def _fill(
    renderer: RendererBase, gc: GraphicsContextBase, shape: Outline, start: XY, label: Label
) -> None:
    """Fill ``shape`` in the gc's colour at ``label``'s size and angle, from ``start``."""
    from matplotlib.transforms import Affine2D

    if shape.path is not None:
        scale = cast(float, renderer.points_to_pixels(label.size))  # the em, in display units
        place = Affine2D().scale(scale).rotate_deg(label.angle).translate(*start)
        renderer.draw_path(gc, shape.path, place, gc.get_rgb())


class AggText:
    """Draws labels on a ``RendererAgg`` in DejaVu, as filled paths of cached outlines.

    The pixels of ``draw_text`` (unhinted), without FreeType loading and rasterising each
    glyph again, which was most of a PNG's cost. A label with a character DejaVu lacks goes
    to ``draw_text``, which knows the fallback fonts.
    """

    def __init__(self, renderer: RendererBase) -> None:
        self.renderer = renderer

    def __call__(self, gc: GraphicsContextBase, label: Label) -> None:
        from matplotlib.font_manager import findfont

        prop = label.face.ttf(label.size)
        shape = outline(findfont(prop), label.text)
        if shape is None:
            width = self.renderer.get_text_width_height_descent(label.text, prop, False)[0]
            x, y = label.start(width)
            height = self.renderer.get_canvas_width_height()[1]  # Agg's y is down
            self.renderer.draw_text(gc, x, height - y, label.text, prop, label.angle)
            return
        em = cast(float, self.renderer.points_to_pixels(label.size))
        _fill(self.renderer, gc, shape, label.start(shape.advance * em), label)


_STAND_IN = {"→": "->", "←": "<-", "−": "-", "⋯": "...", "∞": "oo"}  # ASCII look-alikes


class PdfText:
    """Draws labels on a ``RendererPdf`` whose file is a :func:`pdf_file_class`.

    Windows-1252 runs are text in the core font; the others are DejaVu's outlines (see the
    module). A label with a character DejaVu lacks is set whole by ``draw_text`` in DejaVu,
    with matplotlib's font fallback, as Type 3 fonts: what matplotlib does by default.
    """

    def __init__(self, renderer: Any) -> None:  # a RendererPdf
        self.renderer = renderer
        self.metrics: dict[tuple[str, float], FontProperties] = {}  # (core font, size)

    def __call__(self, gc: GraphicsContextBase, label: Label) -> None:
        from matplotlib.font_manager import findfont

        symbols = label.face._replace(italic=False).ttf(label.size)  # they stand upright
        parts: list[tuple[Run, Outline | None]] = [
            (run, None if run.core else outline(findfont(symbols), run.text))
            for run in runs(label.text)
        ]
        if any(shape is None and not run.core for run, shape in parts):
            self._fallback(gc, label)
            return
        last = len(parts) - 1
        widths = [
            0.0 if i == last and not label.fraction  # where a start-anchored text ends
            else shape.advance * label.size if shape
            else self._width(run.text, label.face.core, label.size)
            for i, (run, shape) in enumerate(parts)
        ]  # fmt: skip
        (x, y), a = label.start(sum(widths)), math.radians(label.angle)
        for (run, shape), width in zip(parts, widths, strict=True):
            if shape is None:
                self._core(gc, (x, y), run.text, label)
            else:
                self._symbols(gc, (x, y), run.text, shape, label)
            x, y = x + width * math.cos(a), y + width * math.sin(a)

    def _width(self, text: str, font: str, size: float) -> float:
        """The advance of ``text`` in the core ``font``, in points, as a PDF reader sets it."""
        from matplotlib.font_manager import FontProperties

        metrics = self.metrics.get((font, size))
        if metrics is None:
            metrics = self.metrics[font, size] = FontProperties(fname=_afm(font), size=size)
        return float(self.renderer.get_text_width_height_descent(text, metrics, False)[0])

    def _text(self, xy: XY, text: str, font: str, label: Label, stretch: float = 1.0) -> None:
        """A PDF text object: ``text`` in the core ``font`` from ``xy``, ``stretch`` wide."""
        from matplotlib.backends.backend_pdf import Op

        cos, sin = math.cos(math.radians(label.angle)), math.sin(math.radians(label.angle))
        self.renderer.file.output(
            Op.begin_text, stretch * cos, stretch * sin, -sin, cos, *xy, Op.textmatrix,
            self.renderer.file.core_font(font), label.size, Op.selectfont,
            text.encode("cp1252"), Op.show, Op.end_text,
        )  # fmt: skip

    def _core(self, gc: GraphicsContextBase, xy: XY, text: str, label: Label) -> None:
        self.renderer.check_gc(gc, gc.get_rgb())  # text is filled with the gc's colour
        self._text(xy, text, label.face.core, label)

    def _symbols(
        self, gc: GraphicsContextBase, xy: XY, text: str, shape: Outline, label: Label
    ) -> None:
        """Filled outlines that read as ``text`` (ISO 32000 14.9.4, replacement text)."""
        from matplotlib.backends.backend_pdf import Name, Verbatim

        file = self.renderer.file
        file.output(Name("Span"), {"ActualText": text}, Verbatim(b"BDC"))
        _fill(self.renderer, gc, shape, xy, label)
        # and, for readers without ActualText, an invisible ASCII stand-in just as wide
        stand_in = "".join(_STAND_IN.get(c, "?") for c in text)
        stretch = shape.advance * label.size / self._width(stand_in, "Helvetica", label.size)
        file.output(3, Verbatim(b"Tr"))  # text render mode 3: neither fill nor stroke
        self._text(xy, stand_in, "Helvetica", label, stretch)
        file.output(0, Verbatim(b"Tr"), Verbatim(b"EMC"))

    def _fallback(self, gc: GraphicsContextBase, label: Label) -> None:
        import matplotlib as mpl

        prop = label.face.ttf(label.size)
        with mpl.rc_context({"pdf.use14corefonts": False}):  # read by both calls
            width = self.renderer.get_text_width_height_descent(label.text, prop, False)[0]
            x, y = label.start(width)
            self.renderer.draw_text(gc, x, y, label.text, prop, label.angle)


@cache
def _afm(name: str) -> str:
    """The metrics file matplotlib ships for the core font ``name``."""
    import matplotlib as mpl

    return str(Path(mpl.get_data_path(), "fonts", "pdfcorefonts", f"{name}.afm"))


@cache
def pdf_file_class() -> type:
    """A ``PdfFile`` that also writes the resources of the core fonts ``core_font`` named."""
    from matplotlib.backends.backend_pdf import Name, PdfFile

    class CorePdfFile(PdfFile):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.core_fonts: dict[str, Name] = {}  # PostScript name -> resource name

        def core_font(self, name: str) -> Name:
            """The resource name of the standard-14 font ``name`` (e.g. ``Helvetica``)."""
            return self.core_fonts.setdefault(name, Name(f"C{len(self.core_fonts) + 1}"))

        def writeObject(self, ref: Any, contents: Any) -> None:  # noqa: N802
            if ref is self.fontObject:  # the page's fonts: add ours
                contents = dict(contents)
                for name, resource in self.core_fonts.items():
                    contents[resource] = self.reserveObject(f"font {name}")
                    font = {
                        "Type": Name("Font"),
                        "Subtype": Name("Type1"),
                        "BaseFont": Name(name),
                        "Encoding": Name("WinAnsiEncoding"),
                    }
                    super().writeObject(contents[resource], font)
            super().writeObject(ref, contents)

    return CorePdfFile
