"""The first errors a report keeps: the first five by time, those of one instant by their
place in the source (lines as numbers), then by profile, whatever order they came in."""

from __future__ import annotations

from journeylang.runtime.tally import FIRST_ERRORS, Tally


def kept(errors) -> list[tuple[int, str, str]]:
    tally = Tally()
    for time, node_id, profile_id in errors:
        tally.error(time, node_id, profile_id, "cannot compare a string and a number")
    assert tally.errors == len(errors)
    return [error[:3] for error in tally.first_errors]


def test_one_instant_in_source_order_then_by_profile():
    assert kept([(5, "a.journey:10:5", "amy"), (5, "a.journey:9:5", "zoe"),
                 (5, "a.journey:10:5", "bob"), (5, "a.journey:9:5", "eve")]) == [
        (5, "a.journey:9:5", "eve"), (5, "a.journey:9:5", "zoe"),
        (5, "a.journey:10:5", "amy"), (5, "a.journey:10:5", "bob")]


def test_the_first_five_kept_and_later_instants_not_at_all():
    errors = [(5, "a.journey:3:5", name) for name in ("zoe", "max", "eve", "bob", "kim", "amy")]
    errors += [(6, "a.journey:1:1", "aaron")]  # (earlier in the source, but later)
    assert kept(errors) == [(5, "a.journey:3:5", name)
                            for name in ("amy", "bob", "eve", "kim", "max")]
    assert len(kept(errors)) == FIRST_ERRORS


def test_one_profile_twice_at_one_place_keeps_the_first():
    tally = Tally()
    tally.error(5, "a.journey:3:5", "amy", "first")
    tally.error(5, "a.journey:3:5", "amy", "second")
    assert [error[3] for error in tally.first_errors] == ["first", "second"]
    for _ in range(FIRST_ERRORS):
        tally.error(5, "a.journey:3:5", "amy", "later")
    assert [error[3] for error in tally.first_errors] == ["first", "second"] + ["later"] * 3


def test_a_file_name_with_colons():
    assert kept([(1, "c:/x.journey:2:1", "b"), (1, "c:/x.journey:12:1", "a")]) == [
        (1, "c:/x.journey:2:1", "b"), (1, "c:/x.journey:12:1", "a")]
