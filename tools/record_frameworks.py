#!/usr/bin/env python3
"""Record ground truth from the real frameworks for sphinxcontrib-convpad's tests.

The project computes convolution arithmetic and prints model summaries *without* Keras,
TensorFlow or PyTorch.  This developer tool runs the real frameworks over our own case
files and writes what they report (output shapes, parameter counts, refusals with their
exact messages, the summary text, and where the padding really goes at run time) to
``tests/data/recorded/*.json``.  The tests compare the pure-Python core against those
files.  Nothing here is imported by the package or by the tests.

Throwaway virtual environments (outside the repo; Python 3.11)::

    python3 -m venv /tmp/fw-tf
    /tmp/fw-tf/bin/pip install tensorflow-cpu==2.21.0 keras==3.15.1 tf-keras==2.21.0
    python3 -m venv /tmp/fw-torch
    /tmp/fw-torch/bin/pip install torch==2.13.0 torchinfo==1.8.0 numpy
    #   torch: use a CPU wheel (e.g. --find-links DIR_WITH_THE_CPU_WHEEL, or
    #   --index-url https://download.pytorch.org/whl/cpu); the default PyPI wheel pulls
    #   GBs of CUDA.  torchinfo 1.8.0 imports numpy without declaring it.

Run from the repository root with *any* Python 3 (the driver itself needs only the
standard library; it starts the venvs' interpreters as workers)::

    python tools/record_frameworks.py all                 # everything below, default paths
    python tools/record_frameworks.py keras3   --cases tests/data/cases/keras.json   --out tests/data/recorded/keras3.json
    python tools/record_frameworks.py tf_keras --cases tests/data/cases/keras.json   --out tests/data/recorded/tf_keras.json
    python tools/record_frameworks.py pytorch  --cases tests/data/cases/pytorch.json --out tests/data/recorded/pytorch.json
    python tools/record_frameworks.py signatures --out tests/data/recorded/signatures.json
    # options: --python PATH (worker interpreter; defaults /tmp/fw-tf/bin/python and
    # /tmp/fw-torch/bin/python, or $CONVPAD_TF_PYTHON / $CONVPAD_TORCH_PYTHON),
    # --only CASE_ID (repeatable; for debugging, still writes --out)

Case files are JSON lists of ``{"id", "layers": [call strings], "input_shape", "model_name"}``.
The call strings are *executed* (``eval``) in the framework's namespace -- fine for a dev tool
run on our own case files, never on anything else.  Names bound there:

* Keras 3: ``keras``, ``layers`` (keras.layers), ``tf``, ``np``, ``Input``, ``Sequential`` and
  every public class of ``keras.layers`` (``Conv2D``, ``MaxPool2D`` ...).  ``tf.keras`` is
  Keras 3 here (TF 2.16+ with keras 3 installed).
* tf_keras (Keras 2 layout): the same names, but ``keras``/``layers``/``Input`` are
  ``tf_keras``'s, and the worker runs with ``TF_USE_LEGACY_KERAS=1`` so that ``tf.keras`` is
  tf_keras too.
* PyTorch: ``torch``, ``nn``, ``np`` and every public class of ``torch.nn``.

How a case is built (Keras): ``model = Sequential()`` (``Sequential(name=model_name)``), then
``model.add(Input(shape=input_shape))`` if the case has ``input_shape``, then each call string
is evaluated (stage ``construct``) and added (stage ``build``), like a user's script.  The
first element may itself be ``keras.Input(shape=...)``, or the first layer may carry
``input_shape=``.  Before every case ``clear_session()`` is called, so automatic names are
those of a fresh session.  After the symbolic build, a real forward pass on zeros of shape
``(1, *input_shape)`` (stage ``forward``) records the eager output shapes too.

PyTorch: ``nn.Sequential(*modules)``; ``input_shape`` excludes the batch axis; output shapes
come from forward hooks during ``model.eval()`` forward pass on zeros ``(1, *input_shape)``
(the mode torchinfo uses by default) with the batch replaced by ``null``; parameter counts
from ``parameters()``; layer names are the indices in ``nn.Sequential``.

Summaries
---------
Keras 3 renders ``model.summary()`` with *rich*.  What is printed depends on the terminal:
``line_length`` defaults to ``min(88, shutil.get_terminal_size().columns - 4)`` (76 when stdout
is not a TTY, because shutil falls back to 80 columns) and rich's console width is taken from
the first of stdin/stdout/stderr that is a TTY, else ``$COLUMNS``, else 80 -- a table wider
than the console is *cropped* (e.g. ``line_length=100`` in CI loses its right edge).  So every
worker runs with stdin from /dev/null, stdout/stderr to files, and ``COLUMNS``, ``LINES``,
``FORCE_COLOR``, ``NO_COLOR``, ``TTY_COMPATIBLE``, ``TTY_INTERACTIVE``, ``JUPYTER_*`` removed:
the situation of ``python script.py > out.txt`` in CI.  ``PYTHONIOENCODING=utf-8`` (rich draws
box characters), ``PYTHONHASHSEED=0`` (some refusal messages print a Python ``set``, whose order
depends on the hash seed).

* ``summaries``: what ``model.summary(line_length=W)`` writes to a non-TTY stdout, for
  W in default/76/88/60/100 (Keras 3), default/100 (tf_keras); captured by a second worker
  process whose real stdout is a file (markers between the calls).
* ``summaries_print_fn``: Keras 3 only, the string passed to a ``print_fn`` for the same W,
  stored only where it differs from ``summaries`` (top-level ``summary_notes`` says how they
  compare).
* PyTorch: ``str(torchinfo.summary(model, input_size=(1, *input_shape), verbose=0))``.

Runtime padding probes
----------------------
For every convolution, pooling, zero-padding and cropping layer the worker measures where the
framework puts the padding, one spatial axis at a time, and stores ``runtime_pads`` =
``[[pad_before, pad_after], ...]`` (one pair per spatial axis, in shape order) on the layer;
the case-level ``runtime_pads`` is that of the case's first probed layer.

* Convolution / pooling: a probe layer of the same class is made from the layer's config with
  1 input and 1 output channel (groups 1, depth multiplier 1, no bias, linear activation,
  channels_last / channels-first for torch), the layer's kernel, stride, dilation (and
  output_padding, torch's explicit padding and padding_mode, ceil_mode, count_include_pad) on
  the probed axis and 1 / 1 / 1 / 0 on the others, so the op is effectively 1-D.  All weights
  are 1 and the input along the probed axis is ``1, 2, ..., n`` (size 1 on the other axes).
  The observed output is compared with a plain-Python simulation for every candidate
  ``pad_before`` (and, for average pooling, every divisor convention: ``exclude_pad`` = number
  of real cells, ``include_pad`` = cells inside the symmetric explicit padding, ``kernel``);
  the candidates that reproduce the output exactly are recorded (``matches``), normally one.
  With ones as weights the result does not depend on whether the kernel is flipped.
  ``pad_after`` is derived from the padded length the windows span:
  ``pad_after = (out - 1) * stride + effective_kernel - n - pad_before`` where
  ``effective_kernel = (kernel - 1) * dilation + 1``.  It counts the cells the last window runs
  past the input (torch ceil_mode overrun included); a *negative* value means that many
  trailing input cells are never read (e.g. 'valid' 5, k2 s2 -> -1).  Zeros that a framework
  adds but no window reads cannot be observed: torch ``Conv1d(k=2, stride=2, padding=1)`` on 5
  cells records ``[1, 0]``; the probe detail keeps ``declared_padding`` ``[1, 1]`` and ``span``.
* Transposed convolution: the same probe; the simulation scatters ``x[i]`` to
  ``t = i * stride + j * dilation - crop`` for kernel taps j and finds ``crop`` (cells cut from
  the start of the full output).  Recorded as the equivalent direct convolution (stride-1 over
  the input dilated to ``(n - 1) * stride + 1`` cells with the kernel): ``pad_before =
  effective_kernel - 1 - crop``, ``pad_after = out + effective_kernel - 1 - dilated - pad_before``
  (negative values crop; output_padding shows up in pad_after).
* Zero padding / cropping: the layer itself on an input that is ``1..n`` along the probed axis
  (constant along the others); leading/trailing zeros give pads, the first/last surviving
  values give crops (recorded as ``[crop_before, crop_after]``).

Output JSON (indent=1): ``{"versions", "generated_by", "notes", "cases": [...]}``; per case
the case's fields plus ``error`` (``null`` or ``{"type", "message", "stage"}``), ``warnings``,
``result`` (model_name, input_shape, layers [{name, class_name, input_shape, output_shape,
params, trainable_params, non_trainable_params, weights, config/repr, runtime_pads ...}],
totals), ``summaries`` and ``runtime_pads``.
"""

