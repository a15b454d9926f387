"""No code execution: what an author writes is read, never run.

tests/roots/test-hard-no-exec has 43 directives whose calls, options, captions, alt texts and
layer names would leave a file ``convpad-marker-NN`` (or set ``window.convpadMarker`` in a
browser, or run ``\\write18`` in LaTeX) if anything executed them. The root is built with the
html, text and latex builders in a subprocess that records, through a Python audit hook
(PEP 578), every ``exec``/``eval`` of code holding a marker, every process spawned and every
file opened with a marker in its name. Nothing may be recorded, no marker may appear, and
every directive gives a result or exactly one located error.
"""

from __future__ import annotations

import ast
import json
import pickle
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from docutils import nodes

ROOT = Path(__file__).parent / "roots" / "test-hard-no-exec"
PACKAGE = Path(__file__).parent.parent / "sphinxcontrib_convpad"
BUILDERS = ("html", "text", "latex")

#: Runs Sphinx with an audit hook; writes what the hook saw to ``<out>/audit.json``.
RUNNER = r"""
import json, sys
MARK = "convpad-marker"
WATCHED = ("os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork", "os.startfile",
           "subprocess.Popen", "pty.spawn", "open", "os.rename", "os.remove", "os.mkdir",
           "shutil.copyfile", "ctypes.dlopen", "webbrowser.open", "import")
seen = []

def strings(code):
    for constant in code.co_consts:
        if isinstance(constant, str):
            yield constant
        elif hasattr(constant, "co_consts"):
            yield from strings(constant)

def hook(event, args):
    if event == "builtins.breakpoint":
        seen.append([event, ""])
    elif event == "exec" and hasattr(args[0], "co_consts"):
        if any(MARK in text for text in strings(args[0])):
            seen.append([event, args[0].co_filename])
    elif event.startswith(WATCHED) and MARK in repr(args)[:4000]:
        seen.append([event, repr(args)[:300]])

sys.addaudithook(hook)
from sphinx.cmd.build import build_main
source, out, *builders = sys.argv[1:]
codes = {}
for b in builders:
    print(f"=== {b}", file=sys.stderr, flush=True)
    codes[b] = build_main(["-q", "-b", b, "-d", f"{out}/{b}/.doctrees", source, f"{out}/{b}"])
with open(f"{out}/audit.json", "w") as stream:
    json.dump({"events": seen, "codes": codes}, stream)
"""


class Tags(HTMLParser):
    """Every (tag, attribute, value) of a page, SVG included."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.attributes: list[tuple[str, str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.attributes += [(tag, name, value) for name, value in attrs]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """The root built once by html, text and latex, from a working directory of its own."""
    base = tmp_path_factory.mktemp("no-exec")
    source, out, cwd = base / "src", base / "out", base / "cwd"
    shutil.copytree(ROOT, source)
    cwd.mkdir()
    run = subprocess.run(
        [sys.executable, "-c", RUNNER, str(source), str(out), *BUILDERS],
        cwd=cwd, capture_output=True, text=True, timeout=300, check=False,
        stdin=subprocess.DEVNULL,  # so that an executed breakpoint() could not wait for input
    )  # fmt: skip
    audit = json.loads((out / "audit.json").read_text(encoding="utf8"))
    return {"base": base, "source": source, "out": out, "run": run, **audit}


def test_every_build_finishes(built: dict) -> None:
    assert built["codes"] == dict.fromkeys(BUILDERS, 0), built["run"].stderr[-3000:]
    assert "Traceback" not in built["run"].stderr


def test_nothing_was_executed(built: dict) -> None:
    assert built["events"] == []
    assert list(built["base"].rglob("*convpad-marker*")) == []
    assert list((built["base"] / "cwd").iterdir()) == []
    assert not list(Path.cwd().glob("convpad-marker*"))


def test_each_directive_is_a_result_or_one_located_error(built: dict) -> None:
    text = (built["source"] / "index.rst").read_text(encoding="utf8").splitlines()
    heads = [number for number, line in enumerate(text, 1) if line == ".. conv-padding::"]
    spans = list(zip(heads, [*heads[1:], len(text) + 1], strict=True))
    logs = dict(
        re.findall(r"^=== (\w+)\n(.*?)(?=^=== |\Z)", built["run"].stderr, re.MULTILINE | re.DOTALL)
    )
    errors = {}
    for builder, log in logs.items():
        errors[builder] = [int(n) for n in re.findall(r"index\.rst:(\d+): ERROR: ", log)]
        assert len(errors[builder]) == len(re.findall(r"\b(WARNING|ERROR|CRITICAL):", log))
    assert errors["html"] == errors["text"] == errors["latex"]
    doctree = pickle.loads((built["out"] / "html" / ".doctrees" / "index.doctree").read_bytes())
    results = [
        node.line for node in doctree.findall(nodes.container) if "conv-padding" in node["classes"]
    ]
    for start, end in spans:
        found = [n for n in [*errors["html"], *results] if start <= n < end]
        assert len(found) == 1, f"the directive at line {start}: {found}"
    assert len(results) >= 8  # names, activations, captions that are only text are fine


def test_html_escapes_what_looks_like_markup(built: dict) -> None:
    page = (built["out"] / "html" / "index.html").read_text(encoding="utf8")
    tags = Tags()
    tags.feed(page)
    handlers = [(tag, name) for tag, name, _ in tags.attributes if name.startswith("on")]
    assert handlers == []
    assert ("img", "src", "x") not in tags.attributes
    assert "&lt;img src=x onerror=&quot;window.convpadMarker=16&quot;&gt; (Conv2D)" in page
    assert page.count("{{ 7*7 }}") == 2 and "${7*7}" in page  # no template was filled in
    assert '__import__("os").system("touch convpad-marker-15")' in page.replace("&quot;", '"')


def test_latex_escapes_what_looks_like_commands(built: dict) -> None:
    tex = next((built["out"] / "latex").glob("*.tex")).read_text(encoding="utf8")
    assert r"\write18" not in tex and r"\input{convpad" not in tex
    assert r"\textbackslash{}write18" in tex


def test_text_shows_the_code_as_text(built: dict) -> None:
    page = (built["out"] / "text" / "index.txt").read_text(encoding="utf8")
    assert '__import__("os").system("touch convpad-marker-15")' in page
    assert "{{ 7*7 }}" in page


def test_the_package_never_calls_eval_exec_or_a_shell() -> None:
    """The source of the package has no call that could run text as code or a command."""
    forbidden_names = {"eval", "exec", "compile", "__import__", "breakpoint", "execfile"}
    forbidden_attributes = {"system", "popen", "Popen", "run", "call", "check_output",
                            "import_module", "spawn", "execv", "execvp"}  # fmt: skip
    calls = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                function = node.func
                if isinstance(function, ast.Name) and function.id in forbidden_names:
                    calls.append(f"{path.name}:{node.lineno} {function.id}()")
                if isinstance(function, ast.Attribute) and function.attr in forbidden_attributes:
                    calls.append(f"{path.name}:{node.lineno} .{function.attr}()")
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                modules = [alias.name for alias in node.names] + [getattr(node, "module", "")]
                bad = {"subprocess", "pickle", "marshal", "importlib", "ctypes"} & {
                    (m or "").split(".")[0] for m in modules
                }
                if bad and not (bad == {"importlib"} and "metadata" in str(modules)):
                    calls.append(f"{path.name}:{node.lineno} import {bad}")
    assert calls == []
