"""Print what one diagram costs, per backend, for the tutorial's cases and large inputs.

    python -m benchmarks.render_cost [repeats]     (from the repository root)

The scene is built once per case; each backend is timed on its own (best of ``repeats``
runs, after one warm-up that pays for imports and font loading). The last line is what a
build pays once, before its first figure: importing matplotlib's PDF backend and drawing
one PDF, in a fresh process.

On the 2-core reference machine (matplotlib 3.11): a PDF costs 4-5 ms (it was 50-70 ms
through a Figure), a PNG at 150 dpi 20 ms for 5x5 and 35-60 ms for 224x224, most of it
zlib; the one-off cost is about 0.45 s, nearly all of it the import.
"""

# ruff: noqa: RUF001 -- sizes are written with the times sign

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable
from functools import partial

from sphinxcontrib_convpad import analyze
from sphinxcontrib_convpad.render.ascii import render_ascii
from sphinxcontrib_convpad.render.mpl import render_figure
from sphinxcontrib_convpad.render.svg import render_svg
from sphinxcontrib_convpad.scene import build_scene

CASES = {
    "5×5 same": ("Conv2D(24, 2, strides=2, padding='same')", (5, 5, 1)),
    "5×5 valid": ("Conv2D(24, 2, strides=2, padding='valid')", (5, 5, 1)),
    "6×6 valid": ("Conv2D(24, 2, strides=2, padding='valid')", (6, 6, 1)),
    "3×3 transposed": ("Conv2DTranspose(8, 3, strides=2)", (3, 3, 1)),
    "4096 1-D strip": ("Conv1D(8, 5, strides=4, padding='same')", (4096, 2)),
    "224×224 valid": ("Conv2D(24, 3, strides=2)", (224, 224, 3)),
    "224×224 same k7": ("Conv2D(64, 7, strides=2, padding='same')", (224, 224, 3)),
}
FIRST = (
    "import time; t = time.perf_counter()\n"
    "from sphinxcontrib_convpad import analyze\n"
    "from sphinxcontrib_convpad.render.mpl import render_figure\n"
    "from sphinxcontrib_convpad.scene import build_scene\n"
    "layer = analyze(['Conv2D(2, 2)'], input_shape=(5, 5, 1))['layers'][0]\n"
    "render_figure(build_scene(layer), 'pdf')\n"
    "print(time.perf_counter() - t)\n"
)


def best_ms(run: Callable[[], object], repeats: int) -> float:
    run()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times) * 1000


def first_figure_ms(repeats: int) -> float:
    """Import and first PDF in a fresh process (best of ``repeats``)."""
    runs = [
        float(subprocess.run([sys.executable, "-c", FIRST], capture_output=True, check=True).stdout)
        for _ in range(max(1, repeats // 2))
    ]
    return min(runs) * 1000


def main(repeats: int = 5) -> None:
    print(f"{'case':18} {'scene':>8} {'svg':>8} {'ascii':>8} {'pdf':>8} {'png':>8}  (ms)")
    for name, (call, shape) in CASES.items():
        layer = analyze([call], input_shape=shape)["layers"][0]
        scene = build_scene(layer)
        costs = [
            best_ms(partial(build_scene, layer), repeats),
            best_ms(partial(render_svg, scene, id_prefix="bench"), repeats),
            best_ms(partial(render_ascii, scene), repeats),
            best_ms(partial(render_figure, scene, "pdf"), repeats),
            best_ms(partial(render_figure, scene, "png"), repeats),
        ]
        print(f"{name:18} " + " ".join(f"{c:8.2f}" for c in costs))
    print(f"once per build: import + first PDF {first_figure_ms(repeats):.0f} ms")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
