"""The diagram node and how each builder writes it.

The directive stores only JSON-able data on a :class:`conv_padding_diagram` (what to draw,
alt text, id prefix, width, align); the picture is drawn when a builder writes the page:

* HTML (and dirhtml, singlehtml …): inline SVG, or a PNG file with
  ``convpad_image_format = "png"``; epub: always a PNG file (inline SVG would need
  manifest properties Sphinx does not write);
* LaTeX: a PDF file drawn by matplotlib, included with ``\\sphinxincludegraphics``;
* Texinfo: a PNG file;
* text and man: the ASCII diagram in a literal block (``doctree-resolved``);
* any other builder: the alt text as a paragraph.

Files go to the builder's own image folder, named by :func:`.images.image_name`, and are
drawn only when missing.
"""

from __future__ import annotations

import html
import posixpath
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.util import logging

from sphinxcontrib_convpad.images import ensure_image, image_name, png_size
from sphinxcontrib_convpad.warnings_ import WARNING_TYPE, ConvPadWarning

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.writers.html5 import HTML5Translator
    from sphinx.writers.latex import LaTeXTranslator
    from sphinx.writers.texinfo import TexinfoTranslator

    from sphinxcontrib_convpad.scene import Scene

logger = logging.getLogger(__name__)

PNG_DPI = 192
"""PNG resolution: twice the CSS pixel (96 dpi), so the pictures stay sharp on HiDPI screens."""
CSS_DPI = 96
RENDER_ERRORS = (ValueError, OSError, ImportError)
"""What drawing or writing a picture may raise (bad palette, disk full, no matplotlib)."""
VISITED_FORMATS = frozenset({"html", "latex", "texinfo"})
"""Builder formats whose translators draw the node (the others get it replaced)."""


class conv_padding_diagram(nodes.General, nodes.Element):  # noqa: N801
    """One picture: ``payload`` says what to draw (JSON-able), ``alt`` describes it."""


# ---------------------------------------------------------------- drawing


def scene_of(payload: Mapping[str, Any]) -> Scene:
    """The scene a node's payload describes: one layer, or the shape flow of a stack."""
    from sphinxcontrib_convpad.scene import build_flow, build_scene

    if payload["scene"] == "flow":
        return build_flow(payload["result"])
    return build_scene(payload["layer"], title=payload.get("title"))


def palettes(builder: Builder) -> tuple[dict[str, str], dict[str, str]]:
    """The light and dark colour overrides of ``convpad_colors`` (validated at config-inited)."""
    colours = dict(builder.config.convpad_colors or {})
    dark = colours.pop("dark", None) or {}
    return colours, dict(dark)


def _file(builder: Builder, node: conv_padding_diagram, fmt: str) -> tuple[str, bytes | None]:
    """Draw the node into the builder's image folder if needed; its URI relative to the page.

    Returns the URI and, for PNG, the file's first bytes (for its pixel size).
    """
    from sphinxcontrib_convpad import __version__

    light, _ = palettes(builder)
    dpi = PNG_DPI if fmt == "png" else None
    payload = {**node["payload"], "palette": light, "dpi": dpi}
    name = image_name(payload, fmt, __version__)
    folder: Path = builder.outdir / builder.imagedir

    def draw() -> bytes:
        from sphinxcontrib_convpad.render.mpl import render_figure

        scene = scene_of(node["payload"])
        return render_figure(scene, fmt, dpi=dpi or 150, palette=light or None)  # type: ignore[arg-type]

    path, _drawn = ensure_image(folder, name, draw)
    head = None
    if fmt == "png":
        with path.open("rb") as stream:
            head = stream.read(32)
    return posixpath.join(builder.imgpath, name), head


SVG_CACHE = "convpad-svg"
"""The folder, in the doctree directory, that keeps drawn inline SVGs between writes."""


def _inline_svg(builder: Builder, node: conv_padding_diagram) -> str:
    """The SVG text to inline, drawn once per distinct picture.

    The text is kept, hash-named, in the build's private cache folder beside the doctrees
    (:data:`SVG_CACHE`): a page that is written again (one directive edited) reads its other
    diagrams back instead of drawing them, and nothing extra is published with the site.
    """
    from sphinxcontrib_convpad import __version__

    light, dark = palettes(builder)
    payload = {**node["payload"], "id_prefix": node["id_prefix"], "palette": light, "dark": dark}
    name = image_name(payload, "svg", __version__)

    def draw() -> bytes:
        from sphinxcontrib_convpad.render.svg import render_svg

        svg = render_svg(
            scene_of(node["payload"]),
            id_prefix=node["id_prefix"],
            palette=light or None,
            dark_palette=dark or None,
        )
        return svg.encode("utf-8")

    path, _drawn = ensure_image(Path(builder.doctreedir) / SVG_CACHE, name, draw)
    return path.read_text(encoding="utf-8")


