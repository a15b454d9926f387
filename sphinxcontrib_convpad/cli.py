"""The command line: ``python -m sphinxcontrib_convpad "Conv2D(...)" [...]``."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from sphinxcontrib_convpad import __version__
from sphinxcontrib_convpad.analysis import analyze
from sphinxcontrib_convpad.errors import ConvPadError

SUMMARY_STYLES = ("keras3", "keras2", "keras2-classic", "torchinfo")
PARTS = ("summary", "explanation")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="convpad",
        description="Print the model summary and per-axis padding arithmetic of layer calls.",
        epilog='example: convpad "Conv2D(filters=24, input_shape=(5,5,1), kernel_size=2,'
        " strides=2, padding='same')\"",
    )
    parser.add_argument(
        "layers", nargs="+", metavar="CALL", help="layer calls; several form a stack"
    )
    parser.add_argument("--input-shape", help="input shape without the batch axis, e.g. 5,5,1")
    parser.add_argument("--framework", choices=("keras", "pytorch"), default="keras")
    parser.add_argument("--model-name", help="the model's name in the summary")
    parser.add_argument(
        "--summary",
        choices=SUMMARY_STYLES,
        help="summary style (default: keras3, or torchinfo for pytorch)",
    )
    parser.add_argument("--width", type=int, help="Keras 3 summary width (default 76)")
    parser.add_argument("--json", action="store_true", help="print the analyze() result as JSON")
    parser.add_argument("--show", choices=PARTS, help="print only this part")
    parser.add_argument(
        "--diagram", type=Path, metavar="FILE", help="write the diagram (.svg, .pdf or .png)"
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    options = parser.parse_args(argv)
    try:
        result = analyze(
            options.layers,
            input_shape=options.input_shape,
            framework=options.framework,
            model_name=options.model_name,
        )
        if options.diagram is not None:
            write_diagram(result, options.diagram)
        print(render_text(result, options))
    except ConvPadError as err:
        print(f"convpad: error: {err}", file=sys.stderr)
        return 2
    except OSError as err:
        print(f"convpad: error: cannot write {options.diagram}: {err.strerror}", file=sys.stderr)
        return 2
    return 0


def render_text(result: dict[str, object], options: argparse.Namespace) -> str:
    """The text the CLI prints for ``result``."""
    if options.json:
        return json.dumps(result, indent=2)
    from sphinxcontrib_convpad.explain import explain
    from sphinxcontrib_convpad.summaries import summary

    style = options.summary or ("torchinfo" if result["framework"] == "pytorch" else "keras3")
    if options.width is not None and options.width < 20:
        raise ConvPadError(f"--width must be at least 20, got {options.width}")
    parts = {
        "summary": lambda: summary(result, style=style, width=options.width),
        "explanation": lambda: explain(result).text(),
    }
    shown = [options.show] if options.show else list(PARTS)
    return "\n\n".join(parts[name]().rstrip("\n") for name in shown)


def write_diagram(result: dict[str, object], path: Path) -> None:
    """Draw the first drawable layer of ``result`` to ``path`` (format from the suffix)."""
    from sphinxcontrib_convpad.render.mpl import render_figure
    from sphinxcontrib_convpad.render.svg import render_svg
    from sphinxcontrib_convpad.scene import build_scene, drawable_layers

    suffix = path.suffix.lower()
    if suffix not in (".svg", ".pdf", ".png"):
        raise ConvPadError(f"--diagram must end in .svg, .pdf or .png, got {path.name!r}")
    drawable = drawable_layers(result)
    if not drawable:
        raise ConvPadError("no convolution or pooling layer to draw")
    scene = build_scene(result["layers"][drawable[0]])  # type: ignore[index]
    if suffix == ".svg":
        path.write_text(render_svg(scene, id_prefix="convpad"), encoding="utf8")
    elif suffix == ".pdf":
        path.write_bytes(render_figure(scene, "pdf"))
    else:
        path.write_bytes(render_figure(scene, "png"))
