"""Register the directive, the node, the configuration values and the stylesheet.

Called by :func:`sphinxcontrib_convpad.setup`, so ``import sphinxcontrib_convpad`` stays free
of Sphinx. The extension keeps no state on ``env``, ``app``, the builder or this module.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from sphinx.config import ENUM
from sphinx.util import logging

from sphinxcontrib_convpad.directive import PARTS, SUMMARY_STYLES, ConvPaddingDirective
from sphinxcontrib_convpad.explanation_node import (
    conv_padding_explanation,
    expand_for_other_builders,
    html_visit_conv_padding_explanation,
)
from sphinxcontrib_convpad.images import remove_temporaries, write_atomically
from sphinxcontrib_convpad.nodes import (
    conv_padding_diagram,
    html_visit_conv_padding_diagram,
    latex_visit_conv_padding_diagram,
    replace_for_other_builders,
    texinfo_visit_conv_padding_diagram,
)
from sphinxcontrib_convpad.render import LIGHT
from sphinxcontrib_convpad.warnings_ import WARNING_TYPE, ConvPadWarning

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.util.typing import ExtensionMetadata

logger = logging.getLogger(__name__)

STATIC = Path(__file__).parent / "static"
TEXINPUTS = Path(__file__).parent / "texinputs"
LATEX_PACKAGE = "sphinxcontribconvpad"
"""Declares, for pdflatex, the Unicode characters of summaries and explanations."""
_COLOUR = re.compile(r"#(?:[0-9a-fA-F]{3,4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})")

#: name: (default, rebuild, types, what it does) -- also the source of the docs' table.
CONFIG_VALUES: dict[str, tuple[Any, Literal["env", "html"], Any, str]] = {
    "convpad_framework": (
        "keras", "env", ENUM("keras", "pytorch"),
        "The framework a directive without ``:framework:`` describes.",
    ),
    "convpad_summary_style": (
        None, "env", ENUM(None, *SUMMARY_STYLES),
        "Default ``:summary:`` style; None: ``keras3`` for Keras, ``torchinfo`` for PyTorch.",
    ),
    "convpad_summary_width": (
        76, "env", int, "Default ``line_length`` of ``keras3`` summaries (Keras prints 76).",
    ),
    "convpad_image_format": (
        "svg", "html", ENUM("svg", "png"),
        "HTML diagrams: inline ``svg`` (follows light/dark themes) or ``png`` files.",
    ),
    "convpad_colors": (
        {}, "html", dict,
        "Colour overrides by palette slot (``{'pad': '#d0d7de', 'dark': {'pad': '#30363d'}}``).",
    ),
    "convpad_show": (
        PARTS, "env", (list, tuple), "Default ``:show:``: the parts every directive shows.",
    ),
}  # fmt: skip


def setup_extension(app: Sphinx, version: str) -> ExtensionMetadata:
    """Register everything with ``app``; ``version`` is the package's ``__version__``."""
    for name, (default, rebuild, types, description) in CONFIG_VALUES.items():
        app.add_config_value(name, default, rebuild, types=types, description=description)
    app.add_directive("conv-padding", ConvPaddingDirective)
    app.add_node(
        conv_padding_diagram,
        html=(html_visit_conv_padding_diagram, None),
        latex=(latex_visit_conv_padding_diagram, None),
        texinfo=(texinfo_visit_conv_padding_diagram, None),
    )
    app.add_latex_package(LATEX_PACKAGE)
    app.connect("config-inited", validate_config)
    app.connect("config-inited", add_static_path)
    app.connect("builder-inited", add_static_assets)
    app.connect("builder-inited", remove_interrupted_writes)
    app.add_node(conv_padding_explanation, html=(html_visit_conv_padding_explanation, None))
    app.connect("doctree-resolved", replace_for_other_builders)
    app.connect("doctree-resolved", expand_for_other_builders)
    return {
        "version": version,
        "env_version": 1,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }


def add_static_path(app: Sphinx, config: Config) -> None:
    """``config-inited``: our static folder, before Sphinx compares the configuration with
    the last build's (added later, every rebuild would report html_static_path changed)."""
    if str(STATIC) not in config.html_static_path:
        config.html_static_path = [*config.html_static_path, str(STATIC)]


def add_static_assets(app: Sphinx) -> None:
    """``builder-inited``: the stylesheet for HTML-like builders, the LaTeX package for LaTeX."""
    if app.builder.format == "html":
        app.add_css_file("convpad.css")
    elif app.builder.format == "latex":
        source = TEXINPUTS / f"{LATEX_PACKAGE}.sty"
        write_atomically(app.builder.outdir / source.name, source.read_bytes())


def remove_interrupted_writes(app: Sphinx) -> None:
    """``builder-inited``: drop half-written pictures a killed build left (before any writer)."""
    folder = app.builder.outdir / app.builder.imagedir
    if folder.is_dir():
        remove_temporaries(folder)


def _warn_config(name: str, problem: str, fallback: str) -> None:
    logger.warning(
        "%s %s; %s",
        name,
        problem,
        fallback,
        type=WARNING_TYPE,
        subtype=ConvPadWarning.CONFIG.value,
    )


def validate_config(app: Sphinx, config: Config) -> None:
    """``config-inited``: warn about a bad ``convpad_*`` value and fall back to its default."""
    checks = {
        "convpad_framework": lambda v: v in ("keras", "pytorch"),
        "convpad_summary_style": lambda v: v is None or v in SUMMARY_STYLES,
        "convpad_summary_width": lambda v: isinstance(v, int) and not isinstance(v, bool) and v > 0,
        "convpad_image_format": lambda v: v in ("svg", "png"),
    }
    for name, check in checks.items():
        if not check(config[name]):
            default = CONFIG_VALUES[name][0]
            _warn_config(name, f"is not valid, got {config[name]!r}", f"using {default!r}")
            config[name] = default
    config.convpad_show = _checked_show(config.convpad_show)
    config.convpad_colors = _checked_colours(config.convpad_colors)


def _checked_show(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        value = re.split(r"[\s,]+", value.strip())
    if isinstance(value, (list, tuple)) and value and all(item in PARTS for item in value):
        return tuple(part for part in PARTS if part in value)
    _warn_config(
        "convpad_show", f"must list some of {', '.join(PARTS)}, got {value!r}", f"using {PARTS!r}"
    )
    return PARTS


def _checked_colours(value: object) -> dict[str, Any]:
    """Keep the valid ``slot: '#hex'`` entries (and a ``dark`` mapping of them)."""
    if not isinstance(value, dict):
        _warn_config("convpad_colors", f"must be a dict, got {value!r}", "using the defaults")
        return {}
    checked: dict[str, Any] = {}
    for slot, colour in value.items():
        if slot == "dark" and isinstance(colour, dict):
            dark = _checked_colours(colour)
            if dark:
                checked["dark"] = dark
        elif slot not in LIGHT:
            _warn_config(
                f"convpad_colors[{slot!r}]",
                f"is not a palette slot (slots: {', '.join(LIGHT)})",
                "ignored",
            )
        elif not isinstance(colour, str) or not _COLOUR.fullmatch(colour):
            _warn_config(
                f"convpad_colors[{slot!r}]",
                f"must be a hex colour such as '#d0d7de', got {colour!r}",
                "ignored",
            )
        else:
            checked[slot] = colour
    return checked
