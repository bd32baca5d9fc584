"""The built-in simulated population: seeded, realistic profiles and their events."""

from __future__ import annotations

import datetime
import random

from .core.events import Event

FIRST_NAMES = ["Emma", "Louis", "Chloé", "Lucas", "Mia", "Noah", "Léa", "Hugo", "Sofia", "Liam",
               "Anna", "Jonas", "Marie", "Paul", "Lena", "Felix", "Olivia", "James", "Amelia",
               "Oliver", "Lucía", "Mateo", "Giulia", "Marco", "Sanne", "Daan", "Julie", "Arthur"]
LAST_NAMES = ["Martin", "Bernard", "Müller", "Schmidt", "Smith", "Johnson", "Brown", "García",
              "Rossi", "de Jong", "Peeters", "Dubois", "Fischer", "Taylor", "López", "Bianchi"]
COUNTRIES = ["FR", "DE", "US", "GB", "ES", "IT", "NL", "BE"]
COUNTRY_WEIGHTS = [20, 18, 22, 14, 8, 8, 5, 5]
TIERS = ["gold", "silver", "bronze"]
TIER_WEIGHTS = [0.1, 0.3, 0.6]
OPT_IN = {"email": 0.85, "sms": 0.45, "push": 0.55, "inapp": 0.9, "whatsapp": 0.2}
SKUS = ["SKU-TSHIRT", "SKU-SNEAKERS", "SKU-JACKET", "SKU-BAG", "SKU-WATCH", "SKU-SCARF"]
DEFAULT_COUNT = 1000


def simulated_profiles(count: int = DEFAULT_COUNT, seed: int = 0) -> list[dict]:
    draw = random.Random(f"profiles:{seed}")
    width = max(5, len(str(count)))
    profiles = []
    for number in range(1, count + 1):
        first = draw.choice(FIRST_NAMES)
        last = draw.choice(LAST_NAMES)
        tier = draw.choices(TIERS, TIER_WEIGHTS)[0]
        birthday = datetime.date(1950, 1, 1) + datetime.timedelta(days=draw.randrange(0, 365 * 55))
        profiles.append({
            "id": f"p{number:0{width}d}",
            "first_name": first,
            "last_name": last,
            "email": f"{first.lower()}.{last.lower().replace(' ', '')}{number}@example.com",
            "tier": tier,
            "country": draw.choices(COUNTRIES, COUNTRY_WEIGHTS)[0],
            "points": {"gold": 5000, "silver": 1500, "bronze": 200}[tier] + draw.randrange(0, 1000),
            "birthday": birthday.isoformat(),
            "consent": {channel: draw.random() < rate for channel, rate in OPT_IN.items()},
            "blocked": draw.random() < 0.01,
        })
    return profiles


def simulated_events(profiles: list[dict], start: int, seed: int = 0) -> list[Event]:
    """A sign-up per profile over the first three days, then purchases, app opens, abandoned
    carts and a few unsubscriptions over the following four weeks; sorted by time."""
    draw = random.Random(f"events:{seed}")
    events = []
    for profile in profiles:
        who = profile["id"]
        signup = start + draw.randrange(0, 3 * 86400)
        events.append(Event(signup, who, "signup", {
            "source": draw.choices(["web", "app"], [0.6, 0.4])[0],
            "country": profile.get("country")}))
        later = signup
        for _ in range(draw.choices([0, 1, 2, 3], [0.2, 0.4, 0.3, 0.1])[0]):
            later += draw.randrange(3600, 10 * 86400)
            kind = draw.choices(["app_open", "cart_abandoned", "purchase"], [0.5, 0.3, 0.2])[0]
            if kind == "purchase":
                data = {"amount": round(draw.uniform(10, 250), 2), "sku": draw.choice(SKUS)}
            elif kind == "cart_abandoned":
                data = {"cart_value": round(draw.uniform(20, 400), 2), "items": draw.randrange(1, 6)}
            else:
                data = {}
            events.append(Event(later, who, kind, data))
        if draw.random() < 0.03:
            events.append(Event(signup + draw.randrange(86400, 20 * 86400), who, "unsubscribed", {}))
    events.sort(key=lambda event: event.time)
    return events
