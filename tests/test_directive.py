# ruff: noqa: RUF001 -- expected text uses the Unicode the pages print
"""The directive's doctree: parsed with Sphinx, checked node by node."""

from __future__ import annotations

import json
import pickle
import re
from typing import TYPE_CHECKING, Any

import pytest
from docutils import nodes
from sphinx.testing import restructuredtext
from sphinx.testing.util import assert_node

from sphinxcontrib_convpad import analyze, summary
from sphinxcontrib_convpad.explanation_node import conv_padding_explanation, standard_nodes
from sphinxcontrib_convpad.nodes import conv_padding_diagram

if TYPE_CHECKING:
    from sphinx.testing.util import SphinxTestApp

SAME = """\
.. conv-padding::
   :input-shape: 5, 5, 1
   :filters: 24
   :kernel-size: 2, 2
   :strides: 2, 2
   :padding: Same
"""
TUTORIAL_CALL = (
    "Conv2D(filters=24, input_shape=(5,5,1), kernel_size=(2,2), strides=(2,2), padding='Same')"
)
STACK = """\
.. conv-padding::
{options}
   model.add(keras.Input(shape=(28, 28, 1)))
   model.add(Conv2D(8, 3, padding='same'))
   model.add(MaxPooling2D(2))
   model.add(Conv2D(16, 3))
   model.add(Flatten())
   model.add(Dense(10))
"""


def parse(app: SphinxTestApp, text: str) -> nodes.document:
    return restructuredtext.parse(app, text)


def diagrams(doctree: nodes.Node) -> list[conv_padding_diagram]:
    return list(doctree.findall(conv_padding_diagram))


def summary_text(doctree: nodes.Node) -> str | None:
    blocks = [
        block
        for block in doctree.findall(nodes.literal_block)
        if "conv-padding-summary" in block["classes"]
    ]
    assert len(blocks) <= 1
    return blocks[0].astext() if blocks else None


def layers_drawn(doctree: nodes.Node) -> list[Any]:
    return [
        node["payload"]["layer"]["name"]
        for node in diagrams(doctree)
        if node["payload"]["scene"] == "layer"
    ]


def stack(options: str = "") -> str:
    lines = "".join(f"   {line}\n" for line in options.splitlines())
    return STACK.format(options=lines)


@pytest.mark.sphinx("html", testroot="basic")
def test_three_parts_in_one_container(app: SphinxTestApp) -> None:
    doctree = parse(app, SAME)
    assert_node(
        doctree,
        [
            nodes.document,
            nodes.container,
        ],
    )
    container = doctree[0]
    assert container["classes"] == ["conv-padding"]
    assert_node(
        container,
        [
            nodes.container,
            (
                [nodes.container, conv_padding_diagram],
                nodes.literal_block,
                conv_padding_explanation,
            ),
        ],
    )
    assert container[0]["classes"] == ["conv-padding-diagram"]
    assert_node(container[1], classes=["conv-padding-summary"], language="text")
    assert container[2]["classes"] == ["conv-padding-explanation"]
    steps = container[2]["explanation"]["layers"][0]["steps"]
    assert ["formula", "o = ⌈n / s⌉ = ⌈5 / 2⌉ = 3"] in steps[0]["pieces"]
    # builders without the HTML visitor get plain nodes that keep padding='same' straight
    plain = standard_nodes(container[2])
    assert plain["classes"] == ["conv-padding-explanation"]
    assert plain["support_smartquotes"] is False
    assert "⌈5 / 2⌉ = 3" in plain.astext()
    assert container.source.endswith("index.rst") and container.line == 1


@pytest.mark.sphinx("html", testroot="basic")
def test_diagram_node_holds_json_and_is_picklable(app: SphinxTestApp) -> None:
    doctree = parse(app, SAME)
    (node,) = diagrams(doctree)
    assert node["payload"] == {
        "scene": "layer",
        "layer": analyze(TUTORIAL_CALL)["layers"][0],
        "title": None,
    }
    json.dumps(node["payload"], allow_nan=False)
    assert node["alt"].startswith("5×5 input padded to 6×6")
    assert re.fullmatch(r"convpad-[0-9a-f]{8}-0", node["id_prefix"])
    assert node.source.endswith("index.rst")
    # as Sphinx pickles doctrees (BuildEnvironment.write_doctree / Builder.write_doctree)
    doctree.reporter = doctree.transformer = None
    doctree.settings.warning_stream = doctree.settings.env = None
    doctree.settings.record_dependencies = None
    copy = pickle.loads(pickle.dumps(doctree))
    assert diagrams(copy)[0]["payload"] == node["payload"]


