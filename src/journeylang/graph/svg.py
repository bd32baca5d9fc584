"""A laid-out flow as one SVG document: boxes, edges with arrows, edge labels, in a style of its
own (no font or script from outside)."""

from __future__ import annotations

from typing import Callable

from .layout import FONT_FAMILY, FONT_SIZE, LABEL_HEIGHT, LABEL_SIZE, LINE, PAD_X, PAD_Y, Drawing

_KINDS = {"if": "choice", "split": "choice", "fork": "choice", "join": "choice",
          "wait": "wait", "wait until": "wait", "wait for event": "wait", "exit": "stop"}

STYLE = f"""
.jg {{ font-family: {FONT_FAMILY}; font-size: {FONT_SIZE}px; }}
.jg .box rect {{ fill: #ffffff; stroke: #56606b; stroke-width: 1.2; }}
.jg .entry rect {{ fill: #e6f4ea; stroke: #2f7d46; }}
.jg .choice rect {{ fill: #fff6e0; stroke: #a8770f; }}
.jg .wait rect {{ fill: #e8f0fb; stroke: #3b6db3; }}
.jg .stop rect {{ fill: #f4e4e4; stroke: #9c3b3b; }}
.jg .end circle {{ fill: #56606b; stroke: #56606b; }}
.jg .never rect {{ stroke: #c62828; stroke-dasharray: 4 3; }}
.jg .box text {{ fill: #1d232a; }}
.jg .box .title {{ font-weight: bold; }}
.jg .box .count {{ fill: #3d4852; }}
.jg .box .problem {{ fill: #c62828; font-weight: bold; }}
.jg .edge {{ fill: none; stroke: #7b8794; stroke-width: 1.2; }}
.jg .label rect {{ fill: #ffffff; opacity: 0.9; }}
.jg .label text {{ font-size: {LABEL_SIZE}px; fill: #374151; }}
.jg .merge {{ fill: #7b8794; }}
"""

Annotate = Callable[[object], dict[str, str]]


def render_svg(drawing: Drawing, title: str, annotate: Annotate | None = None,
               line_class: Callable[[object, int, str], str] | None = None) -> str:
    """The SVG text of a drawing. `annotate(box)` gives extra attributes (data-…) and classes
    of a box's group; `line_class(box, index, line)` the class of one of its lines."""
    from xml.sax.saxutils import escape, quoteattr  # here: it brings urllib and http (10 MiB)
    width, height = round(drawing.width), round(drawing.height)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="jg" width="{width}" '
           f'height="{height}" viewBox="0 0 {width} {height}" role="img" '
           f'aria-label={quoteattr(title)}>',
           f"<title>{escape(title)}</title>",
           f"<style>{STYLE}</style>",
           '<defs><marker id="jg-arrow" viewBox="0 0 10 10" refX="10" refY="5" '
           'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
           '<path d="M0,0 L10,5 L0,10 z" fill="#7b8794"/></marker></defs>']
    for points, arrow in drawing.edges:
        path = " ".join(f"{'M' if i == 0 else 'L'}{_n(x)},{_n(y)}" for i, (x, y) in enumerate(points))
        marker = ' marker-end="url(#jg-arrow)"' if arrow else ""
        out.append(f'<path class="edge" d="{path}"{marker}/>')
    for x, y in drawing.merges:
        out.append(f'<circle class="merge" cx="{_n(x)}" cy="{_n(y)}" r="2.5"/>')
    for label in drawing.labels:
        kind = f'label" data-way="{label.way}' if label.way >= 0 else "label into"
        out.append(f'<g class="{kind}" data-statement={quoteattr(label.statement)}>'
                   f'<rect x="{_n(label.x - 2)}" y="{_n(label.y)}" width="{_n(label.width + 4)}" '
                   f'height="{LABEL_HEIGHT}" rx="3"/>'
                   f'<text x="{_n(label.x)}" y="{_n(label.y + LABEL_HEIGHT - 3)}">'
                   f"{escape(label.text)}</text></g>")
    for placed in drawing.boxes:
        box = placed.box
        extra = dict(annotate(box)) if annotate else {}
        classes = ["box", box.kind if box.kind != "statement" else _KINDS.get(box.statement, "act")]
        classes += extra.pop("class", "").split()
        attributes = "".join(f" {name}={quoteattr(value)}" for name, value in extra.items())
        out.append(f'<g class="{" ".join(classes)}" data-node={quoteattr(box.key)}{attributes}>')
        if box.kind == "end":
            radius = placed.width / 2
            out.append(f'<circle cx="{_n(placed.x + radius)}" cy="{_n(placed.y + radius)}" '
                       f'r="{_n(radius)}"><title>end</title></circle></g>')
            continue
        out.append(f'<rect x="{_n(placed.x)}" y="{_n(placed.y)}" width="{_n(placed.width)}" '
                   f'height="{_n(placed.height)}" rx="6"/>')
        for index, line in enumerate(placed.lines):
            kind = line_class(box, index, line) if line_class else ""
            kind = kind or ("title" if index == 0 and box.kind != "entry" else "")
            css = f' class="{kind}"' if kind else ""
            baseline = placed.y + PAD_Y + LINE * index + LINE - 4
            out.append(f'<text x="{_n(placed.x + PAD_X)}" y="{_n(baseline)}"{css}>'
                       f"{escape(line)}</text>")
        out.append("</g>")
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _n(value: float) -> str:
    """A coordinate, rounded to a tenth, without a trailing .0."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text
