"""Pages: permission matrices, the booking wizard with refusals, departure-day flow, queries."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from passage.movements import booking as bk
from passage.movements import queries
from passage.movements.models import Booking
from passage.movements.tests.conftest import latest_manifest
from passage.registry.choices import CaseStatus
from passage.testing.personas import assert_matrix

pytestmark = pytest.mark.django_db


def getter(url: str) -> Any:
    return lambda c: c.get(url)


READ = {
    "anonymous": 302,
    "outsider": 403,
    "embassy_us": 403,
    "embassy_other": 403,
    "case_worker": 200,
    "movement_officer": 200,
    "finance_officer": 200,
}


@pytest.fixture
def booked(world):
    return bk.book_case(
        actor=world.actor,
        case=world.case(adults=2, infants=1),
        agreement=world.agreement,
        flights=[world.first, world.second],
    )


def test_read_pages_matrix(world, personas, booked):
    manifest = latest_manifest(world.first)
    for url in [reverse("movements:calendar"), reverse("movements:agreements")]:
        assert_matrix(personas, getter(url), READ)
    hidden = {**READ, "outsider": 404, "embassy_us": 404, "embassy_other": 404}
    for url in [
        reverse("movements:agreement", args=[world.agreement.pk]),
        reverse("movements:flight", args=[world.first.pk]),
        reverse("movements:manifest_file", args=[manifest.pk, "pdf"]),
        reverse("movements:manifest_file", args=[manifest.pk, "xlsx"]),
    ]:
        assert_matrix(personas, getter(url), hidden)
    # A booking is about a case: the US embassy sees its country's booking, Sweden does not.
    page = reverse("movements:booking", args=[booked.pk])
    assert_matrix(
        personas,
        lambda c: c.get(page),
        {**READ, "outsider": 404, "embassy_us": 200, "embassy_other": 404, "stats_reader": 404},
    )


def test_write_pages_matrix(world, personas, booked):
    case = world.case()
    url = reverse("movements:book", args=[case.pk])
    assert_matrix(
        personas,
        getter(url),
        {
            "anonymous": 302,
            "outsider": 404,
            "embassy_other": 404,
            "embassy_us": 403,
            "case_worker": 403,
            "movement_officer": 200,
        },
    )
    new = reverse("movements:flight_new")
    assert_matrix(
        personas,
        lambda c: c.get(new),
        {
            "anonymous": 302,
            "outsider": 403,
            "case_worker": 403,
            "finance_officer": 403,
            "movement_officer": 200,
        },
    )
    agreement = reverse("movements:agreement_new")
    assert_matrix(
        personas,
        lambda c: c.get(agreement),
        {"anonymous": 302, "case_worker": 403, "finance_officer": 200, "movement_officer": 200},
    )
    day = reverse("movements:day")
    assert_matrix(
        personas,
        lambda c: c.get(day),
        {
            "anonymous": 302,
            "outsider": 403,
            "embassy_us": 403,
            "case_worker": 403,
            "movement_officer": 200,
        },
    )
    action = reverse("movements:booking_action", args=[booked.pk, "fit"])
    assert_matrix(
        personas,
        lambda c: c.post(action),
        {
            "anonymous": 302,
            "outsider": 404,
            "embassy_other": 404,
            "embassy_us": 403,
            "case_worker": 403,
        },
    )


def test_wizard_books_and_shows_every_refusal(world, personas):
    client = personas.client("movement_officer")
    case = world.case()
    world.blockers[case.pk] = ["Passport expires before departure", "CO not attended"]
    url = reverse("movements:book", args=[case.pk])
    page = client.get(url)
    assert world.first.designator in page.content.decode()
    data = {
        "agreement": world.agreement.pk,
        "flights": [world.first.pk, world.second.pk],
        "people": [str(m.person_id) for m in case.memberships.all()],
    }
    refused = client.post(url, data).content.decode()
    assert "Passport expires before departure" in refused and "CO not attended" in refused
    world.blockers.clear()
    done = client.post(url, data)
    booking = Booking.objects.get(case=case)
    assert done.status_code == 302 and done["Location"] == reverse(
        "movements:booking", args=[booking.pk]
    )
    assert "TK345" in client.get(done["Location"]).content.decode()


def test_departure_day_screen_flow(world, personas, booked):
    from passage.movements import sources

    sources.register_loan_provider(lambda case: True)
    try:
        client = personas.client("movement_officer")
        day = reverse("movements:day") + "?date=2026-09-01"
        assert booked.case.file_number in client.get(day).content.decode()
        t = booked.travellers.first()
        hx = client.post(
            reverse("movements:check_in", args=[t.pk]), {"checked_in": "1"}, HTTP_HX_REQUEST="true"
        )
        assert (
            hx.status_code == 200
            and "Checked in" in hx.content.decode()
            and "<html" not in hx.content.decode()
        )
        for t in booked.travellers.all():
            client.post(reverse("movements:check_in", args=[t.pk]), {"checked_in": "1"})
        # US requires a pre-embarkation check: without the health record it is refused, by name
        page = client.post(
            reverse("movements:booking_action", args=[booked.pk, "fit"]), {"next": day}, follow=True
        ).content.decode()
        assert "requires a pre-embarkation check" in page
        booked.case.refresh_from_db()
        assert booked.case.status == CaseStatus.BOOKED
        no_show = reverse("movements:booking_action", args=[booked.pk, "postpone"])
        page = client.post(
            no_show, {"next": day, "reason": "unwell", "back_to": "booking_requested"}, follow=True
        ).content.decode()
        assert "Postponed." in page
        booked.case.refresh_from_db()
        assert booked.case.status == CaseStatus.BOOKING_REQUESTED
    finally:
        sources.register_loan_provider(None)


def test_calendar_query_budget(world, personas, booked, django_assert_max_num_queries):
    for n in range(5):
        world.flight(
            str(500 + n),
            "BSZ",
            "IST",
            world.first.departs_at.replace(day=2 + n),
            world.first.arrives_at.replace(day=2 + n),
        )
    with django_assert_max_num_queries(6):
        days = queries.calendar(personas.movement_officer, world.first.departs_local.date())
        assert sum(len(f) for _d, f in days) == 7
    client = personas.client("movement_officer")
    with django_assert_max_num_queries(20):
        client.get(reverse("movements:calendar") + "?from=2026-09-01")


def test_booking_list_query_budget(world, personas, booked, django_assert_num_queries):
    for _ in range(3):
        bk.book_case(
            actor=world.actor,
            case=world.case(adults=1),
            agreement=world.agreement,
            flights=[world.first, world.second],
        )
    with django_assert_num_queries(3):
        rows = queries.bookings_on(personas.movement_officer, world.first)
        assert len(rows) == 4
        assert all(len(b.legs.all()) == 2 and b.travellers.all() for b in rows)


def test_read_only_admin_lists(world, personas, booked):
    client = personas.client("admin")
    for model in (
        "airport",
        "airline",
        "codealias",
        "agreement",
        "flight",
        "seatblock",
        "booking",
        "manifest",
    ):
        assert client.get(f"/admin/movements/{model}/").status_code == 200, model


def test_rebook_document_and_transit_pages(world, personas, booked):
    import datetime as dt

    from passage.movements import notify
    from passage.movements.tests.conftest import BISHKEK, ISTANBUL, NEW_YORK
    from passage.movements.tests.factories import TransitOfficeFactory

    client = personas.client("movement_officer")
    t = booked.travellers.first()
    url = reverse("movements:traveller_document", args=[t.pk])
    assert_matrix(
        personas,
        lambda c: c.post(url, {"document": "x"}),
        {"anonymous": 302, "embassy_other": 404, "embassy_us": 403, "case_worker": 403},
    )
    client.post(url, {"document": "passport  p1234567 af"})
    t.refresh_from_db()
    assert t.document == "PASSPORT P1234567 AF"
    assert any(r["document"] == "PASSPORT P1234567 AF" for r in latest_manifest(world.first).rows)
    TransitOfficeFactory(airport=world.airports["IST"])
    [request] = notify.request_transit_assistance(actor=world.actor, booking=booked)
    client.post(
        reverse("movements:transit_confirm", args=[request.pk]), {"confirmed_by": "IST desk"}
    )
    request.refresh_from_db()
    assert request.status == "confirmed" and request.confirmed_by == "IST desk"
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
    page = reverse("movements:rebook", args=[booked.pk])
    assert_matrix(
        personas,
        lambda c: c.get(page),
        {
            "anonymous": 302,
            "embassy_other": 404,
            "embassy_us": 403,
            "case_worker": 403,
            "movement_officer": 200,
        },
    )
    done = client.post(page, {"flights": [f.pk for f in later], "reason": "schedule change"})
    new = Booking.objects.get(replaces=booked)
    assert done["Location"] == reverse("movements:booking", args=[new.pk])
    assert new.departure_date == dt.date(2026, 9, 8)


def test_agreement_terms_page(world, personas):
    url = reverse("movements:agreement_edit", args=[world.agreement.pk])
    assert_matrix(
        personas,
        lambda c: c.get(url),
        {
            "anonymous": 302,
            "embassy_us": 404,
            "case_worker": 403,
            "finance_officer": 200,
            "movement_officer": 200,
        },
    )
    client = personas.client("finance_officer")
    data = {
        "valid_from": "2026-01-01",
        "valid_until": "2026-12-31",
        "currency": "usd",
        "service_fee": "27.50",
        "baggage_kg": 46,
        "baggage_pieces": 2,
        "infant_baggage_kg": 10,
        "rebooking_rules": "Free",
        "refund_rules": "",
        "pregnancy_certificate_from_week": 28,
        "pregnancy_last_week": 36,
        "pregnancy_certificate_max_days": 7,
        "medif_validity_days": 7,
        "notes": "",
    }
    assert client.post(url, data).status_code == 302
    world.agreement.refresh_from_db()
    assert str(world.agreement.service_fee) == "27.50" and world.agreement.currency == "USD"
    bad = client.post(url, {**data, "service_fee": "1.234"})
    assert "two decimals" in bad.content.decode()


def test_flight_booking_and_day_pages_do_not_grow_with_bookings(world, personas, booked):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = personas.client("movement_officer")
    urls = [
        reverse("movements:flight", args=[world.first.pk]),
        reverse("movements:day") + "?date=2026-09-01",
        reverse("movements:calendar") + "?from=2026-08-25",
    ]

    def counts():
        out = []
        for url in urls:
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            out.append(len(ctx))
        return out

    before = counts()
    for _ in range(4):
        bk.book_case(
            actor=world.actor,
            case=world.case(adults=2, infants=1),
            agreement=world.agreement,
            flights=[world.first, world.second],
        )
    assert counts() == before
