"""Rules about a journey's shape: its entry and properties, fork and join, split, `exit`,
`on timeout`."""

from __future__ import annotations

from ... import nodes as n
from ..context import Context
from ..rule import loops, repeats, rule, suggest, warning

_PROPERTY_WORDS = {n.Reentry: "reentry", n.Timeout: "timeout", n.Timezone: "timezone",
                   n.Holdout: "holdout", n.ExitOnEvent: "exit on event", n.ExitWhen: "exit when",
                   n.EntryCap: "cap entries"}
_REPEATABLE = (n.ExitOnEvent, n.ExitWhen)


@rule("J401")
def missing_entry(context: Context):
    """A journey has an entry: `on event NAME` or `read audience NAME`."""
    for journey in context.journeys:
        if isinstance(journey, n.Campaign) and not journey.entries:
            yield journey.span, (f'campaign "{journey.name}" has no entry: start it with '
                                 "`read audience NAME`")
        elif not journey.entries:
            yield journey.span, (f'journey "{journey.name}" has no entry: start it with '
                                 "`on event NAME` or `read audience NAME`")


@rule("J402")
def several_entries(context: Context):
    """A journey has exactly one entry."""
    for journey in context.journeys:
        first, *others = journey.entries or (None,)
        for other in others:
            yield other.span, "a journey has exactly one entry", (("the entry is here", first.span),)


@rule("J403")
def header_order(context: Context):
    """Properties come before the entry."""
    for journey in context.journeys:
        entry = journey.entry
        for item in journey.properties:
            if entry is not None and item.span.start > entry.span.start:
                yield item.span, f"`{_word(item)}` is a property: write it before the entry", (
                    ("the entry is here", entry.span),)


def _word(item) -> str:
    return _PROPERTY_WORDS.get(type(item), "on event" if isinstance(item, n.EventEntry)
                               else "read audience")


@rule("J404")
def repeated_property(context: Context):
    """`reentry`, `timeout`, `timezone` and `holdout` are each given at most once."""
    for journey in context.journeys:
        seen: dict = {}
        for item in journey.properties:
            if isinstance(item, _REPEATABLE):
                continue
            kind = type(item)
            if kind in seen:
                yield item.span, f"`{_word(item)}` is given twice", (("first given here", seen[kind]),)
            else:
                seen[kind] = item.span


@rule("J405")
def duplicate_branch(context: Context):
    """The branches of a fork have different names."""
    for _, statement in context.statements_of(n.Fork):
        names = ((branch.name.name, branch.name) for branch in statement.branches)
        for ident, first in repeats(names):
            yield ident.span, f"two branches are named `{ident.name}`", (
                ("the other one", first.span),)


def _joins(context: Context):
    """(fork or None, join) for every `join`, the fork being the statement right before it."""
    for block in context.blocks:
        previous = None
        for statement in block.statements:
            if isinstance(statement, n.Join):
                yield (previous if isinstance(previous, n.Fork) else None), statement
            previous = statement


@rule("J406")
def join_without_fork(context: Context):
    """A `join` comes directly after the `fork` whose branches it joins."""
    for fork, join in _joins(context):
        if fork is None:
            yield join.span, "`join` must come directly after a `fork`"


@rule("J407")
def join_unknown_branch(context: Context):
    """A `join` names only branches of its fork, each once."""
    for fork, join in _joins(context):
        if fork is None:
            continue
        names = list(dict.fromkeys(branch.name.name for branch in fork.branches))
        seen = set()
        for ident in join.branches:
            if ident.name not in names:
                hint, fix = suggest(ident.name, names, ident.span)
                yield ident.span, (f"the fork has no branch `{ident.name}`{hint} (its branches: "
                                   f"{', '.join(names)})"), (("the fork", fork.span),), fix
            elif ident.name in seen:
                yield ident.span, f"`{ident.name}` is joined twice"
            seen.add(ident.name)


@rule("J408")
def primary_not_joined(context: Context):
    """`primary NAME` names one of the branches the `join` waits for."""
    for _, join in _joins(context):
        joined = [ident.name for ident in join.branches]
        if join.primary is not None and join.primary.name not in joined:
            hint, fix = suggest(join.primary.name, joined, join.primary.span)
            yield join.primary.span, (f"the primary branch `{join.primary.name}` is not joined"
                                      f"{hint}: add it to `join {', '.join(joined)}`"), (), fix


