"""``python -m sphinxcontrib_convpad``: see :mod:`sphinxcontrib_convpad.cli`."""

from __future__ import annotations

import sys

from sphinxcontrib_convpad.cli import main

if __name__ == "__main__":
    sys.exit(main())
