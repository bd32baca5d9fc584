"""A flow as text for other tools: its boxes and its edges, flattened (flatten), written in
Mermaid's flowchart syntax (to_mermaid) or in Graphviz's DOT (to_dot)."""

from __future__ import annotations

from .model import Box, Flow

CHOICES = ("if", "split", "fork", "join")


def flatten(flow: Flow) -> tuple[list[tuple[str, Box]], list[tuple[str, str, str]]]:
    """The boxes, each with an id (`n0`, `n1`, … in the order of the flow), and the edges
    between them (from, to, label); an arm's label is on the edge it leaves its box by."""
    boxes: list[tuple[str, Box]] = []
    edges: list[tuple[str, str, str]] = []

    def add(box: Box, incoming) -> str:
        name = f"n{len(boxes)}"
        boxes.append((name, box))
        edges.extend((source, name, label) for source, label in incoming)
        return name

    def connect(items, incoming):
        for item in items:
            if isinstance(item, Box):
                name = add(item, incoming)
                incoming = [(name, "")] if item.kind != "end" and item.statement != "exit" else []
                continue
            head = add(item.head, incoming)
            ends = []
            for arm in item.arms:
                out = connect(arm.body, [(head, arm.label)])
                if arm.leads_on:
                    ends.extend(out)
            if item.join is not None:
                incoming = [(add(item.join, ends), "")]
            else:
                incoming = ends
        return incoming

    connect(flow.items, [])
    return boxes, edges


def to_mermaid(flow: Flow) -> str:
    boxes, edges = flatten(flow)
    out = ["flowchart LR", f"    %% {_mermaid(flow.title)}"]
    shapes = {"entry": '(["{}"])', "end": '(("end"))', "choice": '{{{{"{}"}}}}',
              "statement": '["{}"]'}
    for name, box in boxes:
        text = "<br/>".join(_mermaid(line) for line in box.lines)
        out.append(f"    {name}" + shapes[_shape(box)].format(text))
    for source, target, label in edges:
        shown = f'|"{_mermaid(label)}"|' if label else ""
        out.append(f"    {source} -->{shown} {target}")
    return "\n".join(out) + "\n"


def _shape(box) -> str:
    """How a box is drawn: the entry, an end, a choice (a branching statement), a statement."""
    if box.kind in ("entry", "end"):
        return box.kind
    return "choice" if box.statement in CHOICES else "statement"


def _mermaid(text: str) -> str:
    """Text inside a quoted Mermaid label: its specials as entity codes."""
    return (text.replace("#", "#35;").replace('"', "#quot;").replace("<", "#lt;")
            .replace(">", "#gt;").replace("\n", " "))


def to_dot(flow: Flow) -> str:
    boxes, edges = flatten(flow)
    out = [f"digraph {_dot(flow.title)} {{",
           "    rankdir=LR;",
           '    node [shape=box, style="rounded,filled", fillcolor="#ffffff", '
           'fontname="Helvetica", fontsize=11];',
           '    edge [fontname="Helvetica", fontsize=10, color="#7b8794"];']
    shapes = {"entry": '[label={}, fillcolor="#e6f4ea"]',
              "end": '[label="", shape=circle, width=0.18, fillcolor="#56606b"]',
              "choice": '[label={}, fillcolor="#fff6e0"]', "statement": "[label={}]"}
    for name, box in boxes:
        attributes = shapes[_shape(box)]
        out.append(f"    {name} " + (attributes.format(_dot("\n".join(box.lines)))
                                      if "{}" in attributes else attributes) + ";")
    for source, target, label in edges:
        shown = f" [label={_dot(label)}]" if label else ""
        out.append(f"    {source} -> {target}{shown};")
    out.append("}")
    return "\n".join(out) + "\n"


def _dot(text: str) -> str:
    """A DOT string: quoted, its backslashes and quotes escaped, its line breaks as \\n."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
