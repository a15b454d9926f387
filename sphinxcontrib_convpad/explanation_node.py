"""The explanation part as one data node: HTML writes it directly, other builders get nodes.

A page of many directives would otherwise carry some forty docutils nodes per explanation
through every transform. The node keeps the :class:`~.explain.Explanation` as JSON-able data
and one text child (so the search index still finds its words); HTML builders write its
markup straight from the data, and ``doctree-resolved`` turns it into ordinary paragraphs
and bullet lists for every other builder.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from docutils import nodes

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.writers.html5 import HTML5Translator

    from sphinxcontrib_convpad.explain import Explanation

CLASS = "conv-padding-explanation"


class conv_padding_explanation(nodes.General, nodes.Element):  # noqa: N801
    """``node["explanation"]``: the notation line and, per layer, a heading and its steps."""


def explanation_node(explanation: Explanation) -> conv_padding_explanation:
    """The node for ``explanation``, with its plain text as the only child."""
    data = {
        "notation": explanation.notation,
        "layers": [
            {
                "heading": layer.heading,
                "steps": [
                    {"label": step.label, "pieces": [list(piece) for piece in step.pieces]}
                    for step in layer.steps
                ],
            }
            for layer in explanation.layers
        ],
    }
    text = explanation.text()
    return conv_padding_explanation(text, nodes.Text(text), explanation=data, classes=[CLASS])


def standard_nodes(node: conv_padding_explanation) -> nodes.container:
    """The explanation as ordinary docutils nodes, for builders without our visitor."""
    data: dict[str, Any] = node["explanation"]
    part = nodes.container(classes=[CLASS])
    part["support_smartquotes"] = False  # padding='same' is code: keep its quotes
    part.source, part.line = node.source, node.line
    part += nodes.paragraph(data["notation"], data["notation"], classes=["conv-padding-notation"])
    for layer in data["layers"]:
        heading = nodes.paragraph(classes=["conv-padding-layer"])
        heading += nodes.strong(layer["heading"], layer["heading"])
        items = nodes.bullet_list(bullet="-")
        for step in layer["steps"]:
            paragraph = nodes.paragraph()
            paragraph += nodes.strong(f"{step['label']}:", f"{step['label']}:")
            paragraph += nodes.Text(" ")
            for kind, text in step["pieces"]:
                if kind == "formula":
                    paragraph += nodes.inline(text, text, classes=["conv-padding-formula"])
                else:
                    paragraph += nodes.Text(text)
            items += nodes.list_item("", paragraph)
        part += [heading, items]
    return part


def html_visit_conv_padding_explanation(
    self: HTML5Translator, node: conv_padding_explanation
) -> None:
    """Write the markup docutils would write for :func:`standard_nodes`, straight from data."""
    data: dict[str, Any] = node["explanation"]
    escape = html.escape
    out = [
        f'<div class="{CLASS} docutils container">\n',
        f'<p class="conv-padding-notation">{escape(data["notation"])}</p>\n',
    ]
    for layer in data["layers"]:
        out.append(
            f'<p class="conv-padding-layer"><strong>{escape(layer["heading"])}</strong></p>\n'
        )
        out.append('<ul class="simple">\n')
        for step in layer["steps"]:
            pieces = "".join(
                f'<span class="conv-padding-formula">{escape(text)}</span>'
                if kind == "formula"
                else escape(text)
                for kind, text in step["pieces"]
            )
            out.append(f"<li><p><strong>{escape(step['label'])}:</strong> {pieces}</p></li>\n")
        out.append("</ul>\n")
    out.append("</div>\n")
    self.body.append("".join(out))
    raise nodes.SkipNode


def expand_for_other_builders(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``doctree-resolved``: every builder but HTML's gets the explanation as plain nodes."""
    if app.builder.format == "html":
        return
    for node in list(doctree.findall(conv_padding_explanation)):
        node.replace_self(standard_nodes(node))
