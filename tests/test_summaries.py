"""summary() against text the frameworks really printed.

Every expected text here is a recording of Keras 3.15 / tf_keras 2.21 / Keras 2.6 /
torchinfo 1.8.0 (see tests/data/summaries/README.md and tools/record_frameworks.py), or the
tutorial seed. None of it comes from our own output.
"""

from __future__ import annotations

import copy
import json
import math
from pathlib import Path
from typing import Any

import pytest

from sphinxcontrib_convpad.errors import ConvPadError
from sphinxcontrib_convpad.summaries import STYLES, readable_memory_size, summary

DATA = Path(__file__).parent / "data"
OURS = DATA / "summaries"
RECORDED = DATA / "recorded"

#: recording file -> (summary style, framework for analyze())
OUR_FILES = {
    "keras3.json": ("keras3", "keras"),
    "tf_keras.json": ("keras2", "keras"),
    "keras2_classic.json": ("keras2-classic", "keras"),
    "torchinfo.json": ("torchinfo", "pytorch"),
}
RECORDED_FILES = {
    "keras3.json": ("keras3", "keras"),
    "tf_keras.json": ("keras2", "keras"),
    "pytorch.json": ("torchinfo", "pytorch"),
}


def _load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {"cases": []}


def _width(key: str) -> int | None:
    """A recording's key: a Keras ``line_length``, ``default``, or ``torchinfo`` (no width)."""
    return None if key in ("default", "torchinfo") else int(key)


def _printed(text: str, style: str) -> str:
    """The recorded text as it reaches stdout: torchinfo's recording is ``str(summary)``,
    which ``print`` ends with a newline."""
    return text + "\n" if style == "torchinfo" and not text.endswith("\n") else text


#: recorded cases whose facts the result schema cannot hold
UNREPRESENTABLE = {
    "flatten-start-dim-0": "nn.Flatten(0) folds the batch axis in: torchinfo shows [75], "
    "the schema's shapes keep the batch axis as null",
}


def _params(folder: Path, files: dict[str, tuple[str, str]], key: str = "summaries") -> list[Any]:
    """One pytest param per (file, case, width) of every non-error recorded case."""
    params = []
    for name, (style, framework) in files.items():
        for case in _load(folder / name)["cases"]:
            if case.get("error") or not case.get("result") or case["id"] in UNREPRESENTABLE:
                continue
            for width, text in (case.get(key) or {}).items():
                if text is None:
                    continue
                params.append(
                    pytest.param(
                        case, style, framework, width, text, id=f"{name}:{case['id']}:{width}"
                    )
                )
    return params


# --- our live recordings ---------------------------------------------------------------


@pytest.mark.parametrize(("case", "style", "framework", "width", "text"), _params(OURS, OUR_FILES))
def test_matches_our_recordings(case, style, framework, width, text) -> None:
    assert summary(case["result"], style, _width(width), columns=80) == _printed(text, style)


@pytest.mark.parametrize(
    ("case", "style", "framework", "width", "text"),
    _params(OURS, {"keras3.json": ("keras3", "keras")}, key="summaries_columns_200"),
)
def test_keras3_on_a_200_column_terminal(case, style, framework, width, text) -> None:
    """With 200 columns the default is 88 and wide tables are no longer cropped at 80."""
    assert summary(case["result"], style, _width(width), columns=200) == text


def test_our_recordings_are_present() -> None:
    counts = {name: len(_load(OURS / name)["cases"]) for name in OUR_FILES}
    assert all(counts.values()), counts


@pytest.mark.parametrize(
    ("size", "label"), sorted(_load(OURS / "keras3.json").get("readable_memory_size", {}).items())
)
def test_readable_memory_size_as_keras(size: str, label: str) -> None:
    assert readable_memory_size(float(size)) == label


def test_a_wide_width_means_a_terminal_wide_enough_for_it() -> None:
    """width=88 prints what a wide terminal shows (Keras' default there), not a cropped table."""
    case = next(c for c in _load(OURS / "keras3.json")["cases"] if c["id"] == "tutorial-same")
    wide = summary(case["result"], "keras3", 88)
    assert wide == summary(case["result"], "keras3", 88, columns=200)
    assert max(len(line) for line in wide.splitlines()) == 88


def test_wide_table_is_cropped_at_80_columns() -> None:
    case = next(c for c in _load(OURS / "keras3.json")["cases"] if c["id"] == "tutorial-same")
    text = summary(case["result"], "keras3", 100, columns=80)
    assert text == case["summaries"]["100"]
    assert {len(line) for line in text.splitlines()[1:6]} == {80}


# --- the tutorial seed (Keras <= 2.6) ------------------------------------------------------


def _seed_blocks() -> list[str]:
    text = (OURS / "seed-tutorial.txt").read_text(encoding="utf-8")
    body = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
    return [block for block in body.strip().split("\n\n") if block]


