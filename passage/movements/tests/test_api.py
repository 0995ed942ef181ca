"""The API: permission matrices, booking with refusals as JSON, the day's steps."""

from __future__ import annotations

import json
from typing import Any

import pytest

from passage.movements import sources
from passage.registry.choices import CaseStatus
from passage.testing.personas import assert_matrix

pytestmark = pytest.mark.django_db


def getter(url: str) -> Any:
    return lambda c: c.get(url)


def post(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


def test_read_matrix(world, personas):
    for url in [
        "/api/v1/movements/flights",
        "/api/v1/movements/agreements",
        "/api/v1/movements/bookings",
    ]:
        assert_matrix(
            personas,
            getter(url),
            {"anonymous": 401, "case_worker": 200, "movement_officer": 200},
            api=True,
        )
    flight = f"/api/v1/movements/flights/{world.first.pk}"
    assert_matrix(
        personas,
        lambda c: c.get(flight),
        {
            "anonymous": 401,
            "outsider": 401,
            "embassy_us": 404,
            "embassy_other": 404,
            "movement_officer": 200,
        },
        api=True,
    )
    assert_matrix(
        personas,
        lambda c: c.get("/api/v1/movements/flights"),
        {"outsider": 401, "embassy_us": 403},
        api=True,
    )


def test_booking_over_the_api(world, personas):
    client = personas.api_client("movement_officer")
    case = world.case(adults=2)
    world.blockers[case.pk] = ["No medical clearance"]
    body = {
        "case_id": case.pk,
        "agreement_id": world.agreement.pk,
        "flight_ids": [world.first.pk, world.second.pk],
    }
    refused = post(client, "/api/v1/movements/bookings", body)
    assert refused.status_code == 400
    assert refused.json()["code"] == "not_ready" and refused.json()["errors"] == [
        {"message": "No medical clearance"}
    ]
    assert_matrix(
        personas,
        lambda c: post(c, "/api/v1/movements/bookings", body),
        {"anonymous": 401, "case_worker": 403, "embassy_us": 403, "embassy_other": 404},
        api=True,
    )
    world.blockers.clear()
    made = post(client, "/api/v1/movements/bookings", body)
    assert made.status_code == 201, made.content
    data = made.json()
    assert data["case_status"] == CaseStatus.BOOKED and data["flights"] == [
        world.first.pk,
        world.second.pk,
    ]
    flight = client.get(f"/api/v1/movements/flights/{world.first.pk}").json()
    assert flight["blocks"][0]["taken"] == 2 and flight["manifest_version"] == 1
    assert flight["departs_local"].startswith("2026-09-01T07:40:00+06:00")
    # The US embassy sees the booking of its country's case.
    assert (
        personas.api_client("embassy_us")
        .get(f"/api/v1/movements/bookings/{data['id']}")
        .status_code
        == 200
    )
    url = f"/api/v1/movements/bookings/{data['id']}/steps"
    conflict = post(client, url, {"action": "departed"})
    assert conflict.status_code == 409 and conflict.json()["code"] == "not_fit"
    bad = post(client, url, {"action": "no_show", "reason": ""})
    assert bad.status_code == 400 and bad.json()["field"] == "reason"
    sources.register_loan_provider(lambda c: True)
    try:
        from passage.profiles.queries import profile_for

        profile = profile_for("US", case.programme)
        profile.fit_to_fly_required = False
        profile.save()
        assert post(client, url, {"action": "fit"}).status_code == 200
        for t in data["travellers"]:
            assert post(client, f"/api/v1/movements/travellers/{t['id']}/check-in", {}).json()[
                "checked_in"
            ]
        assert post(client, url, {"action": "departed"}).json()["status"] == "departed"
        done = post(client, url, {"action": "arrived", "confirmation": "USCRI Boise"}).json()
        assert done["status"] == "arrived" and done["case_status"] == CaseStatus.ARRIVED
    finally:
        sources.register_loan_provider(None)


def test_agreements_and_flights_over_the_api(world, personas):
    client = personas.api_client("finance_officer")
    made = post(
        client,
        "/api/v1/movements/agreements",
        {
            "airline": "KC",
            "reference": "KC-2026",
            "valid_from": "2026-01-01",
            "valid_until": "2026-12-31",
            "currency": "EUR",
            "service_fee": "15.00",
        },
    )
    assert made.status_code == 201 and made.json()["airline"] == "KC"
    fare = client.put(
        f"/api/v1/movements/agreements/{made.json()['id']}/fares",
        json.dumps(
            {"origin": "FRU", "destination": "FRA", "passenger_type": "ADT", "amount": "310.00"}
        ),
        content_type="application/json",
    )
    assert fare.status_code == 200 and fare.json()["origin"] == "BSZ"
    assert post(client, "/api/v1/movements/flights", {}).status_code in (403, 422)
    officer = personas.api_client("movement_officer")
    flight = post(
        officer,
        "/api/v1/movements/flights",
        {
            "airline": "KC",
            "number": "110",
            "origin": "BSZ",
            "destination": "ALA",
            "departs_at": "2026-09-03T08:00:00+06:00",
            "arrives_at": "2026-09-03T07:00:00+05:00",
        },
    )
    assert flight.status_code == 400 and flight.json()["field"] == "arrives_at"


def test_rebook_agreement_patch_and_transit_confirm(world, personas):
    import datetime as dt

    from passage.movements import booking as bk
    from passage.movements import notify
    from passage.movements.tests.conftest import BISHKEK, ISTANBUL, NEW_YORK
    from passage.movements.tests.factories import TransitOfficeFactory

    booking = bk.book_case(
        actor=world.actor,
        case=world.case(),
        agreement=world.agreement,
        flights=[world.first, world.second],
    )
    later = [
        world.flight(
            "345",
            "BSZ",
            "IST",
            dt.datetime(2026, 9, 8, 7, 40, tzinfo=BISHKEK),
            dt.datetime(2026, 9, 8, 10, 30, tzinfo=ISTANBUL),
        ),
        world.flight(
            "1",
            "IST",
            "JFK",
            dt.datetime(2026, 9, 8, 13, 0, tzinfo=ISTANBUL),
            dt.datetime(2026, 9, 8, 16, 30, tzinfo=NEW_YORK),
        ),
    ]
    client = personas.api_client("movement_officer")
    url = f"/api/v1/movements/bookings/{booking.pk}/rebook"
    body = {"flight_ids": [f.pk for f in later], "reason": "schedule change"}
    assert_matrix(
        personas,
        lambda c: post(c, url, body),
        {"anonymous": 401, "case_worker": 403, "embassy_other": 404},
        api=True,
    )
    made = post(client, url, body)
    assert made.status_code == 201 and made.json()["replaces_id"] == booking.pk
    again = post(client, url, body)
    assert again.status_code == 409
    patch = personas.api_client("finance_officer").patch(
        f"/api/v1/movements/agreements/{world.agreement.pk}",
        json.dumps({"baggage_kg": 46, "service_fee": "30.00"}),
        content_type="application/json",
    )
    assert patch.status_code == 200 and patch.json()["baggage_kg"] == 46
    assert (
        personas.api_client("case_worker")
        .patch(
            f"/api/v1/movements/agreements/{world.agreement.pk}",
            "{}",
            content_type="application/json",
        )
        .status_code
        == 403
    )
    TransitOfficeFactory(airport=world.airports["IST"])
    from passage.movements.models import Booking

    [request] = notify.request_transit_assistance(
        actor=world.actor, booking=Booking.objects.get(pk=made.json()["id"])
    )
    confirm = post(
        client,
        f"/api/v1/movements/transit-requests/{request.pk}/confirm",
        {"confirmed_by": "IST desk"},
    )
    assert confirm.status_code == 200 and confirm.json() == {
        "id": request.pk,
        "airport": "IST",
        "status": "confirmed",
        "confirmed_by": "IST desk",
    }
