import pytest
from django.urls import reverse

from passage.core.models import AuditEvent
from passage.registry.models import Case
from passage.testing.personas import assert_matrix

READ = {
    "anonymous": 302,
    "outsider": 403,
    "stats_reader": 403,
    "vac_officer": 403,
    "case_worker": 200,
    "medical_officer": 200,
    "admin": 200,
}
# A single object the user may not see at all is "not found".
READ_ONE = {**READ, "outsider": 404, "stats_reader": 404, "vac_officer": 404}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", ["registry:cases", "registry:people", "registry:requests", "registry:referrals"]
)
def test_list_pages_matrix(personas, world, name):
    url = reverse(name)
    assert_matrix(
        personas,
        lambda c: c.get(url),
        {**READ, "embassy_us": 200, "embassy_other": 200, "unhcr": 200},
    )


@pytest.mark.django_db
def test_case_page_matrix_follows_partner_scope(personas, world):
    url = reverse("registry:case", args=[world["us"].pk])
    assert_matrix(
        personas,
        lambda c: c.get(url),
        {**READ_ONE, "embassy_us": 200, "unhcr": 200, "agency": 200, "embassy_other": 404},
    )
    se_url = reverse("registry:case", args=[world["se"].pk])
    assert_matrix(
        personas,
        lambda c: c.get(se_url),
        {"embassy_us": 404, "unhcr": 404, "agency": 404, "embassy_other": 200},
    )


@pytest.mark.django_db
def test_person_page_matrix(personas, world):
    url = reverse("registry:person", args=[world["pa"].pk])
    assert_matrix(
        personas,
        lambda c: c.get(url),
        {**READ_ONE, "embassy_us": 200, "unhcr": 200, "embassy_other": 404},
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", ["registry:case_new", "registry:person_new", "registry:import", "registry:request_new"]
)
def test_edit_pages_matrix(personas, world, name):
    url = reverse(name)
    assert_matrix(
        personas,
        lambda c: c.get(url),
        {
            "anonymous": 302,
            "outsider": 403,
            "embassy_us": 403,
            "unhcr": 403,
            "medical_officer": 403,
            "case_worker": 200,
            "admin": 200,
        },
    )


@pytest.mark.django_db
def test_case_edit_forms_matrix(personas, world):
    case = world["us"]
    for name in (
        "registry:case_edit",
        "registry:case_split",
        "registry:case_merge",
        "registry:referral_new",
    ):
        url = reverse(name, args=[case.pk])

        def get(c, url: str = url):
            return c.get(url)

        assert_matrix(
            personas,
            get,
            {
                "anonymous": 302,
                "outsider": 404,
                "embassy_us": 403,
                "embassy_other": 404,
                "medical_officer": 403,
                "case_worker": 200,
            },
        )


@pytest.mark.django_db
def test_partner_lists_show_only_their_cases(personas, world):
    page = personas.client("embassy_us").get(reverse("registry:cases")).content.decode()
    assert world["us"].file_number in page and world["se"].file_number not in page
    page = personas.client("embassy_other").get(reverse("registry:cases")).content.decode()
    assert world["us"].file_number not in page and world["se"].file_number in page
    page = personas.client("unhcr").get(reverse("registry:cases")).content.decode()
    assert world["us"].file_number in page and world["se"].file_number not in page


@pytest.mark.django_db
def test_case_worker_opens_a_case_and_moves_it(personas, world):
    client = personas.client("case_worker")
    response = client.post(
        reverse("registry:case_new"),
        {"programme": "ca_gar", "destination_country": "CA", "priority": "urgent"},
    )
    case = Case.objects.get(destination_country="CA")
    assert response.status_code == 302 and case.file_number.startswith("KGZ-")
    url = reverse("registry:case_transition", args=[case.pk])
    response = client.post(url, {"to": "arrived"}, HTTP_HX_REQUEST="true")
    assert "Allowed" in response.content.decode()
    case.refresh_from_db()
    assert case.status == "opened"
    client.post(url, {"to": "interview_scheduled", "reason": "slot on Monday"})
    case.refresh_from_db()
    assert case.status == "interview_scheduled"
    history = list(case.status_history.values_list("to_status", "reason"))
    assert history[-1] == ("interview_scheduled", "slot on Monday")
    assert AuditEvent.objects.filter(action="case.transition", object_id=str(case.pk)).exists()


