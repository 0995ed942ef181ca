"""A departure is the case's move to departed; figures follow the records behind them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine

from passage.profiles.choices import Programme
from passage.registry import actions
from passage.registry.choices import CaseStatus
from passage.registry.people import PersonData, update_person
from passage.stats.departures import (
    GROUP_KEYS,
    Filters,
    departure_figures,
    departure_records,
    rollup,
)
from passage.stats.tests.helpers import BISHKEK, departed_case, move, open_with_members

pytestmark = pytest.mark.django_db
YEAR_2007 = Filters(dt.date(2007, 1, 1), dt.date(2007, 12, 31))
AT = dt.datetime(2007, 5, 10, 9, 0, tzinfo=BISHKEK)


def persons(filters: Filters = YEAR_2007, by: tuple[str, ...] = (), user: Any = None) -> Any:
    """The total without ``by``; the rows with it."""
    rows = departure_figures(filters, list(by), user)
    if not by:
        return rows[0]["persons"] if rows else 0
    return rows


def test_a_figure_counts_the_members_at_departure() -> None:
    departed_case("US", Programme.USRAP_P1, [("M", dt.date(1980, 1, 1))] * 3, AT)
    assert persons() == 3
    rows = persons(by=("year", "destination", "stream"))
    assert rows == [{"year": 2007, "destination": "US", "stream": "resettlement", "persons": 3}]


def test_a_figure_changes_when_a_case_departs() -> None:
    case = open_with_members("CA", Programme.CA_GAR, [("F", dt.date(1990, 2, 3))] * 2, AT)
    assert persons() == 0
    move(case, CaseStatus.DEPARTED, AT)
    assert persons() == 2


def test_a_figure_changes_when_the_destination_changes(personas) -> None:
    case = departed_case("SE", Programme.EU_QUOTA, [("M", None)], AT)
    assert persons(by=("destination",)) == [{"destination": "SE", "persons": 1}]
    actions.update_case(actor=personas.case_worker, case=case, destination_country="NO")
    assert persons(by=("destination",)) == [{"destination": "NO", "persons": 1}]


def test_a_figure_changes_when_a_person_is_corrected(personas) -> None:
    case = departed_case("AU", Programme.AU_HUMANITARIAN, [("M", dt.date(1970, 1, 1))], AT)
    person = case.memberships.get().person
    assert persons(by=("sex",)) == [{"sex": "M", "persons": 1}]
    data = PersonData(
        given_names=person.given_names, surname=person.surname, sex="F",
        latin_given_names=person.latin_given_names, latin_surname=person.latin_surname,
        consent_date=person.consent_date, consent_scope=person.consent_scope,
        date_of_birth=dt.date(2005, 1, 1),
    )  # fmt: skip
    update_person(actor=personas.case_worker, person=person, data=data)
    assert persons(by=("sex", "age_band")) == [{"sex": "F", "age_band": "0-4", "persons": 1}]


def test_members_who_left_before_departure_do_not_count(personas) -> None:
    case = open_with_members("US", Programme.USRAP_P1, [("M", None), ("F", None)], AT)
    leaving = case.memberships.order_by("pk").reverse()[0]
    with time_machine.travel(AT - dt.timedelta(days=1), tick=False):
        actions.end_membership(actor=personas.case_worker, membership=leaving, reason="split")
    move(case, CaseStatus.DEPARTED, AT)
    assert persons() == 1


def test_members_who_leave_after_departure_still_count(personas) -> None:
    case = departed_case("US", Programme.USRAP_P1, [("M", None), ("F", None)], AT)
    leaving = case.memberships.order_by("pk").reverse()[0]
    with time_machine.travel(AT + dt.timedelta(days=3), tick=False):
        actions.end_membership(actor=personas.case_worker, membership=leaving, reason="split")
    assert persons() == 2


def test_an_interrupted_departure_counts_once_at_the_later_departure() -> None:
    case = departed_case("US", Programme.USRAP_P1, [("M", None)] * 2, AT)
    move(case, CaseStatus.TRAVEL_INTERRUPTED, AT + dt.timedelta(hours=5))
    assert persons() == 0
    again = dt.datetime(2008, 2, 1, 10, 0, tzinfo=BISHKEK)
    for status in (CaseStatus.BOOKING_REQUESTED, CaseStatus.BOOKED, CaseStatus.FIT_TO_TRAVEL,
                   CaseStatus.DEPARTED):  # fmt: skip
        move(case, status, again)
    whole = Filters(dt.date(2007, 1, 1), dt.date(2008, 12, 31))
    assert persons(whole, ("year",)) == [{"year": 2008, "persons": 2}]


def test_calendar_year_follows_the_mission_time_zone() -> None:
    # 31 Dec 2007 20:00 UTC is 1 Jan 2008 02:00 in Bishkek.
    departed_case(
        "CA", Programme.CA_PSR, [("M", None)], dt.datetime(2007, 12, 31, 20, tzinfo=dt.UTC)
    )
    whole = Filters(dt.date(2007, 1, 1), dt.date(2008, 12, 31))
    assert persons(whole, ("year",)) == [{"year": 2008, "persons": 1}]


def test_fiscal_year_starts_on_1_october() -> None:
    departed_case(
        "US", Programme.USRAP_P1, [("M", None)], dt.datetime(2007, 9, 30, 23, 59, tzinfo=BISHKEK)
    )
    departed_case(
        "US", Programme.USRAP_P1, [("F", None)] * 2, dt.datetime(2007, 10, 1, 0, 1, tzinfo=BISHKEK)
    )
    fiscal = Filters(dt.date(2007, 1, 1), dt.date(2007, 12, 31), year_kind="fiscal")
    assert persons(fiscal, ("year",)) == [
        {"year": 2007, "persons": 1},
        {"year": 2008, "persons": 2},
    ]
    assert persons(YEAR_2007, ("year",)) == [{"year": 2007, "persons": 3}]


@pytest.mark.parametrize(
    ("born", "band"),
    [
        (dt.date(2002, 5, 10), "5-11"),  # fifth birthday on the day of departure
        (dt.date(2002, 5, 11), "0-4"),
        (dt.date(1995, 5, 10), "12-17"),
        (dt.date(1995, 5, 11), "5-11"),
        (dt.date(1989, 5, 10), "18-59"),
        (dt.date(1947, 5, 10), "60+"),
        (dt.date(1947, 5, 11), "18-59"),
        (None, "unknown"),
    ],
)
def test_age_band_on_the_day_of_departure(born, band) -> None:
    departed_case("FI", Programme.EU_QUOTA, [("M", born)], AT)
    assert persons(by=("age_band",)) == [{"age_band": band, "persons": 1}]


def test_filters_narrow_the_figures() -> None:
    departed_case("US", Programme.SELF_PAYING, [("M", None)] * 2, AT)
    departed_case("CA", Programme.FAMILY_REUNIFICATION, [("F", None)], AT)
    base = YEAR_2007
    assert persons(Filters(base.start, base.end, destinations=("ca",))) == 1
    assert persons(Filters(base.start, base.end, streams=("assisted_migration",))) == 2
    assert persons(Filters(base.start, base.end, programmes=("ca_gar",))) == 0
    outside = Filters(dt.date(2008, 1, 1), dt.date(2008, 12, 31))
    assert persons(outside) == 0


def test_records_behind_a_figure_match_it() -> None:
    departed_case("US", Programme.USRAP_P2, [("M", None), ("F", dt.date(2000, 1, 1))], AT)
    departed_case("US", Programme.SELF_PAYING, [("M", None)], AT)
    figure = persons(by=("destination", "stream"))
    for row in figure:
        narrowed = YEAR_2007.narrowed(row)
        records = list(departure_records(narrowed, None))
        assert len(records) == row["persons"]
        assert {r["stream"] for r in records} == {row["stream"]}


def test_partners_see_their_own_slice(personas) -> None:
    departed_case("US", Programme.USRAP_P1, [("M", None)] * 2, AT)
    departed_case("SE", Programme.EU_QUOTA, [("M", None)] * 3, AT)
    assert persons(user=personas.stats_reader) == 5
    assert persons(user=personas.case_worker) == 5
    assert persons(user=personas.embassy_us) == 2
    assert persons(user=personas.embassy_other) == 3
    assert persons(user=personas.outsider) == 0


def test_rolled_up_figures_equal_the_database_grouping() -> None:
    departed_case("US", Programme.USRAP_P1, [("M", dt.date(1980, 1, 1)), ("F", None)], AT)
    departed_case("SE", Programme.FAMILY_REUNIFICATION, [("F", dt.date(2004, 1, 1))] * 2, AT)
    departed_case("CA", Programme.SELF_PAYING, [("M", dt.date(1940, 1, 1))],
                  dt.datetime(2007, 11, 1, tzinfo=BISHKEK))  # fmt: skip
    fine = departure_figures(YEAR_2007, list(GROUP_KEYS))
    for keys in (["destination"], ["year", "stream"], ["age_band"], ["sex", "programme"]):
        assert rollup(fine, keys) == departure_figures(YEAR_2007, keys)


def test_drilling_down_by_sex_and_age_keeps_one_row_per_person() -> None:
    family = [("M", dt.date(1980, 1, 1)), ("F", dt.date(1982, 1, 1)), ("F", dt.date(2005, 1, 1))]
    departed_case("US", Programme.USRAP_P1, family, AT)
    for group in persons(by=("sex", "age_band")):
        narrowed = YEAR_2007.narrowed(group)
        assert persons(narrowed) == group["persons"]
        assert len(list(departure_records(narrowed, None))) == group["persons"]
    women = YEAR_2007.narrowed({"sex": "F"})
    assert persons(women, ("sex",)) == [{"sex": "F", "persons": 2}]
