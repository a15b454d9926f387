"""The ``conv-padding`` directive: options or pasted calls in, three views out.

All checking is done by the core (:mod:`.layers`, :mod:`.analysis`), once; the one
``try`` in :meth:`ConvPaddingDirective.run` turns its :class:`.ConvPadError` into one
located ``ERROR``. The doctree gets only JSON-able data; pictures are drawn at write time
(:mod:`.nodes`).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective

from sphinxcontrib_convpad.analysis import analyze_specs, check_framework
from sphinxcontrib_convpad.catalogue import Framework, argument_names
from sphinxcontrib_convpad.errors import ConvPadError
from sphinxcontrib_convpad.explain import Explanation, explain
from sphinxcontrib_convpad.explanation_node import conv_padding_explanation, explanation_node
from sphinxcontrib_convpad.layers import (
    LayerSpec,
    normalise_option_names,
    parse_stack,
    spec_from_options,
)
from sphinxcontrib_convpad.nodes import conv_padding_diagram
from sphinxcontrib_convpad.plan import (
    Diagram,
    compare_layers,
    name_single_layer,
    plan_diagrams,
    select_drawn,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    from sphinx.util.typing import OptionSpec

PARTS = ("diagram", "summary", "explanation")
SUMMARY_STYLES = ("keras3", "keras2", "keras2-classic", "torchinfo", "none")
DEFAULT_LAYER: dict[str, str] = {"keras": "Conv2D", "pytorch": "Conv2d"}
MESSAGE_LIMIT = 400
"""Longest error message shown; the core echoes values, which may be arbitrarily long."""

#: Options of the directive itself (underscore spelling); every other option is a layer
#: argument. ``name`` is the figure label (the Keras layer name is ``layer-name``) and
#: ``input-shape`` is the model's input shape.
DIRECTIVE_OPTIONS = frozenset({
    "layer", "input_shape", "layer_name", "model_name", "framework", "summary",
    "summary_width", "show", "compare", "draw", "caption", "name", "alt", "align",
    "width", "class",
})  # fmt: skip


#: The reference of the directive's own options (the docs are generated from it).
OPTION_DOCS: dict[str, str] = {
    "layer": "The layer class: ``Conv2D`` (default), any Keras layer; with PyTorch ``Conv2d``"
    " or any ``torch.nn`` layer.",
    "input_shape": "The model's input shape without the batch axis, e.g. ``5, 5, 1``"
    " (PyTorch: channels first, ``1, 5, 5``). Keras may take it from ``input_shape=`` or"
    " ``keras.Input(shape=...)`` in the content instead.",
    "layer_name": "The layer's ``name=`` (default: Keras' automatic name, ``conv2d``).",
    "model_name": "The model's name in the summary (default ``sequential``).",
    "framework": "``keras`` (Keras 3 semantics) or ``pytorch``; default ``convpad_framework``.",
    "summary": "The summary style: ``keras3`` (default for Keras), ``keras2`` (tf_keras),"
    " ``keras2-classic`` (Keras ≤ 2.6), ``torchinfo`` (default for PyTorch) or ``none``.",
    "summary_width": "The Keras 3 table width, as ``model.summary(line_length=...)``"
    " (default 76, what Keras prints in a notebook, a script or CI).",
    "show": "The parts to show, any of ``diagram``, ``summary``, ``explanation``"
    " (default ``convpad_show``: all three).",
    "compare": "Other padding modes drawn beside the one given, e.g. ``valid`` on a"
    " ``'same'`` layer.",
    "draw": "Which layers of a stack get a diagram: indices or layer names, ``all`` or"
    " ``none`` (default: every convolution and pooling layer).",
    "caption": "A caption: the diagram becomes a numbered figure.",
    "name": "The figure's label, for ``:ref:`` and ``:numref:``.",
    "alt": "The diagrams' alt text (default: a sentence with the numbers).",
    "align": "``left``, ``center`` or ``right``.",
    "width": "The diagram's width, e.g. ``400px`` or ``60%``.",
    "class": "Extra CSS classes of the ``conv-padding`` container.",
}


def align_spec(argument: str | None) -> str:
    return directives.choice(argument, ("left", "center", "right"))


def summary_spec(argument: str | None) -> str:
    return directives.choice(argument, SUMMARY_STYLES)


def show_spec(argument: str | None) -> tuple[str, ...]:
    """``diagram, summary`` → the parts to show, in the page's order."""
    words = [word for word in re.split(r"[\s,]+", (argument or "").strip()) if word]
    unknown = [word for word in words if word not in PARTS]
    if unknown or not words:
        raise ValueError(f"{(unknown or [''])[0]!r} is not one of: {', '.join(PARTS)}")
    return tuple(part for part in PARTS if part in words)


