# ruff: noqa: RUF001 -- captions and names in the Unicode authors write
"""Fuzzing the ``conv-padding`` directive: random options, pasted calls and whole builds.

Whatever an author writes, the directive gives either a correct result (one container whose
summary is what :func:`analyze` + :func:`summary` give, whose pictures draw) or exactly one
located ERROR with a clear message: never a traceback, never a hang, never a file written
outside the build's image folder. (The pure core has its own fuzz in test_fuzz_core.py; here
the input goes through docutils, the directive and the renderers.)

One Sphinx application per test re-parses many snippets with
``sphinx.testing.restructuredtext.parse``: a full build per example would be a hundred times
slower.
"""

from __future__ import annotations

import json
import re
import signal
import string
import xml.etree.ElementTree as ET
from collections import Counter
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from docutils import nodes
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sphinx.testing import restructuredtext
from sphinx.util.console import strip_colors

from sphinxcontrib_convpad import analyze, summary
from sphinxcontrib_convpad.catalogue import REQUIRED, argument_names, catalogue
from sphinxcontrib_convpad.directive import ConvPaddingDirective
from sphinxcontrib_convpad.nodes import conv_padding_diagram, scene_of
from sphinxcontrib_convpad.render.ascii import render_ascii
from sphinxcontrib_convpad.render.svg import render_svg

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from sphinx.testing.util import SphinxTestApp

FRAMEWORKS = ("keras", "pytorch")
LAYERS = {framework: sorted(catalogue(framework)) for framework in FRAMEWORKS}
PREFIXES = {
    "keras": ["", "", "keras.layers.", "layers.", "tf.keras.layers.", "nn.", "os.", "a.b."],
    "pytorch": ["", "", "nn.", "torch.nn.", "keras.layers.", "torch.", "os."],
}
ARGUMENTS = sorted(argument_names("keras") | argument_names("pytorch"))
OPTIONS = sorted(ConvPaddingDirective.option_spec)
LEVELS = "DEBUG|INFO|WARNING|ERROR|SEVERE|CRITICAL"

#: A budget per snippet that only a hang can exceed (speed is the benchmark's business).
HANG_SECONDS = 60
FAST = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# ---------------------------------------------------------------- strategies

#: One line of any text: no control characters or line separators (those would end the
#: option or the directive itself, which is docutils' business, not ours).
line_text = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), max_size=30).map(
    str.strip
)
#: Text that is plain in reST inline markup (captions are parsed as inline reST).
plain_text = st.text(string.ascii_letters + string.digits + " ×·()=,.-'中文ü", max_size=40)

NUMBERS = ["0", "-1", "1", "2", "3", "10**9", "10**9 + 1", "2**64", "-(10**12)", "9" * 40,
           "1e999", "-1e999", "1e999 - 1e999", "1.5", "0.0", "-0.0", "2 ** -1", "7 // 0"]  # fmt: skip
WORDS = ["True", "False", "None", "'same'", "'valid'", "'causal'", "'full'", "'SAME'", "' same '",
         "'channels_first'", "'channels_last'", "''", "'zeros'", "'reflect'", "'circular'",
         "'nearest'", "'bilinear'", "tf.nn.relu", "relu", "x", "__import__", "a.b.c.d"]  # fmt: skip
TRICKS = ["lambda x: x", "f'{1}'", "f'{x!r:>{y}}'", "[]", "()", "{}", "{1: 2}", "{1}", "...",
          "b'x'", "1j", "'\\x00'", "'\\u202e'", "(x := 3)", "[i for i in range(3)]", "not 1",
          "1 if x else 2", "a[0]", "a[1:2]", "1 < 2", "x.__class__.__bases__[0].__subclasses__()",
          "getattr(x, 'y')()", "await x", "yield", "*x", "**x", "'a' * 10**9", "(5,) * 3",
          "-" * 40 + "1", "+".join(["1"] * 40), "(" * 30 + "1" + ")" * 30]  # fmt: skip
atoms = st.one_of(
    st.integers(-3, 40).map(str),
    st.sampled_from(NUMBERS + WORDS + TRICKS),
    line_text.map(repr),
)


