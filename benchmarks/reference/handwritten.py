"""The reference journey written by hand in plain Python: a heap of timers, no interpretation.

This is the yardstick journeylang is measured against; it is meant to be as fast as plain,
idiomatic Python allows.
"""

from __future__ import annotations

import heapq

DAY = 86_400


def simulate(people: list[dict], signups: list[tuple[int, str]]) -> dict[str, list[int]]:
    """Run the journey; returns {message: [count, sum of send times]}."""
    by_id = {person["id"]: person for person in people}
    sends: dict[str, list[int]] = {}

    def send(message: str, time: int) -> None:
        tally = sends.get(message)
        if tally is None:
            tally = sends[message] = [0, 0]
        tally[0] += 1
        tally[1] += time

    timers: list[tuple[int, int, int, dict]] = []  # (time, sequence, step, profile)
    sequence = 0
    position, count = 0, len(signups)
    while position < count or timers:
        if position < count and (not timers or signups[position][0] <= timers[0][0]):
            time, who = signups[position]
            position += 1
            person = by_id[who]
            send("gold_welcome" if person["tier"] == "gold" else "welcome", time)
            sequence += 1
            heapq.heappush(timers, (time + DAY, sequence, 1, person))
            continue
        time, _, step, person = heapq.heappop(timers)
        if step == 1:
            send("tip", time)
            send("promo_fr" if person["country"] == "FR" else "promo", time)
            sequence += 1
            heapq.heappush(timers, (time + 2 * DAY, sequence, 2, person))
        else:
            send("followup", time)
    return sends
