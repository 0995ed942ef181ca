"""Pages and API: who may see them, partners' slices, records behind figures, audit."""

from __future__ import annotations

import datetime as dt

import pytest

from passage.core.models import AuditEvent
from passage.profiles.choices import Programme
from passage.stats.tests.helpers import BISHKEK, departed_case
from passage.testing.personas import assert_matrix

pytestmark = pytest.mark.django_db
AT = dt.datetime(2007, 5, 10, 9, 0, tzinfo=BISHKEK)
PERIOD = {"start": "2007-01-01", "end": "2007-12-31"}
PAGE_MATRIX: dict[str, int | tuple[int, ...]] = {
    "anonymous": 302, "outsider": 403, "embassy_other": 200, "embassy_us": 200, "unhcr": 200,
    "stats_reader": 200, "case_worker": 200, "admin": 200, "vac_officer": 200,
}  # fmt: skip
API_MATRIX: dict[str, int | tuple[int, ...]] = {
    "anonymous": 401, "outsider": (401, 403), "embassy_other": 200, "stats_reader": 200,
    "movement_officer": 200,
}  # fmt: skip


@pytest.fixture
def cases(db) -> None:
    departed_case("US", Programme.USRAP_P1, [("M", dt.date(1980, 1, 1)), ("F", None)], AT)
    departed_case("SE", Programme.EU_QUOTA, [("F", dt.date(1999, 1, 1))], AT)


@pytest.mark.parametrize(
    "url",
    ["/stats/", "/stats/pipeline/", "/stats/records/", "/stats/export/?format=hxl&by=year",
     "/stats/records/export/"],
)  # fmt: skip
def test_page_matrix(personas, cases, url) -> None:
    assert_matrix(personas, lambda c: c.get(url, PERIOD), PAGE_MATRIX)


@pytest.mark.parametrize("url", ["/api/v1/stats/departures", "/api/v1/stats/pipeline"])
def test_api_matrix(personas, cases, url) -> None:
    assert_matrix(personas, lambda c: c.get(url, PERIOD), API_MATRIX, api=True)


def test_partner_sees_only_their_slice_on_page_and_api(personas, cases) -> None:
    page = personas.client("embassy_other").get("/stats/", PERIOD)
    assert [r["value"] for r in page.context["destinations"]["rows"]] == ["SE"]
    api = personas.api_client("embassy_us").get(
        "/api/v1/stats/departures", {**PERIOD, "by": "destination"}
    )
    (row,) = api.json()["rows"]
    assert (row["destination"], row["persons"]) == ("US", 2)
    records = personas.client("embassy_us").get("/stats/records/", PERIOD)
    assert {r["case__destination_country"] for r in records.context["items"]} == {"US"}


def test_api_refuses_bad_parameters_with_the_field(personas, cases) -> None:
    client = personas.api_client("stats_reader")
    response = client.get("/api/v1/stats/departures", {"start": "2007-13-01"})
    assert response.status_code == 400
    assert response.json()["field"] == "from"
    response = client.get("/api/v1/stats/departures", {**PERIOD, "by": "colour"})
    assert response.json() | {"message": ""} == {
        "code": "unknown_key",
        "field": "by",
        "message": "",
    }


def test_page_figures_link_to_their_records(personas, cases) -> None:
    client = personas.client("stats_reader")
    page = client.get("/stats/", PERIOD)
    for row in page.context["destinations"]["rows"]:
        records = client.get(row["url"])
        assert records.context["total"] == row["persons"]
    year_line = page.context["years"]["lines"][0]
    assert client.get(year_line["url"]).context["total"] == year_line["total"] == 3


def test_records_show_names_only_to_registry_readers_and_audit_them(personas, cases) -> None:
    reader = personas.client("stats_reader").get("/stats/records/", PERIOD)
    assert not reader.context["show_names"]
    assert all(r["name"] == "" for r in reader.context["items"])
    assert not AuditEvent.objects.filter(action="stats.view_records").exists()
    worker = personas.client("case_worker").get("/stats/records/", PERIOD)
    assert worker.context["show_names"]
    assert all(r["name"] for r in worker.context["items"])
    event = AuditEvent.objects.get(action="stats.view_records")
    assert len(event.extra["people"]) == 3 and event.actor == personas.case_worker


def test_record_export_is_audited_and_aggregate_export_is_not(personas, cases) -> None:
    client = personas.client("case_worker")
    aggregate = client.get("/stats/export/", {**PERIOD, "by": "destination,sex", "format": "csv"})
    assert aggregate.content.decode().splitlines() == [
        "destination,sex,persons", "SE,F,1", "US,F,1", "US,M,1",
    ]  # fmt: skip
    assert not AuditEvent.objects.filter(action__startswith="stats.export").exists()
    records = client.get("/stats/records/export/", PERIOD)
    assert records.status_code == 200 and len(records.content.decode().splitlines()) == 4
    event = AuditEvent.objects.get(action="stats.export_records")
    assert event.extra["rows"] == 3 and event.extra["names"] is True


