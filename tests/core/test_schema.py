"""The schema module: values read by their declared type, columns placed in a schema, and the
dates of JSON values read where the schema declares them."""

from __future__ import annotations

import datetime

import pytest

from journeylang.core.schema import (SchemaError, coercer, column_type, guess, merge,
                                     read_bool, read_date, read_datetime, read_number, reader)

UTC = datetime.timezone.utc
FIELDS = {"id": "string", "points": "number", "consent": {"email": "bool"}, "tags": "list"}


@pytest.mark.parametrize("text, value", [
    ("12", 12), (" -4 ", -4), ("007", 7), ("1.5", 1.5), ("1e3", 1000.0), ("-0", 0),
])
def test_numbers(text, value):
    assert read_number(text) == value and type(read_number(text)) is type(value)


@pytest.mark.parametrize("text, message", [
    ("abc", "`abc` is not a number"),
    ("1_000", "`1_000` is not a number"),
    ("nan", "`nan` is not a number"),
    ("1e400", "`1e400` is beyond the largest number, 1.7976931348623157e+308"),
    ("9" * 5000, "`99999999999999999999…` has 5,000 digits: a number has at most 309 (the "
                 "largest is 1.7976931348623157e+308)"),
])
def test_texts_that_are_not_numbers(text, message):
    with pytest.raises(SchemaError) as caught:
        read_number(text)
    assert str(caught.value) == message


def test_bools_dates_and_date_times():
    assert (read_bool("TRUE"), read_bool(" false")) == (True, False)
    assert read_date("2026-03-01") == datetime.date(2026, 3, 1)
    assert read_date("2026-03-01T23:30:00-05:00") == datetime.date(2026, 3, 1)  # as written
    assert read_datetime("2026-03-01T09:00:00+01:00") == datetime.datetime(2026, 3, 1, 8, tzinfo=UTC)
    for read, text, message in [
        (read_bool, "yes", '"yes" is not true or false'),
        (read_date, "2026-02-30", '"2026-02-30" is not a date (write it like 2026-03-01)'),
        (read_datetime, "2026-03-01T09:00:00", '"2026-03-01T09:00:00" has no time zone: add Z '
                                               "(UTC) or an offset like +01:00"),
        (read_datetime, "0001-01-01T00:30:00+01:00", "`0001-01-01T00:30:00+01:00` is before "
                                                     "0001-01-01T00:00:00Z, the first instant there is"),
    ]:
        with pytest.raises(SchemaError) as caught:
            read(text)
        assert str(caught.value) == message


def test_a_guess_is_a_bool_a_number_or_the_text():
    assert [guess(text) for text in ("true", "007", "1.5", "1e400", "nan", "inf", "Ann")] == [
        True, 7, 1.5, "1e400", "nan", "inf", "Ann"]


def test_readers_by_declared_type():
    assert reader("string")("007") == "007"
    assert reader("time")("09:00") == "09:00"  # as in JSON inputs, which have no times either
    assert reader(None)("007") == 7
    assert reader("any")("true") is True
    with pytest.raises(SchemaError, match="a list cannot be written in a CSV cell"):
        reader("list")("a")


def test_columns_in_a_schema():
    assert column_type(FIELDS, ["points"]) == "number"
    assert column_type(FIELDS, ["consent", "email"]) == "bool"
    assert column_type(FIELDS, ["consent", "sms"]) is None  # not declared: guessed
    assert column_type(FIELDS, ["tier", "x"]) is None
    assert column_type(None, ["points"]) is None
    with pytest.raises(SchemaError, match='`consent` is declared a record: give its attributes '
                                          'as columns like "consent.email"'):
        column_type(FIELDS, ["consent"])
    with pytest.raises(SchemaError, match="`points` is declared a number, not a record"):
        column_type(FIELDS, ["points", "x"])


def test_the_dates_of_json_values_are_read_where_declared():
    coerce = coercer({"birthday": "date", "seen": "datetime", "name": "string",
                      "visit": {"at": "datetime"}, "tags": "list"})
    record = {"birthday": "1990-12-31", "seen": "2026-03-01T09:00:00Z", "name": "2026-03-01",
              "visit": {"at": "2026-03-01T10:00:00+01:00"}, "tags": ["2026-03-01"]}
    coerce(record)
    assert record == {"birthday": datetime.date(1990, 12, 31),
                      "seen": datetime.datetime(2026, 3, 1, 9, tzinfo=UTC), "name": "2026-03-01",
                      "visit": {"at": datetime.datetime(2026, 3, 1, 9, tzinfo=UTC)},
                      "tags": ["2026-03-01"]}


def test_texts_that_are_not_dates_stay_texts():
    coerce = coercer({"birthday": "date", "seen": "datetime", "visit": {"at": "datetime"}})
    record = {"birthday": "soon", "seen": "9999-12-31T23:00:00-05:00", "visit": "2026-03-01"}
    coerce(record)
    assert record == {"birthday": "soon", "seen": "9999-12-31T23:00:00-05:00", "visit": "2026-03-01"}
    coerce(record := {"seen": "2026-03-01T09:00:00"})  # no zone: no instant
    assert record == {"seen": "2026-03-01T09:00:00"}


def test_nothing_to_coerce_is_no_work():
    assert coercer({"name": "string", "consent": {"email": "bool"}}) is None


def test_merged_schemas_keep_the_first_type():
    fields = {"a": "string", "r": {"x": "number"}}
    merge(fields, {"a": "number", "r": {"y": "bool"}, "b": "date"})
    assert fields == {"a": "string", "r": {"x": "number", "y": "bool"}, "b": "date"}


def test_the_dates_inside_declared_lists_are_read_too():
    coerce = coercer({"days": ["date"], "orders": [{"at": "datetime", "sku": "string"}],
                      "grid": [["date"]], "names": ["string"]})
    record = {"days": ["2026-03-01", "soon", None], "names": ["2026-03-01"],
              "orders": [{"at": "2026-03-01T10:00:00+01:00", "sku": "2026-03-01"}, "not a record"],
              "grid": [["2026-03-02"], "2026-03-03"]}
    coerce(record)
    assert record == {"days": [datetime.date(2026, 3, 1), "soon", None], "names": ["2026-03-01"],
                      "orders": [{"at": datetime.datetime(2026, 3, 1, 9, tzinfo=UTC),
                                  "sku": "2026-03-01"}, "not a record"],
                      "grid": [[datetime.date(2026, 3, 2)], "2026-03-03"]}
    assert coercer({"names": ["string"], "scores": ["number"]}) is None


def test_a_declared_list_is_not_a_csv_cell_nor_a_record():
    with pytest.raises(SchemaError, match="a list cannot be written in a CSV cell"):
        reader(column_type({"tags": ["string"]}, ["tags"]))("a;b")
    with pytest.raises(SchemaError, match="`tags` is declared a list, not a record"):
        column_type({"tags": [{"x": "number"}]}, ["tags", "x"])
