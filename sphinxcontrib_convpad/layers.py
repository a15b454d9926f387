"""Read layer descriptions (pasted calls or directive options) into frozen specs.

Call text is parsed with :func:`ast.parse` and only literals are taken from it: nothing is
ever evaluated. Names and calls in arguments that change no shape (``activation=tf.nn.relu``,
``kernel_initializer=keras.initializers.HeNormal()``) are kept as :class:`Expr` text.
"""

from __future__ import annotations

import ast
import difflib
import operator
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from sphinxcontrib_convpad.catalogue import (
    KERAS_BASE_KWARGS,
    REQUIRED,
    Framework,
    LayerType,
    catalogue,
)
from sphinxcontrib_convpad.errors import ConvPadError

PREFIXES: dict[Framework, frozenset[str]] = {
    "keras": frozenset(
        {"", "keras.layers", "layers", "tf.keras.layers", "keras", "tf.keras", "tf_keras.layers"}
    ),
    "pytorch": frozenset({"", "nn", "torch.nn"}),
}
_MAX_TEXT = 10_000
_MAX_INT = 10**9


@dataclass(frozen=True, slots=True)
class Expr:
    """A name or call taken as written and never evaluated, e.g. ``tf.nn.relu``."""

    text: str

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True, slots=True)
class LayerSpec:
    """One layer as the author wrote it: its type and the arguments given."""

    type: LayerType
    arguments: tuple[tuple[str, object], ...]
    line: int | None = None
    """0-based index of the content line the layer starts on, where known."""

    @property
    def class_name(self) -> str:
        return self.type.class_name

    def given(self, name: str) -> bool:
        return any(key == name for key, _ in self.arguments)

    def get(self, name: str) -> object:
        """The argument's value, or the framework's default."""
        for key, value in self.arguments:
            if key == name:
                return value
        return self.type.default(name)

    def error(self, message: str, option: str | None = None) -> ConvPadError:
        """A :class:`ConvPadError` about this layer."""
        return ConvPadError(f"{self.class_name}: {message}", option=option, line=self.line)


def parse_call(text: str, framework: Framework = "keras", *, line: int | None = None) -> LayerSpec:
    """Parse one pasted layer call such as ``Conv2D(24, 2, strides=2, padding='same')``."""
    source = text.strip()
    if len(source) > _MAX_TEXT:
        raise ConvPadError(f"layer call is too long ({len(source)} characters)", line=line)
    try:
        tree = ast.parse(source, mode="eval")
    except (SyntaxError, ValueError, MemoryError, RecursionError) as err:
        detail = getattr(err, "msg", None) or str(err)
        raise ConvPadError(
            f"cannot read {_quote(source)} as a layer call: {detail}", line=line
        ) from None
    call = _unwrap_add(tree.body)
    if not isinstance(call, ast.Call):
        raise ConvPadError(
            f"expected a layer call such as Conv2D(...), got {_quote(source)}", line=line
        )
    try:
        layer_type = _layer_type(_dotted(call.func, source, line), framework, line)
        arguments = _bind(layer_type, call, source, line)
    except RecursionError:  # e.g. 1+1+…+1, nested deeper than the reader recurses
        raise ConvPadError(f"{_quote(source)} is nested too deeply to read", line=line) from None
    return LayerSpec(type=layer_type, arguments=arguments, line=line)


def split_calls(text: str | Iterable[str]) -> list[tuple[int, str]]:
    """Split content into ``(first line index, call text)``; calls may span lines.

    Blank lines and ``#`` comments are skipped.
    """
    lines = text.splitlines() if isinstance(text, str) else list(text)
    calls: list[tuple[int, str]] = []
    buffer: list[str] = []
    start = 0
    for index, raw in enumerate(lines):
        line = _strip_comment(raw)
        if not buffer and not line.strip():
            continue
        if not buffer:
            start = index
        buffer.append(line)
        if _depth("\n".join(buffer)) <= 0:
            calls.append((start, "\n".join(buffer).strip()))
            buffer = []
    if buffer:
        calls.append((start, "\n".join(buffer).strip()))
    return calls


def parse_stack(layers: str | Iterable[str], framework: Framework = "keras") -> list[LayerSpec]:
    """Parse one call, several lines of calls, or a list of call strings."""
    if isinstance(layers, str):
        items = split_calls(layers)
    else:
        items = []
        for index, item in enumerate(layers):
            if not isinstance(item, str):
                raise ConvPadError(f"layers must be call strings, got {item!r}", line=index)
            items.append((index, item))
    if not items:
        raise ConvPadError("no layer given")
    return [parse_call(text, framework, line=index) for index, text in items]


