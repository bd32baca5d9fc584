"""A self-contained HTML page (inline style, no script, no font or image from the network) that
reads at laptop and phone widths and prints: the frame of diagrams and reports."""

from __future__ import annotations

from html import escape

from .layout import FONT_FAMILY

STYLE = f"""
:root {{ color-scheme: light; }}
* {{ box-sizing: border-box; }}
body {{ margin: 0; padding: 1.25rem; font-family: {FONT_FAMILY}; font-size: 15px;
       line-height: 1.45; color: #1d232a; background: #f7f8fa; }}
main {{ max-width: 100rem; margin: 0 auto; }}
h1 {{ font-size: 1.45rem; margin: 0 0 .5rem; overflow-wrap: anywhere; }}
h2 {{ font-size: 1.2rem; margin: 2rem 0 .5rem; padding-top: .75rem; border-top: 2px solid #d5dae0;
      overflow-wrap: anywhere; }}
h3 {{ font-size: 1rem; margin: 1.25rem 0 .4rem; }}
.muted {{ color: #5b6570; font-weight: normal; }}
.header {{ display: flex; flex-wrap: wrap; gap: .4rem 1.25rem; margin: 0 0 1rem; padding: 0;
           list-style: none; color: #3d4852; }}
.note {{ color: #8a5a00; }}
.diagram {{ overflow-x: auto; background: #ffffff; border: 1px solid #d5dae0; border-radius: 6px;
            padding: .25rem; margin: .5rem 0 1rem; }}
.diagram svg {{ display: block; max-width: none; }}
.figures {{ display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 21rem), 1fr));
            gap: .5rem 1.5rem; }}
.table {{ overflow-x: auto; max-width: 100%; }}
table {{ border-collapse: collapse; margin: 0 0 .75rem; background: #ffffff; }}
th, td {{ text-align: left; padding: .3rem .6rem; border-bottom: 1px solid #e3e7eb;
          vertical-align: top; }}
th {{ font-size: .85rem; color: #3d4852; background: #eef1f4; }}
td.n, th.n {{ text-align: right; font-variant-numeric: tabular-nums; }}
td.n {{ white-space: nowrap; }}
td.code {{ font-family: ui-monospace, 'DejaVu Sans Mono', monospace; font-size: .85rem;
           overflow-wrap: break-word; word-break: normal; }}
.figures table {{ width: 100%; }}
tr.never td {{ color: #c62828; }}
.bad {{ color: #c62828; font-weight: bold; }}
@media (max-width: 40rem) {{
  body {{ padding: .6rem; font-size: 14px; }}
  th, td {{ padding: .25rem .4rem; }}
  td.code {{ font-size: .78rem; }}
}}
@media print {{
  body {{ background: #ffffff; padding: 0; font-size: 11pt; }}
  .diagram {{ overflow: visible; border: none; padding: 0; }}
  .diagram svg {{ max-width: 100%; height: auto; }}
  h2 {{ break-before: page; }}
  h2:first-of-type {{ break-before: auto; }}
  table, .diagram, tr {{ break-inside: avoid; }}
}}
"""


def page(title: str, body: str) -> str:
    """The page around `body` (HTML), with `title` (text)."""
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>{escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n"
            f"<body>\n<main>\n{body}\n</main>\n</body>\n</html>\n")