SEED_MODELS = [  # the seed's calls, model names and (session-numbered) layer names
    ((5, 5, 1), "Same", "sequential_20", "conv2d_28"),
    ((5, 5, 1), "Valid", "sequential_21", "conv2d_29"),
    ((6, 6, 1), "Valid", "sequential_22", "conv2d_30"),
]


@pytest.mark.parametrize("index", range(3))
def test_keras2_classic_matches_the_tutorial_seed(index: int) -> None:
    """Whitespace-normalised: the seed's copy/paste collapsed runs of spaces."""
    from sphinxcontrib_convpad import analyze

    input_shape, padding, model_name, layer_name = SEED_MODELS[index]
    call = (
        f"Conv2D(filters=24, input_shape={input_shape}, kernel_size=(2,2), strides =(2,2) ,"
        f"padding='{padding}')"
    )
    result = analyze(call, model_name=model_name)
    result["layers"][0]["name"] = layer_name  # the seed ran in a session that had made 28 before
    expected = _seed_blocks()[index]
    assert summary(result, "keras2-classic").split() == expected.split()


@pytest.mark.parametrize("case_id", ["tutorial-same", "tutorial-valid", "tutorial-6x6"])
def test_keras2_classic_tutorial_layout_exact(case_id: str) -> None:
    """Column positions 29/55/65 and the trailing padding, from the Keras 2.6 recording."""
    case = next(c for c in _load(OURS / "keras2_classic.json")["cases"] if c["id"] == case_id)
    text = summary(case["result"], "keras2-classic")
    assert text == case["summaries"]["default"]
    row = text.splitlines()[4]
    assert row.index("(None") == 29 and row.index("120") == 55 and len(row) == 65


# --- the project's recorded ground truth (tools/record_frameworks.py) ----------------------


@pytest.mark.parametrize(
    ("case", "style", "framework", "width", "text"), _params(RECORDED, RECORDED_FILES)
)
def test_matches_recorded_ground_truth(case, style, framework, width, text) -> None:
    result = _schema_result(case["result"])
    if text.startswith("<") and text.rstrip().endswith(">"):  # the recorder's "<Error: ...>"
        with pytest.raises(ConvPadError, match="not built"):
            summary(result, style, _width(width))
        return
    assert summary(result, style, _width(width), columns=80) == _printed(text, style)


def _schema_result(recorded: dict[str, Any]) -> dict[str, Any]:
    """The recorded facts in result.rst's shape: the recorder stores a variable's shape,
    not its ``count``."""
    result = copy.deepcopy(recorded)
    for layer in result["layers"]:
        for weight in layer.get("weights", []):
            weight.setdefault("count", math.prod(weight["shape"]))
    return result


def _facts(result: dict[str, Any]) -> list[tuple[Any, ...]]:
    keys = ("name", "class_name", "output_shape", "params", "trainable_params")
    return [tuple(json.dumps(layer.get(key)) for key in keys) for layer in result["layers"]]


@pytest.mark.parametrize(
    ("case", "style", "framework", "width", "text"),
    _params(RECORDED, RECORDED_FILES) + _params(OURS, OUR_FILES),
)
def test_end_to_end_from_analyze(case, style, framework, width, text) -> None:
    """analyze() -> summary() prints the recorded text wherever analyze() reports the
    framework's facts (where it does not, test_analysis.py is the place that fails)."""
    from sphinxcontrib_convpad import analyze

    try:
        result = analyze(
            case["layers"],
            input_shape=case.get("input_shape"),
            framework=framework,
            model_name=case.get("model_name"),
        )
    except ConvPadError as error:
        pytest.skip(f"analyze() refuses a case the framework accepts: {error}")
    if _facts(result) != _facts(_schema_result(case["result"])):
        pytest.skip("analyze() reports other facts than the framework")
    assert summary(result, style, _width(width), columns=80) == _printed(text, style)


# --- refusals ----------------------------------------------------------------------------


def test_unknown_style_names_the_allowed_ones() -> None:
    case = _load(OURS / "keras3.json")["cases"][0]
    with pytest.raises(ConvPadError) as caught:
        summary(case["result"], "keras4")
    message = str(caught.value)
    assert "'keras4'" in message
    assert all(f"'{style}'" in message for style in STYLES)


@pytest.mark.parametrize(("style", "width"), [("keras3", 15), ("keras2", 8), ("keras2", 0)])
def test_too_narrow_widths_are_refused(style: str, width: int) -> None:
    """Keras 3 raises 'Insufficient console width' below 16; tf_keras would loop forever."""
    case = _load(OURS / "keras3.json")["cases"][0]
    with pytest.raises(ConvPadError, match="width"):
        summary(case["result"], style, width)


def test_narrowest_keras3_width_renders() -> None:
    case = _load(OURS / "keras3.json")["cases"][0]
    lines = summary(case["result"], "keras3", 16).splitlines()
    assert len(lines[1]) == 16
