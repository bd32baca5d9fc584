"""Time-zone names: `zone()` gives a zone or a TimeError for any text whatever, and the
checker reports a name that is not a zone (J208) in `journey check` and `journey run` alike."""

from __future__ import annotations

import datetime

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from journeylang.cli import main
from journeylang.core.instants import TimeError, zone

NOT_ZONES = [
    "Europe",                   # a directory of the zone database
    "America/Argentina",        # a directory inside one
    "A" * 300,                  # longer than a file name may be
    "Europe/" + "B" * 300,
    "x/" * 2000 + "y",          # longer than a path may be
    "../../etc/passwd", "Europe/../Europe/Paris", "..", ".", "",
    "/etc/passwd", "/usr/share/zoneinfo/Europe/Paris",
    "Europe\x00Paris", "\x00",
    "Europe/Paris\ud800", "\udfff",
    "zone1970.tab", "tzdata.zi", "__init__", "__pycache__", "Europe/__pycache__",
    "Europe/Paris/", "Europe//Paris", " Europe/Paris", "Europe/Paris\n",
]


def shown(name: str) -> str:
    return repr(name[:30])


@pytest.mark.parametrize("name", NOT_ZONES, ids=shown)
def test_a_name_that_is_not_a_zone_is_a_time_error(name):
    with pytest.raises(TimeError, match="unknown time zone"):
        zone(name)


def test_zones_still_load():
    assert zone("UTC") is datetime.timezone.utc
    moment = datetime.datetime(2026, 7, 1, 12, tzinfo=zone("Europe/Paris"))
    assert moment.utcoffset() == datetime.timedelta(hours=2)


@settings(max_examples=500, deadline=None)
@given(st.text() | st.builds("/".join, st.lists(st.sampled_from(
    ["Europe", "America", "Paris", "..", ".", "", "\x00", "A" * 300, "zone.tab"]), max_size=5)))
def test_any_text_gives_a_zone_or_a_time_error(name):
    try:
        found = zone(name)
    except TimeError:
        return
    assert isinstance(found, datetime.tzinfo)


# what can stand between the quotes of a journey's `timezone "…"`
LITERAL = st.text(st.characters(blacklist_characters='"\\\n\r{}', blacklist_categories=("Cs",)))


def check_and_run(tmp_path, monkeypatch, name: str) -> list:
    (tmp_path / "a.journey").write_text(
        f'journey "J" {{\n    timezone "{name}"\n    on event signup\n    send email "x"\n}}\n',
        encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    results = []
    for words in (["check", "."], ["run", ".", "--population", "2", "--start",
                                   "2026-03-01T00:00:00Z", "--until", "2026-03-02T00:00:00Z"]):
        result = CliRunner().invoke(main, words, prog_name="journey")
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        results.append(result)
    return results


@pytest.mark.parametrize("name", [name for name in NOT_ZONES if '"' not in name and "\n" not in name
                                  and not any(0xD800 <= ord(c) <= 0xDFFF for c in name)],
                         ids=shown)
def test_check_and_run_report_a_name_that_is_not_a_zone(tmp_path, monkeypatch, name):
    for result in check_and_run(tmp_path, monkeypatch, name):
        assert result.exit_code == 1
        assert "error[J208]: unknown time zone" in result.output


@settings(max_examples=100, deadline=None)
@given(LITERAL)
def test_check_and_run_never_raise_on_a_time_zone_name(tmp_path_factory, name):
    tmp_path = tmp_path_factory.mktemp("zone")
    with pytest.MonkeyPatch.context() as monkeypatch:
        for result in check_and_run(tmp_path, monkeypatch, name):
            assert result.exit_code in (0, 1)
