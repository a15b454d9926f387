"""A real reader: headless Chromium opens a built page (furo theme) and looks at it.

In light mode, dark mode, and furo's "auto" mode with a reader whose system is dark, at a
desktop width and a phone width:

* every diagram is painted: its box on the screenshot is not blank, and it follows the
  theme (light pixels on a light page, dark ones on a dark page);
* nothing overflows the content column: every diagram, summary and explanation ends inside
  the article, or scrolls inside its own box; the page itself never scrolls sideways;
* the box-drawn summary tables line up (each row of a table is as wide as the others);
* a layer name that looks like markup stays text (no script ran).

Chromium is driven through the DevTools protocol over ``--remote-debugging-pipe``: JSON
messages ending in a NUL byte on file descriptors 3 and 4, standard library only. Skipped,
with the reason, where Chromium or furo is missing (.ci/run installs Debian's chromium).
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import io
import json
import os
import select
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import numpy
import pytest
from sphinx.testing.util import SphinxTestApp

ROOT = Path(__file__).parent / "roots" / "test-hard-browser"
CHROMIUM = next(
    (shutil.which(name) for name in ("chromium", "chromium-browser", "google-chrome")
     if shutil.which(name)), None,
)  # fmt: skip
DIAGRAMS = 15  #: 3 tutorial + flow and 3 layers + 2 compared + 1 + flow and 3 layers + 1

try:
    import furo  # noqa: F401
    from PIL import Image  # matplotlib's own dependency
except ImportError as err:  # pragma: no cover - the docs extra installs furo
    MISSING: str | None = f"needs {err.name} (pip install -e '.[test,docs]')"
else:
    MISSING = None if CHROMIUM else "needs Chromium (Debian: apt-get install chromium)"

pytestmark = pytest.mark.skipif(MISSING is not None, reason=MISSING or "")


class Chromium:
    """A headless Chromium and one page, over the DevTools protocol's pipe transport."""

    TIMEOUT = 60.0  #: seconds without any answer before we call Chromium hung

    def __init__(self, executable: str) -> None:
        self.profile = tempfile.mkdtemp(prefix="convpad-chromium-")
        to_read, self._to_chromium = os.pipe()
        self._from_chromium, to_write = os.pipe()

        def onto_fds_3_and_4() -> None:  # in the child, before exec
            high_read = fcntl.fcntl(to_read, fcntl.F_DUPFD, 10)
            high_write = fcntl.fcntl(to_write, fcntl.F_DUPFD, 10)
            os.dup2(high_read, 3)
            os.dup2(high_write, 4)

        self.process = subprocess.Popen(
            [executable, "--headless", "--remote-debugging-pipe", "--no-sandbox",
             "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
             "--no-default-browser-check", "--hide-scrollbars", "--mute-audio",
             "--force-device-scale-factor=1", f"--user-data-dir={self.profile}", "about:blank"],
            pass_fds=(3, 4), preexec_fn=onto_fds_3_and_4,  # noqa: PLW1509 -- no threads yet
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        os.close(to_read)
        os.close(to_write)
        self._next_id, self._buffer = 0, b""
        target = self.send("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.send("Target.attachToTarget", targetId=target, flatten=True)[
            "sessionId"
        ]

    def send(self, method: str, session: str | None = None, **params: Any) -> dict[str, Any]:
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        os.write(self._to_chromium, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._receive()
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply["result"]

    def _receive(self) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            ready, _, _ = select.select([self._from_chromium], [], [], self.TIMEOUT)
            if not ready:
                raise TimeoutError(f"Chromium said nothing for {self.TIMEOUT} s")
            chunk = os.read(self._from_chromium, 1 << 20)
            if not chunk:
                raise EOFError("Chromium closed the pipe")
            self._buffer += chunk
        raw, _, self._buffer = self._buffer.partition(b"\0")
        return json.loads(raw)

    def page(self, method: str, **params: Any) -> dict[str, Any]:
        return self.send(method, self.session, **params)

    def evaluate(self, expression: str) -> Any:
        result = self.page(
            "Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True
        )
        if "exceptionDetails" in result:
            raise RuntimeError(json.dumps(result["exceptionDetails"])[:2000])
        return result["result"].get("value")

    def open(self, url: str, width: int, dark_system: bool) -> None:
        self.page("Emulation.setDeviceMetricsOverride", width=width, height=900,
                  deviceScaleFactor=1, mobile=False)  # fmt: skip
        scheme = "dark" if dark_system else "light"
        self.page("Emulation.setEmulatedMedia",
                  features=[{"name": "prefers-color-scheme", "value": scheme}])  # fmt: skip
        self.page("Page.navigate", url=url)
        self.evaluate(
            "new Promise(done => { const ready = () => document.fonts.ready.then(done);"
            " if (document.readyState === 'complete') ready();"
            " else addEventListener('load', ready); })"
        )

    def screenshot(self) -> Image.Image:
        height = self.evaluate("document.documentElement.scrollHeight")
        width = self.evaluate("document.documentElement.clientWidth")
        shot = self.page("Page.captureScreenshot", format="png", captureBeyondViewport=True,
                         clip={"x": 0, "y": 0, "width": width, "height": height, "scale": 1})  # fmt: skip
        return Image.open(io.BytesIO(base64.b64decode(shot["data"]))).convert("RGB")

    def close(self) -> None:
        with contextlib.suppress(EOFError, OSError, RuntimeError, TimeoutError):
            self.send("Browser.close")
        try:
            self.process.wait(20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._to_chromium)
        os.close(self._from_chromium)
        shutil.rmtree(self.profile, ignore_errors=True)


#: Where everything is, in CSS pixels of the page (the screenshot's pixels too).
MEASURE = r"""
(() => {
  const box = e => { const r = e.getBoundingClientRect();
    return {left: r.left + scrollX, top: r.top + scrollY, right: r.right + scrollX,
            bottom: r.bottom + scrollY, width: r.width, height: r.height}; };
  const article = document.querySelector('article[role=main]') || document.querySelector('article');
  const scrolls = e => ['auto', 'scroll'].includes(getComputedStyle(e).overflowX);
  const scroller = e => { for (let a = e.parentElement; a && !a.matches('article');
                                a = a.parentElement) if (scrolls(a)) return a; return null; };
  const overflowing = [];
  for (const e of document.querySelectorAll('.conv-padding, .conv-padding *')) {
    const r = box(e);
    if (r.width === 0 || scroller(e)) continue;  // inside a box that scrolls: checked as that box
    if (r.right > box(article).right + 1 || r.left < box(article).left - 1)
      overflowing.push([e.tagName, e.className.baseVal ?? e.className, r.left, r.right]);
  }
  const tables = [...document.querySelectorAll('.conv-padding-summary pre')].map(pre => {
    const rows = [], walker = document.createTreeWalker(pre, NodeFilter.SHOW_TEXT);
    for (let node; (node = walker.nextNode()); ) {
      let start = 0;
      for (const line of node.data.split('\n')) {
        // a row of a Keras 3 table: a border character at both ends (not torchinfo's ├─)
        if (/^[\u2500-\u257f].*[\u2510\u2513\u2503\u2502\u2529\u2518\u2524]$/.test(line)) {
          const range = document.createRange();
          range.setStart(node, start); range.setEnd(node, start + line.length);
          rows.push(range.getBoundingClientRect().width);
        }
        start += line.length + 1;
      }
    }
    return {rows, scrolls: scrolls(pre), fits: pre.scrollWidth <= pre.clientWidth,
            box: box(pre)};
  });
  return {
    theme: document.body.dataset.theme,
    background: getComputedStyle(document.body).backgroundColor,
    article: box(article),
    pageWidth: document.documentElement.scrollWidth,
    viewWidth: document.documentElement.clientWidth,
    diagrams: [...document.querySelectorAll('.conv-padding-image')].map(box),
    overflowing, tables, marker: typeof window.convpadMarker,
  };
})()
"""

MODES = [  # (furo's data-theme, the reader's system colour scheme, which one shows)
    ("light", False, "light"),
    ("dark", False, "dark"),
    ("auto", True, "dark"),
]


@pytest.fixture(scope="module")
def page_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    dest = tmp_path_factory.mktemp("browser")
    shutil.copytree(ROOT, dest / "src")
    app = SphinxTestApp("html", srcdir=dest / "src", builddir=dest / "_build")
    try:
        app.build(force_all=True)
        assert app.warning.getvalue() == ""
    finally:
        app.cleanup()
    return (app.outdir / "index.html").as_uri()


@pytest.fixture(scope="module")
def browser() -> Chromium:
    assert CHROMIUM is not None
    chromium = Chromium(CHROMIUM)
    yield chromium
    chromium.close()


def luminance(pixel: tuple[int, int, int]) -> float:
    red, green, blue = pixel
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue  # sRGB weights


def rgb(css: str) -> tuple[int, int, int]:
    red, green, blue = (int(float(v)) for v in css[css.index("(") + 1 : -1].split(",")[:3])
    return red, green, blue


@pytest.mark.parametrize("width", [1280, 420], ids=["desktop", "phone"])
@pytest.mark.parametrize(("theme", "dark_system", "shown"), MODES, ids=[m[0] for m in MODES])
def test_every_diagram_is_painted_and_nothing_overflows(
    browser: Chromium, page_url: str, width: int, theme: str, dark_system: bool, shown: str
) -> None:
    browser.open(page_url, width, dark_system)
    browser.evaluate(f"document.body.dataset.theme = {theme!r}; localStorage.theme = {theme!r}")
    seen = browser.evaluate(MEASURE)
    assert seen["theme"] == theme
    assert seen["marker"] == "undefined", "a layer name ran as a script"

    # nothing overflows the content column; the page never scrolls sideways
    assert seen["overflowing"] == []
    assert seen["pageWidth"] <= seen["viewWidth"]
    for table in seen["tables"]:
        assert table["fits"] or table["scrolls"], table
        assert table["box"]["right"] <= seen["article"]["right"] + 1
        if table["rows"]:
            assert max(table["rows"]) - min(table["rows"]) < 0.5, "the table's borders break"
    assert [len(table["rows"]) for table in seen["tables"]] == [5, 5, 5, 14, 5, 0, 7]

    # every diagram is painted, in the theme's colours
    page_colour = rgb(seen["background"])
    assert (luminance(page_colour) > 128) == (shown == "light")
    shot = browser.screenshot()
    assert len(seen["diagrams"]) == DIAGRAMS
    for index, box in enumerate(seen["diagrams"]):
        assert box["width"] > 100 and box["height"] > 50, (index, box)
        assert box["right"] <= seen["article"]["right"] + 1
        crop = numpy.asarray(shot.crop((round(box["left"]), round(box["top"]),
                                        round(box["right"]), round(box["bottom"]))))  # fmt: skip
        pixels = crop.reshape(-1, 3).astype(int)
        painted = (numpy.abs(pixels - page_colour).max(axis=1) > 24).mean()
        assert painted > 0.05, f"diagram {index} is blank"
        colours = len(numpy.unique(pixels @ numpy.array([65536, 256, 1])))
        assert colours > 20, f"diagram {index} has too few colours to be a picture"
        mean = float((pixels @ numpy.array([0.2126, 0.7152, 0.0722])).mean())
        if shown == "light":
            assert mean > 150, f"diagram {index} is dark on a light page"
        else:
            assert mean < 110, f"diagram {index} is light on a dark page"