def _containers(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    names = st.sampled_from([*LAYERS["keras"], *LAYERS["pytorch"], "f", "os.system", "print"])
    return st.one_of(
        st.lists(inner, max_size=5).map(
            lambda xs: f"({', '.join(xs)}{',' if len(xs) == 1 else ''})"
        ),
        st.lists(inner, max_size=5).map(lambda xs: f"[{', '.join(xs)}]"),
        st.tuples(names, st.lists(inner, max_size=3)).map(lambda t: f"{t[0]}({', '.join(t[1])})"),
        st.tuples(inner, st.sampled_from(["+", "-", "*", "//", "/", "%", "**"]), inner).map(
            lambda t: f"({t[0]} {t[1]} {t[2]})"
        ),
    )


values = st.recursive(atoms, _containers, max_leaves=8)


@st.composite
def wild_call(draw: st.DrawFn, framework: str) -> str:
    """A layer call of any family, with any arguments: mostly refused, sometimes fine."""
    other = "pytorch" if framework == "keras" else "keras"
    name = draw(st.one_of(st.sampled_from(LAYERS[framework]), st.sampled_from(LAYERS[other]),
                          line_text.filter(str.isidentifier)))  # fmt: skip
    prefix = draw(st.sampled_from(PREFIXES[framework]))
    positional = draw(st.lists(values, max_size=4))
    keywords = draw(
        st.lists(st.tuples(st.sampled_from([*ARGUMENTS, "bogus", "Filters"]), values), max_size=5)
    )  # fmt: skip (a list: the same keyword may come twice)
    tail = draw(st.sampled_from(["", "", ", **kw", ", *args", ", input_shape=(5, 5, 1)", ","]))
    arguments = ", ".join([*positional, *(f"{key}={value}" for key, value in keywords)])
    call = f"{prefix}{name}({arguments}{tail})"
    wrapper = draw(st.sampled_from(["{}", "{}", "model.add({})", "{}  # a comment", "x = {}",
                                    "{};", "({})", "{}.add(1)", "model.add({}, 2)"]))  # fmt: skip
    return wrapper.format(call)


def _rank(name: str) -> int:
    match = re.search(r"([123])[dD]", name)
    return int(match.group(1)) if match else 2


SCALARS = {"filters", "units", "in_channels", "out_channels", "num_features", "groups",
           "depth_multiplier", "in_features", "out_features", "num_parameters"}  # fmt: skip
SPATIAL = {"kernel_size", "strides", "stride", "pool_size", "dilation_rate", "dilation", "size",
           "cropping", "output_padding", "output_size", "scale_factor"}  # fmt: skip
FLAGS = {"keepdims", "return_indices", "ceil_mode", "count_include_pad", "use_bias", "bias"}
CHOICES = {
    "padding": ["'same'", "'valid'", "'causal'", "'full'", "0", "1", "(1, 0)", "((1, 0), (0, 1))"],
    "data_format": ["'channels_last'", "'channels_first'", "None"],
    "padding_mode": ["'zeros'", "'reflect'", "'circular'", "'replicate'"],
    "interpolation": ["'nearest'", "'bilinear'"],
    "mode": ["'nearest'", "'bilinear'"],
    "activation": ["'relu'", "None", "tf.nn.relu"],
    "name": ["'first'", "'x1'", "'my_layer'"],
    "target_shape": ["(-1,)", "(2, -1)", "(4, 4, 1)"],
    "unflattened_size": ["(2, 2)", "(1, -1)"],
    "start_dim": ["1", "2"],
    "end_dim": ["-1", "2"],
}


@st.composite
def plausible_call(
    draw: st.DrawFn, framework: str, shape: tuple[int, ...] | None, name: str | None = None
) -> str:
    """A call a real author might paste: every family, small sensible values, often right."""
    name = name or draw(st.sampled_from(LAYERS[framework]))
    layer = catalogue(framework)[name]
    rank = _rank(name)
    small = st.integers(1, 3)
    spatial = st.one_of(small.map(str), st.lists(small, min_size=rank, max_size=rank).map(
        lambda xs: f"({', '.join(map(str, xs))}{',' if len(xs) == 1 else ''})"))  # fmt: skip
    known = SCALARS | SPATIAL | FLAGS | set(CHOICES)
    required = [p for p, value in layer.defaults if value is REQUIRED]
    optional = [p for p in layer.parameters if p in known and p not in required]
    chosen = draw(st.lists(st.sampled_from(optional), unique=True, max_size=3)) if optional else []
    arguments = []
    for parameter in dict.fromkeys([*required, *chosen]):
        if parameter == "in_channels" and shape is not None:
            value = str(shape[0])
        elif parameter in SCALARS:
            value = str(draw(st.integers(1, 8)))
        elif parameter in FLAGS:
            value = draw(st.sampled_from(["True", "False"]))
        elif parameter in CHOICES:
            value = draw(st.sampled_from(CHOICES[parameter]))
        else:
            value = draw(spatial)
        arguments.append(f"{parameter}={value}")
    if shape is not None and framework == "keras" and draw(st.booleans()):
        arguments.append(f"input_shape={shape!r}")
    return f"{name}({', '.join(arguments)})"


def directive(options: list[tuple[str, str]], content: list[str]) -> str:
    lines = [".. conv-padding::", *(f"   :{name}: {value}".rstrip() for name, value in options)]
    if content:
        lines += ["", *(f"   {line}".rstrip() for line in content)]
    return "\n".join(lines) + "\n"


option_value = st.one_of(line_text, values, st.sampled_from(NUMBERS + WORDS + [
    "5, 5, 1", "1, 7, 7", "same", "valid", "Same", "keras", "pytorch", "all", "none", "0, 1",
    "diagram", "summary, diagram", "keras2-classic", "torchinfo", "50%", "3em", "center",
    "conv2d", "valid, same, causal", "28, 28, 1, 1, 1", "-5, 5, 1", "5,,5", "(5, 5, 1)"]))  # fmt: skip


CORE = [("input-shape", "5, 5, 1"), ("filters", "2"), ("kernel-size", "2")]
#: Options of the directive itself, with values that suit CORE's Conv2D.
GOOD_OPTIONS = {
    "draw": st.sampled_from(["all", "none", "0", "conv2d"]),
    "compare": st.sampled_from(["same", "valid", "same, valid"]),
    "summary": st.sampled_from(["keras3", "keras2", "keras2-classic", "torchinfo", "none"]),
    "show": st.sampled_from(["diagram", "summary", "explanation", "diagram, summary"]),
    "layer-name": st.sampled_from(["first", "ü_layer", "x1"]),
    "model-name": plain_text.filter(str.strip),
    "summary-width": st.integers(40, 160).map(str),
    "caption": plain_text,
    "alt": plain_text,
    "name": st.text(string.ascii_lowercase, min_size=1, max_size=10),
    "class": st.sampled_from(["a", "a b", "wide"]),
    "align": st.sampled_from(["left", "center", "right"]),
    "width": st.sampled_from(["50%", "300px", "20em"]),
    "padding": st.sampled_from(["same", "valid", "Same"]),
    "strides": st.sampled_from(["1", "2", "1, 2"]),
}


@st.composite
def option_snippets(draw: st.DrawFn) -> str:
    """Options only: any option name (both spellings, some bogus) with any value; or a
    working core with random layer options; or a working core with the directive's own."""
    mode = draw(st.sampled_from(["any", "core and layer options", "core and own options"]))
    if mode == "any":
        names = st.sampled_from([*OPTIONS, "kernel-sise", "Filters", "input shape", "filters "])
        options = draw(st.lists(st.tuples(names, option_value), max_size=7))
    elif mode == "core and layer options":
        layer_options = [o for o in OPTIONS if o.replace("-", "_") in ARGUMENTS]
        extra = draw(st.lists(st.tuples(st.sampled_from(layer_options), option_value),
                              max_size=2))  # fmt: skip
        options = [*CORE, *extra]
    else:
        extra = [(name, draw(strategy)) for name, strategy in GOOD_OPTIONS.items()
                 if draw(st.booleans())]  # fmt: skip
        options = [*CORE, *extra]
    for caption in ("caption", "alt"):
        if draw(st.booleans()) and caption not in dict(options):
            options.append((caption, draw(plain_text)))
    return directive(options, [])


DIRECTIVE_OPTIONS = (
    ("draw", st.sampled_from(["all", "none", "0", "1", "conv2d", "0, 1", "9", "x"])),
    ("compare", st.sampled_from(["same", "valid", "same, valid", "0, 1", "causal", "x"])),
    ("summary", st.sampled_from(["keras3", "keras2", "keras2-classic", "torchinfo", "none"])),
    ("show", st.sampled_from(["diagram", "summary", "explanation", "diagram, summary"])),
    ("layer-name", st.sampled_from(["first", "x y", "ü"])),
)


@st.composite
def plausible_stack(draw: st.DrawFn) -> tuple[str, list[tuple[str, str]], list[str]]:
    """(framework, options, calls) of plausible layers of every family, shaped to fit."""
    framework = draw(st.sampled_from(FRAMEWORKS))
    first = draw(st.sampled_from(LAYERS[framework]))
    rank = _rank(first)
    spatial = draw(st.lists(st.integers(4, 12), min_size=rank, max_size=rank))
    channels = draw(st.integers(1, 4))
    shape = (*spatial, channels) if framework == "keras" else (channels, *spatial)
    calls = [draw(plausible_call(framework, shape, first))]
    calls += draw(st.lists(plausible_call(framework, None), max_size=2))
    options = [("framework", framework)] if framework == "pytorch" else []
    if "input_shape=" not in calls[0]:
        options.append(("input-shape", ", ".join(map(str, shape))))
    return framework, options, calls


@st.composite
def call_snippets(draw: st.DrawFn) -> str:
    """Pasted calls: a plausible stack with wild, junk or blank lines mixed in (or not),
    and now and then the directive's own options."""
    framework, options, lines = draw(plausible_stack())
    if draw(st.booleans()):  # half of them stay plausible, so that results are common
        for _ in range(draw(st.integers(1, 3))):
            kind = draw(st.sampled_from(["wild", "wild", "junk", "blank"]))
            line = {"wild": wild_call(framework), "junk": line_text, "blank": st.just("")}[kind]
            lines.insert(draw(st.integers(0, len(lines))), draw(line))
    for name, strategy in DIRECTIVE_OPTIONS:
        if draw(st.integers(0, 5)) == 0:
            options.append((name, draw(strategy)))
    return directive(options, lines)


@st.composite
def plausible_snippets(draw: st.DrawFn) -> str:
    """Stacks of plausible layers of every family: many of them give a result."""
    _, options, calls = draw(plausible_stack())
    return directive(options, calls)


# ---------------------------------------------------------------- checks


@contextmanager
def hang_guard(seconds: int = HANG_SECONDS) -> Iterator[None]:
    """Fail (rather than hang the suite) if the block runs ``seconds`` or more."""

    def alarm(signum: int, frame: object) -> None:
        raise TimeoutError(f"a snippet took {seconds} s or more: the directive hangs")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def located_messages(log: str) -> list[tuple[int, str, str]]:
    """(line, level, first line of message) of each message of the log; unlocated ones fail."""
    found = re.findall(rf"^\S*index\.rst:(\d+): ({LEVELS}): (.*)$", log, flags=re.MULTILINE)
    heads = re.findall(rf"^\S*?:?\s*\b({LEVELS}):", log, flags=re.MULTILINE)
    assert len(heads) == len(found), f"a message without a location:\n{log}"
    return [(int(line), level, message) for line, level, message in found]


def check_snippet(app: SphinxTestApp, text: str) -> str:
    """Parse ``text``; assert it is a correct result or one located error. Returns which."""
    before = len(app.warning.getvalue())
    for domain in app.env.domains.sorted():  # a fresh page: labels of earlier snippets go
        domain.clear_doc("index")
    with hang_guard():
        doctree = restructuredtext.parse(app, text)
    log = strip_colors(app.warning.getvalue()[before:])
    assert "Traceback" not in log
    messages = located_messages(log)
    results = [n for n in doctree.findall(nodes.container) if "conv-padding" in n["classes"]]
    last_line = text.count("\n")
    if not results:
        assert len(messages) == 1, f"expected one error, got:\n{log}"
        ((line, level, message),) = messages
        assert level == "ERROR"
        assert 1 <= line <= last_line
        assert message.startswith(("conv-padding: ", 'Error in "conv-padding" directive'))
        assert len(message) < 500, "a message should name the problem, not dump the input"
        assert not re.search(r"object at 0x|Error\(|<class |\bNone\b: ", message), message
        return "error"
    assert len(results) == 1
    assert messages == [], log
    check_result(results[0], text)
    return "result"


def check_result(container: nodes.container, text: str) -> None:
    """The doctree is JSON-able data whose pictures draw and whose summary is analyze()'s."""
    for node in container.findall(conv_padding_diagram):
        json.dumps(node["payload"], allow_nan=False)
        scene = scene_of(node["payload"])
        svg = render_svg(scene, id_prefix=node["id_prefix"])
        assert len(svg) < 2_000_000, "a picture must stay small whatever the input size"
        ET.fromstring(svg)
        picture = render_ascii(scene)
        assert picture.strip() and len(picture) < 200_000
    blocks = [b for b in container.findall(nodes.literal_block)
              if "conv-padding-summary" in b["classes"]]  # fmt: skip
    options = dict(re.findall(r"^   :([\w-]+):(.*)$", text, flags=re.MULTILINE))
    content = [line[3:] for line in text.splitlines()[1:] if line.startswith("   ") and
               not line.startswith("   :")]  # fmt: skip
    if blocks and content and set(options) <= {"framework", "input-shape"}:
        framework = options.get("framework", " keras").strip()
        shape = options.get("input-shape")
        result = analyze(
            "\n".join(content),
            input_shape=tuple(int(n) for n in shape.split(",")) if shape else None,
            framework=framework,
        )
        style = "torchinfo" if framework == "pytorch" else "keras3"
        assert blocks[0].astext() == summary(result, style=style)


def run_fuzz(app: SphinxTestApp, strategy: st.SearchStrategy[str], **overrides: Any) -> Counter:
    outcomes: Counter[str] = Counter()

    @settings(FAST, **overrides)
    @given(strategy)
    def fuzz(text: str) -> None:
        outcomes[check_snippet(app, text)] += 1

    fuzz()
    return outcomes


# ---------------------------------------------------------------- the tests


@pytest.mark.sphinx("html", testroot="basic")
def test_random_options_give_a_result_or_one_located_error(app: SphinxTestApp) -> None:
    outcomes = run_fuzz(app, option_snippets())
    assert outcomes["error"] > 0 and outcomes["result"] > 0, outcomes


@pytest.mark.sphinx("html", testroot="basic")
def test_pasted_calls_give_a_result_or_one_located_error(app: SphinxTestApp) -> None:
    outcomes = run_fuzz(app, call_snippets(), max_examples=250)
    assert outcomes["error"] > 0 and outcomes["result"] > 0, outcomes


@pytest.mark.sphinx("html", testroot="basic")
def test_plausible_stacks_of_every_family_agree_with_analyze(app: SphinxTestApp) -> None:
    outcomes = run_fuzz(app, plausible_snippets(), max_examples=200)
    assert outcomes["result"] > 20, outcomes


@pytest.mark.sphinx("html", testroot="basic")
@pytest.mark.parametrize(
    "content",
    [
        "Conv2D(" + "+".join(["1"] * 700) + ", 2, input_shape=(5, 5, 1))",
        "Conv2D(" + "-" * 900 + "2, 2, input_shape=(5, 5, 1))",
        "Conv2D(2, 2, input_shape=(5, 5, 1), activation=" + "f(" * 180 + ")" * 180 + ")",
        "Conv2D(2, 2, input_shape=(5, 5, 1), name=" + repr("ü" * 9000) + ")",
        "Conv2D(2, 2, input_shape=(" + ", ".join(["5"] * 3000) + "))",
        "Conv2D(2, 2, input_shape=(5, 5, 1))" * 300,
    ],
    ids=["long-sum", "deep-minus", "deep-calls", "long-name", "long-shape", "run-on"],
)
def test_pathological_calls(app: SphinxTestApp, content: str) -> None:
    """Depth and length limits: Python's own parser and recursion limits are not the answer."""
    assert check_snippet(app, directive([], [content])) in {"error", "result"}


@pytest.mark.sphinx("html", testroot="basic")
@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            [("input-shape", "5, 5, 1"), ("kernel-size", "2")],
            "Conv2D is missing required argument 'filters': give :filters:",
        ),
        (
            [("input-shape", "5, 5, 1"), ("filters", "2")],
            "Conv2D is missing required argument 'kernel_size': give :kernel-size:",
        ),
        (
            [("layer", "Dense"), ("input-shape", "5")],
            "Dense is missing required argument 'units': give :units:",
        ),
        (
            [("framework", "pytorch"), ("input-shape", "1, 5, 5"), ("kernel-size", "2")],
            "Conv2d is missing required argument 'in_channels': give :in-channels:",
        ),
    ],
    ids=["filters", "kernel-size", "units", "in-channels"],
)
def test_a_missing_required_option_is_named(
    app: SphinxTestApp, options: list[tuple[str, str]], message: str
) -> None:
    """Found by the fuzz: the core's "required" marker object used to leak into the message
    ("filters must be a positive integer, got <object object at 0x7f…>")."""
    before = len(app.warning.getvalue())
    assert check_snippet(app, directive(options, [])) == "error"
    log = strip_colors(app.warning.getvalue()[before:])
    assert f"ERROR: conv-padding: {message} [docutils]" in log


