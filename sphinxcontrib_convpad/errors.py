"""The one exception of the core."""

from __future__ import annotations


class ConvPadError(ValueError):
    """A layer description that the framework would refuse, or that we cannot read.

    ``option`` names the directive option or call argument at fault, ``line`` the
    0-based index of the offending layer (content line) in a stack, where known.
    """

    def __init__(self, message: str, *, option: str | None = None, line: int | None = None):
        super().__init__(message)
        self.option = option
        self.line = line