# Recording every exception, whatever its type, is the point of this tool; K/tf/np/nn keep the
# frameworks' usual names; NaN checks compare a value with itself.
# ruff: noqa: BLE001, S110, N803, N806, N812, PLR0124
from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
from pathlib import Path

SCRIPT = Path(__file__).resolve()
REPO = SCRIPT.parent.parent
DEFAULT_TF_PYTHON = os.environ.get("CONVPAD_TF_PYTHON", "/tmp/fw-tf/bin/python")
DEFAULT_TORCH_PYTHON = os.environ.get("CONVPAD_TORCH_PYTHON", "/tmp/fw-torch/bin/python")
KERAS3_WIDTHS = [None, 76, 88, 60, 100]
TF_KERAS_WIDTHS = [None, 100]
MARK = "@@CONVPAD-MARK@@ "
PROBE_MAX_SIZE = 300  # axes longer than this are not probed (simulation is plain Python)
OBSERVED_MAX = 40  # observed probe outputs are stored when at most this long

# Environment variables that change what rich / Keras print, removed for the workers.
_TERMINAL_VARS = (
    "COLUMNS",
    "LINES",
    "FORCE_COLOR",
    "NO_COLOR",
    "TTY_COMPATIBLE",
    "TTY_INTERACTIVE",
    "CLICOLOR",
    "CLICOLOR_FORCE",
    "JUPYTER_COLUMNS",
    "JUPYTER_LINES",
    "TF_USE_LEGACY_KERAS",
    "KERAS_HOME",
)


# ---------------------------------------------------------------------------------------
# Driver (standard library only)
# ---------------------------------------------------------------------------------------


def worker_env(framework: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in _TERMINAL_VARS}
    env.update(
        PYTHONHASHSEED="0",
        PYTHONIOENCODING="utf-8",
        TF_CPP_MIN_LOG_LEVEL="3",
        TF_ENABLE_ONEDNN_OPTS="0",
        CUDA_VISIBLE_DEVICES="",
        KERAS_BACKEND="tensorflow",
        PYTHONDONTWRITEBYTECODE="1",
    )
    if framework == "tf_keras":
        env["TF_USE_LEGACY_KERAS"] = "1"
    return env


def run_worker(python: str, args: list[str], framework: str, stdout_path: str) -> None:
    """Run this script as a worker under ``python`` without any TTY attached."""
    cmd = [python, str(SCRIPT), *args]
    with Path(stdout_path).open("wb") as out, tempfile.TemporaryFile() as err:
        proc = subprocess.run(
            cmd,
            check=False,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
            env=worker_env(framework),
            cwd=REPO,
        )
        if proc.returncode != 0:
            err.seek(0)
            tail = err.read().decode("utf-8", "replace")[-6000:]
            raise SystemExit(f"worker failed ({proc.returncode}): {' '.join(cmd)}\n{tail}")


def split_marked_stdout(text: str) -> dict:
    """Map (case id, width key) -> exact text printed between two markers."""
    found = {}
    key = None
    buf: list[str] = []
    for line in text.splitlines(keepends=True):
        if line.startswith(MARK):
            if key is not None:
                found[key] = "".join(buf)
            meta = json.loads(line[len(MARK) :])
            key = (meta["id"], meta["w"]) if meta.get("w") != "END" else None
            buf = []
        elif key is not None:
            buf.append(line)
    if key is not None:
        found[key] = "".join(buf)
    return found


def width_key(w) -> str:
    return "default" if w is None else str(w)


def drive_framework(
    framework: str, cases_path: str, out_path: str, python: str, only: list[str], command_line: str
) -> None:
    with tempfile.TemporaryDirectory(prefix="convpad-rec-") as tmp:
        rec_path = str(Path(tmp, "record.json"))
        extra = []
        for o in only:
            extra += ["--only", o]
        run_worker(
            python,
            ["_worker", framework, "--cases", cases_path, "--out", rec_path, *extra],
            framework,
            str(Path(tmp, "worker.stdout")),
        )
        data = json.loads(Path(rec_path).read_text(encoding="utf-8"))
        if framework in ("keras3", "tf_keras"):
            stdout_path = str(Path(tmp, "summaries.stdout"))
            run_worker(
                python,
                ["_stdout", framework, "--cases", cases_path, *extra],
                framework,
                stdout_path,
            )
            printed = split_marked_stdout(Path(stdout_path).read_text(encoding="utf-8"))
            differ = 0
            compared = 0
            for case in data["cases"]:
                pf = case.pop("summaries_print_fn", None)
                if pf is None:
                    continue
                summaries = {}
                diffs = {}
                for key, text in pf.items():
                    shown = printed.get((case["id"], key))
                    summaries[key] = shown
                    compared += 1
                    if shown != text:
                        diffs[key] = text
                        differ += 1
                case["summaries"] = summaries
                if diffs:
                    case["summaries_print_fn"] = diffs
            data["notes"]["summary_capture"] = (
                f"'summaries' = what model.summary(line_length=W) printed to a non-TTY stdout "
                f"(a file) in a worker without any TTY and without COLUMNS; "
                f"'summaries_print_fn' = the string given to print_fn, stored only where it "
                f"differs ({differ} of {compared} captures differ)."
            )
    data["generated_by"] = command_line
    write_json(out_path, data)