def test_xlsx_export(personas, cases) -> None:
    import io

    import openpyxl

    response = personas.client("stats_reader").get(
        "/stats/export/", {**PERIOD, "format": "xlsx", "by": "year"}
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert [[c.value for c in r] for r in sheet.iter_rows()] == [["year", "persons"], [2007, 3]]


def test_bad_filters_are_shown_on_the_page(personas, cases) -> None:
    response = personas.client("stats_reader").get(
        "/stats/", {"start": "2008-01-01", "end": "2007-01-01"}
    )
    assert response.status_code == 400
    assert "The period is empty" in response.content.decode()


def test_htmx_request_gets_the_results_partial(personas, cases) -> None:
    response = personas.client("stats_reader").get(
        "/stats/", PERIOD, headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert 'id="stats-results"' in body and "<html" not in body


def test_records_page_query_count_does_not_grow(personas, django_assert_num_queries, cases) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = personas.client("case_worker")
    client.get("/stats/records/", PERIOD)  # warm the session
    with CaptureQueriesContext(connection) as few:
        client.get("/stats/records/", PERIOD)
    for i in range(5):
        departed_case("US", Programme.USRAP_P1, [("M", None)] * 4, AT + dt.timedelta(days=i))
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get("/stats/records/", PERIOD)
    assert response.context["total"] == 23


def test_pipeline_counts_cases_by_status_and_destination(personas, cases) -> None:
    from passage.registry import actions

    actions.open_case(
        actor=personas.case_worker, programme=Programme.CA_GAR, destination_country="CA"
    )
    page = personas.client("stats_reader").get("/stats/pipeline/")
    status = page.context["status"]
    assert status["destinations"] == ["CA", "SE", "US"]
    rows = {r["status"]: r["counts"] for r in status["rows"]}
    assert rows["departed"] == [0, 1, 1] and rows["opened"] == [1, 0, 0]
    api = personas.api_client("embassy_us").get("/api/v1/stats/pipeline").json()
    assert api["destinations"] == ["US"]


def test_a_registered_panel_shows_on_the_pipeline_for_permitted_users(personas, cases) -> None:
    from passage.stats import panels

    def rows(user: object) -> dict[str, object]:
        return {"columns": ["Course", "Attended"], "rows": [["COA Bishkek", 12]]}

    panels.register(panels.Panel(key="orientation.test_panel", title="CO attendance",
                                 permission="registry.view_case", rows=rows))  # fmt: skip
    try:
        worker = personas.client("case_worker").get("/stats/pipeline/")
        assert 'id="panel-orientation.test_panel"' in worker.content.decode()
        assert "COA Bishkek" in worker.content.decode()
        assert "CO attendance" not in ", ".join(worker.context["waiting"])
        reader = personas.client("stats_reader").get("/stats/pipeline/")
        assert "COA Bishkek" not in reader.content.decode()
    finally:
        panels._panels.pop("orientation.test_panel")


def test_pipeline_figures_link_to_their_cases(personas, cases) -> None:
    client = personas.client("stats_reader")
    page = client.get("/stats/pipeline/").content.decode()
    assert "/stats/pipeline/cases/?status=departed&amp;destination=SE" in page
    listed = client.get("/stats/pipeline/cases/", {"status": "departed", "destination": "SE"})
    assert [c.destination_country for c in listed.context["page"]] == ["SE"]
    assert [c.members for c in listed.context["page"]] == [1]
    partner = personas.client("embassy_us").get("/stats/pipeline/cases/", {"status": "departed"})
    assert [c.destination_country for c in partner.context["page"]] == ["US"]
    assert_matrix(personas, lambda c: c.get("/stats/pipeline/cases/"), PAGE_MATRIX)


def test_pipeline_case_list_query_count_does_not_grow(
    personas, django_assert_num_queries, cases
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = personas.client("stats_reader")
    client.get("/stats/pipeline/cases/")
    with CaptureQueriesContext(connection) as few:
        client.get("/stats/pipeline/cases/")
    for i in range(4):
        departed_case("US", Programme.USRAP_P1, [("M", None)] * 2, AT + dt.timedelta(days=i))
    with django_assert_num_queries(len(few.captured_queries)):
        client.get("/stats/pipeline/cases/")


def test_pipeline_shows_the_documents_and_orientation_panels(personas, cases) -> None:
    page = personas.client("admin").get("/stats/pipeline/").content.decode()
    assert 'id="panel-documents.expiring"' in page
    assert 'id="panel-orientation.attendance"' in page
    # CO attendance is the mission's own figure: a partner's pipeline does not show it.
    partner = personas.client("embassy_us").get("/stats/pipeline/")
    assert 'id="panel-orientation.attendance"' not in partner.content.decode()
