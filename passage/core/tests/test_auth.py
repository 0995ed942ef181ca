import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from passage.core import actions
from passage.core.models import AuditEvent
from passage.testing.factories import PASSWORD


@pytest.mark.django_db
def test_sign_in_and_out_are_audited(personas):
    client = Client()
    response = client.post(reverse("login"), {"username": "case_worker", "password": PASSWORD})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="auth.login", actor=personas.case_worker).exists()
    client.post(reverse("logout"))
    assert AuditEvent.objects.filter(action="auth.logout", actor=personas.case_worker).exists()
    assert client.get(reverse("home")).status_code == 302


@pytest.mark.django_db
def test_repeated_failures_lock_the_account(personas, settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "case_worker", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "case_worker", "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # Another account from the same place is not locked.
    other = Client().post(reverse("login"), {"username": "admin", "password": PASSWORD})
    assert other.status_code == 302


@pytest.mark.django_db
def test_role_can_require_a_second_factor(personas):
    actions.set_role_security(actor=personas.admin, role="medical_officer", require_totp=True)
    client = personas.client("medical_officer")
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("core:totp_setup"))
    # The API refuses the session until the second factor is passed.
    assert client.get("/api/v1/me").status_code == 401
    client.get(reverse("core:totp_setup"))
    device = TOTPDevice.objects.get(user=personas.medical_officer)
    bad = client.post(reverse("core:totp_setup"), {"token": "000000", "next": "/"})
    assert bad.status_code == 200 and not TOTPDevice.objects.get(pk=device.pk).confirmed
    TOTPDevice.objects.get(pk=device.pk).throttle_reset()  # the failure throttles retries
    code = f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"
    response = client.post(reverse("core:totp_setup"), {"token": code, "next": "/"})
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200
    assert client.get("/api/v1/me").status_code == 200
    # A new session must verify.
    fresh = Client()
    fresh.post(reverse("login"), {"username": "medical_officer", "password": PASSWORD})
    response = fresh.get(reverse("home"))
    assert response["Location"].startswith(reverse("core:totp_verify"))
    # Other roles are not affected.
    assert personas.client("case_worker").get(reverse("home")).status_code == 200


@pytest.mark.django_db
def test_password_change(personas):
    client = personas.client("case_worker")
    response = client.post(
        reverse("core:account"),
        {
            "change_password": "1",
            "old_password": PASSWORD,
            "new_password1": "a-new-long-passphrase",
            "new_password2": "a-new-long-passphrase",
        },
    )
    assert response.status_code == 302
    personas.case_worker.refresh_from_db()
    assert personas.case_worker.check_password("a-new-long-passphrase")
    assert AuditEvent.objects.filter(action="user.password_change").exists()