def write_json(path: str, data) -> None:
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {path} ({target.stat().st_size:,} bytes)")


def drive_signatures(out_path: str, tf_python: str, torch_python: str, command_line: str) -> None:
    with tempfile.TemporaryDirectory(prefix="convpad-sig-") as tmp:
        parts = {}
        for fw, py in (("keras3", tf_python), ("tf_keras", tf_python), ("pytorch", torch_python)):
            p = str(Path(tmp, fw + ".json"))
            run_worker(py, ["_signatures", fw, "--out", p], fw, str(Path(tmp, fw + ".out")))
            parts[fw] = json.loads(Path(p).read_text(encoding="utf-8"))
    versions = {}
    for part in parts.values():
        versions.update(part.pop("versions"))
    data = {"versions": versions, "generated_by": command_line, **parts}
    write_json(out_path, data)


def main(argv=None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0].startswith("_"):
        return worker_main(argv)
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    defaults = {
        "keras3": (
            "tests/data/cases/keras.json",
            "tests/data/recorded/keras3.json",
            DEFAULT_TF_PYTHON,
        ),
        "tf_keras": (
            "tests/data/cases/keras.json",
            "tests/data/recorded/tf_keras.json",
            DEFAULT_TF_PYTHON,
        ),
        "pytorch": (
            "tests/data/cases/pytorch.json",
            "tests/data/recorded/pytorch.json",
            DEFAULT_TORCH_PYTHON,
        ),
    }
    for name, (cases, out, py) in defaults.items():
        p = sub.add_parser(name, help=f"record {name}")
        p.add_argument("--cases", default=cases)
        p.add_argument("--out", default=out)
        p.add_argument("--python", default=py, help="the framework venv's interpreter")
        p.add_argument("--only", action="append", default=[], metavar="CASE_ID")
    p = sub.add_parser("signatures", help="record __init__ signatures")
    p.add_argument("--out", default="tests/data/recorded/signatures.json")
    p.add_argument("--tf-python", default=DEFAULT_TF_PYTHON)
    p.add_argument("--torch-python", default=DEFAULT_TORCH_PYTHON)
    p = sub.add_parser("all", help="record everything with the default paths")
    p.add_argument("--tf-python", default=DEFAULT_TF_PYTHON)
    p.add_argument("--torch-python", default=DEFAULT_TORCH_PYTHON)
    args = ap.parse_args(argv)
    os.chdir(REPO)
    shown = "python tools/record_frameworks.py " + args.cmd
    if args.cmd in defaults:
        shown += f" --cases {args.cases} --out {args.out}"
        shown += "".join(f" --only {o}" for o in args.only)
        drive_framework(args.cmd, args.cases, args.out, args.python, args.only, shown)
    elif args.cmd == "signatures":
        drive_signatures(args.out, args.tf_python, args.torch_python, f"{shown} --out {args.out}")
    else:
        for name, (cases, out, _) in defaults.items():
            py = args.torch_python if name == "pytorch" else args.tf_python
            drive_framework(
                name,
                cases,
                out,
                py,
                [],
                f"python tools/record_frameworks.py {name} --cases {cases} --out {out}",
            )
        drive_signatures(
            "tests/data/recorded/signatures.json",
            args.tf_python,
            args.torch_python,
            "python tools/record_frameworks.py signatures "
            "--out tests/data/recorded/signatures.json",
        )


# ---------------------------------------------------------------------------------------
# Worker side (runs inside a framework venv)
# ---------------------------------------------------------------------------------------


def worker_main(argv: list[str]) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["_worker", "_stdout", "_signatures"])
    ap.add_argument("framework", choices=["keras3", "tf_keras", "pytorch"])
    ap.add_argument("--cases")
    ap.add_argument("--out")
    ap.add_argument("--only", action="append", default=[])
    args = ap.parse_args(argv)
    import warnings

    warnings.simplefilter("default")
    if args.mode == "_signatures":
        data = record_signatures(args.framework)
        Path(args.out).write_text(json.dumps(data), encoding="utf-8")
        return
    cases = json.loads(Path(args.cases).read_text(encoding="utf-8"))
    ids = [c["id"] for c in cases]
    dup = sorted({i for i in ids if ids.count(i) > 1})
    if dup:
        raise SystemExit(f"duplicate case ids: {dup}")
    if args.only:
        cases = [c for c in cases if c["id"] in args.only]
    if args.framework == "pytorch":
        data = record_pytorch(cases)
    elif args.mode == "_stdout":
        return print_keras_summaries(args.framework, cases)
    else:
        data = record_keras(args.framework, cases)
    Path(args.out).write_text(json.dumps(data), encoding="utf-8")


# ---- helpers shared by the workers ----------------------------------------------------


_ANSI_RE = re.compile(r"\x1b\[[0-9;]*m")


def error_record(exc: BaseException, stage: str) -> dict:
    """``message`` is ``str(exc)`` verbatim.  Keras 3 wraps errors raised inside ``call()``
    ("Exception encountered when calling X.call(). <bold>inner</bold> Arguments received
    by ...") with ANSI bold codes even without a TTY; ``inner_message`` is the wrapped
    message alone, without the codes (else the whole message, without the codes)."""
    msg = str(exc)
    plain = _ANSI_RE.sub("", msg)
    inner = plain.strip()
    m = re.match(
        r"Exception encountered when calling [^\n]*\n\n(.*?)\n\nArguments received",
        plain,
        re.DOTALL,
    )
    if m:
        inner = m.group(1).strip()
    rec = {
        "type": type(exc).__name__,
        "module": type(exc).__module__,
        "message": msg,
        "inner_message": inner,
        "stage": stage,
    }
    cause = exc.__cause__ or exc.__context__
    if cause is not None and stage == "torchinfo":
        rec["cause"] = {"type": type(cause).__name__, "message": str(cause)}
    return rec


