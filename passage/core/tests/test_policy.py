import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from passage.core import actions, policy
from passage.core.choices import Role
from passage.core.models import ApiToken, AuditEvent, Job
from passage.testing.factories import JobFactory


@pytest.mark.django_db
def test_every_permission_names_known_roles():
    for name, roles in policy.permissions().items():
        assert roles <= set(Role.values), name


@pytest.mark.django_db
def test_unknown_roles_are_refused():
    with pytest.raises(ValueError, match="unknown roles"):
        policy.register_permissions({"x.y": {"wizard"}})


@pytest.mark.django_db
def test_visible_to_narrows_jobs_to_their_owner(personas):
    mine = JobFactory(created_by=personas.case_worker)
    theirs = JobFactory(created_by=personas.medical_officer)
    qs = Job.objects.all()
    assert list(policy.visible_to(qs, personas.case_worker)) == [mine]
    assert set(policy.visible_to(qs, personas.admin)) == {mine, theirs}
    assert not policy.visible_to(qs, personas.outsider).exists()


@pytest.mark.django_db
def test_get_object_for_says_404_when_hidden_and_403_when_not_allowed(personas):
    job = JobFactory(created_by=personas.medical_officer)
    with pytest.raises(Http404):
        policy.get_object_for(personas.case_worker, Job, job.pk)
    assert policy.get_object_for(personas.medical_officer, Job, job.pk) == job
    token, _secret = actions.create_api_token(
        actor=personas.case_worker, user=personas.case_worker, name="t"
    )
    # The admin sees every token but the audit permission is not the token permission.
    assert policy.get_object_for(personas.admin, ApiToken, token.pk) == token
    with pytest.raises(PermissionDenied):
        policy.get_object_for(personas.case_worker, ApiToken, token.pk, "core.view_audit")


@pytest.mark.django_db
def test_garbage_primary_keys_are_404(personas):
    with pytest.raises(Http404):
        policy.get_object_for(personas.admin, Job, "not-a-number")


@pytest.mark.django_db
def test_inactive_and_roleless_users_hold_nothing(personas):
    assert policy.has_permission(personas.case_worker, "core.home")
    personas.case_worker.is_active = False
    assert not policy.has_permission(personas.case_worker, "core.home")
    assert not policy.has_permission(personas.outsider, "core.home")


@pytest.mark.django_db
def test_partner_role_only_counts_in_a_partner_organisation(personas):
    # A mission user given the partner role by mistake is neither staff nor partner.
    user = personas.case_worker
    user.role = Role.PARTNER
    assert not user.is_mission_staff and not user.is_partner
    assert not policy.has_permission(user, "core.home")


@pytest.mark.django_db
def test_audit_log_is_visible_to_administrators_only(personas):
    AuditEvent(action="x", actor_repr="a").save()
    assert policy.visible_to(AuditEvent.objects.all(), personas.admin).count() >= 1
    for name in ("case_worker", "medical_officer", "embassy_us", "outsider"):
        assert not policy.visible_to(AuditEvent.objects.all(), personas.users[name]).exists()
