"""A finance officer registers a walk-in family at the counter, in Russian, and goes
straight on to the new case's fares."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from passage.registry.choices import Programme
from passage.registry.models import Case
from passage.testing.browser import login
from passage.testing.factories import PASSWORD


def fill_row(page: Any, index: int, values: dict[str, str]) -> None:
    for name, value in values.items():
        page.fill(f"[name=people-{index}-{name}]", value)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_register_a_family_at_the_counter_in_russian(
    live_server: Any, page: Any, personas: Any
) -> None:
    login(page, live_server, "finance_officer", PASSWORD)
    page.select_option("#language-switcher select", "ru")
    page.wait_for_load_state()
    page.click('[data-nav="tickets"]')
    page.click("#register-link")
    assert page.locator("h1").inner_text() == "Регистрация пассажира и его семьи"
    page.fill("#id_consent_date", (timezone.localdate() - dt.timedelta(days=1)).isoformat())
    page.select_option("#id_destination_country", "CA")
    fill_row(
        page,
        0,
        {"given_names": "Бакыт", "surname": "Асанов", "date_of_birth": "1985-04-12"},
    )
    page.select_option("[name=people-0-sex]", "M")
    page.fill("[name=people-0-phones]", "0555 123 456")
    for index, (given, sex, born, relationship) in enumerate(
        (("Айгуль", "F", "1988-09-03", "spouse"), ("Эмир", "M", "", "child")), start=1
    ):
        page.click("#add-row")
        page.wait_for_selector(f"[name=people-{index}-given_names]")
        assert page.locator(f"#row-people-{index} legend").inner_text() == f"Пассажир {index + 1}"
        fill_row(page, index, {"given_names": given, "surname": "Асанов" + "а" * (sex == "F")})
        if born:
            page.fill(f"[name=people-{index}-date_of_birth]", born)
        page.select_option(f"[name=people-{index}-sex]", sex)
        page.select_option(f"[name=people-{index}-relationship]", relationship)
    page.click("#register-submit")
    error = page.locator("#row-people-2 .errorlist")
    error.wait_for()
    assert error.inner_text().startswith("Строка 3, дата рождения:")
    assert not Case.objects.exists()

    page.fill("[name=people-2-date_of_birth]", "2024-01-01")
    page.check("[name=people-2-date_of_birth_estimated]")
    page.click("#register-submit")
    page.wait_for_url("**/tickets/cases/*/")
    case = Case.objects.get()
    assert case.programme == Programme.SELF_PAYING and case.destination_country == "CA"
    assert f"Дело {case.file_number} открыто, пассажиров: 3" in page.locator(".flash").inner_text()
    assert page.locator("h1").inner_text().startswith(case.file_number)
    rows = page.locator("table.compact").first.locator("tbody tr")
    assert rows.count() == 3 and "Asanov Bakyt" in rows.first.inner_text()
    assert "Основной заявитель" in rows.first.inner_text()
    page.fill("#id_day", (timezone.localdate() + dt.timedelta(days=14)).isoformat())
    page.click("button:has-text('Показать тарифы')")
    page.wait_for_selector("#missing")
    assert "В этот день забронировать пока нельзя" in page.locator("#missing").inner_text()