def parse_value_text(text: str) -> object:
    """Read one directive option value: ``5, 5, 1`` → (5, 5, 1); ``Same`` → 'Same'.

    Python literals are read as such; a bare word (``same``, ``relu``) is a string,
    ``true``/``false``/``none`` in any case are the booleans and None; dotted names and
    calls stay :class:`Expr`.
    """
    stripped = text.strip()
    if stripped.lower() in {"true", "false", "none"}:
        return {"true": True, "false": False, "none": None}[stripped.lower()]
    try:
        node = ast.parse(stripped, mode="eval").body
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return stripped
    if isinstance(node, ast.Name):
        return stripped
    try:
        return _value(node, stripped, None, "value")
    except ConvPadError:
        return stripped


def spec_from_options(
    layer: str, options: Mapping[str, str], framework: Framework = "keras"
) -> LayerSpec:
    """Build a spec from directive options (hyphen or underscore names, text values)."""
    layer_type = _layer_type(layer.strip(), framework, None)
    arguments: dict[str, object] = {}
    for name, text in normalise_option_names(options).items():
        _check_known(layer_type, name, None)
        try:
            arguments[name] = parse_value_text(text)
        except RecursionError:
            raise ConvPadError(
                f"option {name!r} is nested too deeply to read", option=name
            ) from None
    _check_required(layer_type, arguments, None, spell=lambda p: f":{p.replace('_', '-')}:")
    ordered = tuple((name, arguments[name]) for name in _order(layer_type, arguments))
    return LayerSpec(type=layer_type, arguments=ordered)


def normalise_option_names(options: Mapping[str, str]) -> dict[str, str]:
    """Map ``kernel-size`` to ``kernel_size``; refuse both spellings of one option."""
    result: dict[str, str] = {}
    spelled: dict[str, str] = {}
    for name, value in options.items():
        key = name.replace("-", "_")
        if key in result:
            raise ConvPadError(
                f"option {spelled[key]!r} is given twice (also as {name!r})", option=name
            )
        result[key] = value
        spelled[key] = name
    return result


def _order(layer_type: LayerType, arguments: Mapping[str, object]) -> list[str]:
    known = [name for name in layer_type.parameters if name in arguments]
    return known + sorted(set(arguments) - set(known))


def _unwrap_add(node: ast.expr) -> ast.expr:
    """``model.add(Conv2D(...))`` → ``Conv2D(...)``, as pasted from a tutorial."""
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "add"
        and len(node.args) == 1
        and not node.keywords
    ):
        return node.args[0]
    return node


