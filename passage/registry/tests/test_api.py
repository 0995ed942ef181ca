import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from passage.registry.importing import template_csv
from passage.registry.models import Case, Person
from passage.testing.personas import assert_matrix

LIST = {
    "anonymous": 401,
    "outsider": 401,
    "stats_reader": 403,
    "vac_officer": 403,
    "case_worker": 200,
    "medical_officer": 200,
    "embassy_us": 200,
    "embassy_other": 200,
    "unhcr": 200,
}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/cases",
        "/api/v1/people",
        "/api/v1/embassy-requests",
        "/api/v1/referrals",
        "/api/v1/people/search?q=Zhumabekov",
    ],
)
def test_list_endpoints_matrix(personas, world, path):
    assert_matrix(personas, lambda c: c.get(path), LIST, api=True)


@pytest.mark.django_db
def test_partners_see_only_their_own_through_the_api(personas, world):
    def numbers(name):
        items = personas.api_client(name).get("/api/v1/cases").json()["items"]
        return {i["file_number"] for i in items}

    us, se = world["us"].file_number, world["se"].file_number
    assert numbers("embassy_us") == {us}
    assert numbers("embassy_other") == {se}
    assert numbers("unhcr") == {us}
    assert numbers("agency") == {us}
    assert numbers("case_worker") == {us, se}
    hits = (
        personas.api_client("embassy_other")
        .get("/api/v1/people/search", {"q": "Zhumabekov"})
        .json()
    )
    assert hits == []
    requests_seen = personas.api_client("embassy_other").get("/api/v1/embassy-requests").json()
    assert requests_seen["count"] == 0


@pytest.mark.django_db
def test_case_detail_matrix(personas, world):
    path = f"/api/v1/cases/{world['us'].pk}"
    assert_matrix(
        personas,
        lambda c: c.get(path),
        {
            "anonymous": 401,
            "outsider": 401,
            "stats_reader": 404,
            "case_worker": 200,
            "embassy_us": 200,
            "unhcr": 200,
            "agency": 200,
            "embassy_other": 404,
        },
        api=True,
    )
    body = personas.api_client("embassy_us").get(path).json()
    assert {m["relationship"] for m in body["members"]} == {"principal", "spouse"}
    assert body["references"] == [{"kind": "unhcr_case", "value": "UNHCR-1", "note": ""}]


@pytest.mark.django_db
def test_write_endpoints_matrix(personas, world):
    payload = {"programme": "ca_gar", "destination_country": "CA"}
    assert_matrix(
        personas,
        lambda c: c.post("/api/v1/cases", payload, content_type="application/json"),
        {
            "anonymous": 401,
            "embassy_us": 403,
            "unhcr": 403,
            "medical_officer": 403,
            "case_worker": 201,
        },
        api=True,
    )
    path = f"/api/v1/cases/{world['us'].pk}/transitions"
    assert_matrix(
        personas,
        lambda c: c.post(path, {"to": "withdrawn_typo"}, content_type="application/json"),
        {
            "anonymous": 401,
            "embassy_us": 403,
            "embassy_other": 404,
            "medical_officer": 403,
            "case_worker": 409,
        },
        api=True,
    )


@pytest.mark.django_db
def test_transition_refusal_names_the_allowed_moves(personas, world):
    client = personas.api_client("case_worker")
    response = client.post(
        f"/api/v1/cases/{world['us'].pk}/transitions",
        {"to": "departed"},
        content_type="application/json",
    )
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "transition_not_allowed" and "Allowed:" in body["message"]
    assert "Selection interview scheduled" in body["message"]
    response = client.post(
        f"/api/v1/cases/{world['us'].pk}/transitions",
        {"to": "interview_scheduled", "reason": "booked"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["status"] == "interview_scheduled"


@pytest.mark.django_db
def test_person_create_reports_duplicates_then_accepts_confirmation(personas, world):
    client = personas.api_client("case_worker")
    payload = {
        "given_names": "Muhammadali",
        "surname": "Jumabekov",
        "sex": "M",
        "date_of_birth": "1984-03-12",
        "consent_date": "2026-02-01",
        "consent_scope": "resettlement",
    }
    response = client.post("/api/v1/people", payload, content_type="application/json")
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "possible_duplicates"
    assert body["errors"][0]["person_id"] == world["pa"].pk
    response = client.post(
        "/api/v1/people",
        {**payload, "confirmed_distinct": [world["pa"].pk]},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert "Muhammadali Jumabekov" in response.json()["spellings"]
    no_consent = {k: v for k, v in payload.items() if k != "consent_date"}
    response = client.post("/api/v1/people", no_consent, content_type="application/json")
    assert response.status_code == 400 and response.json()["field"] == "consent_date"


@pytest.mark.django_db
def test_person_create_suggests_latin_spelling(personas):
    client = personas.api_client("case_worker")
    response = client.post(
        "/api/v1/people",
        {
            "given_names": "Өмүрбек",
            "surname": "Үсөнов",
            "sex": "M",
            "consent_date": "2026-02-01",
            "consent_scope": "resettlement",
            "phones": ["0555 123 456"],
            "nationality": "XXA",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["latin_given_names"], body["latin_surname"]) == ("Omurbek", "Usonov")
    assert body["phones"] == ["+996555123456"] and body["nationality"] == "XXA"


@pytest.mark.django_db
def test_import_endpoint_previews_then_applies(personas):
    client = personas.api_client("case_worker")

    def upload(**params):
        query = "&".join(f"{k}={v}" for k, v in params.items())
        return client.post(
            f"/api/v1/imports?{query}", {"file": SimpleUploadedFile("t.csv", template_csv())}
        )

    response = upload(apply="false")
    assert response.status_code == 200 and response.json()["new_people"] == 1
    assert not Person.objects.exists()
    response = upload(apply="true")
    assert response.status_code == 201 and Case.objects.count() == 1
    response = upload(apply="true")
    assert response.status_code == 201 and response.json()["unchanged_people"] == 1
    bad = client.post("/api/v1/imports", {"file": SimpleUploadedFile("t.csv", b"a,b\n1,2\n")})
    assert bad.status_code == 400 and bad.json()["code"] == "missing_columns"
    assert (
        personas.api_client("embassy_us")
        .post("/api/v1/imports", {"file": SimpleUploadedFile("t.csv", template_csv())})
        .status_code
        == 403
    )