def jsonable(value):
    """Config values as JSON (tuples -> lists); None for anything not plain data."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple)):
        items = [jsonable(v) for v in value]
        return items
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    return repr(value)


def pad_value(x, idx: int, mode: str):
    n = len(x)
    if 0 <= idx < n:
        return x[idx]
    if mode == "zeros":
        return 0.0
    if mode == "reflect":
        j = idx
        while j < 0 or j >= n:
            j = -j if j < 0 else 2 * (n - 1) - j
        return x[j]
    if mode == "replicate":
        return x[min(max(idx, 0), n - 1)]
    if mode == "circular":
        return x[idx % n]
    raise ValueError(mode)


def simulate_direct(x, out, k, s, d, pb, reduce, mode="zeros", divisor=None):
    n = len(x)
    y = []
    for o in range(out):
        taps = [o * s + j * d - pb for j in range(k)]
        if reduce == "sum":
            y.append(sum(pad_value(x, t, mode) for t in taps))
            continue
        vals = [x[t] for t in taps if 0 <= t < n]
        if reduce == "max":
            y.append(max(vals) if vals else float("-inf"))
        else:
            if divisor == "exclude_pad":
                div = len(vals)
            elif divisor == "include_pad":
                div = len([t for t in taps if -pb <= t < n + pb])
            elif isinstance(divisor, int):  # torch's divisor_override
                div = divisor
            else:
                div = k
            y.append(sum(vals) / div if div else float("nan"))
    return y


def simulate_transposed(x, out, k, s, d, crop):
    y = [0.0] * out
    for i, v in enumerate(x):
        for j in range(k):
            t = i * s + j * d - crop
            if 0 <= t < out:
                y[t] += v
    return y


def close(a, b) -> bool:
    if len(a) != len(b):
        return False
    for u, v in zip(a, b, strict=False):
        if u == v or (u != u and v != v):
            continue
        if u != u or v != v:
            return False
        if abs(u - v) > 1e-3 + 1e-5 * abs(v):
            return False
    return True


def infer_pads(kind, runs, n, k, s, d, reduce=None, mode="zeros", divisors=(None,)):
    """Find the padding that reproduces the observed outputs (see the module docstring).

    ``runs`` is a list of ``(x, observed)``: the probe is run on ``1..n`` and on ``n..1``; a
    candidate must reproduce both (one alone can be ambiguous, e.g. a max-pooling window
    that covers the whole input)."""
    out = len(runs[0][1])
    eff = (k - 1) * d + 1
    detail = {"n": n, "out": out, "kernel": k, "stride": s, "dilation": d, "effective_kernel": eff}
    if kind != "conv_transpose":
        detail["span"] = (out - 1) * s + eff
    if out <= OBSERVED_MAX:
        detail["observed"] = [round(float(v), 4) for v in runs[0][1]]
    matches = []
    if kind == "conv_transpose":
        dilated = (n - 1) * s + 1
        detail["dilated_size"] = dilated
        for crop in range(-(out + eff + 1), eff + n * s + 2):
            if all(close(simulate_transposed(x, out, k, s, d, crop), obs) for x, obs in runs):
                pb = eff - 1 - crop
                matches.append(
                    {
                        "crop_before": crop,
                        "pad_before": pb,
                        "pad_after": out + eff - 1 - dilated - pb,
                    }
                )
    else:
        for pb in range(eff + n + 1):
            for div in divisors:
                if all(
                    close(simulate_direct(x, out, k, s, d, pb, reduce, mode, div), obs)
                    for x, obs in runs
                ):
                    m = {"pad_before": pb, "pad_after": (out - 1) * s + eff - n - pb}
                    if div is not None:
                        m["divisor"] = div
                    matches.append(m)
    if mode == "circular" and matches:
        # Circular padding repeats with period n: keep the smallest pad_before.
        least = min(m["pad_before"] for m in matches)
        matches = [m for m in matches if m["pad_before"] == least]
    detail["matches"] = matches
    pads = (
        [matches[0]["pad_before"], matches[0]["pad_after"]]
        if len({(m["pad_before"], m["pad_after"]) for m in matches}) == 1
        else None
    )
    return pads, detail


def probe_inputs(n):
    """The two probe inputs along the probed axis: 1..n and n..1."""
    up = [float(i + 1) for i in range(n)]
    return [up, up[::-1]]


def profile_pads(kind, profile, n):
    """Zero padding / cropping from the 1-D profile of the output along the probed axis."""
    vals = [float(v) for v in profile]
    detail = {"n": n, "out": len(vals)}
    if len(vals) <= OBSERVED_MAX:
        detail["observed"] = [round(v, 4) for v in vals]
    # Leading/trailing zeros are padding; otherwise the first/last surviving value tells how
    # many cells were cut (negative pads: torch's ZeroPad with negative values, cropping).
    nz = [i for i, v in enumerate(vals) if v != 0]
    if not nz:
        return None, detail
    first, last = nz[0], nz[-1]
    before = first if first > 0 else -(round(vals[first]) - 1)
    trailing = len(vals) - 1 - last
    after = trailing if trailing > 0 else -(n - round(vals[last]))
    if kind == "cropping":
        return [-before, -after], detail
    return [before, after], detail


def axis_only(values, a, fill):
    return tuple(v if i == a else fill for i, v in enumerate(values))


# ---- Keras 3 / tf_keras ----------------------------------------------------------------


def keras_setup(flavor: str):
    import numpy as np
    import tensorflow as tf

    if flavor == "keras3":
        import keras as K
    else:
        import tf_keras as K
    ns = {
        "keras": K,
        "layers": K.layers,
        "tf": tf,
        "np": np,
        "Input": K.Input,
        "Sequential": K.Sequential,
    }
    for name in dir(K.layers):
        if name[:1].isupper():
            ns[name] = getattr(K.layers, name)
    return K, tf, np, ns


def keras_versions(flavor: str) -> dict:
    import numpy as np
    import tensorflow as tf

    v = {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "tensorflow": tf.__version__,
        "numpy": np.__version__,
    }
    if flavor == "keras3":
        import keras
        import rich

        v["keras"] = keras.__version__
        v["keras_backend"] = keras.backend.backend()
        try:
            from importlib.metadata import version

            v["rich"] = version("rich")
        except Exception:  # pragma: no cover
            v["rich"] = getattr(rich, "__version__", None)
        v["tf.keras_is_keras3"] = tf.keras.layers.Conv2D is keras.layers.Conv2D
    else:
        import tf_keras

        v["tf_keras"] = tf_keras.__version__
        v["tf.keras_is_tf_keras"] = tf.keras.layers.Conv2D is tf_keras.layers.Conv2D
    v["PYTHONHASHSEED"] = os.environ.get("PYTHONHASHSEED")
    return v


KERAS_CONFIG_KEYS = (
    "filters",
    "kernel_size",
    "strides",
    "padding",
    "output_padding",
    "data_format",
    "dilation_rate",
    "groups",
    "depth_multiplier",
    "use_bias",
    "activation",
    "pool_size",
    "cropping",
    "size",
    "interpolation",
    "keepdims",
    "target_shape",
    "units",
    "rate",
    "axis",
    "trainable",
)

_RANK_RE = re.compile(r"([123])D")


def keras_kind(class_name: str):
    m = _RANK_RE.search(class_name)
    rank = int(m.group(1)) if m else None
    if "Global" in class_name:
        return "global_pooling", rank
    if "Transpose" in class_name or "Deconv" in class_name:
        return "conv_transpose", rank
    if class_name.startswith("Depthwise"):
        return "depthwise_conv", rank
    if class_name.startswith("Separable"):
        return "separable_conv", rank
    if re.match(r"^Conv(olution)?[123]D$", class_name):
        return "conv", rank
    if "Pool" in class_name:
        return ("max_pooling" if "Max" in class_name else "avg_pooling"), rank
    if class_name.startswith("ZeroPadding"):
        return "zero_padding", rank
    if class_name.startswith("Cropping"):
        return "cropping", rank
    return None, rank


def shape_list(shape):
    if shape is None:
        return None
    if hasattr(shape, "as_list"):
        try:
            shape = shape.as_list()
        except ValueError:
            return None
    return [None if d is None else int(d) for d in shape]


def keras_short_weight_name(v) -> str:
    name = v.name
    return name.split("/")[-1].split(":")[0]


def keras_count(weights) -> int:
    import math

    return int(sum(math.prod(shape_list(w.shape)) for w in weights))


def keras_build(K, ns, case, warn_log):
    """Build the case's model like a user's script; returns (model, error, n_layers_added)."""
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model = None
        try:
            if case.get("model_name"):
                model = K.Sequential(name=case["model_name"])
            else:
                model = K.Sequential()
            if case.get("input_shape") is not None:
                model.add(K.Input(shape=tuple(case["input_shape"])))
            for text in case["layers"]:
                try:
                    obj = eval(text, ns)
                except Exception as exc:
                    return model, error_record(exc, "construct") | {"layer": text}
                try:
                    model.add(obj)
                except Exception as exc:
                    return model, error_record(exc, "build") | {"layer": text}
            return model, None
        finally:
            for w in caught:
                msg = f"{w.category.__name__}: {w.message}"
                if msg not in warn_log:
                    warn_log.append(msg)


def keras_input_layer_name(model):
    cands = getattr(model, "_layers", None) or []
    if cands and type(cands[0]).__name__ == "InputLayer":
        return cands[0].name
    try:
        return model.layers[0].input.name if False else None
    except Exception:
        return None


def keras_layer_record(layer, flavor):
    rec = {"name": layer.name, "class_name": type(layer).__name__}
    try:
        rec["input_shape"] = shape_list(layer.input.shape)
    except Exception:
        rec["input_shape"] = None
    try:
        rec["output_shape"] = shape_list(layer.output.shape)
    except Exception:
        rec["output_shape"] = None
    try:
        rec["params"] = int(layer.count_params())
    except Exception:
        rec["params"] = None
    try:
        rec["trainable_params"] = keras_count(layer.trainable_weights)
        rec["non_trainable_params"] = keras_count(layer.non_trainable_weights)
        rec["weights"] = [
            {
                "name": keras_short_weight_name(v),
                "shape": shape_list(v.shape),
                "trainable": bool(v.trainable),
            }
            for v in layer.weights
        ]
    except Exception:  # tf_keras refuses to list the weights of an unbuilt layer
        rec["trainable_params"] = rec["non_trainable_params"] = rec["weights"] = None
    try:
        cfg = layer.get_config()
        rec["config"] = {k: jsonable(cfg[k]) for k in KERAS_CONFIG_KEYS if k in cfg}
    except Exception as exc:
        rec["config"] = {"error": repr(exc)}
    return rec


def keras_probe(K, np, layer, kind, rank):
    """Runtime padding of one layer, axis by axis (see the module docstring)."""
    in_shape = shape_list(layer.input.shape)
    cfg = layer.get_config()
    df = cfg.get("data_format") or "channels_last"
    spatial = in_shape[1 : 1 + rank] if df == "channels_last" else in_shape[2 : 2 + rank]
    pads, details = [], []
    for a in range(rank):
        n = spatial[a]
        if n is None or n > PROBE_MAX_SIZE:
            pads.append(None)
            details.append({"skipped": f"size {n}"})
            continue
        try:
            if kind in ("zero_padding", "cropping"):
                shp = [1, *list(spatial), 1] if df == "channels_last" else [1, 1, *list(spatial)]
                ax = 1 + a if df == "channels_last" else 2 + a
                view = [1] * len(shp)
                view[ax] = n
                x = np.broadcast_to(np.arange(1, n + 1, dtype="float32").reshape(view), shp).copy()
                y = np.asarray(layer(x))
                other = tuple(i for i in range(y.ndim) if i != ax)
                prof = y.max(axis=other) if other else y
                p, det = profile_pads(kind, prof, n)
            else:
                c = dict(cfg)
                c.pop("name", None)
                c["data_format"] = "channels_last"
                size_key = "pool_size" if "pool" in kind else "kernel_size"
                ks = tuple(c[size_key])
                st = tuple(c.get("strides") or ks)
                dil = tuple(c.get("dilation_rate") or (1,) * rank)
                c[size_key] = axis_only(ks, a, 1)
                # Other axes: kernel 1 over a size-1 input, and the *same* stride (TF's
                # depthwise op refuses unequal strides); that axis' output is 1, unpadded.
                # Transposed layers would upsample a size-1 axis by its stride: use 1.
                c["strides"] = axis_only(st, a, 1 if kind == "conv_transpose" else st[a])
                if "dilation_rate" in c:
                    c["dilation_rate"] = axis_only(dil, a, 1)
                if "pool" not in kind:
                    c["use_bias"] = False
                    c["activation"] = "linear"
                    if "groups" in c:
                        c["groups"] = 1
                    if "depth_multiplier" in c:
                        c["depth_multiplier"] = 1
                    if "filters" in c:
                        c["filters"] = 1
                    if c.get("output_padding") is not None:
                        c["output_padding"] = axis_only(tuple(c["output_padding"]), a, 0)
                probe = type(layer).from_config(c)
                shp = [1] + [n if i == a else 1 for i in range(rank)] + [1]
                runs = []
                for xs in probe_inputs(n):
                    x = np.asarray(xs, dtype="float32").reshape(shp)
                    if not probe.built:
                        probe(x)
                        probe.set_weights(
                            [np.ones(w.shape, dtype="float32") for w in probe.get_weights()]
                        )
                    runs.append((xs, np.asarray(probe(x)).reshape(-1).tolist()))
                if kind == "max_pooling":
                    p, det = infer_pads(kind, runs, n, ks[a], st[a], 1, "max")
                elif kind == "avg_pooling":
                    p, det = infer_pads(
                        kind,
                        runs,
                        n,
                        ks[a],
                        st[a],
                        1,
                        "avg",
                        divisors=("exclude_pad", "include_pad", "kernel"),
                    )
                else:
                    p, det = infer_pads(kind, runs, n, ks[a], st[a], dil[a], "sum")
            pads.append(p)
            details.append(det)
        except Exception as exc:
            pads.append(None)
            details.append({"error": error_record(exc, "probe")})
    return pads, details


def keras_summary_capture(model, widths):
    out = {}
    for w in widths:
        got: list[str] = []
        try:
            model.summary(line_length=w, print_fn=lambda s, *a, got=got, **k: got.append(s))
            # Keras 3 calls print_fn once with the whole table; tf_keras once per line
            # (joined here with the newline print() would add).
            out[width_key(w)] = got[0] if len(got) == 1 else "".join(g + "\n" for g in got)
        except Exception as exc:
            out[width_key(w)] = f"<{type(exc).__name__}: {exc}>"
    return out


def record_keras(flavor: str, cases: list) -> dict:
    K, _tf, np, ns = keras_setup(flavor)
    widths = KERAS3_WIDTHS if flavor == "keras3" else TF_KERAS_WIDTHS
    records = []
    for case in cases:
        K.backend.clear_session()
        rec = {k: case.get(k) for k in ("id", "layers", "input_shape", "model_name")}
        warn_log: list[str] = []
        model, err = keras_build(K, ns, case, warn_log)
        rec["error"] = err
        rec["warnings"] = warn_log
        rec["result"] = None
        rec["runtime_pads"] = None
        if err is None and model is not None:
            rec["result"] = keras_result(model, flavor)
            rec["summaries_print_fn"] = keras_summary_capture(model, widths)
            keras_forward(np, model, case, rec)
            if rec["result"] is not None:
                for layer, lrec in zip(model.layers, rec["result"]["layers"], strict=False):
                    kind, rank = keras_kind(type(layer).__name__)
                    if kind is None or kind == "global_pooling" or rank is None:
                        continue
                    if lrec.get("input_shape") is None:
                        continue
                    pads, details = keras_probe(K, np, layer, kind, rank)
                    lrec["runtime_pads"] = pads
                    lrec["runtime_probe"] = details
                    if rec["runtime_pads"] is None:
                        rec["runtime_pads"] = pads
        records.append(rec)
    return {"versions": keras_versions(flavor), "notes": {}, "cases": records}


def keras_result(model, flavor):
    res = {"model_name": model.name, "input_layer_name": keras_input_layer_name(model)}
    try:
        res["input_shape"] = shape_list(model.inputs[0].shape) if model.inputs else None
    except Exception:
        res["input_shape"] = None
    res["built"] = bool(getattr(model, "built", False))
    res["layers"] = [keras_layer_record(layer, flavor) for layer in model.layers]
    try:
        res["total_params"] = int(model.count_params())
    except Exception as exc:
        res["total_params"] = None
        res["count_params_error"] = error_record(exc, "count_params")
    try:
        res["trainable_params"] = keras_count(model.trainable_weights)
        res["non_trainable_params"] = keras_count(model.non_trainable_weights)
    except Exception:  # tf_keras: "Weights for model ... have not yet been created"
        res["trainable_params"] = res["non_trainable_params"] = None
    return res


FORWARD_MAX_ELEMENTS = 20_000_000  # skip the eager forward pass for tensors larger than this


def too_big(shapes) -> bool:
    import math

    return any(s and None not in s[1:] and math.prod(s[1:]) > FORWARD_MAX_ELEMENTS for s in shapes)


def keras_forward(np, model, case, rec):
    shape = rec["result"]["input_shape"] if rec["result"] else None
    if not shape or any(d is None for d in shape[1:]):
        return
    if too_big([shape] + [lay.get("output_shape") for lay in rec["result"]["layers"]]):
        rec["forward_output_shapes"] = None
        rec["forward_error"] = None
        rec["forward_skipped"] = f"a tensor has more than {FORWARD_MAX_ELEMENTS:,} elements"
        return
    x = np.zeros([1, *shape[1:]], dtype="float32")
    shapes = []
    try:
        for layer in model.layers:
            x = layer(x)
            shapes.append([None, *list(x.shape)[1:]])
        rec["forward_output_shapes"] = shapes
        rec["forward_error"] = None
    except Exception as exc:
        rec["forward_output_shapes"] = shapes
        rec["forward_error"] = error_record(exc, "forward") | {"layer_index": len(shapes)}


def print_keras_summaries(flavor: str, cases: list) -> None:
    """Worker whose real stdout is a file: prints model.summary() between markers."""
    K, _tf, _np, ns = keras_setup(flavor)
    widths = KERAS3_WIDTHS if flavor == "keras3" else TF_KERAS_WIDTHS
    for case in cases:
        K.backend.clear_session()
        model, err = keras_build(K, ns, case, [])
        if err is not None or model is None:
            continue
        for w in widths:
            print(MARK + json.dumps({"id": case["id"], "w": width_key(w)}), flush=True)
            try:
                model.summary(line_length=w)
            except Exception as exc:
                print(f"<{type(exc).__name__}: {exc}>")
            sys.stdout.flush()
        print(MARK + json.dumps({"id": case["id"], "w": "END"}), flush=True)


# ---- PyTorch ----------------------------------------------------------------------------


def torch_setup():
    import numpy as np
    import torch
    from torch import nn

    ns = {"torch": torch, "nn": nn, "np": np}
    for name in dir(nn):
        if name[:1].isupper():
            ns[name] = getattr(nn, name)
    return torch, nn, np, ns


def torch_kind(module):
    from torch import nn

    name = type(module).__name__
    m = _RANK_RE.search(name.upper())
    rank = int(m.group(1)) if m else None
    if isinstance(module, nn.modules.conv._ConvTransposeNd):
        return "conv_transpose", rank
    if isinstance(module, nn.modules.conv._ConvNd):
        return "conv", rank
    if isinstance(module, nn.modules.pooling._MaxPoolNd):
        return "max_pooling", rank
    if isinstance(module, nn.modules.pooling._AvgPoolNd):
        return "avg_pooling", rank
    if name.startswith(("ZeroPad", "ConstantPad")):
        return "zero_padding", rank
    return None, rank


def _tup(v, rank):
    return tuple(v) if isinstance(v, (tuple, list)) else (v,) * rank


def torch_probe(torch, nn, np, module, kind, rank, in_shape):
    spatial = in_shape[2 : 2 + rank]
    pads, details = [], []
    for a in range(rank):
        n = spatial[a]
        if n > PROBE_MAX_SIZE:
            pads.append(None)
            details.append({"skipped": f"size {n}"})
            continue
        try:
            with torch.no_grad():
                if kind == "zero_padding":
                    shp = [1, 1, *list(spatial)]
                    view = [1] * len(shp)
                    view[2 + a] = n
                    x = (
                        torch.arange(1, n + 1, dtype=torch.float32)
                        .reshape(view)
                        .expand(shp)
                        .contiguous()
                    )
                    y = module(x)
                    other = tuple(i for i in range(y.dim()) if i != 2 + a)
                    prof = y.amax(dim=other) if other else y
                    p, det = profile_pads(kind, prof.tolist(), n)
                else:
                    cls = type(module)
                    ks = _tup(module.kernel_size, rank)
                    st = _tup(module.stride if module.stride is not None else ks, rank)
                    if kind in ("conv", "conv_transpose"):
                        dil = _tup(module.dilation, rank)
                        kw = {
                            "kernel_size": axis_only(ks, a, 1),
                            "stride": axis_only(st, a, 1),
                            "dilation": axis_only(dil, a, 1),
                            "groups": 1,
                            "bias": False,
                            "padding_mode": module.padding_mode,
                        }
                        if isinstance(module.padding, str):
                            kw["padding"] = module.padding
                        else:
                            kw["padding"] = axis_only(_tup(module.padding, rank), a, 0)
                        if kind == "conv_transpose":
                            kw["output_padding"] = axis_only(
                                _tup(module.output_padding, rank), a, 0
                            )
                        probe = cls(1, 1, **kw)
                        torch.nn.init.ones_(probe.weight)
                    elif kind == "max_pooling":
                        dil = _tup(module.dilation, rank)
                        probe = cls(
                            kernel_size=axis_only(ks, a, 1),
                            stride=axis_only(st, a, 1),
                            padding=axis_only(_tup(module.padding, rank), a, 0),
                            dilation=axis_only(dil, a, 1),
                            ceil_mode=module.ceil_mode,
                        )
                    else:
                        dil = (1,) * rank
                        probe = cls(
                            kernel_size=axis_only(ks, a, 1),
                            stride=axis_only(st, a, 1),
                            padding=axis_only(_tup(module.padding, rank), a, 0),
                            ceil_mode=module.ceil_mode,
                            count_include_pad=module.count_include_pad,
                            divisor_override=module.divisor_override,
                        )
                    shp = [1, 1] + [n if i == a else 1 for i in range(rank)]
                    runs = [
                        (
                            xs,
                            probe(torch.tensor(xs, dtype=torch.float32).reshape(shp))
                            .reshape(-1)
                            .tolist(),
                        )
                        for xs in probe_inputs(n)
                    ]
                    if kind == "max_pooling":
                        p, det = infer_pads(kind, runs, n, ks[a], st[a], dil[a], "max")
                    elif kind == "avg_pooling":
                        divisors = ("exclude_pad", "include_pad", "kernel")
                        if module.divisor_override:
                            divisors = (module.divisor_override,)
                        p, det = infer_pads(
                            kind, runs, n, ks[a], st[a], 1, "avg", divisors=divisors
                        )
                    else:
                        mode = module.padding_mode
                        p, det = infer_pads(kind, runs, n, ks[a], st[a], dil[a], "sum", mode=mode)
                        det["padding_mode"] = mode
                    if kind != "zero_padding" and not isinstance(module.padding, str):
                        # What the module was told; the probe sees only the zeros a window
                        # reads, so a trailing explicit zero that no window reaches shows
                        # as a smaller (or negative) pad_after in runtime_pads.
                        declared = _tup(module.padding, rank)[a]
                        det["declared_padding"] = [declared, declared]
                        if kind == "conv_transpose":
                            det["declared_output_padding"] = _tup(module.output_padding, rank)[a]
            pads.append(p)
            details.append(det)
        except Exception as exc:
            pads.append(None)
            details.append({"error": error_record(exc, "probe")})
    return pads, details


def record_pytorch(cases: list) -> dict:
    import torchinfo

    torch, nn, np, ns = torch_setup()
    torch.manual_seed(0)
    records = []
    for case in cases:
        rec = {k: case.get(k) for k in ("id", "layers", "input_shape", "model_name")}
        rec["error"] = None
        rec["result"] = None
        rec["runtime_pads"] = None
        import warnings

        warn_log: list[str] = []
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            modules = []
            for text in case["layers"]:
                try:
                    modules.append(eval(text, ns))
                except Exception as exc:
                    rec["error"] = error_record(exc, "construct") | {"layer": text}
                    break
            model = None
            shape = case.get("input_shape")
            if rec["error"] is None:
                model = nn.Sequential(*modules)
                model.eval()
                rec["result"] = torch_result(torch, model, shape)
                fwd_err = rec["result"].pop("forward_error")
                if fwd_err is not None:
                    rec["error"] = fwd_err
            for w in caught:
                msg = f"{w.category.__name__}: {w.message}"
                if msg not in warn_log:
                    warn_log.append(msg)
        rec["warnings"] = warn_log
        if model is not None:
            try:
                rec["summaries"] = {
                    "torchinfo": str(torchinfo.summary(model, input_size=(1, *shape), verbose=0))
                }
            except Exception as exc:
                rec["summaries"] = {"torchinfo": None}
                rec["summary_error"] = error_record(exc, "torchinfo")
            try:
                stats = torchinfo.summary(model, input_size=(1, *shape), verbose=0)
                rec["torchinfo_layers"] = [
                    {
                        "class_name": li.class_name,
                        "var_name": li.var_name,
                        "depth": li.depth,
                        "depth_index": li.depth_index,
                        "output_size": list(li.output_size),
                        "num_params": li.num_params,
                        "trainable_params": li.trainable_params,
                        "is_leaf": li.is_leaf_layer,
                    }
                    for li in stats.summary_list
                ]
                rec["torchinfo_totals"] = {
                    "total_params": stats.total_params,
                    "trainable_params": stats.trainable_params,
                    "total_mult_adds": stats.total_mult_adds,
                }
            except Exception:
                pass
        if rec["error"] is None and rec["result"] is not None:
            for module, lrec in zip(model, rec["result"]["layers"], strict=False):
                kind, rank = torch_kind(module)
                if kind is None or rank is None or lrec.get("input_shape") is None:
                    continue
                in_shape = [1, *lrec["input_shape"][1:]]
                pads, details = torch_probe(torch, nn, np, module, kind, rank, in_shape)
                lrec["runtime_pads"] = pads
                lrec["runtime_probe"] = details
                if rec["runtime_pads"] is None:
                    rec["runtime_pads"] = pads
        records.append(rec)
    from importlib.metadata import version

    import numpy

    versions = {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "torch": torch.__version__,
        "torchinfo": version("torchinfo"),
        "numpy": numpy.__version__,
        "PYTHONHASHSEED": os.environ.get("PYTHONHASHSEED"),
    }
    return {"versions": versions, "notes": {}, "cases": records}


def torch_result(torch, model, shape):
    layers = []
    for name, module in model.named_children():
        params = list(module.parameters())
        layers.append(
            {
                "name": name,
                "class_name": type(module).__name__,
                "repr": repr(module),
                "input_shape": None,
                "output_shape": None,
                "params": int(sum(p.numel() for p in params)),
                "trainable_params": int(sum(p.numel() for p in params if p.requires_grad)),
                "non_trainable_params": int(sum(p.numel() for p in params if not p.requires_grad)),
                "weights": [
                    {"name": pn, "shape": list(p.shape), "trainable": p.requires_grad}
                    for pn, p in module.named_parameters()
                ],
            }
        )
    hooks = []
    for i, module in enumerate(model):

        def hook(mod, inp, out, i=i):
            layers[i]["input_shape"] = [None, *list(inp[0].shape)[1:]]
            layers[i]["output_shape"] = [None, *list(out.shape)[1:]]

        hooks.append(module.register_forward_hook(hook))
    forward_error = None
    try:
        with torch.no_grad():
            model(torch.zeros((1, *shape)))
    except Exception as exc:
        done = sum(1 for rec in layers if rec["output_shape"] is not None)
        forward_error = error_record(exc, "forward") | {"layer_index": done}
    for h in hooks:
        h.remove()
    params = list(model.parameters())
    return {
        "model_name": type(model).__name__,
        "input_shape": [None, *shape],
        "layers": layers,
        "total_params": int(sum(p.numel() for p in params)),
        "trainable_params": int(sum(p.numel() for p in params if p.requires_grad)),
        "non_trainable_params": int(sum(p.numel() for p in params if not p.requires_grad)),
        "forward_error": forward_error,
    }


# ---- signatures -------------------------------------------------------------------------

KERAS_CLASSES = [
    "Conv1D",
    "Conv2D",
    "Conv3D",
    "Conv1DTranspose",
    "Conv2DTranspose",
    "Conv3DTranspose",
    "DepthwiseConv1D",
    "DepthwiseConv2D",
    "SeparableConv1D",
    "SeparableConv2D",
    "MaxPooling1D",
    "MaxPooling2D",
    "MaxPooling3D",
    "AveragePooling1D",
    "AveragePooling2D",
    "AveragePooling3D",
    "GlobalAveragePooling1D",
    "GlobalAveragePooling2D",
    "GlobalAveragePooling3D",
    "GlobalMaxPooling1D",
    "GlobalMaxPooling2D",
    "GlobalMaxPooling3D",
    "ZeroPadding1D",
    "ZeroPadding2D",
    "ZeroPadding3D",
    "Cropping1D",
    "Cropping2D",
    "Cropping3D",
    "UpSampling1D",
    "UpSampling2D",
    "UpSampling3D",
    "Flatten",
    "Dense",
    "Dropout",
    "Activation",
    "ReLU",
    "BatchNormalization",
    "Reshape",
    "InputLayer",
]
KERAS_ALIASES = [
    "Convolution1D",
    "Convolution2D",
    "Convolution3D",
    "Convolution2DTranspose",
    "Convolution3DTranspose",
    "SeparableConvolution1D",
    "SeparableConvolution2D",
    "MaxPool1D",
    "MaxPool2D",
    "MaxPool3D",
    "AvgPool1D",
    "AvgPool2D",
    "AvgPool3D",
    "GlobalAvgPool1D",
    "GlobalAvgPool2D",
    "GlobalAvgPool3D",
    "GlobalMaxPool1D",
    "GlobalMaxPool2D",
    "GlobalMaxPool3D",
]
TORCH_CLASSES = [
    "Conv1d",
    "Conv2d",
    "Conv3d",
    "ConvTranspose1d",
    "ConvTranspose2d",
    "ConvTranspose3d",
    "MaxPool1d",
    "MaxPool2d",
    "MaxPool3d",
    "AvgPool1d",
    "AvgPool2d",
    "AvgPool3d",
    "AdaptiveAvgPool2d",
    "AdaptiveMaxPool2d",
    "ZeroPad1d",
    "ZeroPad2d",
    "ZeroPad3d",
    "ConstantPad2d",
    "Flatten",
    "Linear",
    "BatchNorm1d",
    "BatchNorm2d",
    "BatchNorm3d",
    "ReLU",
    "LeakyReLU",
    "Sigmoid",
    "Tanh",
    "GELU",
    "Softmax",
    "Dropout",
    "Dropout2d",
    "Identity",
    "Upsample",
    "Unflatten",
]


def signature_of(cls) -> dict:
    import inspect

    sig = inspect.signature(cls.__init__)
    params = []
    for p in sig.parameters.values():
        if p.name == "self":
            continue
        params.append(
            {
                "name": p.name,
                "kind": p.kind.name,
                "default": None if p.default is inspect.Parameter.empty else repr(p.default),
                "has_default": p.default is not inspect.Parameter.empty,
            }
        )
    src = inspect.getsourcefile(cls)
    return {
        "qualname": f"{cls.__module__}.{cls.__qualname__}",
        "params": params,
        "mro": [c.__name__ for c in cls.__mro__],
        "source": src.split("site-packages/")[-1] if src else None,
    }


def base_layer_kwargs(flavor: str) -> dict:
    """The ``**kwargs`` names the base Layer.__init__ accepts, read from its source."""
    import inspect

    if flavor == "keras3":
        from keras.src.layers.layer import Layer
    else:
        from tf_keras.src.engine.base_layer import Layer
    src = inspect.getsource(Layer.__init__)
    lines, start = inspect.getsourcelines(Layer.__init__)
    file = inspect.getsourcefile(Layer).split("site-packages/")[-1]
    popped = re.findall(r"kwargs\.pop\(\s*[\"'](\w+)[\"']", src)
    allowed = re.search(r"allowed_kwargs\s*=\s*\{([^}]*)\}", src)
    allowed_names = re.findall(r"[\"'](\w+)[\"']", allowed.group(1)) if allowed else []
    found = sorted(set(popped) | set(allowed_names))
    where = []
    for i, line in enumerate(lines):
        if "kwargs.pop(" in line or "allowed_kwargs" in line or "Unrecognized keyword" in line:
            where.append(f"{file}:{start + i}: {line.strip()}")
    return {
        "file": file,
        "first_line": start,
        "names": found,
        "popped": popped,
        "allowed_kwargs": allowed_names,
        "evidence": where,
        "signature": signature_of(Layer)["params"],
    }


def record_signatures(framework: str) -> dict:
    if framework == "pytorch":
        torch, nn, _np, _ns = torch_setup()
        from importlib.metadata import version

        classes = {name: signature_of(getattr(nn, name)) for name in TORCH_CLASSES}
        return {
            "versions": {
                "torch": torch.__version__,
                "torchinfo": version("torchinfo"),
                "python": platform.python_version(),
            },
            "classes": classes,
        }
    K, tf, _np, _ns = keras_setup(framework)
    classes = {}
    for name in KERAS_CLASSES:
        cls = getattr(K.layers, name, None)
        classes[name] = signature_of(cls) if cls is not None else None
    aliases = {}
    for name in KERAS_ALIASES:
        cls = getattr(K.layers, name, None)
        aliases[name] = cls.__name__ if cls is not None else None
    key = "keras" if framework == "keras3" else "tf_keras"
    return {
        "versions": {key: K.__version__, "tensorflow": tf.__version__},
        "classes": classes,
        "aliases": aliases,
        "base_layer_kwargs": base_layer_kwargs(framework),
    }


if __name__ == "__main__":
    main()
