"""Small readers for built HTML pages (standard library only)."""

from __future__ import annotations

import html
import re
from collections import Counter
from html.parser import HTMLParser


class _Classes(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.classes: Counter[str] = Counter()
        self.ids: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "class" and value:
                self.classes.update(set(value.split()))
            if name == "id" and value:
                self.ids.append(value)


def class_count(page: str, name: str) -> int:
    """How many elements carry the CSS class ``name``."""
    parser = _Classes()
    parser.feed(page)
    return parser.classes[name]


def element_ids(page: str) -> list[str]:
    """Every ``id`` attribute of the page, SVG included, in order."""
    parser = _Classes()
    parser.feed(page)
    return parser.ids


def summary_blocks(page: str) -> list[str]:
    """The raw ``<pre>`` contents of the summary literal blocks (markup not removed)."""
    pattern = r'<div class="conv-padding-summary[^"]*"><div class="highlight"><pre>(.*?)</pre>'
    return re.findall(pattern, page, flags=re.DOTALL)


def unmarked(fragment: str) -> str:
    """Text of an HTML fragment: tags dropped, entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


def svgs(page: str) -> list[str]:
    return re.findall(r"<svg\b.*?</svg>", page, flags=re.DOTALL)


def explanations(page: str) -> list[str]:
    """The text of each explanation part (its ``<div>`` holds no other ``<div>``)."""
    found = re.findall(
        r'<div class="conv-padding-explanation[^"]*">(.*?)</div>', page, flags=re.DOTALL
    )
    return [" ".join(unmarked(text).split()) for text in found]