@rule("J409")
def fork_without_join(context: Context):
    """Statements after a `fork` need a `join` first: otherwise which branches go on is unclear."""
    for block in context.blocks:
        for index, statement in enumerate(block.statements[:-1]):
            following = block.statements[index + 1]
            if isinstance(statement, n.Fork) and not isinstance(following, n.Join):
                yield following.span, ("statements after a `fork` need a `join` naming the "
                                       "branches that go on"), (("the fork", statement.span),)


@rule("J410")
def split_percentages(context: Context):
    """The arms of a `split` have percentages above 0 that sum to 100."""
    for _, statement in context.statements_of(n.Split):
        for arm in statement.arms:
            if arm.percent <= 0:
                yield arm.span, "a split arm needs a percentage above 0%"
        total = sum(arm.percent for arm in statement.arms)
        if abs(total - 100) > 1e-9:
            yield statement.span, (f"the split's percentages sum to {total:g}%, not 100%: "
                                   "adjust them so every profile takes an arm")


@warning("J411")
def unreachable_after_exit(context: Context):
    """Statements after `exit` in the same block never run (a warning)."""
    for block in context.blocks:
        for index, statement in enumerate(block.statements[:-1]):
            if isinstance(statement, n.Exit):
                following = block.statements[index + 1]
                yield following.span, "unreachable: `exit` above ends the journey", (
                    ("the exit", statement.span),)
                break


@rule("J412")
def timeout_without_within(context: Context):
    """`on timeout` needs `within DURATION`: without it, the wait lasts until the journey's
    timeout ends the instance, and the block could never run."""
    for _, statement in context.statements_of(n.WaitForEvent):
        if statement.on_timeout is not None and statement.within is None:
            yield statement.span, ("`on timeout` needs `within DURATION` on the wait: add "
                                   "`within 7d`, say, or remove the `on timeout` block")


@rule("J413")
def empty_fork(context: Context):
    """A `fork` has at least one branch."""
    for _, statement in context.statements_of(n.Fork):
        if not statement.branches:
            yield statement.span, "this fork has no branch: add `branch NAME { … }`, or remove it"


@rule("J420")
def repeated_action_setting(context: Context):
    """An action's `rate`, `cap` and `response` are each given at most once."""
    for program in context.programs:
        for decl in program.actions:
            for item, first in repeats((type(item), item) for item in decl.settings):
                word = {n.Rate: "rate", n.ActionCap: "cap"}.get(type(item), "response")
                yield (item.span, f"`{word}` is given twice in action `{decl.name.name}`",
                       (("first given here", first.span),))


@rule("J421")
def jump_into_audience_journey(context: Context):
    """A jump goes into a journey entered by an event (`on event`), never into one entered by
    an audience read."""
    entered_by_audience = {journey.name for journey in context.journeys
                           if isinstance(journey.entry, n.AudienceEntry)}
    for _, jump in context.statements_of(n.Jump):
        if jump.target.name in entered_by_audience:
            yield jump.span, (f"journey `{jump.target.name}` is entered by an audience read: a "
                              "jump can only go into a journey that starts with `on event`")


@rule("J422")
def jump_from_audience_journey(context: Context):
    """A journey entered by an audience read (`read audience`) cannot jump."""
    for journey, jump in context.statements_of(n.Jump):
        if isinstance(journey.entry, n.AudienceEntry) and not isinstance(journey, n.Campaign):
            yield jump.span, (f"journey `{journey.name}` is entered by an audience read: it "
                              "cannot jump into another journey")


@rule("J423")
def jump_loop(context: Context):
    """Jumps never lead back to the journey they start from (a journey that jumps to itself,
    or A → B → A): reported at the jump that closes the loop, with the loop named."""
    targets: dict[str, list] = {}
    for journey, jump in context.statements_of(n.Jump):
        targets.setdefault(journey.name, []).append(jump)
    for jump, loop in loops(targets, lambda jump: jump.target.name):
        names = " → ".join(f"`{name}`" for name in loop)
        yield jump.span, f"this jump closes a loop of jumps: {names}"
