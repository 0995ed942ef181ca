from datetime import date

import pytest
import time_machine
from django.urls import reverse

from passage.core.models import AuditEvent
from passage.profiles import queries
from passage.profiles.models import DestinationProfile, Holiday
from passage.profiles.tests.factories import HolidayFactory
from passage.testing.personas import assert_matrix

pytestmark = pytest.mark.django_db

READ = {
    "anonymous": 302,
    "outsider": 403,
    "embassy_us": 403,
    "embassy_other": 403,
    "unhcr": 403,
    "stats_reader": 403,
    "vac_officer": 403,
    "admin": 200,
    "case_worker": 200,
    "medical_officer": 200,
    "movement_officer": 200,
    "co_trainer": 200,
    "finance_officer": 200,
}
READ_OBJECT = {
    **READ,
    "embassy_us": 404,
    "embassy_other": 404,
    "unhcr": 404,
    "stats_reader": 404,
    "vac_officer": 404,
    "outsider": 404,
}
MANAGE_OBJECT = {
    **READ_OBJECT,
    "case_worker": 403,
    "medical_officer": 403,
    "movement_officer": 403,
    "co_trainer": 403,
    "finance_officer": 403,
}


@pytest.fixture
def gar() -> DestinationProfile:
    return queries.profile_for("CA", "ca_gar", date(2026, 6, 1))


def test_list_matrix_and_query_budget(personas, django_assert_num_queries) -> None:
    url = reverse("profiles:list")
    assert_matrix(personas, lambda c: c.get(url), READ)
    client = personas.client("case_worker")
    client.get(url)
    # session, user, second-factor checks, organisation; then one query for every profile
    with django_assert_num_queries(6):
        response = client.get(url)
    body = response.content.decode()
    assert "Canada, government-assisted refugees" in body
    assert f'href="{reverse("profiles:holidays")}"' in body


def test_nav_item_for_readers_only(personas) -> None:
    assert 'data-nav="profiles"' in personas.client("movement_officer").get("/").content.decode()
    assert 'data-nav="profiles"' not in personas.client("embassy_us").get("/").content.decode()


def test_detail_matrix_and_history(personas, gar) -> None:
    url = reverse("profiles:detail", args=[gar.pk])
    assert_matrix(personas, lambda c: c.get(url), READ_OBJECT)
    body = personas.client("admin").get(url).content.decode()
    assert "canada.ca" in body and "Friday" in body and "New version from this one" in body
    assert (
        "New version from this one" not in personas.client("case_worker").get(url).content.decode()
    )


@time_machine.travel("2026-06-01 09:00Z", tick=False)
def test_new_version_form(personas, gar) -> None:
    url = reverse("profiles:new_version", args=[gar.pk])
    assert_matrix(personas, lambda c: c.get(url), {**MANAGE_OBJECT})
    form = personas.client("admin").get(url).content.decode()
    assert 'value="2026-06-01"' in form and 'value="75"' in form
    data = {
        "effective_from": "2026-09-01",
        "change_note": "Mondays too",
        "source_note": gar.source_note,
        "source_url": gar.source_url,
        "unverified_note": gar.unverified_note,
        "co_requirement": "optional",
        "required_documents": ["copr"],
        "arrival_refused_weekdays": ["1", "5", "6", "7"],
        "arrival_refused_on_holidays": "on",
        "medical_required": "on",
        "medical_validity_months": "12",
        "max_refugees_per_flight": "60",
        "arrival_notification_working_days": "10",
        "copr_ends_with_medical_and_passport": "on",
        "icrc_document_max_months": "3",
        "travel_loan_required": "on",
        "loan_repayment_start_months": "12",
        "promissory_note_min_age": "18",
    }
    response = personas.client("admin").post(url, data)
    assert response.status_code == 302
    new = queries.profile_for("CA", "ca_gar", date(2026, 9, 1))
    assert new.arrival_refused_weekdays == [1, 5, 6, 7]
    assert new.max_refugees_per_flight == 60 and new.change_note == "Mondays too"
    assert queries.profile_for("CA", "ca_gar", date(2026, 8, 31)) == gar
    detail = personas.client("admin").get(reverse("profiles:detail", args=[new.pk]))
    assert "max_refugees_per_flight" in detail.content.decode()  # the diff in the history

    again = personas.client("admin").post(url, {**data, "effective_from": "2026-05-01"})
    assert again.status_code == 200
    assert "cannot take effect in the past" in again.content.decode()

    withdraw = reverse("profiles:withdraw", args=[new.pk])
    assert personas.client("movement_officer").post(withdraw).status_code == 403
    assert personas.client("admin").post(withdraw).status_code == 302
    assert not DestinationProfile.objects.filter(pk=new.pk).exists()


