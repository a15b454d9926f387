"""Print what one diagram costs, per backend, for a 5×5 and a 224×224 input.

    python -m benchmarks.render_cost [repeats]     (from the repository root)

The scene is built once per case; each backend is timed on its own (best of ``repeats``
runs, after one warm-up that pays for imports and font loading).
"""

# ruff: noqa: RUF001, RUF002 -- sizes are written with the times sign

from __future__ import annotations

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
    "224×224 valid": ("Conv2D(24, 3, strides=2)", (224, 224, 3)),
    "224×224 same k7": ("Conv2D(64, 7, strides=2, padding='same')", (224, 224, 3)),
}


def best_ms(run: Callable[[], object], repeats: int) -> float:
    run()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times) * 1000


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


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
