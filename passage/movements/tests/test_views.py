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
