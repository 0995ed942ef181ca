"""Certificates (PDF text layer with Cyrillic and Arabic names) and iCalendar feeds."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from icalendar import Calendar

from passage.core.errors import ActionError
from passage.orientation import certificates, enrolment
from passage.orientation.tests.conftest import members
from passage.orientation.tests.pdftext import page_texts, shows
from passage.registry.models import Person

pytestmark = pytest.mark.django_db

NAMES = [
    ("محمد", "رحیمی", "Mohammad", "Rahimi"),  # Dari
    ("ئابدۇرېھىم", "ئۆتكۈر", "Abdurehim", "Otkur"),  # Uyghur
]


@pytest.fixture
def completed(world, personas):
    people = members(world.us_case)
    for person, (given, surname, latin_given, latin_surname) in zip(people, NAMES, strict=False):
        Person.objects.filter(pk=person.pk).update(
            given_names=given, surname=surname, patronymic="",
            latin_given_names=latin_given, latin_surname=latin_surname,
        )  # fmt: skip
    world.curriculum.required_hours = Decimal(4)  # one session completes the test course
    world.curriculum.min_hours = Decimal(2)
    world.curriculum.save()
    result = enrolment.enrol_case(
        actor=personas.co_trainer, course=world.course, case=world.us_case
    )
    enrolment.record_attendance(
        actor=personas.co_trainer,
        session=world.session,
        hours={e.pk: Decimal(4) for e in result.enrolled},
    )
    return [e.__class__.objects.select_related("person").get(pk=e.pk) for e in result.enrolled]


def test_batch_certificate_shows_names_in_arabic_script_and_latin_in_russian(world, completed):
    with translation.override("ru"):
        pdf = certificates.render(world.course, completed)
    assert pdf.startswith(b"%PDF")
    pages = page_texts(pdf)
    assert len(pages) == 2
    for page, (given, surname, latin_given, latin_surname) in zip(pages, NAMES, strict=True):
        assert shows(page, f"{surname} {given}")
        assert shows(page, f"{latin_surname} {latin_given}")
        assert shows(page, "Сертификат об участии")
    assert not shows(pages[0], "ئۆتكۈر")


def test_cyrillic_names_and_the_font_shipped(world, personas):
    person = members(world.us_case)[0]
    Person.objects.filter(pk=person.pk).update(
        surname="Осмонова", given_names="Гүлнара", patronymic="Ҷӯраевна"
    )
    result = enrolment.enrol_case(
        actor=personas.co_trainer, course=world.course, case=world.us_case,
        people=[Person.objects.get(pk=person.pk)],
    )  # fmt: skip
    record = result.enrolled[0]
    record.completed_on, record.hours_attended = dt.date(2026, 6, 1), Decimal(16)
    pdf = certificates.render(world.course, [record])
    assert shows(page_texts(pdf)[0], "Осмонова Гүлнара Ҷӯраевна")
    assert (certificates.FONTS / "NotoNaskhArabic-Regular.ttf").stat().st_size < 300_000


def test_no_certificate_before_completion(world, personas):
    result = enrolment.enrol_case(
        actor=personas.co_trainer, course=world.course, case=world.us_case
    )
    with pytest.raises(ActionError, match="0 of 16 hours"):
        certificates.render(world.course, result.enrolled)
    response = personas.client("co_trainer").get(
        reverse("orientation:certificate", args=[result.enrolled[0].pk])
    )
    assert response.status_code == 302


def test_certificate_downloads_and_matrix(world, personas, completed):
    from passage.testing.personas import assert_matrix

    url = reverse("orientation:course_certificates", args=[world.course.pk])
    assert_matrix(
        personas,
        lambda c: c.get(url),
        {
            "anonymous": 302, "outsider": 404, "embassy_us": 404, "embassy_other": 404,
            "case_worker": 403, "co_trainer": 200, "admin": 200,
        },
    )  # fmt: skip
    response = personas.client("co_trainer").get(
        reverse("orientation:certificate", args=[completed[0].pk])
    )
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_session_download_is_valid_icalendar(world, personas):
    response = personas.client("co_trainer").get(
        reverse("orientation:session_ics", args=[world.session.pk])
    )
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    (event,) = calendar.walk("VEVENT")
    assert str(event["summary"]) == "USRAP CO June"
    assert event.decoded("dtstart") == world.session.starts_at
    assert event.decoded("dtend") - event.decoded("dtstart") == dt.timedelta(hours=4)


def test_trainer_feed_with_a_secret_address(world, personas):
    client = personas.client("co_trainer")
    response = client.post(reverse("orientation:calendar"))
    address = response.context["address"]
    secret = address.rsplit("/", 1)[1].removesuffix(".ics")
    anonymous = personas.client("anonymous")
    feed = anonymous.get(reverse("orientation:feed", args=[secret]))
    assert feed.status_code == 200
    events = Calendar.from_ical(feed.content).walk("VEVENT")
    assert [str(e["uid"]) for e in events] == [f"co-session-{world.session.pk}@testserver"]
    # A new address retires the old one; a wrong one finds nothing.
    client.post(reverse("orientation:calendar"))
    assert anonymous.get(reverse("orientation:feed", args=[secret])).status_code == 404
    assert anonymous.get(reverse("orientation:feed", args=["guess"])).status_code == 404
    assert personas.client("case_worker").post(reverse("orientation:calendar")).status_code == 403
