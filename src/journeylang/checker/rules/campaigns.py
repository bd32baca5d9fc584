"""Rules about orchestrated campaigns (docs/campaigns.md): what a campaign cannot hold, what
only a campaign can, and the audiences campaigns save."""

from __future__ import annotations

from ... import nodes as n
from ..context import Context
from ..rule import rule
from ..sites import walk

CAMPAIGN_CHANNELS = ("email", "sms", "push")

_NOT_IN_A_CAMPAIGN = {
    n.EventEntry: ("`on event`", "a campaign reads its population: `read audience NAME`"),
    n.Reentry: ("`reentry`", "a profile may be in several executions at once"),
    n.ExitOnEvent: ("`exit on event`", "a campaign does not listen to events"),
    n.EntryCap: ("`cap entries`", "each execution takes the whole population it reads"),
    n.WaitForEvent: ("`wait for event`", "a population waits for a time, not for each "
                                         "member's event: use a journey for that"),
    n.Jump: ("`jump`", "a campaign's population stays together"),
}

_SET_ACTIVITIES = {  # the words, and what a journey writes instead
    n.Keep: ("keep where", "use an `if`"),
    n.ExcludeAudience: ("exclude audience", "use `if not (profile in audience NAME)`"),
    n.IntersectAudience: ("intersect audience", "use `if profile in audience NAME`"),
    n.SaveAudience: ("save audience", "write a `campaign` to save a population"),
}


def campaigns(context: Context) -> list[n.Campaign]:
    return [journey for journey in context.journeys if isinstance(journey, n.Campaign)]


@rule("J801")
def not_in_a_campaign(context: Context):
    """A campaign moves a population read from an audience: it has no `on event`, `reentry`,
    `exit on event`, `cap entries`, `wait for event` or `jump`."""
    for campaign in campaigns(context):
        for node in (*campaign.header, *context.statements_in(campaign)):
            found = _NOT_IN_A_CAMPAIGN.get(type(node))
            if found is not None:
                what, why = found
                yield node.span, f"a campaign cannot hold {what}: {why}"


@rule("J802")
def campaign_channel(context: Context):
    """A campaign sends by email, SMS and push; `inapp` and `whatsapp` are a journey's."""
    for campaign in campaigns(context):
        for node in context.statements_in(campaign):
            if isinstance(node, n.Send) and node.channel not in CAMPAIGN_CHANNELS:
                yield node.span, (f"a campaign cannot send by `{node.channel}`: it sends by "
                                  "`email`, `sms` and `push`")


@rule("J803")
def campaign_read_rate(context: Context):
    """A campaign's read takes its whole population at the read's instant: no `rate`."""
    for campaign in campaigns(context):
        entry = campaign.entry
        if isinstance(entry, n.AudienceEntry) and entry.rate is not None:
            yield entry.rate.span, ("a campaign's read takes every member at once: leave out "
                                    "`rate` (a throttled `action` paces calls instead)")


@rule("J804")
def wait_until_per_member(context: Context):
    """A campaign's `wait until` names one instant for the whole population: it cannot depend
    on the profile, the `let` names or the audiences."""
    for campaign in campaigns(context):
        for node in context.statements_in(campaign):
            if isinstance(node, n.WaitUntil):
                personal = next((part for part in walk(node.target)
                                 if isinstance(part, (n.Path, n.InAudience))), None)
                if personal is not None:
                    yield personal.span, ("a campaign's `wait until` is one instant for the "
                                          "whole population: it cannot depend on a member "
                                          "(write a date-time or a time of day)")


@rule("J805")
def set_activity_outside_campaign(context: Context):
    """`keep where`, `exclude audience`, `intersect audience` and `save audience` act on a
    population: only a campaign takes them."""
    for journey, node in context.statements_of(*_SET_ACTIVITIES):
        if not isinstance(journey, n.Campaign):
            word, hint = _SET_ACTIVITIES[type(node)]
            yield node.span, f"`{word}` is a campaign's set activity: in a journey, {hint}"


@rule("J806")
def audience_saved_twice(context: Context):
    """One campaign saves an audience (several `save` statements of it may); a declared
    audience, defined by its condition, is never saved into."""
    savers: dict[str, n.Campaign] = {}
    declared = {decl.name.name: decl for decl in context.audience_decls}
    for campaign in campaigns(context):
        for node in context.statements_in(campaign):
            if not isinstance(node, n.SaveAudience):
                continue
            name = node.audience.name
            if name in declared:
                yield node.audience.span, (
                    f"audience `{name}` is defined by a condition: a campaign saves only into "
                    "an audience of its own"), (("declared here", declared[name].span),)
                continue
            first = savers.setdefault(name, campaign)
            if first is not campaign:
                yield node.audience.span, (
                    f"audience `{name}` is saved by campaign \"{first.name}\" already: one "
                    "campaign saves an audience"), (("saved there", first.span),)


@rule("J807")
def campaign_name_taken(context: Context):
    """A campaign's name is its own: no other campaign or journey has it."""
    groups: dict[str, list[n.Journey]] = {}
    for journey in context.journeys:
        groups.setdefault(journey.name, []).append(journey)
    for name, group in groups.items():
        if len(group) < 2 or not any(isinstance(j, n.Campaign) for j in group):
            continue
        first = group[0]
        for other in group[1:]:
            yield other.span, (f'"{name}" names {_kind(first)} already: a campaign\'s name is '
                               "its own"), ((f"the {_kind(first)[2:]}", first.span),)


def _kind(journey: n.Journey) -> str:
    return "a campaign" if isinstance(journey, n.Campaign) else "a journey"