@pytest.mark.sphinx("html", testroot="basic")
@pytest.mark.parametrize(
    "snippet",
    [
        directive(
            [
                ("input-shape", "100000, 100000, 3"),
                ("filters", "10**9"),
                ("kernel-size", "20000"),
                ("strides", "7"),
                ("padding", "same"),
            ],
            [],
        ),
        directive([], ["Conv2D(2, 20000, dilation_rate=4, input_shape=(100000, 100000, 1))"]),
        directive(
            [],
            [
                "Conv3D(10**6, (3, 20000, 5), dilation_rate=(1, 2, 3),"
                " input_shape=(4096, 100000, 4096, 1000))"
            ],
        ),
        directive([], ["Conv2DTranspose(2, 20000, strides=9999, input_shape=(1000, 1000, 1))"]),
        directive(
            [("framework", "pytorch"), ("input-shape", "1, 100000")],
            ["nn.Conv1d(1, 1, 99999, stride=99999, padding=99998, dilation=1)"],
        ),
    ],
    ids=["kernel-20000", "dilated-20000", "conv3d", "transposed", "torch-1d"],
)
def test_huge_inputs_draw_small_pictures(app: SphinxTestApp, snippet: str) -> None:
    """The largest sizes the core accepts: the scene elides, every backend stays small and
    quick (a window's taps were once listed as a product: 20000² cells, a hang)."""
    assert check_snippet(app, snippet) == "result"


