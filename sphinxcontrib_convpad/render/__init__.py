"""Backends that draw a :class:`~sphinxcontrib_convpad.scene.Scene`, and their one palette.

The palette maps colour *slots* to colours, for a light and a dark page. Window ``i`` uses
slot ``window-{i mod 9}``; its output cell the same colour, lighter. The window colours are
Paul Tol's colour-blind-safe "muted" scheme (https://personal.sron.nl/~pault/), lightened
for dark pages; padding, unread cells and inserted zeros are also told apart by hatching,
so the pictures survive grayscale print. Renderers take ``palette=`` (and the SVG writer
``dark_palette=``), a mapping of slot names to CSS colours that overrides these defaults.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType

WINDOW_COLOURS = 9

LIGHT: Mapping[str, str] = MappingProxyType(
    {
        "ink": "#1f2328",  # text, arrows, the input frame
        "muted": "#59636e",  # dimension marks, secondary text
        "grid": "#8c959f",  # cell borders
        "input": "#ffffff",
        "pad": "#dcdfe3",
        "pad-hatch": "#6e7781",
        "unread": "#fde2c4",
        "unread-hatch": "#b35806",
        "inserted": "#eef1f4",
        "inserted-hatch": "#6e7781",
        "crop": "#ffffff",
        "crop-hatch": "#a40e26",
        "output": "#f3f5f7",
        "elision": "#ffffff",
        "flow": "#f3f5f7",
        "flow-drawn": "#e3ecf7",
        "window-0": "#cc6677",
        "window-1": "#332288",
        "window-2": "#117733",
        "window-3": "#aa4499",
        "window-4": "#44aa99",
        "window-5": "#999933",
        "window-6": "#882255",
        "window-7": "#88ccee",
        "window-8": "#ddcc77",
    }
)

DARK: Mapping[str, str] = MappingProxyType(
    {
        "ink": "#e6edf3",
        "muted": "#9da7b3",
        "grid": "#6e7681",
        "input": "#22272e",
        "pad": "#3d444d",
        "pad-hatch": "#9da7b3",
        "unread": "#4d3217",
        "unread-hatch": "#f0a35a",
        "inserted": "#2d333b",
        "inserted-hatch": "#9da7b3",
        "crop": "#22272e",
        "crop-hatch": "#ff7b8a",
        "output": "#2d333b",
        "elision": "#1b1f24",
        "flow": "#2d333b",
        "flow-drawn": "#253447",
        "window-0": "#e8909f",
        "window-1": "#9d92ee",
        "window-2": "#5cc489",
        "window-3": "#d88acb",
        "window-4": "#6fd0c0",
        "window-5": "#cccc66",
        "window-6": "#e07aa8",
        "window-7": "#a8dcf4",
        "window-8": "#e6d99a",
    }
)


_COLOUR = re.compile(r"#([0-9A-Fa-f]{3}|[0-9A-Fa-f]{6}|[0-9A-Fa-f]{8})|[a-z]+")


def resolve_palette(base: Mapping[str, str], overrides: Mapping[str, str] | None) -> dict[str, str]:
    """``base`` with ``overrides`` applied; unknown slots and non-colours are refused.

    A colour is ``#rgb``, ``#rrggbb``, ``#rrggbbaa`` or a CSS colour name: what both CSS and
    matplotlib read.
    """
    colours = dict(base)
    for slot, colour in (overrides or {}).items():
        if slot not in colours:
            raise ValueError(f"unknown palette slot {slot!r}; allowed: {', '.join(base)}")
        if not isinstance(colour, str) or not _COLOUR.fullmatch(colour):
            raise ValueError(f"palette slot {slot!r} must be a CSS colour, got {colour!r}")
        colours[slot] = colour
    return colours


def colour_slot(role: str) -> str:
    """The palette slot of a numbered role: ``window-11``, ``output-2``, ``tap-2`` → ``window-2``."""
    _, _, number = role.rpartition("-")
    return f"window-{int(number) % WINDOW_COLOURS}"