def _warn_render(node: nodes.Element, err: Exception) -> None:
    logger.warning(
        "conv-padding: cannot draw the diagram (%s); showing its alt text instead",
        err,
        location=node,
        type=WARNING_TYPE,
        subtype=ConvPadWarning.RENDER.value,
    )


# ---------------------------------------------------------------- HTML


def html_visit_conv_padding_diagram(self: HTML5Translator, node: conv_padding_diagram) -> None:
    alt = node.get("alt", "")
    fmt = "png" if self.builder.name == "epub" else self.builder.config.convpad_image_format
    classes = ["conv-padding-image", *node.get("classes", [])]
    style = f' style="width: {html.escape(node["width"])}"' if node.get("width") else ""
    try:
        if fmt == "svg":
            svg = _inline_svg(self.builder, node)
            self.body.append(
                f'<div class="{" ".join(classes)}" role="img"'
                f' aria-label="{html.escape(alt)}"{style}>{svg}</div>\n'
            )
        else:
            uri, head = _file(self.builder, node, "png")
            size = png_size(head or b"")
            dims = ""
            if size and not node.get("width"):
                width, height = (round(v * CSS_DPI / PNG_DPI) for v in size)
                dims = f' width="{width}" height="{height}"'
            self.body.append(
                f'<div class="{" ".join(classes)}"{style}><img src="{html.escape(uri)}"'
                f' alt="{html.escape(alt)}"{dims}/></div>\n'
            )
    except RENDER_ERRORS as err:
        _warn_render(node, err)
        self.body.append(f'<p class="conv-padding-alt">{html.escape(alt)}</p>\n')
    raise nodes.SkipNode


# ---------------------------------------------------------------- LaTeX and Texinfo


def latex_visit_conv_padding_diagram(self: LaTeXTranslator, node: conv_padding_diagram) -> None:
    try:
        uri, _ = _file(self.builder, node, "pdf")
    except RENDER_ERRORS as err:
        _warn_render(node, err)
        self.body.append(f"\n\n{self.encode(node.get('alt', ''))}\n\n")
        raise nodes.SkipNode from err
    options = ""
    if node.get("width"):
        length = self.latex_image_length(node["width"])
        options = f"[width={length}]" if length else ""
    pre, post = {
        "left": ("{", r"\hspace*{\fill}}"),
        "right": (r"{\hspace*{\fill}", "}"),
    }.get(node.get("align", "center"), (r"{\hfill", r"\hspace*{\fill}}"))
    self.body.append(f"\n\\noindent{pre}\\sphinxincludegraphics{options}{{{uri}}}{post}\n\\par\n")
    raise nodes.SkipNode


def texinfo_visit_conv_padding_diagram(self: TexinfoTranslator, node: conv_padding_diagram) -> None:
    try:
        uri, _ = _file(self.builder, node, "png")
    except RENDER_ERRORS as err:
        _warn_render(node, err)
        self.body.append(f"\n{self.escape(node.get('alt', ''))}\n")
        raise nodes.SkipNode from err
    alt = self.escape_arg(node.get("alt", ""))
    self.body.append(f"\n@image{{{uri[: -len('.png')]},,,{alt},png}}\n")
    raise nodes.SkipNode


# ---------------------------------------------------------------- every other builder


def replace_for_other_builders(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``doctree-resolved``: text and man get the ASCII diagram, other builders the alt text."""
    builder_format = app.builder.format
    if builder_format in VISITED_FORMATS:
        return
    for node in list(doctree.findall(conv_padding_diagram)):
        replacement: nodes.Element
        alt = node.get("alt", "")
        if builder_format in ("text", "man"):
            try:
                from sphinxcontrib_convpad.render.ascii import render_ascii

                text = render_ascii(scene_of(node["payload"])).rstrip("\n")
                replacement = nodes.literal_block(text, text, classes=["conv-padding-ascii"])
            except RENDER_ERRORS as err:
                _warn_render(node, err)
                replacement = nodes.paragraph(alt, alt, classes=["conv-padding-alt"])
        else:
            replacement = nodes.paragraph(alt, alt, classes=["conv-padding-alt"])
        replacement.source, replacement.line = node.source, node.line
        node.replace_self(replacement)