def test_holiday_pages(personas) -> None:
    HolidayFactory.create(country="CA", date=date(2026, 7, 1), name="Canada Day")
    url = reverse("profiles:holidays") + "?country=CA&year=2026"
    assert_matrix(personas, lambda c: c.get(url), READ)
    assert "Canada Day" in personas.client("medical_officer").get(url).content.decode()
    partial = personas.client("admin").get(url, headers={"HX-Request": "true"})
    assert b"<html" not in partial.content and b"Canada Day" in partial.content

    add = reverse("profiles:holiday_add")
    data = {"country": "CA", "date": "2026-11-11", "name": "Remembrance Day", "source": "ON"}
    assert_matrix(
        personas,
        lambda c: c.post(add, data),
        {"anonymous": 302, "outsider": 403, "embassy_us": 403, "case_worker": 403},
    )
    assert personas.client("admin").post(add, data).status_code == 302
    holiday = Holiday.objects.get(name="Remembrance Day")
    remove = reverse("profiles:holiday_remove", args=[holiday.pk])
    assert_matrix(
        personas,
        lambda c: c.post(remove),
        {"anonymous": 302, "outsider": 404, "embassy_us": 404, "case_worker": 403},
    )
    assert personas.client("admin").post(remove).status_code == 302
    assert not Holiday.objects.filter(pk=holiday.pk).exists()

    seed = reverse("profiles:holiday_seed")
    seed_data = {"country": "GB", "first_year": "2026", "last_year": "2026"}
    assert personas.client("case_worker").post(seed, seed_data).status_code == 403
    assert personas.client("admin").post(seed, seed_data).status_code == 302
    assert Holiday.objects.filter(country="GB", date=date(2026, 12, 25)).exists()


def test_api_matrix_and_lookup(personas, gar) -> None:
    # Over the API an outsider (no organisation, no role) cannot authenticate at all.
    api_read = {k: (401 if v == 302 else v) for k, v in READ.items()} | {"outsider": 401}
    assert_matrix(personas, lambda c: c.get("/api/v1/profiles"), api_read, api=True)
    rows = personas.api_client("movement_officer").get("/api/v1/profiles?country=CA").json()
    assert {r["programme"] for r in rows} == {
        "",
        "ca_gar",
        "self_paying",
    }  # self_paying: shipped by tickets

    lookup = "/api/v1/profiles/lookup?country=CA&programme=ca_gar&on=2026-06-01"
    assert_matrix(personas, lambda c: c.get(lookup), api_read, api=True)
    body = personas.api_client("case_worker").get(lookup).json()
    assert body["id"] == gar.pk and body["arrival_refused_weekdays"] == [5, 6, 7]
    missing = personas.api_client("case_worker").get("/api/v1/profiles/lookup?country=TJ")
    assert missing.status_code == 400 and missing.json()["code"] == "no_profile"

    one = f"/api/v1/profiles/{gar.pk}"
    assert_matrix(
        personas,
        lambda c: c.get(one),
        {k: (401 if v == 302 else v) for k, v in READ_OBJECT.items()} | {"outsider": 401},
        api=True,
    )

    HolidayFactory.create(country="CA", date=date(2026, 7, 1), name="Canada Day")
    holidays = "/api/v1/holidays?country=CA&year=2026"
    assert_matrix(personas, lambda c: c.get(holidays), api_read, api=True)
    assert personas.api_client("admin").get(holidays).json()[0]["name"] == "Canada Day"


@time_machine.travel("2026-06-01 09:00Z", tick=False)
def test_api_new_version(personas, gar) -> None:
    url = f"/api/v1/profiles/{gar.pk}/versions"
    payload = {
        "effective_from": "2026-10-01",
        "source_note": "ROC circular",
        "rules": {"max_refugees_per_flight": 50},
    }
    assert_matrix(
        personas,
        lambda c: c.post(url, payload, content_type="application/json"),
        {"anonymous": 401, "outsider": 401, "embassy_other": 404, "case_worker": 403},
        api=True,
    )
    response = personas.api_client("admin").post(url, payload, content_type="application/json")
    assert response.status_code == 201
    assert response.json()["max_refugees_per_flight"] == 50
    assert response.json()["arrival_refused_on_holidays"] is True
    bad = personas.api_client("admin").post(
        url,
        {
            **payload,
            "effective_from": "2026-10-02",
            "rules": {"medical_min_months_before_departure": 13},
        },
        content_type="application/json",
    )
    assert bad.status_code == 400 and bad.json()["field"] == "medical_min_months_before_departure"
    unknown = personas.api_client("admin").post(
        url,
        {**payload, "effective_from": "2026-10-02", "rules": {"colour": "blue"}},
        content_type="application/json",
    )
    assert unknown.status_code == 422
    assert AuditEvent.objects.filter(action="profile.create_version").count() == 1


def test_detail_and_holiday_query_budgets(personas, gar, django_assert_num_queries):
    client = personas.client("admin")
    detail = reverse("profiles:detail", args=[gar.pk])
    holidays = reverse("profiles:holidays") + "?country=CA&year=2026"
    client.get(detail)
    # session, user, second-factor checks, organisation; the version; its history (with
    # authors); the permission check for the manage button
    with django_assert_num_queries(8):
        client.get(detail)
    for day in range(1, 11):
        HolidayFactory.create(country="CA", date=date(2026, 3, day), name=f"Day {day}")
    client.get(holidays)
    with django_assert_num_queries(6):  # the five above, then the holidays with their authors
        response = client.get(holidays)
    assert response.content.decode().count("Day ") == 10