def _spellings(options: Mapping[str, Callable[[str | None], Any]]) -> dict[str, Any]:
    """Each option under its hyphen and its underscore spelling."""
    spelled: dict[str, Any] = {}
    for name, converter in options.items():
        spelled[name.replace("_", "-")] = converter
        spelled[name.replace("-", "_")] = converter
    return spelled


def _layer_option_spec() -> dict[str, Any]:
    arguments = (argument_names("keras") | argument_names("pytorch")) - DIRECTIVE_OPTIONS
    return _spellings(dict.fromkeys(sorted(arguments), directives.unchanged))


@dataclass(frozen=True, slots=True)
class Plan:
    """Everything the directive shows, worked out before any node is built."""

    show: tuple[str, ...]
    diagrams: tuple[Diagram, ...]
    summary: str | None
    explanation: Explanation | None


class ConvPaddingDirective(SphinxDirective):
    """Draw a convolution's padding, print its ``model.summary()`` and explain the numbers."""

    has_content = True
    required_arguments = 0
    optional_arguments = 0
    option_spec: ClassVar[OptionSpec] = {
        **_layer_option_spec(),
        **_spellings({
            "layer": directives.unchanged_required,
            "input-shape": directives.unchanged_required,
            "layer-name": directives.unchanged_required,
            "model-name": directives.unchanged_required,
            "framework": directives.unchanged_required,
            "summary": summary_spec,
            "summary-width": directives.positive_int,
            "show": show_spec,
            "compare": directives.unchanged_required,
            "draw": directives.unchanged_required,
        }),
        "caption": directives.unchanged,
        "name": directives.unchanged,
        "alt": directives.unchanged,
        "align": align_spec,
        "width": directives.length_or_percentage_or_unitless,
        "class": directives.class_option,
    }  # fmt: skip

    def run(self) -> list[nodes.Node]:
        try:
            plan = self._plan()
        except ConvPadError as err:
            return self._refuse(err)
        container = nodes.container(classes=["conv-padding", *self.options.get("class", [])])
        self.set_source_info(container)
        if "diagram" in plan.show and plan.diagrams:
            container += self._diagram_part(plan.diagrams)
        else:
            self.add_name(container)
        if plan.summary is not None:
            container += self._summary_part(plan.summary)
        if plan.explanation is not None:
            container += self._explanation_part(plan.explanation)
        return [container]

    # ------------------------------------------------------------ working it out

    def _plan(self) -> Plan:
        options = normalise_option_names(self.options)
        framework = check_framework(
            str(options.get("framework", self.config.convpad_framework)).strip().lower()
        )
        specs = self._specs(options, framework)

        def analyse(layers: Sequence[LayerSpec]) -> dict[str, Any]:
            return analyze_specs(
                layers,
                input_shape=options.get("input_shape"),
                framework=framework,
                model_name=options["model_name"].strip() if "model_name" in options else None,
            ).to_dict()

        result = analyse(specs)
        show = tuple(options.get("show") or self.config.convpad_show)
        diagrams: tuple[Diagram, ...] = ()
        if "diagram" in show:
            drawn = select_drawn(result, options.get("draw"))
            compared = compare_layers(specs, result, drawn, options.get("compare"), analyse)
            diagrams = plan_diagrams(result, drawn, compared, options.get("alt"))
        return Plan(
            show=show,
            diagrams=diagrams,
            summary=self._summary_text(result, options) if "summary" in show else None,
            explanation=explain(result) if "explanation" in show else None,
        )

    def _specs(self, options: Mapping[str, Any], framework: Framework) -> list[LayerSpec]:
        arguments = {k: v for k, v in options.items() if k not in DIRECTIVE_OPTIONS}
        name = options.get("layer_name")
        if name is not None and framework == "pytorch":
            raise ConvPadError(
                "layer-name is for Keras layers; nn.Sequential names its layers by index",
                option="layer-name",
            )
        if self.content:
            given = [*(["layer"] if "layer" in options else []), *arguments]
            if given:
                option = given[0].replace("_", "-")
                raise ConvPadError(
                    f"give the layer either as content or as options, not both (got :{option}:)",
                    option=option,
                )
            specs = parse_stack("\n".join(self.content), framework)
            return specs if name is None else name_single_layer(specs, name)
        if name is not None:
            arguments["name"] = name
        if not arguments and "layer" not in options:
            raise ConvPadError(
                "no layer: give its arguments as options (:filters:, :kernel-size: …)"
                " or paste the layer call(s) as content"
            )
        layer = options.get("layer", DEFAULT_LAYER[framework])
        return [spec_from_options(layer, arguments, framework)]

    def _summary_text(self, result: dict[str, Any], options: Mapping[str, Any]) -> str | None:
        from sphinxcontrib_convpad.summaries import summary

        default = "torchinfo" if result["framework"] == "pytorch" else "keras3"
        style = options.get("summary") or self.config.convpad_summary_style or default
        if style == "none":
            return None
        width = options.get("summary_width")
        if style == "keras3" and width is None:
            width = self.config.convpad_summary_width
        return summary(result, style=style, width=width)

    def _refuse(self, err: ConvPadError) -> list[nodes.Node]:
        """One ERROR: at the content line at fault if known, else at the directive."""
        message = f"conv-padding: {err}"
        if len(message) > MESSAGE_LIMIT:  # a 3000-axis shape echoed back helps nobody
            message = message[: MESSAGE_LIMIT - 1] + "…"
        if err.line is not None and 0 <= err.line < len(self.content):
            source, offset = self.content.info(err.line)
            if offset is not None:
                error = self.reporter.error(message, source=source, line=offset + 1)
                error += nodes.literal_block(self.block_text, self.block_text)
                return [error]
        raise self.error(message) from err

    # ------------------------------------------------------------ nodes

    def _diagram_part(self, diagrams: Sequence[Diagram]) -> nodes.Element:
        images = [self._diagram_node(diagram) for diagram in diagrams]
        align = self.options.get("align")
        caption = self.options.get("caption")
        if not caption:
            part = nodes.container("", *images, classes=["conv-padding-diagram"])
            if align:
                part["classes"].append(f"align-{align}")
            self.set_source_info(part)
            self.add_name(part)
            return part
        figure = nodes.figure("", *images, classes=["conv-padding-diagram"])
        if align:
            figure["align"] = align
        inline, messages = self.parse_inline(caption)
        caption_node = nodes.caption(caption, "", *inline)
        caption_node.extend(messages)
        self.set_source_info(caption_node)
        figure += caption_node
        self.set_source_info(figure)
        self.add_name(figure)
        return figure

    def _diagram_node(self, diagram: Diagram) -> conv_padding_diagram:
        node = conv_padding_diagram()
        node["payload"] = diagram.payload
        node["alt"] = diagram.alt
        # unique on the page, even when singlehtml puts every document on one page
        document = hashlib.sha256(self.env.docname.encode("utf-8")).hexdigest()[:8]
        node["id_prefix"] = f"convpad-{document}-{self.env.new_serialno('convpad')}"
        for option in ("width", "align"):
            if option in self.options:
                node[option] = self.options[option]
        self.set_source_info(node)
        return node

    def _summary_part(self, text: str) -> nodes.literal_block:
        block = nodes.literal_block(text, text, classes=["conv-padding-summary"])
        block["language"] = "text"  # the characters Keras prints, not highlighted
        self.set_source_info(block)
        return block

    def _explanation_part(self, explanation: Explanation) -> conv_padding_explanation:
        part = explanation_node(explanation)
        self.set_source_info(part)
        return part
