"""A flow laid out left to right by nested boxes: a sequence puts its items side by side on one
line, a branching stacks its arms below its first one; text is measured with a width table,
so every box and label gets the room its text needs and nothing overlaps."""

from __future__ import annotations

import unicodedata
from typing import Callable

import attrs

from .model import Arm, Box, Branching, Flow

FONT_FAMILY = "Helvetica, Arial, 'Liberation Sans', 'DejaVu Sans', sans-serif"
FONT_SIZE = 12  # px, the boxes' text
LABEL_SIZE = 11  # px, the edges' labels
LINE = 16  # px between two lines of a box
PAD_X, PAD_Y = 10, 6  # inside a box
GAP = 32  # the edge between two items of a sequence
TRUNK = 14  # from a branching's box to the line its arms leave from, and from its merge to the join
ARM_GAP = 14  # between two arms
LABEL_PAD = 6  # around an edge's label
LABEL_HEIGHT = 14
END_SIZE = 14  # the circle at the end of a path
MARGIN = 12
SAFETY = 1.12  # measured widths are widened: the browser's fallback fonts may run wider

# Advance widths of Helvetica (and of Arial, Liberation Sans), in thousandths of the font size,
# for the printable ASCII characters from the space on.
_WIDTHS = (
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584)


def text_width(text: str, size: float = FONT_SIZE, bold: bool = False) -> float:
    """The width in px that `text` takes at `size`, a little more than any of the font stack
    gives it (wide East Asian characters count a full em, other characters beyond ASCII as
    wide as an `M`)."""
    total = 0
    for char in text:
        code = ord(char)
        if 32 <= code < 127:
            total += _WIDTHS[code - 32]
        elif unicodedata.east_asian_width(char) in ("W", "F"):
            total += 1000
        elif unicodedata.combining(char):
            continue
        else:
            total += 833
    return total / 1000 * size * SAFETY * (1.08 if bold else 1.0)


@attrs.define
class PlacedBox:
    box: Box
    x: float
    y: float
    width: float
    height: float
    lines: list[str]


@attrs.define
class PlacedLabel:
    text: str
    x: float
    y: float
    width: float
    height: float
    statement: str  # the key of the statement whose way out it labels, or that it leads into
    way: int  # the way out, or -1 for the edge of a sequence leading into the statement


@attrs.define
class Drawing:
    """What the SVG draws: boxes, edge labels, edges (polylines, those ending in an arrow
    marked so), merge points, and the size of it all."""

    width: float = 0
    height: float = 0
    boxes: list[PlacedBox] = attrs.Factory(list)
    labels: list[PlacedLabel] = attrs.Factory(list)
    edges: list[tuple[list[tuple[float, float]], bool]] = attrs.Factory(list)
    merges: list[tuple[float, float]] = attrs.Factory(list)


LinesOf = Callable[[Box], list[str]]
LabelOf = Callable[[Box, int, str], str]
IntoOf = Callable[[Box], "str | None"]


def lay_out(flow: Flow, lines_of: LinesOf | None = None, label_of: LabelOf | None = None,
            into: IntoOf | None = None) -> Drawing:
    """The drawing of a flow. `lines_of(box)` gives a box's lines (default: its own),
    `label_of(head, way, label)` a way out's label (default: the label) and `into(box)` the
    label of the edge of a sequence that leads into `box` (default: none), so that a report can
    add its counts and have them measured like the rest."""
    lines_of = lines_of or (lambda box: list(box.lines))
    label_of = label_of or (lambda head, way, label: label)
    into = into or (lambda box: None)
    block = _sequence(flow.items, lines_of, label_of, into)
    drawing = Drawing(block.width + 2 * MARGIN, block.height + 2 * MARGIN)
    block.place(MARGIN, MARGIN, drawing)
    return drawing


class _BoxBlock:
    def __init__(self, box: Box, lines: list[str]):
        self.box, self.lines = box, lines
        if box.kind == "end":
            self.width = self.height = END_SIZE
        else:
            self.width = max(text_width(line, bold=index == 0 and box.kind != "entry")
                             for index, line in enumerate(lines)) + 2 * PAD_X
            self.height = len(lines) * LINE + 2 * PAD_Y
        self.port = self.height / 2
        self.leads_on = box.kind != "end" and box.statement != "exit"

    def place(self, x: float, y: float, drawing: Drawing) -> None:
        drawing.boxes.append(PlacedBox(self.box, x, y, self.width, self.height, self.lines))


