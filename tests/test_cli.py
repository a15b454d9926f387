"""The command line: same numbers as the API, one-line errors with exit status 2."""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET

from sphinxcontrib_convpad.cli import main

CALL = "Conv2D(filters=24, input_shape=(5,5,1), kernel_size=2, strides=2, padding='same')"


def test_prints_summary_and_arithmetic(capsys):
    assert main([CALL]) == 0
    out = capsys.readouterr().out
    assert "│ conv2d (Conv2D)                 │ (None, 3, 3, 24)       │           120 │" in out
    assert "⌈5 / 2⌉ = 3" in out
    assert "0 before, 1 after" in out


def test_json_is_the_analysis(capsys):
    assert main([CALL, "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["layers"][0]["output_shape"] == [None, 3, 3, 24]


def test_stack_pytorch_and_show(capsys):
    args = ["--framework", "pytorch", "--input-shape", "1,5,5", "--show", "summary"]
    assert main([*args, "nn.Conv2d(1, 24, 2, 2)", "nn.Flatten()", "nn.Linear(96, 10)"]) == 0
    out = capsys.readouterr().out
    assert "├─Linear: 1-3" in out
    assert "Total params: 1,090" in out
    assert "⌊" not in out


def test_classic_summary_with_model_name(capsys):
    assert (
        main([CALL, "--summary", "keras2-classic", "--model-name", "tutorial", "--show", "summary"])
        == 0
    )
    out = capsys.readouterr().out
    assert out.startswith('Model: "tutorial"')
    assert "conv2d (Conv2D)              (None, 3, 3, 24)          120" in out


def test_diagram_file(tmp_path):
    target = tmp_path / "same.svg"
    assert main([CALL, "--diagram", str(target), "--show", "summary"]) == 0
    root = ET.fromstring(target.read_text(encoding="utf8"))
    assert root.tag.endswith("svg")


def test_bad_input_is_one_line_on_stderr_with_status_2():
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "sphinxcontrib_convpad",
            "Conv2D(filters=0, kernel_size=2, input_shape=(5,5,1))",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.splitlines() == [
        "convpad: error: Conv2D: filters must be a positive integer, got 0"
    ]