def _layer_type(dotted: str, framework: Framework, line: int | None) -> LayerType:
    prefix, _, name = dotted.rpartition(".")
    known = catalogue(framework)
    if prefix not in PREFIXES[framework]:
        other: Framework = "pytorch" if framework == "keras" else "keras"
        hint = ""
        if prefix in PREFIXES[other] and name in catalogue(other):
            hint = f" ({dotted} is a {other} layer: set the framework to {other})"
        raise ConvPadError(f"unknown layer {dotted!r}{hint}", line=line)
    if name not in known:
        close = difflib.get_close_matches(name, known, n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise ConvPadError(f"unknown {framework} layer {dotted!r}{hint}", line=line)
    return known[name]


def _dotted(node: ast.expr, source: str, line: int | None) -> str:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        text = ast.get_source_segment(source, node) or "?"
        raise ConvPadError(f"expected a layer name, got {_quote(text)}", line=line)
    parts.append(node.id)
    return ".".join(reversed(parts))


def _bind(
    layer_type: LayerType, call: ast.Call, source: str, line: int | None
) -> tuple[tuple[str, object], ...]:
    name = layer_type.class_name
    positional = [p for p in layer_type.parameters if p not in layer_type.keyword_only]
    if any(isinstance(arg, ast.Starred) for arg in call.args):
        raise ConvPadError(f"{name}: *args cannot be read, write the arguments out", line=line)
    if len(call.args) > len(positional):
        raise ConvPadError(
            f"{name} takes at most {len(positional)} positional arguments, got {len(call.args)}",
            line=line,
        )
    bound: dict[str, object] = {}
    for parameter, node in zip(positional, call.args, strict=False):
        bound[parameter] = _value(node, source, line, f"{name} argument {parameter!r}")
    for keyword in call.keywords:
        if keyword.arg is None:
            raise ConvPadError(
                f"{name}: **kwargs cannot be read, write the arguments out", line=line
            )
        _check_known(layer_type, keyword.arg, line)
        if keyword.arg in bound:
            raise ConvPadError(f"{name} got argument {keyword.arg!r} twice", line=line)
        bound[keyword.arg] = _value(keyword.value, source, line, f"{name} argument {keyword.arg!r}")
    _check_required(layer_type, bound, line)
    return tuple((key, bound[key]) for key in _order(layer_type, bound))


def _check_required(
    layer_type: LayerType,
    given: Mapping[str, object],
    line: int | None,
    spell: Callable[[str], str] | None = None,
) -> None:
    """Refuse a layer without an argument its constructor requires."""
    missing = [p for p, default in layer_type.defaults if default is REQUIRED and p not in given]
    if missing and layer_type.class_name != "Identity":
        hint = f": give {spell(missing[0])}" if spell else ""
        raise ConvPadError(
            f"{layer_type.class_name} is missing required argument {missing[0]!r}{hint}",
            option=missing[0],
            line=line,
        )


def _check_known(layer_type: LayerType, name: str, line: int | None) -> None:
    if name in layer_type.parameters:
        return
    if layer_type.var_keywords and (layer_type.framework == "pytorch" or name in KERAS_BASE_KWARGS):
        return
    allowed = sorted(
        set(layer_type.parameters) | (set(KERAS_BASE_KWARGS) if layer_type.var_keywords else set())
    )
    close = difflib.get_close_matches(name, allowed, n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    raise ConvPadError(
        f"{layer_type.class_name} does not take an argument {name!r}{hint}", option=name, line=line
    )


def _value(node: ast.expr, source: str, line: int | None, what: str) -> object:
    """A literal value (numbers, strings, bools, None, tuples, lists) or an :class:`Expr`."""
    if isinstance(node, ast.Constant) and isinstance(
        node.value, (int, float, str, bool, type(None))
    ):
        if (
            isinstance(node.value, int)
            and not isinstance(node.value, bool)
            and abs(node.value) > _MAX_INT
        ):
            raise ConvPadError(f"{what} is too large: {node.value}", line=line)
        return node.value
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        operand = _value(node.operand, source, line, what)
        if isinstance(operand, (int, float)) and not isinstance(operand, bool):
            return -operand if isinstance(node.op, ast.USub) else operand
    if isinstance(node, ast.BinOp) and type(node.op) in _ARITHMETIC:
        return _fold(node, source, line, what)
    if isinstance(node, (ast.Tuple, ast.List)):
        items = tuple(_value(item, source, line, what) for item in node.elts)
        return items if isinstance(node, ast.Tuple) else list(items)
    if isinstance(node, (ast.Name, ast.Attribute)):
        return Expr(_dotted(node, source, line))
    if isinstance(node, ast.Call) and isinstance(node.func, (ast.Name, ast.Attribute)):
        _dotted(node.func, source, line)
        for arg in node.args:
            _value(arg, source, line, what)
        for keyword in node.keywords:
            _value(keyword.value, source, line, what)
        return Expr(ast.get_source_segment(source, node) or _dotted(node.func, source, line))
    text = ast.get_source_segment(source, node) or type(node).__name__
    raise ConvPadError(f"{what} must be a literal value, got {_quote(text)}", line=line)


_ARITHMETIC = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.FloorDiv: operator.floordiv,
    ast.Div: operator.truediv,
    ast.Mod: operator.mod,
    ast.Pow: operator.pow,
}


def _fold(node: ast.BinOp, source: str, line: int | None, what: str) -> object:
    """Arithmetic on number literals, as pasted code has it: ``Linear(128 * 16 * 16, 10)``."""
    left = _value(node.left, source, line, what)
    right = _value(node.right, source, line, what)
    text = ast.get_source_segment(source, node) or "?"
    numbers = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (left, right))
    if not numbers:
        raise ConvPadError(f"{what} must be a literal value, got {_quote(text)}", line=line)
    if isinstance(node.op, ast.Pow) and (abs(right) > 64 or abs(left) > _MAX_INT):  # type: ignore[arg-type]
        raise ConvPadError(f"{what} is too large: {_quote(text)}", line=line)
    try:
        result = _ARITHMETIC[type(node.op)](left, right)
    except (ZeroDivisionError, OverflowError, ValueError):
        raise ConvPadError(f"{what} cannot be computed: {_quote(text)}", line=line) from None
    if not isinstance(result, (int, float)) or abs(result) > _MAX_INT:
        raise ConvPadError(f"{what} is too large: {_quote(text)}", line=line)
    return result


def _strip_comment(line: str) -> str:
    quote = ""
    for index, char in enumerate(line):
        if quote:
            if char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char == "#":
            return line[:index]
    return line


def _depth(text: str) -> int:
    depth = 0
    quote = ""
    for char in text:
        if quote:
            if char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
    return depth


def _quote(text: str, limit: int = 60) -> str:
    flat = " ".join(text.split())
    return repr(flat if len(flat) <= limit else flat[: limit - 1] + "…")
