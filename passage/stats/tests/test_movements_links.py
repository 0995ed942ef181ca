"""Upcoming departures from the movements app, links to the registry, API ``from``/``to``."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from passage.core import policy
from passage.movements.choices import BookingStatus
from passage.movements.tests.factories import (
    AirportFactory,
    BookingFactory,
    BookingLegFactory,
    FlightFactory,
    TravellerFactory,
)
from passage.profiles.choices import Programme
from passage.registry.choices import CaseStatus
from passage.registry.models import Case
from passage.registry.tests.factories import CaseFactory
from passage.stats.tests.helpers import BISHKEK, departed_case

pytestmark = pytest.mark.django_db
TODAY = dt.datetime(2026, 8, 20, 10, tzinfo=dt.UTC)
AT = dt.datetime(2007, 5, 10, 9, 0, tzinfo=BISHKEK)
PERIOD = {"start": "2007-01-01", "end": "2007-12-31"}
PERSONAS = ("stats_reader", "case_worker", "movement_officer", "embassy_us", "embassy_other",
            "unhcr", "admin", "vac_officer")  # fmt: skip


def booked(file_number: str, day: dt.date, status: str = BookingStatus.BOOKED, n: int = 2) -> Any:
    case = CaseFactory(file_number=file_number, destination_country="US",
                       status=CaseStatus.BOOKED)  # fmt: skip
    booking = BookingFactory(case=case, departure_date=day, arrival_date=day, status=status)
    yyz = AirportFactory(iata="JFK", icao="KJFK", name="JFK", city="New York", country="US",
                         tz="America/New_York")  # fmt: skip
    departs = dt.datetime.combine(day, dt.time(3), dt.UTC)
    first = FlightFactory(departs_at=departs, arrives_at=departs + dt.timedelta(hours=5))
    second = FlightFactory(origin=first.destination, destination=yyz,
                           departs_at=departs + dt.timedelta(hours=7),
                           arrives_at=departs + dt.timedelta(hours=18))  # fmt: skip
    BookingLegFactory(booking=booking, sequence=1, flight=first)
    BookingLegFactory(booking=booking, sequence=2, flight=second)
    for _ in range(n):
        TravellerFactory(booking=booking)
    return booking


def panel(response: Any, key: str) -> dict[str, Any] | None:
    return next((p for p in response.context["panels"] if p["key"] == key), None)


@time_machine.travel(TODAY, tick=False)
def test_upcoming_departures_from_bookings_within_30_days(personas: Any) -> None:
    soon = booked("KGZ-2026-00701", dt.date(2026, 9, 1), n=3)
    booked("KGZ-2026-00702", dt.date(2026, 9, 19))  # day 31: outside the window
    booked("KGZ-2026-00703", dt.date(2026, 8, 25), status=BookingStatus.POSTPONED)
    booked("KGZ-2026-00704", dt.date(2026, 8, 19))  # yesterday
    response = personas.client("movement_officer").get("/stats/pipeline/")
    shown = panel(response, "movements.upcoming")
    assert shown is not None
    designators = " · ".join(leg.flight.designator for leg in soon.legs.order_by("sequence"))
    assert shown["rows"] == [["KGZ-2026-00701", dt.date(2026, 9, 1), designators, "US (JFK)", 3]]
    assert "Upcoming departures" not in ", ".join(response.context["waiting"])


@time_machine.travel(TODAY, tick=False)
def test_upcoming_departures_follow_the_movements_policy(personas: Any) -> None:
    booked("KGZ-2026-00711", dt.date(2026, 8, 30))
    for name in PERSONAS:
        response = personas.client(name).get("/stats/pipeline/")
        shown = panel(response, "movements.upcoming")
        user = personas.users[name]
        if not policy.has_permission(user, "movements.view_booking"):
            assert shown is None, name
            continue
        assert shown is not None, name
        expect = policy.can(user, "registry.view_case", Case.objects.get())
        assert bool(shown["rows"]) == expect, name
    assert panel(personas.client("embassy_us").get("/stats/pipeline/"), "movements.upcoming")
    other = panel(personas.client("embassy_other").get("/stats/pipeline/"), "movements.upcoming")
    assert other is not None and other["rows"] == []  # a US case, hidden from Sweden


@time_machine.travel(TODAY, tick=False)
def test_upcoming_panel_query_count_does_not_grow(personas: Any, django_assert_num_queries) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    booked("KGZ-2026-00731", dt.date(2026, 8, 28))
    client = personas.client("movement_officer")
    client.get("/stats/pipeline/")
    with CaptureQueriesContext(connection) as few:
        client.get("/stats/pipeline/")
    for i in range(4):
        booked(f"KGZ-2026-0074{i}", dt.date(2026, 8, 29) + dt.timedelta(days=i))
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get("/stats/pipeline/")
    assert len(panel(response, "movements.upcoming")["rows"]) == 5  # type: ignore[index]


@time_machine.travel(TODAY, tick=False)
def test_awaiting_panel_lists_only_cases_not_yet_booked(personas: Any) -> None:
    CaseFactory(file_number="KGZ-2026-00721", destination_country="US",
                status=CaseStatus.TRAVEL_READY)  # fmt: skip
    CaseFactory(file_number="KGZ-2026-00722", destination_country="US",
                status=CaseStatus.BOOKING_REQUESTED)  # fmt: skip
    booked("KGZ-2026-00723", dt.date(2026, 8, 30))
    response = personas.client("case_worker").get("/stats/pipeline/")
    listed = {row["case"].file_number for row in response.context["awaiting"]}
    assert listed == {"KGZ-2026-00721", "KGZ-2026-00722"}
    body = response.content.decode()
    case = Case.objects.get(file_number="KGZ-2026-00721")
    assert f'href="{reverse("registry:case", args=[case.pk])}"' in body
    reader = personas.client("stats_reader").get("/stats/pipeline/").content.decode()
    assert "KGZ-2026-00721" in reader and reverse("registry:case", args=[case.pk]) not in reader


def test_records_link_to_case_and_person_pages_only_when_allowed(personas: Any) -> None:
    us = departed_case("US", Programme.USRAP_P1, [("M", dt.date(1980, 1, 1))], AT)
    departed_case("SE", Programme.EU_QUOTA, [("F", dt.date(1999, 1, 1))], AT)
    person = us.memberships.get().person
    case_href = f'href="{reverse("registry:case", args=[us.pk])}"'
    person_href = f'href="{reverse("registry:person", args=[person.pk])}"'
    seen = set()
    for name in PERSONAS:
        user = personas.users[name]
        body = personas.client(name).get("/stats/records/", PERIOD).content.decode()
        may_case = policy.can(user, "registry.view_case", us)
        may_person = policy.can(user, "registry.view_person", person)
        assert (case_href in body) == may_case, name
        assert (person_href in body) == may_person, name
        seen.add((may_case, may_person))
    assert (True, True) in seen and (False, False) in seen  # both sides were exercised


def test_pipeline_case_list_links_only_when_allowed(personas: Any) -> None:
    us = departed_case("US", Programme.USRAP_P1, [("M", None)], AT)
    href = f'href="{reverse("registry:case", args=[us.pk])}"'
    for name in PERSONAS:
        body = personas.client(name).get("/stats/pipeline/cases/").content.decode()
        assert (href in body) == policy.can(personas.users[name], "registry.view_case", us), name


def test_api_takes_from_and_to_like_the_command_line(personas: Any) -> None:
    departed_case("US", Programme.USRAP_P1, [("M", None), ("F", None)], AT)
    departed_case("SE", Programme.EU_QUOTA, [("F", None)], AT + dt.timedelta(days=400))
    client = personas.api_client("stats_reader")
    by_name = client.get("/api/v1/stats/departures", {"from": "2007-01-01", "to": "2007-12-31"})
    by_alias = client.get("/api/v1/stats/departures", PERIOD)
    assert by_name.status_code == 200
    assert by_name.json() == by_alias.json()
    assert (by_name.json()["start"], by_name.json()["total"]) == ("2007-01-01", 2)
    same = client.get("/api/v1/stats/departures", {"from": "2007-01-01", "start": "2007-01-01",
                                                   "to": "2007-12-31"})  # fmt: skip
    assert same.json()["total"] == 2
    clash = client.get("/api/v1/stats/departures", {"from": "2007-01-01", "start": "2006-01-01"})
    assert (clash.status_code, clash.json()["field"]) == (400, "from")
    bad = client.get("/api/v1/stats/departures", {"to": "2007-02-30"})
    assert (bad.status_code, bad.json()["field"]) == (400, "to")


def test_openapi_documents_from_and_to() -> None:
    from passage.api import api

    schema = api.get_openapi_schema(path_prefix="/api/v1")
    params = schema["paths"]["/api/v1/stats/departures"]["get"]["parameters"]
    names = {p["name"]: p for p in params}
    assert {"from", "to", "start", "end"} <= set(names)
    described = names["from"].get("description") or names["from"]["schema"].get("description")
    assert "--from" in described
