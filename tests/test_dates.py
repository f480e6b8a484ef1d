"""EDTF dates and the xsd:date bounds derived from them (kg.curate.dates)."""

from __future__ import annotations

import datetime as dt

import pytest

from kg.curate import dates
from kg.curate.dates import EDTFError, parse

D = dt.date


def bounds(text: str) -> tuple:
    b = parse(text)
    return (b.earliest_begin, b.latest_begin, b.earliest_end, b.latest_end)


@pytest.mark.parametrize(
    "text, expected, precision",
    [
        ("2020-06-30", (D(2020, 6, 30),) * 4, "day"),
        ("2020-06", (D(2020, 6, 1), D(2020, 6, 30), D(2020, 6, 1), D(2020, 6, 30)), "month"),
        ("2020-02", (D(2020, 2, 1), D(2020, 2, 29), D(2020, 2, 1), D(2020, 2, 29)), "month"),  # leap year
        ("2021-02", (D(2021, 2, 1), D(2021, 2, 28), D(2021, 2, 1), D(2021, 2, 28)), "month"),
        ("2019", (D(2019, 1, 1), D(2019, 12, 31), D(2019, 1, 1), D(2019, 12, 31)), "year"),
        (
            "[2020-05-25..2020-06-18]",
            (D(2020, 5, 25), D(2020, 6, 18), D(2020, 5, 25), D(2020, 6, 18)),
            "range",
        ),
        ("2021-10~", (D(2021, 10, 1), D(2021, 10, 31), D(2021, 10, 1), D(2021, 10, 31)), "approximate"),
        ("2021-10?", (D(2021, 10, 1), D(2021, 10, 31), D(2021, 10, 1), D(2021, 10, 31)), "approximate"),
    ],
)
def test_single_dates(text, expected, precision):
    b = parse(text)
    assert bounds(text) == expected
    assert b.precision == precision
    assert b.interval is False
    assert b.edtf == text


def test_interval_of_days():
    b = parse("2020-06-18/2020-06-20")
    assert bounds("2020-06-18/2020-06-20") == (D(2020, 6, 18), D(2020, 6, 18), D(2020, 6, 20), D(2020, 6, 20))
    assert b.interval is True
    assert b.precision == "day"
    assert b.begin_day == D(2020, 6, 18)
    assert b.end_day == D(2020, 6, 20)


def test_interval_with_coarser_end():
    b = parse("2020-06-30/2021-10")
    assert bounds("2020-06-30/2021-10") == (D(2020, 6, 30), D(2020, 6, 30), D(2021, 10, 1), D(2021, 10, 31))
    assert b.begin_day == D(2020, 6, 30)
    assert b.end_day is None  # the end is known to the month only


def test_interval_whose_end_overlaps_its_begin():
    """``2020-06-18/2020-06``: began on the 18th, ended some day in June. It is a valid
    interval (it ends between the 18th and the 30th), so it must not be refused as ending
    before it begins, and its end cannot be earlier than its begin."""
    b = parse("2020-06-18/2020-06")
    assert b.earliest_begin == b.latest_begin == D(2020, 6, 18)
    assert b.latest_end == D(2020, 6, 30)
    assert b.earliest_end == D(2020, 6, 18)


def test_interval_bounds_are_consistent():
    """``2020/2020-03``: begins some time in 2020 and ends in March 2020, so it began by 31 March."""
    b = parse("2020/2020-03")
    assert b.earliest_begin == D(2020, 1, 1)
    assert b.latest_begin <= b.latest_end == D(2020, 3, 31)
    assert b.earliest_end == D(2020, 3, 1)


@pytest.mark.parametrize("text", ["2019/..", "2019/"])
def test_open_end(text):
    b = parse(text)
    assert (b.earliest_begin, b.latest_begin) == (D(2019, 1, 1), D(2019, 12, 31))
    assert b.earliest_end is None and b.latest_end is None
    assert b.interval is True
    assert b.precision == "year"
    assert b.begin_day is None and b.end_day is None


def test_open_end_known_begin_day():
    b = parse("2020-06-30/..")
    assert b.begin_day == D(2020, 6, 30)
    assert b.end_day is None


def test_approximate_interval_begin():
    b = parse("2019~/2020")
    assert (b.earliest_begin, b.latest_end) == (D(2019, 1, 1), D(2020, 12, 31))
    assert b.precision == "approximate"


@pytest.mark.parametrize(
    "text, begin_day, end_day",
    [
        ("2020-06-30", D(2020, 6, 30), D(2020, 6, 30)),
        ("2019-06-15/2019-06-15", D(2019, 6, 15), D(2019, 6, 15)),
        ("2020-06", None, None),
        ("2019", None, None),
        ("[2020-05-25..2020-06-18]", None, None),
        ("2021-10~", None, None),
        ("2021-10-25~", None, None),  # approximately that day: not known to the day
        ("2020-05-21/2020-05-28", D(2020, 5, 21), D(2020, 5, 28)),
    ],
)
def test_begin_and_end_day(text, begin_day, end_day):
    b = parse(text)
    assert b.begin_day == begin_day
    assert b.end_day == end_day


def test_whitespace_and_numbers_are_accepted():
    assert parse(" 2021-10-25 ").edtf == "2021-10-25"
    assert parse(2020).earliest_begin == D(2020, 1, 1)  # YAML reads an unquoted year as an int


@pytest.mark.parametrize(
    "text, reason",
    [
        ("June 2020", "is not EDTF"),
        ("2020-13", "is not EDTF"),
        ("2020-02-30", "is not EDTF"),
        ("", "is not EDTF"),
        ("20/06/2020", "is not EDTF"),
        ("../2020", "no known begin"),
        ("/2020", "no known begin"),
        ("2020/2019", "ends before it begins"),
        ("2020-06-20/2020-06-18", "ends before it begins"),
        ("2020-07/2020-06", "ends before it begins"),
    ],
)
def test_errors(text, reason):
    with pytest.raises(EDTFError, match=reason):
        parse(text)


def test_edtf_error_is_a_value_error():
    assert issubclass(dates.EDTFError, ValueError)
