"""Any input gives a result or a ConvPadError: never another exception, never a hang."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sphinxcontrib_convpad import ConvPadError, analyze
from sphinxcontrib_convpad.catalogue import catalogue

KERAS = sorted(catalogue("keras"))
TORCH = sorted(catalogue("pytorch"))

numbers = st.one_of(st.integers(-3, 12), st.sampled_from([0, 10**9, -(10**12), 2**70, 1.5, True]))
values = st.recursive(
    st.one_of(numbers, st.sampled_from(["'same'", "'valid'", "'Same'", "'causal'", "'full'", "None", "tf.nn.relu", "'channels_first'", "'x'"])),
    lambda inner: st.lists(inner, max_size=4).map(lambda items: "(" + ", ".join(map(str, items)) + ",)"),
    max_leaves=8,
)
ARGUMENTS = sorted(
    {"filters", "kernel_size", "strides", "padding", "dilation_rate", "groups", "pool_size", "output_padding",
     "depth_multiplier", "data_format", "units", "cropping", "size", "target_shape", "use_bias",
     "in_channels", "out_channels", "stride", "dilation", "ceil_mode", "in_features", "out_features",
     "num_features", "start_dim", "rate", "p", "bogus", "input_shape", "name"}
)


@st.composite
def calls(draw, names):
    name = draw(st.sampled_from(names))
    positional = draw(st.lists(values.map(str), max_size=3))
    keywords = draw(st.dictionaries(st.sampled_from(ARGUMENTS), values.map(str), max_size=4))
    args = [*positional, *(f"{k}={v}" for k, v in keywords.items())]
    return f"{name}({', '.join(args)})"


shapes = st.one_of(st.none(), st.lists(st.integers(-1, 40), min_size=0, max_size=5).map(tuple))


def _check(layers, shape, framework):
    try:
        result = analyze(layers, input_shape=shape, framework=framework)
    except ConvPadError as err:
        assert str(err)
        return
    json.dumps(result)
    for layer in result["layers"]:
        assert all(d is None or d > 0 for d in layer["output_shape"])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(calls(KERAS), min_size=1, max_size=3), shapes)
def test_keras_calls_never_crash(layers, shape):
    _check(layers, shape, "keras")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(calls(TORCH), min_size=1, max_size=3), shapes)
def test_torch_calls_never_crash(layers, shape):
    _check(layers, shape, "pytorch")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_random_text_never_crashes(text):
    _check(text, (5, 5, 1), "keras")