@pytest.mark.sphinx("html", testroot="basic")
def test_options_and_pasted_call_give_the_same_analysis(app: SphinxTestApp) -> None:
    from_options = diagrams(parse(app, SAME))[0]["payload"]
    pasted = diagrams(parse(app, f".. conv-padding::\n\n   {TUTORIAL_CALL}\n"))[0]["payload"]
    underscores = SAME.replace(":input-shape:", ":input_shape:").replace(
        ":kernel-size:", ":kernel_size:"
    )
    spelled = diagrams(parse(app, underscores))[0]["payload"]
    assert from_options == pasted == spelled


@pytest.mark.sphinx("html", testroot="basic")
def test_summary_is_the_core_summary(app: SphinxTestApp) -> None:
    result = analyze(TUTORIAL_CALL)
    assert summary_text(parse(app, SAME)) == summary(result)
    keras2 = parse(app, SAME + "   :summary: keras2\n")
    assert summary_text(keras2) == summary(result, style="keras2")
    narrow = parse(app, SAME + "   :summary-width: 60\n")
    assert summary_text(narrow) == summary(result, style="keras3", width=60)
    assert summary_text(parse(app, SAME + "   :summary: none\n")) is None


@pytest.mark.sphinx("html", testroot="basic")
def test_layer_and_model_names(app: SphinxTestApp) -> None:
    doctree = parse(app, SAME + "   :layer-name: first_conv\n   :model-name: tutorial\n")
    assert diagrams(doctree)[0]["payload"]["layer"]["name"] == "first_conv"
    text = summary_text(doctree) or ""
    assert text.startswith('Model: "tutorial"')
    assert "first_conv (Conv2D)" in text


@pytest.mark.sphinx("html", testroot="basic")
def test_layer_name_names_a_pasted_layer(app: SphinxTestApp) -> None:
    doctree = parse(
        app,
        ".. conv-padding::\n   :layer-name: conv2d_28\n   :model-name: sequential_20\n\n"
        f"   model.add({TUTORIAL_CALL})\n",
    )
    assert diagrams(doctree)[0]["payload"]["layer"]["name"] == "conv2d_28"
    assert "conv2d_28 (Conv2D)" in (summary_text(doctree) or "")


@pytest.mark.sphinx("html", testroot="basic")
def test_pytorch_defaults_to_conv2d_and_torchinfo(app: SphinxTestApp) -> None:
    doctree = parse(
        app,
        ".. conv-padding::\n   :framework: pytorch\n   :input-shape: 1, 5, 5\n"
        "   :in-channels: 1\n   :out-channels: 24\n   :kernel-size: 2\n   :stride: 2\n",
    )
    layer = diagrams(doctree)[0]["payload"]["layer"]
    assert layer["class_name"] == "Conv2d"
    assert layer["output_shape"] == [None, 24, 2, 2]  # floor((5 - 2)/2) + 1 = 2
    result = analyze("Conv2d(1, 24, 2, stride=2)", input_shape=(1, 5, 5), framework="pytorch")
    assert summary_text(doctree) == summary(result, style="torchinfo")


@pytest.mark.sphinx("html", testroot="basic")
def test_show_picks_parts(app: SphinxTestApp) -> None:
    doctree = parse(app, SAME + "   :show: explanation, diagram\n")
    container = doctree[0]
    parts = [child["classes"][0] for child in container.children]
    assert parts == ["conv-padding-diagram", "conv-padding-explanation"]


@pytest.mark.sphinx(
    "html",
    testroot="basic",
    confoverrides={"convpad_show": ["summary"], "convpad_summary_style": "keras2"},
)
def test_config_sets_the_defaults(app: SphinxTestApp) -> None:
    doctree = parse(app, SAME)
    assert diagrams(doctree) == []
    assert summary_text(doctree) == summary(analyze(TUTORIAL_CALL), style="keras2")