@pytest.mark.django_db
def test_case_list_filters_and_search(personas, world):
    client = personas.client("case_worker")
    page = client.get(reverse("registry:cases"), {"destination": "SE"}).content.decode()
    assert world["se"].file_number in page and world["us"].file_number not in page
    page = client.get(
        reverse("registry:cases"), {"q": "Жумабеков"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert world["us"].file_number in page and world["se"].file_number not in page
    assert "<html" not in page
    page = client.get(reverse("registry:cases"), {"q": "UNHCR-1"}).content.decode()
    assert world["us"].file_number in page


@pytest.mark.django_db
def test_person_search_shows_the_matched_spelling(personas, world):
    client = personas.client("case_worker")
    page = client.get(reverse("registry:people"), {"q": "Muhammadali Jumabekov"}).content.decode()
    assert "Mukhammadali Zhumabekov" in page
    assert world["us"].file_number in page


@pytest.mark.django_db
def test_person_form_flags_a_duplicate_until_confirmed(personas, world):
    client = personas.client("case_worker")
    data = {
        "consent_date": "2026-02-01",
        "consent_scope": "resettlement",
        "given_names": "Muhammadali",
        "surname": "Jumabekov",
        "sex": "M",
        "date_of_birth": "1984-03-12",
    }
    response = client.post(reverse("registry:person_new"), data)
    assert response.status_code == 200
    assert "Possible duplicates" in response.content.decode()
    response = client.post(
        reverse("registry:person_new"), {**data, "confirm_distinct": str(world["pa"].pk)}
    )
    assert response.status_code == 302


@pytest.mark.django_db
def test_person_check_suggests_latin_and_lists_duplicates(personas, world):
    client = personas.client("case_worker")
    response = client.post(
        reverse("registry:person_check"),
        {"given_names": "Мухаммадали", "surname": "Жумабеков", "sex": "M"},
    )
    body = response.content.decode()
    assert "Mukhammadali Zhumabekov" in body and "Possible duplicates" in body
    # A sibling shares the surname (and the parents) but not the given names.
    response = client.post(
        reverse("registry:person_check"),
        {"given_names": "Азамат", "surname": "Жумабеков", "sex": "M"},
    )
    assert "Possible duplicates" not in response.content.decode()


@pytest.mark.django_db
def test_consent_comes_first(personas):
    client = personas.client("case_worker")
    response = client.post(
        reverse("registry:person_new"), {"given_names": "Али", "sex": "M", "consent_scope": "x"}
    )
    assert response.status_code == 200
    from passage.registry.models import Person

    assert not Person.objects.exists()


@pytest.mark.django_db
def test_import_page_previews_then_imports(personas):
    from passage.registry.importing import template_csv

    client = personas.client("case_worker")
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("people.csv", template_csv(), content_type="text/csv")
    response = client.post(reverse("registry:import"), {"file": upload})
    body = response.content.decode()
    assert "import-preview" in body and not Case.objects.exists()
    token = response.context["token"]
    response = client.post(
        reverse("registry:import_confirm"), {"token": token, "name": "people.csv"}
    )
    assert response.status_code == 302 and Case.objects.count() == 1
    other = personas.client("admin")
    assert other.post(reverse("registry:import_confirm"), {"token": token}).status_code == 404


@pytest.mark.django_db
def test_import_page_lists_errors_by_row(personas):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = personas.client("case_worker")
    upload = SimpleUploadedFile(
        "people.csv", "given_names\nАли\n".encode(), content_type="text/csv"
    )
    body = client.post(reverse("registry:import"), {"file": upload}).content.decode()
    assert "Missing columns" in body and "unhcr_case_number" in body


@pytest.mark.django_db
def test_templates_download(personas):
    client = personas.client("case_worker")
    assert client.get(reverse("registry:import_template", args=["xlsx"])).status_code == 200
    csv = client.get(reverse("registry:import_template", args=["csv"]))
    assert b"unhcr_case_number" in csv.content


@pytest.mark.django_db
def test_a_large_file_is_checked_as_a_job_then_confirmed(
    personas, settings, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from passage.core.models import Job
    from passage.registry import import_views
    from passage.registry.importing import template_csv

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    import_views.INLINE_BYTES, old = 10, import_views.INLINE_BYTES
    try:
        client = personas.client("case_worker")
        upload = SimpleUploadedFile("people.csv", template_csv(), content_type="text/csv")
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("registry:import"), {"file": upload})
        job = Job.objects.get()
        assert response.url == reverse("core:job", args=[job.pk])
        assert job.status == "succeeded" and job.result["new_people"] == 1
        assert not Case.objects.exists()
        page = client.get(reverse("registry:import"), {"job": job.pk})
        assert page.context["summary"]["new_people"] == 1
        token = page.context["token"]
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("registry:import_confirm"), {"token": token, "name": "people.csv"})
        assert Case.objects.count() == 1
    finally:
        import_views.INLINE_BYTES = old


@pytest.mark.django_db
def test_helper_endpoints_and_request_edit_matrix(personas, world):
    url = reverse("registry:transliterate") + "?text=Өмүрбек"
    assert_matrix(
        personas,
        lambda c: c.get(url),
        {
            "anonymous": 302,
            "outsider": 403,
            "embassy_us": 403,
            "medical_officer": 403,
            "case_worker": 200,
        },
    )
    assert personas.client("case_worker").get(url).json() == {"latin": "Omurbek"}
    check = reverse("registry:person_check")
    assert_matrix(
        personas,
        lambda c: c.post(check, {"given_names": "Али"}),
        {"anonymous": 302, "outsider": 403, "embassy_us": 403, "case_worker": 200},
    )
    edit = reverse("registry:request_edit", args=[world["request"].pk])
    assert_matrix(
        personas,
        lambda c: c.get(edit),
        {
            "anonymous": 302,
            "outsider": 404,
            "embassy_other": 404,
            "embassy_us": 403,
            "medical_officer": 403,
            "case_worker": 200,
        },
    )


@pytest.mark.django_db
def test_embassy_request_form_records_the_authorisation(personas, world):
    client = personas.client("case_worker")
    response = client.post(
        reverse("registry:request_new"),
        {
            "embassy": personas.embassy_us.organisation.pk,
            "reference": "US-NEW",
            "issued_on": "2026-02-01",
            "valid_from": "2026-02-01",
            "valid_until": "2026-08-01",
            "services": ["movement"],
            "cases": world["us"].file_number,
        },
    )
    assert response.status_code == 302
    from passage.registry.models import EmbassyRequest

    request = EmbassyRequest.objects.get(reference="US-NEW")
    assert request.services == ["movement"] and list(request.cases.all()) == [world["us"]]
    response = client.post(
        reverse("registry:request_new"),
        {
            "embassy": personas.embassy_us.organisation.pk,
            "reference": "US-BAD",
            "issued_on": "2026-02-01",
            "valid_from": "2026-02-01",
            "valid_until": "2026-08-01",
            "services": ["movement"],
            "cases": world["se"].file_number,
        },
    )
    assert response.status_code == 200 and "not bound for US" in response.content.decode()


@pytest.mark.django_db
def test_split_and_merge_pages(personas, world):
    client = personas.client("case_worker")
    case = world["us"]
    response = client.post(
        reverse("registry:case_split", args=[case.pk]),
        {
            "people": [str(world["wife"].pk)],
            "principal": str(world["wife"].pk),
            "reason": "separate",
        },
    )
    new = Case.objects.exclude(pk__in=[case.pk, world["se"].pk]).get()
    assert response.url == reverse("registry:case", args=[new.pk])
    response = client.post(
        reverse("registry:case_merge", args=[new.pk]),
        {"target": case.file_number, "reason": "together again"},
    )
    assert response.url == reverse("registry:case", args=[case.pk])
    new.refresh_from_db()
    assert new.status == "closed"
    page = client.get(reverse("registry:case", args=[case.pk])).content.decode()
    assert "together again" in page and new.file_number in page


@pytest.mark.django_db
def test_numbering_page_for_administrators(personas):
    url = reverse("registry:numbering")
    assert_matrix(
        personas,
        lambda c: c.get(url),
        {"anonymous": 302, "outsider": 403, "embassy_us": 403, "case_worker": 403, "admin": 200},
    )
    client = personas.client("admin")
    assert client.post(url, {"pattern": "BSZ/{seq:04d}"}).status_code == 302
    from passage.registry.actions import next_number

    assert next_number() == "BSZ/0001"
    response = client.post(url, {"pattern": "BSZ/{nope}"})
    assert response.status_code == 200 and "not valid" in response.content.decode()


@pytest.mark.django_db
def test_a_person_recorded_for_a_case_is_offered_for_adding(personas, world):
    client = personas.client("case_worker")
    case = world["us"]
    response = client.post(
        reverse("registry:person_new") + f"?case={case.pk}",
        {
            "consent_date": "2026-02-01",
            "consent_scope": "resettlement",
            "given_names": "Мадина",
            "surname": "Жумабекова",
            "sex": "F",
            "date_of_birth": "2015-09-01",
        },
    )
    assert response.status_code == 302 and "?add=" in response.url
    page = client.get(response.url).content.decode()
    assert 'id="add-new-person"' in page
    from passage.registry.models import Person

    madina = Person.objects.get(given_names="Мадина")
    client.post(
        reverse("registry:case_add_member", args=[case.pk]),
        {"person": madina.pk, "relationship": "child"},
    )
    assert case.memberships.filter(person=madina, relationship="child").exists()
