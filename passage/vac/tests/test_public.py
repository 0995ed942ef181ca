"""Public pages: booking with its abuse guards, the private link, .ics, status lookup."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from passage.vac import actions
from passage.vac.choices import AppointmentStatus
from passage.vac.models import Appointment, CentreRules
from passage.vac.tests.factories import ApplicantFactory, SlotFactory

pytestmark = pytest.mark.django_db


def form(slot_id: int, **kw: object) -> dict[str, object]:
    data: dict[str, object] = {
        "service": "biometrics",
        "people": 2,
        "slot": slot_id,
        "full_name": "Aibek  Asanov",
        "email": "aibek@example.org",
        "phone": "+996 555 123 456",
        "date_of_birth": "1990-05-17",
        "website": "",
    }
    data.update(kw)
    return data


@pytest.mark.parametrize("name", ["vac:home", "vac:book", "vac:status", "vac:screen"])
def test_public_pages_need_no_login(centre, name):
    response = Client().get(reverse(name))
    assert response.status_code == 200
    assert b'name="viewport"' in response.content


def test_book_shows_released_slots_with_room_only(centre):
    open_slot = SlotFactory(capacity=4)
    SlotFactory(capacity=4, booked=3)  # no room for 2
    later = SlotFactory(release_at=open_slot.release_at + dt.timedelta(days=30))
    response = Client().get(
        reverse("vac:book"),
        {"service": "biometrics", "people": "2"},
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    assert f'value="{open_slot.pk}"' in body
    assert body.count('name="slot"') == 1
    assert f'value="{later.pk}"' not in body


def test_book_through_the_page_then_manage_and_cancel(centre):
    slot = SlotFactory(capacity=4)
    client = Client()
    response = client.post(reverse("vac:book"), form(slot.pk))
    appointment = Appointment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("vac:manage", args=[appointment.token])
    page = client.get(response["Location"]).content.decode()
    assert appointment.reference in page
    ics = client.get(reverse("vac:ics", args=[appointment.token]))
    assert ics["Content-Type"].startswith("text/calendar")
    event = next(c for c in Calendar.from_ical(ics.content).walk() if c.name == "VEVENT")
    assert event.get("dtstart").dt == slot.starts_at
    assert client.post(reverse("vac:cancel", args=[appointment.token])).status_code == 302
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CANCELLED


def test_reschedule_through_the_private_link(centre):
    first, second = SlotFactory(), SlotFactory()
    client = Client()
    client.post(reverse("vac:book"), form(first.pk, people=1))
    appointment = Appointment.objects.get()
    response = client.post(reverse("vac:reschedule", args=[appointment.token]), {"slot": second.pk})
    assert response.status_code == 302
    appointment.refresh_from_db()
    assert appointment.slot == second


def test_a_wrong_token_is_not_found(centre):
    assert Client().get("/vac/a/not-a-real-token-but-long-enough/").status_code == 404


def test_honeypot_refuses_politely_and_books_nothing(centre):
    slot = SlotFactory()
    response = Client().post(reverse("vac:book"), form(slot.pk, website="http://spam"))
    assert response.status_code == 400
    assert b"could not take this booking" in response.content
    assert not Appointment.objects.exists()


def test_full_slot_gives_a_clear_message_and_keeps_the_input(centre):
    slot = SlotFactory(capacity=2, booked=1)
    response = Client().post(reverse("vac:book"), form(slot.pk))
    assert response.status_code == 400
    body = response.content.decode()
    assert "room for 1 more" in body and 'value="aibek@example.org"' in body


def test_a_burst_from_one_address_is_refused_after_the_limit(centre):
    CentreRules.objects.update(
        bookings_per_ip_hour=3, max_future_per_person=10, bookings_per_email_hour=10
    )
    client = Client()
    codes = [
        client.post(
            reverse("vac:book"),
            form(SlotFactory().pk, people=1, email=f"p{i}@example.org", full_name=f"Person {i}"),
        ).status_code
        for i in range(5)
    ]
    assert codes == [302, 302, 302, 429, 429]
    assert Appointment.objects.count() == 3
    refused = client.post(reverse("vac:book"), form(SlotFactory().pk, people=1))
    assert b"Too many attempts" in refused.content and b"aibek@example.org" in refused.content


def test_per_email_limit(centre):
    CentreRules.objects.update(bookings_per_email_hour=1, max_future_per_person=10)
    first = Client(REMOTE_ADDR="10.0.0.1").post(reverse("vac:book"), form(SlotFactory().pk))
    second = Client(REMOTE_ADDR="10.0.0.2").post(reverse("vac:book"), form(SlotFactory().pk))
    assert (first.status_code, second.status_code) == (302, 429)


def _lookup(client: Client, reference: str, born: str) -> tuple[int, str]:
    response = client.post(reverse("vac:status"), {"reference": reference, "date_of_birth": born})
    return response.status_code, response.content.decode()


def _result(body: str) -> str:
    start = body.index('id="status-result"')
    return body[start : body.index("</article>", start)]


def test_status_lookup_shows_the_passport_and_no_personal_data(centre, personas):
    applicant = ApplicantFactory(
        date_of_birth=dt.date(1992, 3, 8),
        given_names="Aigerim",
        family_name="Asanova",
        passport_number="AC7654321",
    )
    actions.receive_passport(actor=personas.vac_officer, applicant=applicant)
    reference = applicant.application.reference
    code, body = _lookup(Client(), reference.lower().replace("-", ""), "1992-03-08")
    result = _result(body)
    assert code == 200 and "Received at the centre" in result
    assert "Asanova" not in body and "AC7654321" not in body and "Aigerim" not in body


def test_wrong_birth_date_and_unknown_reference_look_the_same(centre):
    applicant = ApplicantFactory(date_of_birth=dt.date(1992, 3, 8))
    wrong = _lookup(Client(), applicant.application.reference, "1992-03-09")
    unknown = _lookup(Client(), "AAA-AAA-AAA", "1992-03-08")
    assert wrong[0] == unknown[0] == 200
    assert _result(wrong[1]) == _result(unknown[1])


def test_status_lookup_is_rate_limited(centre):
    CentreRules.objects.update(lookups_per_ip_hour=2)
    client = Client()
    codes = [_lookup(client, "AAA-AAA-AAA", "1990-01-01")[0] for _ in range(3)]
    assert codes == [200, 200, 429]


def test_screen_shows_numbers_only(centre, personas):
    actions.issue_ticket(actor=personas.vac_officer, service="biometrics", name="Secret Name")
    actions.call_next(actor=personas.vac_officer, desk="3")
    body = Client().get(reverse("vac:screen"), headers={"HX-Request": "true"}).content.decode()
    assert "W001" in body and "Secret Name" not in body


@pytest.mark.parametrize(
    ("language", "text"), [("ru", "Записаться на приём"), ("ky", "Кабыл алууга жазылуу")]
)
def test_public_pages_speak_russian_and_kyrgyz(centre, language, text):
    client = Client()
    client.cookies["passage_language"] = language
    assert text in client.get(reverse("vac:book")).content.decode()


def test_booking_in_russian_keeps_the_language_for_messages(centre):
    client = Client()
    client.cookies["passage_language"] = "ru"
    client.post(reverse("vac:book"), form(SlotFactory().pk))
    assert Appointment.objects.get().language == "ru"


def test_lookup_does_the_same_queries_whatever_the_answer(centre, django_assert_num_queries):
    from passage.vac import queries

    applicant = ApplicantFactory(date_of_birth=dt.date(1992, 3, 8))
    reference = applicant.application.reference
    for ref, born in [
        (reference, dt.date(1992, 3, 8)),
        (reference, dt.date(1992, 3, 9)),
        ("AAA-AAA-AAA", dt.date(1992, 3, 8)),
    ]:
        with django_assert_num_queries(2):
            queries.lookup_status(ref, born)
