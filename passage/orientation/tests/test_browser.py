"""In Russian, on a phone: a trainer plans a course, enrols a family, takes attendance
and downloads the certificates."""

import datetime as dt

import pytest
from django.utils import timezone

from passage.orientation.models import Curriculum, Enrolment
from passage.orientation.tests.conftest import family
from passage.orientation.tests.pdftext import page_texts, shows
from passage.registry.choices import Programme
from passage.registry.models import Person
from passage.registry.tests.factories import EmbassyRequestFactory
from passage.testing.browser import login
from passage.testing.factories import PASSWORD


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_trainer_in_russian_plans_enrols_attends_and_prints(live_server, page, personas):
    from django.core.management import call_command

    # A transactional test starts from an empty database: ship the curricula and profiles
    # again by going back before their data migrations, then forward with every app (a
    # migration of another app that depends on them is unapplied on the way back).
    call_command("migrate", "orientation", "0001", verbosity=0)
    call_command("migrate", "profiles", "0001", verbosity=0)
    call_command("migrate", verbosity=0)
    today = timezone.localdate()
    case = family("CA", Programme.CA_GAR, [dt.date(1980, 1, 1), dt.date(1983, 2, 2)])
    dari, cyrillic = (m.person for m in case.memberships.order_by("id"))
    Person.objects.filter(pk=dari.pk).update(given_names="محمد", surname="رحیمی", patronymic="")
    Person.objects.filter(pk=cyrillic.pk).update(given_names="Гүлнара", surname="Осмонова")
    EmbassyRequestFactory(valid_from=today - dt.timedelta(days=10)).cases.add(case)
    curriculum = Curriculum.objects.get(code="ca-coa")
    curriculum.required_hours = curriculum.min_hours = 3  # one evening completes it here
    curriculum.save()

    page.set_viewport_size({"width": 390, "height": 844})
    login(page, live_server, "co_trainer", PASSWORD)
    with page.expect_navigation():
        page.select_option("#language-switcher select", "ru")
    page.goto(f"{live_server.url}/orientation/")
    assert page.locator("main h1").inner_text() == "Культурная ориентация"
    page.click("#plan-course")
    page.select_option("#id_curriculum", label=f"{curriculum}")
    page.fill("#id_title", "COA Бишкек")
    page.fill("#id_venue", "Бишкек")
    page.click("#course-form button[type=submit]")
    page.wait_for_url("**/orientation/courses/*/")
    page.click("#session-form >> xpath=..//summary")
    page.fill("#id_day", today.isoformat())
    page.fill("#id_start", "00:00")
    page.fill("#id_end", "03:00")
    page.click("#session-form button[type=submit]")
    page.wait_for_selector("#sessions >> text=00:00")
    page.fill("#id_file_number", case.file_number)
    page.click("#enrol-form button[type=submit]")
    page.wait_for_url("**/enrol/**")
    page.click("#members-form button[type=submit]")
    page.wait_for_selector("text=Записаны")
    assert page.locator("#places").inner_text() == "2/25"

    page.click("#sessions >> text=Посещаемость")
    page.wait_for_url("**/attendance/")
    rows = page.locator(".attendance-row")
    assert rows.count() == 2
    # Too long first: refused with a message, nothing saved.
    rows.nth(0).locator("input").fill("3.5")
    rows.nth(1).locator("input").fill("3")
    page.click("#attendance-form button[type=submit]")
    assert "дольше занятия" in page.locator("#attendance-error").inner_text()
    assert not Enrolment.objects.filter(hours_attended__gt=0).exists()
    rows.nth(0).get_by_role("button", name="Присутствовал(а)").click()
    page.click("#attendance-form button[type=submit]")
    page.wait_for_selector("text=Посещаемость сохранена")
    assert Enrolment.objects.filter(completed_on=today).count() == 2

    course_id = Enrolment.objects.values_list("course_id", flat=True).first()
    page.goto(f"{live_server.url}/orientation/courses/{course_id}/")
    with page.expect_download() as download:
        page.click("#print-certificates")
    with open(download.value.path(), "rb") as handle:
        pdf = handle.read()
    pages = page_texts(pdf)
    assert len(pages) == 2
    assert any(shows(p, "رحیمی محمد") for p in pages)
    assert any(shows(p, "Осмонова Гүлнара") for p in pages)
    assert all(shows(p, "Сертификат об участии") for p in pages)