@pytest.mark.sphinx("html", testroot="basic")
def test_stack_draws_every_windowed_layer_after_the_flow(app: SphinxTestApp) -> None:
    doctree = parse(app, stack())
    scenes = [node["payload"]["scene"] for node in diagrams(doctree)]
    assert scenes == ["flow", "layer", "layer", "layer"]
    assert layers_drawn(doctree) == ["conv2d", "max_pooling2d", "conv2d_1"]
    assert "(None, 28, 28, 1) → conv2d (None, 28, 28, 8)" in diagrams(doctree)[0]["alt"]
    prefixes = [node["id_prefix"] for node in diagrams(doctree)]
    assert len(set(prefixes)) == len(prefixes)


@pytest.mark.sphinx("html", testroot="basic")
@pytest.mark.parametrize(
    ("draw", "drawn"),
    [
        ("none", []),
        ("all", ["conv2d", "max_pooling2d", "conv2d_1"]),
        ("2", ["conv2d_1"]),
        ("conv2d_1, 0", ["conv2d_1", "conv2d"]),
        ("max_pooling2d max_pooling2d", ["max_pooling2d"]),
    ],
)
def test_draw_picks_layers(app: SphinxTestApp, draw: str, drawn: list[str]) -> None:
    doctree = parse(app, stack(f":draw: {draw}\n"))
    assert layers_drawn(doctree) == drawn
    assert diagrams(doctree)[0]["payload"]["scene"] == "flow"


@pytest.mark.sphinx("html", testroot="basic")
def test_compare_draws_the_other_padding_beside(app: SphinxTestApp) -> None:
    doctree = parse(app, SAME + "   :compare: valid\n")
    same, valid = diagrams(doctree)
    assert same["payload"]["title"] == "conv2d (Conv2D) with padding='same'"
    assert valid["payload"]["title"] == "conv2d (Conv2D) with padding='valid'"
    # Keras 'valid': floor((5 - 2)/2) + 1 = 2 on each axis.
    assert valid["payload"]["layer"]["output_shape"] == [None, 2, 2, 24]
    assert valid["alt"] != same["alt"]
    # the summary and the explanation stay those of the layer as written
    assert "(None, 3, 3, 24)" in (summary_text(doctree) or "")


@pytest.mark.sphinx("html", testroot="basic")
def test_compare_in_a_stack_ignores_later_layers(app: SphinxTestApp) -> None:
    doctree = parse(app, stack(":draw: conv2d\n:compare: valid\n"))
    layers = [node["payload"]["layer"] for node in diagrams(doctree)[1:]]
    assert [layer["padding"] for layer in layers] == ["same", "valid"]
    assert layers[1]["output_shape"] == [None, 26, 26, 8]  # 28 - 3 + 1


@pytest.mark.sphinx("html", testroot="basic")
def test_figure_options(app: SphinxTestApp) -> None:
    text = (
        SAME + "   :caption: The *same* padding.\n   :name: fig-x\n   :align: right\n"
        "   :width: 50%\n   :alt: A picture.\n   :class: wide\n"
    )
    container = parse(app, text)[0]
    assert container["classes"] == ["conv-padding", "wide"]
    figure = container[0]
    assert_node(
        figure, nodes.figure, classes=["conv-padding-diagram"], align="right", ids=["fig-x"]
    )
    assert_node(figure[-1], nodes.caption)
    assert_node(figure[-1][1], nodes.emphasis)
    (node,) = diagrams(figure)
    assert (node["alt"], node["width"], node["align"]) == ("A picture.", "50%", "right")


@pytest.mark.sphinx("html", testroot="basic")
def test_name_without_caption_labels_the_diagram_part(app: SphinxTestApp) -> None:
    container = parse(app, SAME + "   :name: plain\n   :align: center\n")[0]
    assert_node(container[0], nodes.container, ids=["plain"])
    assert container[0]["classes"] == ["conv-padding-diagram", "align-center"]


@pytest.mark.sphinx("html", testroot="basic")
def test_explanation_nodes(app: SphinxTestApp) -> None:
    explanation = standard_nodes(parse(app, SAME)[0][2])
    notation, heading, steps = explanation.children
    assert "conv-padding-notation" in notation["classes"]
    assert heading.astext() == "conv2d (Conv2D)"
    assert_node(steps, nodes.bullet_list)
    first = steps[0][0]
    assert first.astext().startswith("Height and width: padding='same' gives ")
    formulas = [
        node.astext()
        for node in first.findall(nodes.inline)
        if "conv-padding-formula" in node["classes"]
    ]
    assert formulas[0] == "o = ⌈n / s⌉ = ⌈5 / 2⌉ = 3"
