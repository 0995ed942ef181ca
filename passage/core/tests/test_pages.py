import pytest
from django.urls import reverse

from passage.core.models import AuditEvent, Job
from passage.testing.factories import JobFactory
from passage.testing.personas import assert_matrix

PAGE_MATRIX_ADMIN_ONLY = {
    "anonymous": 302,
    "outsider": 403,
    "embassy_other": 403,
    "embassy_us": 403,
    "case_worker": 403,
    "medical_officer": 403,
    "admin": 200,
}


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", ["core:audit", "core:users", "core:user_new"])
def test_admin_pages_matrix(personas, url_name):
    url = reverse(url_name)
    assert_matrix(personas, lambda c: c.get(url), PAGE_MATRIX_ADMIN_ONLY)


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", ["home", "core:jobs", "core:account"])
def test_pages_for_every_role(personas, url_name):
    url = reverse(url_name)
    expected = {
        "anonymous": 302,
        "admin": 200,
        "case_worker": 200,
        "embassy_us": 200,
        "stats_reader": 200,
    }
    if url_name != "core:account":
        expected["outsider"] = 403
    assert_matrix(personas, lambda c: c.get(url), expected)


@pytest.mark.django_db
def test_job_page_matrix(personas):
    job = JobFactory(created_by=personas.case_worker)
    url = reverse("core:job", args=[job.pk])
    assert_matrix(
        personas,
        lambda c: c.get(url),
        {
            "anonymous": 302,
            "outsider": 404,
            "embassy_other": 404,
            "medical_officer": 404,
            "case_worker": 200,
            "admin": 200,
        },
    )


@pytest.mark.django_db
def test_navigation_follows_the_role(personas):
    admin_page = personas.client("admin").get(reverse("home")).content.decode()
    worker_page = personas.client("case_worker").get(reverse("home")).content.decode()
    assert 'data-nav="audit"' in admin_page
    assert 'data-nav="audit"' not in worker_page
    assert 'data-nav="jobs"' in worker_page


@pytest.mark.django_db
def test_audit_export_runs_as_a_job_with_progress_and_a_file(
    personas, django_capture_on_commit_callbacks
):
    client = personas.client("admin")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("core:audit_export"), {"action": "user"})
    job = Job.objects.get()
    assert response.status_code == 302 and response.url == reverse("core:job", args=[job.pk])
    assert job.status == "succeeded"
    assert job.done == job.total == job.result["rows"]
    page = client.get(reverse("core:job", args=[job.pk]), headers={"HX-Request": "true"})
    assert b'id="job-bar" value="100"' in page.content
    assert b"<html" not in page.content  # the partial only
    download = client.get(reverse("core:job_download", args=[job.pk]))
    body = b"".join(download.streaming_content).decode()
    assert body.splitlines()[0].startswith("at,actor,action")
    assert AuditEvent.objects.filter(action="audit.export").exists()
    assert AuditEvent.objects.filter(action="job.download").exists()


@pytest.mark.django_db
def test_audit_filters(personas):
    client = personas.client("admin")
    client.post(reverse("core:account"), {"create_token": "1", "name": "sync"})
    page = client.get(reverse("core:audit"), {"action": "api_token"})
    assert b"api_token.create" in page.content
    page = client.get(reverse("core:audit"), {"action": "nothing.like.this"})
    assert b"api_token.create" not in page.content


@pytest.mark.django_db
def test_admin_creates_and_edits_a_user(personas):
    client = personas.client("admin")
    org = personas.admin.organisation
    response = client.post(
        reverse("core:user_new"),
        {
            "username": "asel",
            "first_name": "Asel",
            "last_name": "K",
            "email": "",
            "organisation": org.pk,
            "role": "medical_officer",
            "is_active": "on",
            "password": "long-enough-pass-42",
        },
    )
    assert response.status_code == 302
    from passage.core.models import User

    user = User.objects.get(username="asel")
    assert user.role == "medical_officer" and user.check_password("long-enough-pass-42")
    response = client.post(
        reverse("core:user_new"),
        {"username": "asel2", "organisation": org.pk, "role": "partner", "password": "x" * 12},
    )
    assert response.status_code == 200
    assert "Mission staff cannot hold the partner role" in response.content.decode()
    assert not User.objects.filter(username="asel2").exists()


@pytest.mark.django_db
def test_language_switch_translates_the_navigation(personas):
    client = personas.client("case_worker")
    client.post(reverse("set_language"), {"language": "ru", "next": "/"})
    page = client.get(reverse("home")).content.decode()
    assert "Задания" in page  # "Jobs"
    client.post(reverse("set_language"), {"language": "ky", "next": "/"})
    page = client.get(reverse("home")).content.decode()
    assert 'lang="ky"' in page
    assert "Тапшырмалар" in page


@pytest.mark.django_db
def test_admin_site_is_read_only_and_policy_bound(personas):
    assert_matrix(
        personas,
        lambda c: c.get("/admin/"),
        {
            "anonymous": 302,
            "outsider": 302,
            "case_worker": 302,
            "embassy_us": 302,
            "admin": 200,
        },
    )
    admin = personas.client("admin")
    listing = admin.get("/admin/core/auditevent/")
    assert listing.status_code == 200
    assert admin.get("/admin/core/auditevent/add/").status_code == 403
    assert personas.client("case_worker").get("/admin/", follow=True).status_code == 403
    assert (
        personas.client("anonymous").get("/admin/", follow=True).request["PATH_INFO"] == "/login/"
    )


@pytest.mark.django_db
def test_administrator_manages_a_users_tokens_on_the_user_page(personas):
    client = personas.client("admin")
    url = reverse("core:user_edit", args=[personas.embassy_us.pk])
    page = client.post(url, {"create_token": "1", "name": "embassy system"})
    assert page.status_code == 200
    assert 'id="new-token"' in page.content.decode()
    from passage.core.models import ApiToken

    token = ApiToken.objects.get(user=personas.embassy_us)
    client.post(reverse("core:revoke_token", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is not None