class _SequenceBlock:
    def __init__(self, blocks: list, labels: list):
        self.blocks = blocks
        self.labels = labels  # per edge between two blocks: its label, or None
        self.gaps = [GAP if label is None else max(GAP, text_width(label, LABEL_SIZE)
                                                   + 2 * LABEL_PAD) for label in labels]
        labelled = any(label is not None for label in labels)
        self.port = max([b.port for b in blocks] + ([LABEL_HEIGHT + 4] if labelled else []),
                        default=0)
        self.height = max((self.port - b.port + b.height for b in blocks), default=0)
        self.width = sum(b.width for b in blocks) + sum(self.gaps)
        self.leads_on = all(b.leads_on for b in blocks)

    def place(self, x: float, y: float, drawing: Drawing) -> None:
        line = y + self.port
        for index, block in enumerate(self.blocks):
            block.place(x, line - block.port, drawing)
            x += block.width
            if index + 1 < len(self.blocks):
                gap, label = self.gaps[index], self.labels[index]
                if block.leads_on:
                    drawing.edges.append(([(x, line), (x + gap, line)], True))
                    if label is not None:
                        width = text_width(label, LABEL_SIZE)
                        drawing.labels.append(PlacedLabel(
                            label, x + (gap - width) / 2, line - 3 - LABEL_HEIGHT, width,
                            LABEL_HEIGHT, _first_box(self.blocks[index + 1]).key, -1))
                x += gap


def _first_box(block) -> Box:
    return block.head.box if isinstance(block, _BranchingBlock) else block.box


def _sequence(items: list, lines_of: LinesOf, label_of: LabelOf, into: IntoOf) -> _SequenceBlock:
    blocks = []
    for item in items:
        if isinstance(item, Branching):
            blocks.append(_BranchingBlock(item, lines_of, label_of, into))
        else:
            blocks.append(_BoxBlock(item, lines_of(item)))
    labels = [into(_first_box(after)) if before.leads_on else None
              for before, after in zip(blocks, blocks[1:])]
    return _SequenceBlock(blocks, labels)


class _ArmRow:
    """One arm: its label on the edge it leaves by, then its flow."""

    def __init__(self, arm: Arm, label: str, way: int, lines_of: LinesOf, label_of: LabelOf,
                 into: IntoOf):
        self.arm, self.label, self.way = arm, label, way
        self.body = _sequence(arm.body, lines_of, label_of, into)
        self.label_width = text_width(label, LABEL_SIZE)
        self.lead = max(self.label_width + 2 * LABEL_PAD, GAP)
        self.port = max(self.body.port, LABEL_HEIGHT + 4)  # room above the line for the label
        self.height = max(self.port + self.body.height - self.body.port, self.port + 4)
        self.width = self.lead + self.body.width + (GAP / 2 if arm.leads_on and arm.body else 0)


class _BranchingBlock:
    def __init__(self, item: Branching, lines_of: LinesOf, label_of: LabelOf, into: IntoOf):
        self.item = item
        self.head = _BoxBlock(item.head, lines_of(item.head))
        self.rows = [_ArmRow(arm, label_of(item.head, way, arm.label), way, lines_of, label_of,
                             into) for way, arm in enumerate(item.arms)]
        self.join = _BoxBlock(item.join, lines_of(item.join)) if item.join else None
        self.leads_on = item.leads_on
        arms_height = sum(row.height for row in self.rows) + ARM_GAP * (len(self.rows) - 1)
        first = self.rows[0].port
        self.port = max(first, self.head.port, self.join.port if self.join else 0)
        self.rows_top = self.port - first
        self.arms_width = max(row.width for row in self.rows)
        self.width = self.head.width + TRUNK + self.arms_width
        if self.join is not None:
            self.width += TRUNK + self.join.width
        self.height = max(self.rows_top + arms_height, self.port + self.head.height - self.head.port,
                          self.port + (self.join.height - self.join.port if self.join else 0))

    def place(self, x: float, y: float, drawing: Drawing) -> None:
        line = y + self.port
        self.head.place(x, line - self.head.port, drawing)
        split = x + self.head.width + TRUNK
        merge = split + self.arms_width
        drawing.edges.append(([(x + self.head.width, line), (split, line)], False))
        row_y = y + self.rows_top
        merging = False
        for row in self.rows:
            port = row_y + row.port
            start = split + row.lead
            drawing.labels.append(PlacedLabel(
                row.label, split + LABEL_PAD, port - 3 - LABEL_HEIGHT, row.label_width,
                LABEL_HEIGHT, self.item.head.key, row.way))
            if row.arm.body:
                drawing.edges.append(([(split, line), (split, port), (start, port)], True))
                row.body.place(start, port - row.body.port, drawing)
                if row.arm.leads_on:
                    drawing.edges.append(([(start + row.body.width, port), (merge, port),
                                           (merge, line)], False))
            elif row.arm.leads_on:  # an empty arm goes straight to the merge
                drawing.edges.append(([(split, line), (split, port), (merge, port),
                                       (merge, line)], False))
            merging = merging or row.arm.leads_on
            row_y += row.height + ARM_GAP
        if self.join is not None:
            join_x = merge + TRUNK
            drawing.edges.append(([(merge, line), (join_x, line)], True))
            self.join.place(join_x, line - self.join.port, drawing)
        elif merging:
            drawing.merges.append((merge, line))
