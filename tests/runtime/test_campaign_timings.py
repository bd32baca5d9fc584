"""The timings docs/campaigns.md sets side by side: the same program as a journey and as a
campaign. A journey's join waits only for the profile's own branches, so the gold SMS goes out
7 days after the read; a campaign's join waits for the silver branch's 2 days for its whole
population, so the SMS goes out 9 days after."""

from __future__ import annotations

import datetime

import pytest

import journeylang

from ..conftest import CASES

READ = datetime.datetime(2026, 3, 2, 9, tzinfo=datetime.timezone.utc)


def follow_up_days(case: str) -> dict[str, float]:
    """Per profile, the days from the read to its `gold_follow_up` SMS."""
    sent: dict[str, float] = {}

    def on_record(record) -> None:
        if record.kind == "send" and record.message == "gold_follow_up":
            sent[record.profile] = (record.time - READ.timestamp()) / 86400

    journeylang.simulate(CASES / "run" / case, on_record=on_record)
    return sent


@pytest.mark.parametrize(("case", "days"), [("campaign-as-a-journey", 7),
                                            ("campaign-join-waits-for-the-slowest-branch", 9)])
def test_the_gold_follow_up_goes_out_as_documented(case, days):
    assert follow_up_days(case) == {"ann": days, "cat": days}
