"""Our layer signatures against inspect.signature recorded from Keras 3.15 and PyTorch 2.13."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from sphinxcontrib_convpad.catalogue import KERAS_BASE_KWARGS, REQUIRED, catalogue

RECORDED = json.loads((Path(__file__).parent / "data/recorded/signatures.json").read_text("utf8"))


def _recorded(framework: str, name: str) -> list[tuple[str, object]]:
    params = RECORDED[framework]["classes"][name]["params"]
    return [
        (p["name"], ast.literal_eval(p["default"]) if p["has_default"] else REQUIRED)
        for p in params
        if p["kind"] not in ("VAR_KEYWORD", "VAR_POSITIONAL") and p["name"] != "self"
    ]


@pytest.mark.parametrize(
    ("framework", "name"),
    [("keras3", n) for n in sorted(RECORDED["keras3"]["classes"])]
    + [("pytorch", n) for n in sorted(RECORDED["pytorch"]["classes"])],
)
def test_signature_matches_the_framework(framework, name):
    ours = catalogue("keras" if framework == "keras3" else "pytorch")[name]
    assert list(ours.defaults) == _recorded(framework, name)


def test_keras_aliases_match():
    types = catalogue("keras")
    for alias, name in RECORDED["keras3"]["aliases"].items():
        assert types[alias] is types[name]


def test_keras_base_layer_keywords_match():
    recorded = RECORDED["keras3"]["base_layer_kwargs"]
    names = {p["name"] for p in recorded["signature"] if p["kind"] == "KEYWORD_ONLY"}
    assert set(KERAS_BASE_KWARGS) == names | set(recorded["names"])