# ---------------------------------------------------------------- whole builds


KNOWN_GOOD = directive([], ["Conv2D(24, 2, strides=2, padding='same', input_shape=(5, 5, 1))"])


def files_under(root: Path) -> dict[Path, tuple[int, int]]:
    return {
        path: (path.stat().st_size, path.stat().st_mtime_ns)
        for path in root.rglob("*")
        if path.is_file()
    }


@pytest.mark.parametrize("builder", ["html", "latex"])
def test_random_pages_write_only_into_the_image_folder(
    make_app: Callable[..., SphinxTestApp],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    builder: str,
) -> None:
    """Full builds of random pages: the only new files outside the output are none at all,
    and every picture file is in the builder's image folder."""
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)  # a relative path would land here
    srcdir = tmp_path / "src"
    srcdir.mkdir()
    (srcdir / "conf.py").write_text(
        'extensions = ["sphinxcontrib_convpad"]\nconvpad_image_format = "png"\n', encoding="utf8"
    )
    (srcdir / "index.rst").write_text("Fuzz\n====\n", encoding="utf8")
    outdir = tmp_path / "out"
    app = make_app(builder, srcdir=srcdir, builddir=outdir)
    images = app.outdir / app.builder.imagedir
    outside = files_under(tmp_path)

    @settings(FAST, max_examples=6)
    @given(st.lists(st.one_of(plausible_snippets(), call_snippets(), option_snippets()),
                    min_size=2, max_size=4))  # fmt: skip
    def fuzz(snippets: list[str]) -> None:
        page = "Fuzz\n====\n\n" + "\nA paragraph.\n\n".join([KNOWN_GOOD, *snippets])
        (srcdir / "index.rst").write_text(page, encoding="utf8")
        with hang_guard():
            app.build(force_all=True)
        assert "Traceback" not in app.warning.getvalue()
        for path in files_under(tmp_path):
            if outdir not in path.parents and path != srcdir / "index.rst":
                assert path in outside, f"written outside the build: {path}"
            if "convpad-" in path.name and path.suffix in {".png", ".pdf", ".svg", ".tmp"}:
                assert path.parent == images, f"a picture outside the image folder: {path}"
                assert not path.name.startswith("."), f"a temporary file left: {path}"

    fuzz()
    assert list(images.glob("convpad-*")), "the pages drew no picture"
    assert list(work.iterdir()) == []
    assert sorted(path.name for path in srcdir.iterdir()) == ["conf.py", "index.rst"]
