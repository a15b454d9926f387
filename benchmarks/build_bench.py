"""Build benchmark: a site of conv-padding directives against its 'floor' twin.

    python benchmarks/build_bench.py [--pages 20] [--per-page 10] [--repeat 3]

The floor twin is the same site where every directive is replaced by what it would cost if
diagrams were free: a plain ``image`` of a pre-rendered figure (SVG for HTML, PDF for LaTeX),
a literal block with the summary and a paragraph with the explanation. Both sites are built
in turn, in fresh processes, several times; the script prints medians and real/floor ratios.
Timings are wall-clock seconds of the whole ``sphinx-build`` process (start-up and imports
included, as a user waits for it) on a shared machine: compare ratios measured side by side
in one run.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# Runs one Sphinx build in this process and prints JSON: seconds, peak RSS, diagrams drawn.
BUILD_SCRIPT = r"""
import json, resource, sys, time
counts = {"svg": 0, "figure": 0}
import sphinxcontrib_convpad.render.svg as svg_mod, sphinxcontrib_convpad.render.mpl as mpl_mod
def counted(module, name, key):
    original = getattr(module, name)
    def wrapper(*args, **kwargs):
        counts[key] += 1
        return original(*args, **kwargs)
    setattr(module, name, wrapper)
counted(svg_mod, "render_svg", "svg")
counted(mpl_mod, "render_figure", "figure")
from sphinx.cmd.build import build_main
start = time.perf_counter()
status = build_main(sys.argv[1:])
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss + resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"status": status, "seconds": seconds, "peak_kib": peak, "drawn": counts}))
"""


def layer_of(index: int) -> tuple[str, tuple[int, ...], dict[str, object]]:
    """Directive number ``index``: (layer, input shape, arguments); varied, all valid."""
    n, k, s = 5 + index // 3, 2 + index % 3, 1 + index % 2  # every diagram is distinct
    padding = ("same", "valid")[index // 3 % 2]
    kind = index % 3
    if kind == 0:
        return (
            "Conv2D",
            (n, n, 1),
            {"filters": 8, "kernel_size": k, "strides": s, "padding": padding},
        )
    if kind == 1:
        return "MaxPooling2D", (n, n, 3), {"pool_size": k, "strides": s, "padding": padding}
    return "Conv1D", (4 * n, 2), {"filters": 4, "kernel_size": k, "strides": s, "padding": padding}


def directive_text(index: int) -> str:
    layer, shape, arguments = layer_of(index)
    lines = [f":layer: {layer}", f":input-shape: {', '.join(map(str, shape))}"]
    lines += [f":{name.replace('_', '-')}: {value}" for name, value in arguments.items()]
    return ".. conv-padding::\n" + "".join(f"   {line}\n" for line in lines)


def write_sites(root: Path, pages: int, per_page: int) -> tuple[Path, Path]:
    """Write the real site and its floor twin under ``root``."""
    real, floor = root / "real", root / "floor"
    for site, extension in ((real, '"sphinxcontrib_convpad"'), (floor, "")):
        (site / "_figs").mkdir(parents=True)
        (site / "conf.py").write_text(
            f"extensions = [{extension}]\nproject = 'bench'\nexclude_patterns = ['_build']\n"
        )
        toc = "\n".join(f"   page{p}" for p in range(pages))
        (site / "index.rst").write_text(f"Bench\n=====\n\n.. toctree::\n\n{toc}\n")
    for page in range(pages):
        real_parts, floor_parts = [f"Page {page}\n{'=' * 12}\n"], [f"Page {page}\n{'=' * 12}\n"]
        for item in range(per_page):
            index = page * per_page + item
            heading = f"Diagram {index}\n{'-' * 16}\n\nSome prose before the diagram.\n"
            real_parts.append(f"{heading}\n{directive_text(index)}")
            floor_parts.append(heading + floor_block(floor, index))
        (real / f"page{page}.rst").write_text("\n".join(real_parts))
        (floor / f"page{page}.rst").write_text("\n".join(floor_parts))
    return real, floor


def floor_block(site: Path, index: int) -> str:
    """What a directive would cost if its diagram were free: image + summary + paragraph."""
    from sphinxcontrib_convpad import analyze, summary
    from sphinxcontrib_convpad.explain import explain
    from sphinxcontrib_convpad.render.mpl import render_figure
    from sphinxcontrib_convpad.render.svg import render_svg
    from sphinxcontrib_convpad.scene import build_scene

    layer, shape, arguments = layer_of(index)
    call = f"{layer}({', '.join(f'{k}={v!r}' for k, v in arguments.items())})"
    result = analyze(call, input_shape=shape)
    scene = build_scene(result["layers"][0])
    (site / "_figs" / f"fig{index}.svg").write_text(render_svg(scene, id_prefix=f"f{index}"))
    (site / "_figs" / f"fig{index}.pdf").write_bytes(render_figure(scene, "pdf"))
    literal = "\n".join("   " + line for line in summary(result).splitlines())
    explanation = " ".join(explain(result).text().split())
    return f"\n.. image:: _figs/fig{index}.*\n\n::\n\n{literal}\n\n{explanation}\n"


def build(source: Path, out: Path, *args: str) -> dict:
    command = [sys.executable, "-c", BUILD_SCRIPT, "-q", *args, str(source), str(out)]
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode or not lines:
        raise SystemExit(f"build failed: {' '.join(command)}\n{done.stdout}\n{done.stderr}")
    result = json.loads(lines[-1])
    result["build_seconds"], result["seconds"] = result["seconds"], wall  # the whole process
    if result["status"]:
        raise SystemExit(f"sphinx exited {result['status']}: {done.stderr}")
    return result


def measure(real: Path, floor: Path, repeat: int, work: Path) -> dict[str, dict[str, list]]:
    """Run every scenario on both twins in turn; return raw samples."""
    samples: dict[str, dict[str, list]] = {}

    def record(name: str, kind: str, result: dict) -> None:
        samples.setdefault(name, {}).setdefault(kind, []).append(result)

    for _ in range(repeat):
        for kind, site in (("real", real), ("floor", floor)):
            for jobs in ("1", "2"):
                out = work / f"{kind}-html-j{jobs}"
                shutil.rmtree(out, ignore_errors=True)
                record(f"cold html -j {jobs}", kind, build(site, out, "-b", "html", "-j", jobs))
            record("no-change rebuild", kind, build(site, work / f"{kind}-html-j1", "-b", "html"))
            page = site / "page0.rst"
            original = page.read_text()
            page.write_text(
                original.replace("Some prose", "Edited prose", 1).replace(
                    ":filters: 8", ":filters: 9", 1
                )
            )
            record(
                "rebuild after one edit", kind, build(site, work / f"{kind}-html-j1", "-b", "html")
            )
            page.write_text(original)
            build(site, work / f"{kind}-html-j1", "-b", "html")  # restore
            out = work / f"{kind}-latex"
            shutil.rmtree(out, ignore_errors=True)
            record("cold latex", kind, build(site, out, "-b", "latex"))
    return samples


def per_diagram_costs(count: int) -> dict[str, float]:
    """Milliseconds per diagram for the analysis and each backend, and large vs small."""
    from sphinxcontrib_convpad import analyze
    from sphinxcontrib_convpad.render.mpl import render_figure
    from sphinxcontrib_convpad.render.svg import render_svg
    from sphinxcontrib_convpad.scene import build_scene

    def timed(function, n: int = count) -> float:
        start = time.perf_counter()
        for _ in range(n):
            function()
        return (time.perf_counter() - start) / n * 1000

    small = analyze("Conv2D(24, 2, strides=2, padding='same')", input_shape=(5, 5, 1))["layers"][0]
    big = analyze("Conv2D(64, 7, strides=2, padding='same')", input_shape=(224, 224, 3))["layers"][
        0
    ]
    long = analyze("Conv1D(8, 5, strides=4, padding='same')", input_shape=(4096, 2))["layers"][0]
    render_figure(build_scene(small), "png")  # warm matplotlib up
    return {
        "analysis 5x5": timed(
            lambda: analyze("Conv2D(24, 2, strides=2, padding='same')", input_shape=(5, 5, 1))
        ),
        "analysis 224x224": timed(
            lambda: analyze("Conv2D(64, 7, strides=2, padding='same')", input_shape=(224, 224, 3))
        ),
        "scene+svg 5x5": timed(lambda: render_svg(build_scene(small), id_prefix="a")),
        "scene+svg 224x224": timed(lambda: render_svg(build_scene(big), id_prefix="a")),
        "scene+svg 4096 (1-D)": timed(lambda: render_svg(build_scene(long), id_prefix="a")),
        "pdf 5x5": timed(lambda: render_figure(build_scene(small), "pdf"), max(3, count // 10)),
        "pdf 224x224": timed(lambda: render_figure(build_scene(big), "pdf"), max(3, count // 10)),
        "png 5x5": timed(lambda: render_figure(build_scene(small), "png"), max(3, count // 10)),
        "png 224x224": timed(lambda: render_figure(build_scene(big), "png"), max(3, count // 10)),
    }


def import_cost() -> tuple[float, bool, bool]:
    code = (
        "import time, sys; t = time.perf_counter(); import sphinxcontrib_convpad;"
        " sphinxcontrib_convpad.analyze('Conv2D(1, 2)', input_shape=(5, 5, 1));"
        " print(time.perf_counter() - t, 'matplotlib' in sys.modules, 'sphinx' in sys.modules)"
    )
    runs = []
    for _ in range(5):
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        seconds, mpl, sphinx = out.stdout.split()
        runs.append(float(seconds))
    return statistics.median(runs) * 1000, mpl == "True", sphinx == "True"


def report(samples: dict[str, dict[str, list]], diagrams: int) -> None:
    print(
        f"\n{'scenario':28} {'floor s':>9} {'real s':>9} {'ratio':>7} {'drawn':>7} {'peak MiB real/floor':>20}"
    )
    for name, kinds in samples.items():
        floor = statistics.median(r["seconds"] for r in kinds["floor"])
        real = statistics.median(r["seconds"] for r in kinds["real"])
        drawn = statistics.median(sum(r["drawn"].values()) for r in kinds["real"])
        peak_real = max(r["peak_kib"] for r in kinds["real"]) / 1024
        peak_floor = max(r["peak_kib"] for r in kinds["floor"]) / 1024
        print(
            f"{name:28} {floor:9.2f} {real:9.2f} {real / floor:7.2f} {drawn:7.0f} {peak_real:9.0f}/{peak_floor:.0f}"
        )
    print(f"({diagrams} diagrams; 'drawn' counts renders in the main process, so -j 2 shows 0)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=20)
    parser.add_argument("--per-page", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="keep the sites and builds in this folder")
    options = parser.parse_args()
    work = options.keep or Path(tempfile.mkdtemp(prefix="convpad-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1700000000")
    real, floor = write_sites(work / "sites", options.pages, options.per_page)
    milliseconds, mpl, sphinx = import_cost()
    print(
        f"import sphinxcontrib_convpad + analyze(): {milliseconds:.0f} ms;"
        f" matplotlib imported: {mpl}; sphinx imported: {sphinx}"
    )
    for name, cost in per_diagram_costs(200).items():
        print(f"per diagram {name:24} {cost:8.2f} ms")
    samples = measure(real, floor, options.repeat, work / "out")
    report(samples, options.pages * options.per_page)
    if options.keep is None:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
