"""The HTML report and the graph's page in a real browser: headless Chromium lays them out at a
laptop's and a phone's width; a small check run in the page reads the layout back (every box
of the diagram shows its count and holds its text, no two boxes or labels overlap, nothing
runs off the page), and screenshots at both widths are kept (in $JOURNEY_ARTEFACTS if set)."""

from __future__ import annotations

import json
import os
import pathlib
import re
import shutil
import struct
import subprocess

import pytest
from click.testing import CliRunner

from journeylang.cli import main

from ..conftest import EXAMPLES

BROWSER = next((found for name in ("chromium", "chromium-browser", "google-chrome")
                if (found := shutil.which(name))), None)
pytestmark = pytest.mark.skipif(
    BROWSER is None, reason="no Chromium here (Debian: apt-get install chromium; .ci/run does)")

WIDTHS = {"laptop": 1280, "phone": 390}

# Read back from the DOM after the page is laid out; the page itself has no script.
CHECK = """<script>
(function () {
  var out = {problems: [], boxes: 0, counted: 0, svgs: document.querySelectorAll("svg").length};
  function box(e) { var b = e.getBoundingClientRect(); return {x: b.left, y: b.top, w: b.width, h: b.height}; }
  function overlap(a, b) { return a.x < b.x + b.w - 0.5 && b.x < a.x + a.w - 0.5 &&
                                  a.y < b.y + b.h - 0.5 && b.y < a.y + a.h - 0.5; }
  function inside(a, b) { return a.x >= b.x - 0.5 && a.y >= b.y - 0.5 &&
                                 a.x + a.w <= b.x + b.w + 0.5 && a.y + a.h <= b.y + b.h + 0.5; }
  document.querySelectorAll("svg").forEach(function (svg) {
    var shapes = [];
    svg.querySelectorAll("g.box").forEach(function (g) {
      out.boxes++;
      var shape = box(g.querySelector("rect") || g.querySelector("circle"));
      shapes.push(shape);
      var lines = [];
      g.querySelectorAll("text").forEach(function (t) {
        lines.push(t.textContent);
        if (!inside(box(t), shape)) out.problems.push("text outside its box: " + t.textContent);
      });
      if (g.dataset.reached !== undefined) {
        out.counted++;
        var last = lines[lines.length - 1] || "";
        if (last.indexOf(g.dataset.reached + " ") !== 0)
          out.problems.push("no count on " + g.dataset.node + ": " + last);
      }
    });
    svg.querySelectorAll("g.label").forEach(function (g) {
      var text = box(g.querySelector("text")), back = box(g.querySelector("rect"));
      if (!inside(text, back)) out.problems.push("label runs out: " + g.textContent);
      shapes.push(back);
    });
    for (var i = 0; i < shapes.length; i++)
      for (var j = i + 1; j < shapes.length; j++)
        if (overlap(shapes[i], shapes[j])) out.problems.push("overlap " + i + " " + j);
  });
  out.scrollWidth = document.documentElement.scrollWidth;
  out.innerWidth = window.innerWidth;
  if (out.scrollWidth > out.innerWidth) out.problems.push("the page runs off to the right");
  document.body.setAttribute("data-check", JSON.stringify(out));
})();
</script>"""


def chromium(*arguments: str, width: int) -> subprocess.CompletedProcess:
    return subprocess.run([BROWSER, "--headless", "--no-sandbox", "--disable-gpu",
                           "--hide-scrollbars", "--no-first-run", f"--window-size={width},2000",
                           *arguments], capture_output=True, text=True, timeout=120)


def checked(page: pathlib.Path, width: int) -> dict:
    probe = page.with_name(page.stem + "-probe.html")
    probe.write_text(page.read_text(encoding="utf-8").replace("</body>", CHECK + "\n</body>"),
                     encoding="utf-8")
    done = chromium("--dump-dom", probe.as_uri(), width=width)
    found = re.search(r'data-check="([^"]*)"', done.stdout)
    assert found, f"the page's check did not run: {done.stderr[-2000:]}"
    return json.loads(found.group(1).replace("&quot;", '"').replace("&amp;", "&"))


def png_size(path: pathlib.Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", header[16:24])


def artefacts(tmp_path) -> pathlib.Path:
    place = pathlib.Path(os.environ.get("JOURNEY_ARTEFACTS") or tmp_path / "artefacts")
    place.mkdir(parents=True, exist_ok=True)
    return place


def test_the_report_reads_well_at_two_widths(tmp_path):
    page = tmp_path / "welcome-report.html"
    done = CliRunner().invoke(main, ["run", str(EXAMPLES / "welcome"), "--html", str(page)])
    assert done.exit_code == 0, done.output
    statements = page.read_text(encoding="utf-8").count('data-figure="reached"')
    for name, width in WIDTHS.items():
        check = checked(page, width)
        assert check["problems"] == [], check
        assert check["svgs"] == 1 and check["counted"] == statements + 1  # and the entry
        shot = artefacts(tmp_path) / f"welcome-report-{name}.png"
        chromium(f"--screenshot={shot}", page.as_uri(), width=width)
        assert png_size(shot) == (width, 2000)


def test_the_graph_page_passes_the_same_check(tmp_path):
    page = tmp_path / "welcome-graph.html"
    done = CliRunner().invoke(main, ["graph", str(EXAMPLES / "welcome"), "--format", "html"])
    assert done.exit_code == 0
    page.write_text(done.output, encoding="utf-8")
    check = checked(page, WIDTHS["laptop"])
    assert check["problems"] == [] and check["boxes"] >= 13, check
    shot = artefacts(tmp_path) / "welcome-graph.png"
    chromium(f"--screenshot={shot}", page.as_uri(), width=WIDTHS["laptop"])
    assert png_size(shot)[0] == WIDTHS["laptop"]


def test_a_campaign_report_reads_well(tmp_path):
    page = tmp_path / "campaign-report.html"
    done = CliRunner().invoke(main, ["run", str(EXAMPLES / "and-join-campaign"), "--html",
                                     str(page)])
    assert done.exit_code == 0, done.output
    for name, width in WIDTHS.items():
        check = checked(page, width)
        assert check["problems"] == [] and check["svgs"] == 1, check
        shot = artefacts(tmp_path) / f"campaign-report-{name}.png"
        chromium(f"--screenshot={shot}", page.as_uri(), width=width)
        assert png_size(shot) == (width, 2000)
