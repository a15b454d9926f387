"""Convolution padding diagrams, Keras summaries and arithmetic for Sphinx."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sphinxcontrib_convpad.analysis import analyze
from sphinxcontrib_convpad.errors import ConvPadError

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata

__version__ = "0.1.0"
__all__ = ["ConvPadError", "__version__", "analyze", "setup", "summary"]


def summary(
    result: dict[str, object],
    style: str = "keras3",
    width: int | None = None,
    *,
    columns: int | None = None,
) -> str:
    """The ``model.summary()`` text of an :func:`analyze` result, in ``style``.

    ``style`` is ``keras3``, ``keras2``, ``keras2-classic`` or ``torchinfo``; ``width`` the
    Keras 3 table width (default 76) and ``columns`` the terminal width rich crops to
    (default: wide enough for ``width``).
    """
    from sphinxcontrib_convpad.summaries import summary as render_summary

    return render_summary(result, style=style, width=width, columns=columns)


def setup(app: Sphinx) -> ExtensionMetadata:
    """Register the ``conv-padding`` directive with Sphinx."""
    from sphinxcontrib_convpad.sphinx_glue import setup_extension

    return setup_extension(app, __version__)
