import pytest

from passage.core import actions, audit
from passage.core.audit import RequestInfo, request_context
from passage.core.choices import OrgKind, Role
from passage.core.errors import ActionError
from passage.core.models import AuditEvent, Organisation


@pytest.mark.django_db
def test_action_writes_an_event_with_diff_actor_and_address(personas):
    with request_context(RequestInfo(ip="10.1.2.3", user_agent="pytest")):
        user = actions.create_user(
            actor=personas.admin,
            username="newbie",
            password="a-long-passphrase-9",
            organisation=personas.admin.organisation,
            role=Role.CASE_WORKER,
        )
        actions.update_user(
            actor=personas.admin,
            user=user,
            first_name="Asel",
            last_name="",
            email="",
            organisation=personas.admin.organisation,
            role=Role.MEDICAL_OFFICER,
            is_active=True,
        )
    event = AuditEvent.objects.filter(action="user.update", object_id=str(user.pk)).get()
    assert event.actor == personas.admin
    assert event.ip == "10.1.2.3"
    assert event.changes == {"first_name": ["", "Asel"], "role": ["case_worker", "medical_officer"]}
    assert event.object_type == "core.user"


@pytest.mark.django_db
def test_refused_action_writes_nothing(personas):
    before = AuditEvent.objects.count()
    with pytest.raises(ActionError) as info:
        actions.create_user(
            actor=personas.admin,
            username="p",
            password="a-long-passphrase-9",
            organisation=personas.admin.organisation,
            role=Role.PARTNER,
        )
    assert info.value.field == "role"
    assert AuditEvent.objects.count() == before


@pytest.mark.django_db
def test_weak_password_is_refused_naming_the_field(personas):
    with pytest.raises(ActionError) as info:
        actions.create_user(
            actor=personas.admin,
            username="weak",
            password="123",
            organisation=personas.admin.organisation,
            role=Role.CASE_WORKER,
        )
    assert info.value.field == "password"


@pytest.mark.django_db
def test_embassy_needs_a_country():
    with pytest.raises(ActionError) as info:
        actions.create_organisation(actor=None, name="Embassy", kind=OrgKind.EMBASSY)
    assert info.value.field == "country"
    assert not Organisation.objects.filter(name="Embassy").exists()


@pytest.mark.django_db
def test_audit_rows_cannot_be_changed_or_deleted():
    event = audit.record(actor=None, action="test.thing", object_type="x", object_id="1")
    event.action = "tampered"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(action="tampered")
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).action == "test.thing"


def test_diff_lists_only_changed_fields():
    assert audit.diff({"a": 1, "b": 2}, {"a": 1, "b": 3, "c": 4}) == {"b": [2, 3], "c": [None, 4]}
