"""Generate the option, configuration and warning reference from the extension's own tables."""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from sphinxcontrib_convpad.catalogue import argument_names
from sphinxcontrib_convpad.directive import DIRECTIVE_OPTIONS, OPTION_DOCS
from sphinxcontrib_convpad.sphinx_glue import CONFIG_VALUES
from sphinxcontrib_convpad.warnings_ import ConvPadWarning

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def _table(
    header: tuple[str, ...], rows: list[tuple[str, ...]], directive: SphinxDirective
) -> nodes.table:
    table = nodes.table(classes=["convpad-reference"])
    group = nodes.tgroup(cols=len(header))
    table += group
    group.extend(
        nodes.colspec(colwidth=width) for width in (1, 3)[: len(header)] + (3,) * (len(header) - 2)
    )
    head = nodes.thead()
    head += nodes.row("", *(nodes.entry("", nodes.paragraph(text=cell)) for cell in header))
    body = nodes.tbody()
    for cells in rows:
        row = nodes.row()
        for cell in cells:
            entry = nodes.entry()
            paragraph = nodes.paragraph()
            paragraph += directive.parse_inline(cell)[0]
            entry += paragraph
            row += entry
        body += row
    group += [head, body]
    return table


class OptionReference(SphinxDirective):
    """``.. convpad-options::``: the directive's options, from ``OPTION_DOCS``."""

    def run(self) -> list[nodes.Node]:
        missing = DIRECTIVE_OPTIONS - set(OPTION_DOCS)
        if missing:
            raise self.error(f"undocumented options: {sorted(missing)}")
        rows = [(f"``:{name.replace('_', '-')}:``", text) for name, text in OPTION_DOCS.items()]
        return [_table(("option", "meaning"), rows, self)]


class ArgumentReference(SphinxDirective):
    """``.. convpad-arguments::``: every layer argument accepted as an option."""

    def run(self) -> list[nodes.Node]:
        rows = []
        for framework in ("keras", "pytorch"):
            names = sorted(argument_names(framework) - DIRECTIVE_OPTIONS)  # type: ignore[arg-type]
            rows.append((framework, ", ".join(f"``:{n.replace('_', '-')}:``" for n in names)))
        return [
            _table(("framework", "layer arguments (hyphen or underscore spelling)"), rows, self)
        ]


class ConfigReference(SphinxDirective):
    """``.. convpad-config::``: the ``conf.py`` values, from ``CONFIG_VALUES``."""

    def run(self) -> list[nodes.Node]:
        rows = [
            (f"``{name}``", f"{text} Default: ``{default!r}``; rebuilds: {rebuild}.")
            for name, (default, rebuild, _types, text) in CONFIG_VALUES.items()
        ]
        return [_table(("value", "meaning"), rows, self)]


class WarningReference(SphinxDirective):
    """``.. convpad-warnings::``: the warning subtypes, from ``ConvPadWarning``."""

    def run(self) -> list[nodes.Node]:
        rows = [(f"``convpad.{member.value}``", _doc(member)) for member in ConvPadWarning]
        return [_table(("suppress with", "raised when"), rows, self)]


def _doc(member: ConvPadWarning) -> str:
    import ast
    import inspect

    source = inspect.getsource(ConvPadWarning)
    tree = ast.parse(source)
    body = tree.body[0].body  # type: ignore[attr-defined]
    for node, following in zip(body, body[1:], strict=False):
        if isinstance(node, ast.Assign) and node.targets[0].id == member.name:  # type: ignore[attr-defined]
            if isinstance(following, ast.Expr) and isinstance(following.value, ast.Constant):
                return " ".join(str(following.value.value).split())
    return ""


def setup(app: Sphinx) -> dict[str, object]:
    app.add_directive("convpad-options", OptionReference)
    app.add_directive("convpad-arguments", ArgumentReference)
    app.add_directive("convpad-config", ConfigReference)
    app.add_directive("convpad-warnings", WarningReference)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
