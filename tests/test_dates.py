"""Dates and periods in the forms documents use, checked by hand."""

from __future__ import annotations

import pytest

from kg.dates import find_periods, parse_date

CASES = [
    ("on 24-04-2023", ["2023-04-24"]),
    ("signed 16/08/2016.", ["2016-08-16"]),
    ("dated 2016-08-16", ["2016-08-16"]),
    ("held on 23-24 May 2024", ["2024-05-23/2024-05-24"]),
    ("from 18-20 November 2024, a conference", ["2024-11-18/2024-11-20"]),
    ("implemented from May to November 2023", ["2023-05/2023-11"]),
    ("from 9 to 20 April 2018 at the ministry", ["2018-04-09/2018-04-20"]),
    ("an analysis in June 2022", ["2022-06"]),
    ("30 May - 2 June 2023", ["2023-05-30/2023-06-02"]),
    ("April 19, 2018", ["2018-04-19"]),
    ("the 2022-2027 strategy", ["2022/2027"]),
    ("since 2018 the area", ["2018"]),
    ("code 9-20/04/2018", ["2018-04-09/2018-04-20"]),
    ("el 5 de marzo de 2021", ["2021-03-05"]),
    ("du 3 au 5 juillet 2019", ["2019-07-03/2019-07-05"]),
    ("Action 2023-11 was implemented", []),
    ("SOCIEUX+ 2017-09 PERU", []),
    ("a 31/02/2020 typo", []),
    ("120 participants in 3 sessions", []),
]


@pytest.mark.parametrize("text,expected", CASES)
def test_periods(text, expected):
    assert [p.iso for p in find_periods(text)] == expected


def test_spans_point_at_the_date():
    text = "It was held on 19 April 2018 in Lima."
    (period,) = find_periods(text)
    assert text[period.span_start : period.span_end] == "19 April 2018"


def test_day_and_month_take_the_given_year():
    assert [p.iso for p in find_periods("held in Lima on 19 April", year=2018)] == ["2018-04-19"]
    assert list(find_periods("held in Lima on 19 April")) == []


def test_parse_date_wants_exactly_one():
    assert parse_date("12/09/2022").iso == "2022-09-12"
    assert parse_date("") is None
    assert parse_date("2021 and 2022") is None
