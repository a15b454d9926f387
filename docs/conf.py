"""Sphinx configuration of the sphinxcontrib-convpad documentation."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "_ext"))

from sphinxcontrib_convpad import __version__  # noqa: E402

project = "sphinxcontrib-convpad"
author = "sphinxcontrib-convpad developers"
copyright = "2026, sphinxcontrib-convpad developers"  # noqa: A001
version = release = __version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.intersphinx",
    "sphinxcontrib_convpad",
    "convpad_reference",
]
exclude_patterns = ["_build", "snippets"]
numfig = True
nitpicky = True
nitpick_ignore = [
    ("py:class", "ExtensionMetadata"),
    ("py:class", "Sphinx"),
    ("py:class", "collections.abc.Sequence"),
]
autodoc_typehints = "description"
intersphinx_mapping: dict[str, tuple[str, str | None]] = {}

html_theme = "furo"
html_title = "sphinxcontrib-convpad"

latex_engine = "xelatex"
latex_elements = {"preamble": r"\usepackage{xeCJK}"}  # Sphinx's FreeSerif/FreeMono + Fandol
latex_use_xindy = False
latex_documents = [
    ("index", "convpad.tex", "sphinxcontrib-convpad", author, "manual"),
]
