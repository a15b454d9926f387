"""Imports point down: the core and the views never pull in Sphinx or matplotlib."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = "{'sphinx', 'docutils', 'matplotlib', 'numpy'}"


@pytest.mark.parametrize(
    "module",
    [
        "sphinxcontrib_convpad",
        "sphinxcontrib_convpad.analysis",
        "sphinxcontrib_convpad.explain",
        "sphinxcontrib_convpad.plan",
        "sphinxcontrib_convpad.scene",
        "sphinxcontrib_convpad.summaries",
        "sphinxcontrib_convpad.images",
        "sphinxcontrib_convpad.warnings_",
        "sphinxcontrib_convpad.render.svg",
        "sphinxcontrib_convpad.render.ascii",
        "sphinxcontrib_convpad.render.mpl",
    ],
)
def test_module_imports_neither_sphinx_nor_matplotlib(module: str) -> None:
    code = (
        f"import sys, {module}\n"
        f"loaded = {HEAVY} & {{name.partition('.')[0] for name in sys.modules}}\n"
        "assert not loaded, sorted(loaded)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def test_html_build_with_svg_never_imports_matplotlib(tmp_path: Path) -> None:
    source = tmp_path / "src"
    shutil.copytree(Path(__file__).parent / "roots" / "test-tutorial", source)
    code = (
        "import sys\n"
        "from sphinx.cmd.build import build_main\n"
        f"status = build_main(['-q', '-b', 'html', {str(source)!r}, {str(tmp_path / 'out')!r}])\n"
        "assert status == 0, status\n"
        "assert 'matplotlib' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)
