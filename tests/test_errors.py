"""Refused input: one located ERROR, the directive replaced, the rest of the page built."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sphinx.util.console import strip_colors

if TYPE_CHECKING:
    from collections.abc import Callable

    from sphinx.testing.util import SphinxTestApp

ROOTS = Path(__file__).parent / "roots"
HEAD = 6  # the line of ``.. conv-padding::`` in the page ``page()`` writes

#: (id, directive body, line of the error, message after "ERROR: "). Docutils reports
#: unknown options and converter errors itself, as "Error in "conv-padding" directive".
CASES: list[tuple[str, str, int, str]] = [
    (
        "strides-zero",
        ":input-shape: 5, 5, 1\n:filters: 24\n:kernel-size: 2\n:strides: 0\n",
        HEAD,
        "conv-padding: Conv2D: strides must be a positive integer or a tuple of 2 integers"
        " (1 or more), got 0",
    ),
    (
        "unknown-option",
        ":input-shape: 5, 5, 1\n:filters: 24\n:kernel-sise: 2\n",
        HEAD,
        'Error in "conv-padding" directive:\nunknown option: "kernel-sise".',
    ),
    (
        "both-spellings",
        ":input-shape: 5, 5, 1\n:filters: 24\n:kernel-size: 2\n:kernel_size: 3\n",
        HEAD,
        "conv-padding: option 'kernel-size' is given twice (also as 'kernel_size')",
    ),
    (
        "content-and-options",
        ":kernel-size: 2\n\nConv2D(24, 2, input_shape=(5, 5, 1))\n",
        HEAD,
        "conv-padding: give the layer either as content or as options, not both"
        " (got :kernel-size:)",
    ),
    (
        "content-line",
        "\nConv2D(8, 3, input_shape=(28, 28, 1))\nMaxPooling2D(2)\nConv2D(16, 3, strides=(1, 0))\n",
        HEAD + 4,
        "conv-padding: Conv2D: strides must be a positive integer or a tuple of 2 integers"
        " (1 or more), got (1, 0)",
    ),
    (
        "call-over-several-lines",
        "\nConv2D(8, 3, input_shape=(28, 28, 1))\nConv2D(16,\n       3,\n       paddin='same')\n",
        HEAD + 3,
        "conv-padding: Conv2D does not take an argument 'paddin'; did you mean 'padding'?",
    ),
    (
        "unclosed-call",
        "\nConv2D(8, 3, input_shape=(28, 28, 1)\nDense(3)\n",
        HEAD + 2,
        "conv-padding: cannot read 'Conv2D(8, 3, input_shape=(28, 28, 1) Dense(3)' as a layer"
        " call: '(' was never closed",
    ),
    (
        "framework",
        ":framework: tensorflow\n:input-shape: 5, 5, 1\n:filters: 2\n:kernel-size: 2\n",
        HEAD,
        "conv-padding: framework must be 'keras' or 'pytorch', got 'tensorflow'",
    ),
    (
        "draw-unknown-layer",
        ":draw: conv2d_9\n\nConv2D(8, 3, input_shape=(28, 28, 1))\nConv2D(8, 3)\n",
        HEAD,
        "conv-padding: draw: no layer 'conv2d_9'; give 'all', 'none', layer indices (0 to 1)"
        " or names (conv2d, conv2d_1)",
    ),
    (
        "draw-dense",
        ":draw: dense\n\nConv2D(8, 3, input_shape=(28, 28, 1))\nFlatten()\nDense(3)\n",
        HEAD,
        "conv-padding: draw: layer 'dense' (Dense) has no padding diagram; layers with one: conv2d",
    ),
    (
        "compare-causal-on-conv2d",
        ":compare: causal\n:input-shape: 5, 5, 1\n:filters: 2\n:kernel-size: 2\n:padding: same\n",
        HEAD,
        "conv-padding: compare: Conv2D: padding must be one of 'valid', 'same', got 'causal'",
    ),
    (
        "input-shape-disagrees",
        ":input-shape: 6, 6, 1\n\nConv2D(8, 3, input_shape=(28, 28, 1))\n",
        HEAD,
        "conv-padding: input_shape (6, 6, 1) disagrees with the shape in the layers (28, 28, 1)",
    ),
    (
        "no-input-shape",
        ":filters: 24\n:kernel-size: 2\n",
        HEAD,
        "conv-padding: no input shape: give input_shape (the :input-shape: option; or"
        " input_shape= / keras.Input(shape=...) in the code)",
    ),
    (
        "empty",
        "",
        HEAD,
        "conv-padding: no layer: give its arguments as options (:filters:, :kernel-size: …)"
        " or paste the layer call(s) as content",
    ),
    (
        "summary-style",
        ":summary: keras4\n:input-shape: 5, 5, 1\n:filters: 2\n:kernel-size: 2\n",
        HEAD,
        'Error in "conv-padding" directive:\ninvalid option value: (option: "summary";'
        " value: 'keras4')",
    ),
    (
        "show",
        ":show: pictures\n:input-shape: 5, 5, 1\n:filters: 2\n:kernel-size: 2\n",
        HEAD,
        'Error in "conv-padding" directive:\ninvalid option value: (option: "show";'
        " value: 'pictures')\n'pictures' is not one of: diagram, summary, explanation.",
    ),
    (
        "unknown-layer",
        ":layer: Conv2Dx\n:input-shape: 5, 5, 1\n:filters: 2\n:kernel-size: 2\n",
        HEAD,
        "conv-padding: unknown keras layer 'Conv2Dx'; did you mean Conv2D, Conv3D, Conv1D?",
    ),
    (
        "torch-layer-as-keras",
        "\nnn.Conv2d(1, 2, 3)\n",
        HEAD + 2,
        "conv-padding: unknown layer 'nn.Conv2d' (nn.Conv2d is a pytorch layer: set the"
        " framework to pytorch)",
    ),
    (
        "kernel-larger-than-input",
        ":input-shape: 5, 5, 1\n:filters: 2\n:kernel-size: 7\n",
        HEAD,
        "conv-padding: Conv2D: the output height would be -1: input height 5 is smaller than"
        " the kernel (7) with padding 'valid'",
    ),
    (
        "layer-name-in-pytorch",
        ":framework: pytorch\n:input-shape: 1, 5, 5\n:in-channels: 1\n:out-channels: 2\n"
        ":kernel-size: 3\n:layer-name: first\n",
        HEAD,
        "conv-padding: layer-name is for Keras layers; nn.Sequential names its layers by index",
    ),
    (
        "layer-name-on-a-stack",
        ":layer-name: first\n\nConv2D(8, 3, input_shape=(28, 28, 1))\nConv2D(8, 3)\n",
        HEAD,
        "conv-padding: layer-name names a single layer; in a stack, give name= in the calls",
    ),
    (
        "layer-named-twice",
        ":layer-name: first\n\nConv2D(8, 3, input_shape=(28, 28, 1), name='second')\n",
        HEAD,
        "conv-padding: the layer is named twice: :layer-name: first and name= in the call",
    ),
    (
        "code-is-never-run",
        "\n__import__('os').system('touch convpad-was-executed')\n",
        HEAD + 2,
        "conv-padding: expected a layer name, got \"__import__('os')\"",
    ),
]


def page(body: str) -> str:
    """An index.rst with the directive at line 6 and a paragraph after it."""
    directive = ".. conv-padding::\n" + textwrap.indent(body, "   ").replace("   \n", "\n")
    return f"Title\n=====\n\nBefore.\n\n{directive}\nparagraph after the bad directive\n"


def errors(app: SphinxTestApp) -> list[tuple[int, str]]:
    """(line, message) of each ERROR/WARNING in index.rst, multi-line messages whole."""
    log = strip_colors(app.warning.getvalue())
    found = re.findall(
        r"index\.rst:(\d+): (?:ERROR|WARNING): (.*?)(?=\n\S+:\d+: |\Z)", log, flags=re.DOTALL
    )
    return [(int(line), message.rstrip()) for line, message in found]


@pytest.mark.parametrize(("body", "line", "message"), [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])  # fmt: skip
def test_bad_input_is_one_located_error(
    body: str,
    line: int,
    message: str,
    make_app: Callable[..., SphinxTestApp],
    tmp_path: Path,
) -> None:
    srcdir = tmp_path / "src"
    srcdir.mkdir()
    (srcdir / "conf.py").write_text('extensions = ["sphinxcontrib_convpad"]\n', encoding="utf8")
    (srcdir / "index.rst").write_text(page(body), encoding="utf8")
    app = make_app("html", srcdir=srcdir)
    app.build(force_all=True)
    ((found_line, found_message),) = errors(app)
    assert found_line == line
    assert found_message.startswith(message)
    assert "[docutils]" in found_message.splitlines()[-1]
    html = (app.outdir / "index.html").read_text(encoding="utf8")
    assert "paragraph after the bad directive" in html
    assert "conv-padding docutils container" not in html
    assert not list(tmp_path.rglob("convpad-was-executed"))


@pytest.mark.sphinx("html", testroot="bad-input", freshenv=True)
def test_bad_input_root_reports_both_directives(app: SphinxTestApp) -> None:
    app.build(force_all=True)
    log = strip_colors(app.warning.getvalue())
    assert re.findall(r"index\.rst:(\d+): ERROR: conv-padding: Conv2D: strides", log) == [
        "6",
        "19",  # the third content line of the second directive, not its head
    ]
    assert log.count("ERROR") == 2
    assert "WARNING" not in log
    html = (app.outdir / "index.html").read_text(encoding="utf8")
    assert "A paragraph after the bad directive." in html
    assert "A paragraph after the second bad directive." in html


@pytest.mark.sphinx("html", testroot="bad-input", warningiserror=True, freshenv=True)
def test_warning_is_error_fails_the_build(app: SphinxTestApp) -> None:
    app.build(force_all=True)  # Sphinx >= 8.1 finishes the build, then sets the status
    assert app.statuscode == 1
    assert "A paragraph after the bad directive." in (app.outdir / "index.html").read_text(
        encoding="utf8"
    )


def _sphinx_build_w(root: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """``python -m sphinx -W -b html`` on a copy of test root ``root``."""
    source = tmp_path / "src"
    shutil.copytree(ROOTS / root, source)
    command = [
        sys.executable,
        "-m",
        "sphinx",
        "-W",
        "-q",
        "-b",
        "html",
        str(source),
        str(tmp_path / "out"),
    ]
    return subprocess.run(command, capture_output=True, text=True, check=False, timeout=120)


def test_sphinx_build_w_exits_non_zero(tmp_path: Path) -> None:
    run = _sphinx_build_w("test-bad-input", tmp_path)
    assert run.returncode == 1
    assert re.search(r"index\.rst:6: ERROR: conv-padding: Conv2D: strides", run.stderr)


def test_sphinx_build_w_passes_on_good_input(tmp_path: Path) -> None:
    run = _sphinx_build_w("test-tutorial", tmp_path)
    assert (run.returncode, run.stderr) == (0, "")
