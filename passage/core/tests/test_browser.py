import pytest

from passage.testing.browser import login
from passage.testing.factories import PASSWORD


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_case_worker_switches_to_russian_and_sees_translated_navigation(
    live_server, page, personas
):
    login(page, live_server, "case_worker", PASSWORD)
    nav = page.locator("header nav")
    assert nav.locator('[data-nav="jobs"]').inner_text() == "Jobs"
    with page.expect_navigation():
        page.select_option("#language-switcher select", "ru")
    assert page.locator("html").get_attribute("lang") == "ru"
    assert nav.locator('[data-nav="jobs"]').inner_text() == "Задания"
    assert "Добро пожаловать" in page.locator("main h1").inner_text()
    # Kyrgyz too, and the choice sticks across pages.
    with page.expect_navigation():
        page.select_option("#language-switcher select", "ky")
    page.goto(f"{live_server.url}/jobs/")
    assert page.locator('[data-nav="jobs"]').inner_text() == "Тапшырмалар"
    assert page.locator("main h1").inner_text() == "Тапшырмалар"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_job_progress_bar_updates_in_the_browser(live_server, page, personas):
    login(page, live_server, "admin", PASSWORD)
    page.goto(f"{live_server.url}/audit/")
    page.click("text=Export as CSV")
    page.wait_for_url("**/jobs/*/")
    # The worker runs in-process in tests; the page polls with htmx until the job ends.
    page.wait_for_selector("text=Succeeded")
    assert page.locator("#job-bar").get_attribute("value") == "100"
    assert page.locator("text=Download").count() == 1
