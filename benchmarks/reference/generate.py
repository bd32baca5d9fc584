"""The reference workload's inputs: N seeded profiles and their N sign-up events.

Profile i (from 0) signs up at 2026-01-01T00:00:00Z + i seconds; tiers gold/silver/bronze with
probability .1/.3/.6, countries uniform over FR, DE, US, GB.
"""

from __future__ import annotations

import datetime
import json
import pathlib
import random
from typing import Iterator

START = int(datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc).timestamp())
TIERS, TIER_WEIGHTS = ("gold", "silver", "bronze"), (0.1, 0.3, 0.6)
COUNTRIES = ("FR", "DE", "US", "GB")


def profiles(count: int, seed: int = 0) -> list[dict]:
    draw = random.Random(seed)
    tiers = draw.choices(TIERS, TIER_WEIGHTS, k=count)
    countries = [draw.choice(COUNTRIES) for _ in range(count)]
    return [{"id": f"p{i:07d}", "tier": tier, "country": country}
            for i, (tier, country) in enumerate(zip(tiers, countries))]


def each_signup(people: list[dict]) -> Iterator[tuple[int, str]]:
    """(epoch second, profile id) of each sign-up, in time order, one at a time."""
    return ((START + i, person["id"]) for i, person in enumerate(people))


def signups(people: list[dict]) -> list[tuple[int, str]]:
    """(epoch second, profile id) of each sign-up, in time order."""
    return list(each_signup(people))


def write(directory: pathlib.Path, people: list[dict]) -> None:
    """profiles.jsonl and events.jsonl, as `journey run` reads them."""
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / "profiles.jsonl", "w", encoding="utf-8") as out:
        for person in people:
            out.write(json.dumps(person) + "\n")
    with open(directory / "events.jsonl", "w", encoding="utf-8") as out:
        for time, who in signups(people):
            stamp = datetime.datetime.fromtimestamp(time, datetime.timezone.utc)
            out.write(json.dumps({"time": stamp.strftime("%Y-%m-%dT%H:%M:%SZ"), "profile": who,
                                  "event": "signup"}) + "\n")
