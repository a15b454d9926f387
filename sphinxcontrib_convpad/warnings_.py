"""The kinds of warning the extension logs, for ``suppress_warnings``.

Every warning is logged with ``type="convpad"`` and one of these subtypes, so a project can
silence one kind, e.g. ``suppress_warnings = ["convpad.render"]``. Refused input is not a
warning: it is an ``ERROR`` located at the directive (or content line) and cannot be
suppressed.
"""

from __future__ import annotations

from enum import StrEnum

WARNING_TYPE = "convpad"


class ConvPadWarning(StrEnum):
    """The ``subtype`` of each warning; the member values are what users suppress."""

    CONFIG = "config"
    """A ``convpad_*`` configuration value is invalid; its default is used instead."""

    RENDER = "render"
    """A diagram could not be drawn or written at build time; its alt text is shown."""

    DEPRECATED = "deprecated"
    """An option or configuration value that still works but will be removed."""
