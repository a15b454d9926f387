"""analyze() against real Keras 3 and PyTorch runs recorded by tools/record_frameworks.py."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sphinxcontrib_convpad import ConvPadError, analyze

DATA = Path(__file__).parent / "data" / "recorded"

# Cases where we knowingly differ, with the reason.
DIFFERENCES = {
    "no-input-shape-unbuilt": "an unbuilt model has no shapes to explain: we ask for an input shape",
    "refuse-transpose-output-zero": "we refuse empty (size 0) input axes",
    "dense-huge-params": "TensorFlow ran out of memory allocating the weights: not a Keras refusal",
    "flatten-start-dim-0": "nn.Flatten(0) folds the batch axis in, which no shape here can show",
}


def _cases(name: str) -> list[dict]:
    path = DATA / name
    if not path.exists():
        return []
    return json.loads(path.read_text(encoding="utf8"))["cases"]


def _params(name: str, framework: str):
    return [
        pytest.param(case, framework, id=case["id"])
        for case in _cases(name)
        if case["id"] not in DIFFERENCES
    ]


def _runtime_pads(layer: dict) -> list[list[int]]:
    """Our padding as a run-time probe sees it: 'after' is how far the last window reaches
    past the input (negative: input cells it never reads; padding no window reads is not seen).
    """
    return [
        [axis["pad_before"], axis["span"] - axis["pad_before"] - axis.get("dilated_size", axis["size"])]
        for axis in layer["axes"]
    ]


@pytest.mark.parametrize(
    ("case", "framework"), _params("keras3.json", "keras") + _params("pytorch.json", "pytorch")
)
def test_analysis_matches_the_framework(case, framework):
    call = lambda: analyze(
        case["layers"],
        input_shape=case["input_shape"],
        framework=framework,
        model_name=case.get("model_name"),
    )
    if case["error"]:
        with pytest.raises(ConvPadError):
            call()
        return
    result = call()
    expected = case["result"]
    keys = ("name", "class_name", "output_shape", "params", "trainable_params")
    assert [[layer[k] for k in keys] for layer in result["layers"]] == [
        [layer[k] for k in keys] for layer in expected["layers"]
    ]
    assert result["input_shape"] == expected["input_shape"]
    if framework == "keras":
        assert result["model_name"] == expected["model_name"]
    pads = case.get("runtime_pads")
    windowed = [layer for layer in result["layers"] if "kernel_size" in layer]
    if len(case["layers"]) == 1 and windowed and pads and None not in pads:
        assert _runtime_pads(windowed[0]) == pads


def test_recordings_are_present():
    assert _cases("keras3.json"), "tests/data/recorded/keras3.json is missing"
