"""A case worker finds a person by a Cyrillic spelling and opens the case, in Russian."""

import pytest

from passage.testing.browser import login
from passage.testing.factories import PASSWORD


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_case_worker_finds_a_person_in_cyrillic_and_opens_the_case(
    page, live_server, personas, world
):
    login(page, live_server, "case_worker", PASSWORD)
    page.select_option("#language-switcher select", "ru")
    page.wait_for_load_state()
    page.click('a[data-nav="people"]')
    assert page.locator("h1").inner_text() == "Люди"
    page.fill("#id_q", "Мухамадали Джумабеков")
    hit = page.locator("#person-results tr.hit").first
    hit.wait_for()
    assert "Zhumabekov Mukhammadali" in hit.inner_text()
    hit.locator("a.case-link").click()
    page.wait_for_url(f"**/registry/cases/{world['us'].pk}/")
    assert page.locator("h1").inner_text() == f"Дело {world['us'].file_number}"
    assert "Открыто" in page.locator("#case-status").inner_text()
    cells = page.locator("#members td.relationship")
    assert cells.filter(has_text="Основной заявитель").count() == 1
    # Change the wife's relationship on the page (htmx swaps the case in place).
    row = page.locator("#members tbody tr").filter(has_text="Zarina")
    assert "Супруг" in row.locator("td.relationship").inner_text()
    row.locator("details.change-relationship summary").click()
    row.locator('select[name="relationship"]').select_option("sibling")
    row.locator('details.change-relationship button[type="submit"]').click()
    page.locator("#case-main .flash").filter(has_text="теперь записан").wait_for()
    row = page.locator("#members tbody tr").filter(has_text="Zarina")
    assert "Супруг" not in row.locator("td.relationship").inner_text()
    assert cells.filter(has_text="Основной заявитель").count() == 1
