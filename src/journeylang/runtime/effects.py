"""The statements that act on the world: `send` (with consent) and `set`, each after the
journey's exit criteria (`exit when`), which are checked before every one of them and before
every `call` (actions.py)."""

from __future__ import annotations

from .. import nodes as n
from ..core.values import to_json
from . import records as r

EMPTY: dict = {}


def exit_criteria(c, node_id: str):
    """A check `leaves(thread)` that ends the instance when an `exit when` holds (None when the
    journey has none)."""
    holds, finish = c.version.exit_when, c.rt.instances.finish
    if holds is None:
        return None

    def leaves(thread) -> bool:
        if holds(thread):
            finish(thread.instance, "exit_criteria", node_id)
            return True
        return False

    return leaves


def compile_send(c, node: n.Send, k):
    reached, index, node_id = c.reach(node)
    clock, record, version = c.rt.clock, c.rt.record, c.version
    channel, message = node.channel, node.message
    payload = c.optional(node_id, node.data)
    leaves = exit_criteria(c, node_id)
    counts = version.tally.message(channel, message)  # [sent, suppressed: consent, capped]
    behaviours = c.rt.outside.behaviours_for(channel, message)
    react = c.rt.outside.react
    delivers = c.rt.caps.of(channel)  # None when no cap counts this channel

    def suppress(thread, reason: str, which: int):
        counts[which] += 1
        if record is not None:
            instance = thread.instance
            record(r.Suppress(clock.now, version.name, version.version, instance.profile_id,
                              instance.number, node_id, channel, message, reason))
        return k(thread)

    def send(thread):
        reached[index] += 1
        if leaves is not None and leaves(thread):
            return None
        instance = thread.instance
        consent = instance.profile.get("consent")  # (most profiles have none: no call then)
        if consent is not None and isinstance(consent, dict) and consent.get(channel) is False:
            return suppress(thread, "consent", 1)
        if delivers is not None and not delivers(instance.profile_id, clock.now):
            return suppress(thread, "capped", 2)
        data = EMPTY if payload is None else payload(thread)  # rendered for every delivery
        counts[0] += 1
        if record is not None:
            record(r.Send(clock.now, version.name, version.version, instance.profile_id,
                          instance.number, node_id, channel, message,
                          {} if data is EMPTY else to_json(data)))
        if behaviours:
            react(instance, node_id, behaviours, channel, message)
        return k(thread)

    return send


def compile_set(c, node: n.SetProfile, k):
    reached, index, node_id = c.reach(node)
    clock, record, version = c.rt.clock, c.rt.record, c.version
    names = node.path
    value = c.guarded(node_id, node.value)
    leaves = exit_criteria(c, node_id)
    dotted = "profile." + ".".join(names)
    changed = c.rt.changed.add if c.rt.changed is not None else None  # (a shard's only)

    def set_profile(thread):
        reached[index] += 1
        if leaves is not None and leaves(thread):
            return None
        instance = thread.instance
        new = value(thread)
        target = instance.profile
        for name in names[:-1]:
            inner = target.get(name)
            if not isinstance(inner, dict):
                inner = target[name] = {}
            target = inner
        target[names[-1]] = new
        if changed is not None:
            changed(instance.profile_id)
        if record is not None:
            record(r.Update(clock.now, version.name, version.version, instance.profile_id,
                            instance.number, node_id, dotted, to_json(new)))
        return k(thread)

    return set_profile


STATEMENTS = {n.Send: compile_send, n.SetProfile: compile_set}
