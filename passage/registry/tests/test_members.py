"""Changing a member's relationship to the principal applicant: action, page, API."""

import pytest
from django.urls import reverse

from passage.core.errors import ActionError, ConflictError
from passage.core.models import AuditEvent
from passage.registry import actions, members
from passage.registry.models import Membership
from passage.registry.tests.conftest import person
from passage.testing.personas import assert_matrix


def _member(case, who):
    return Membership.objects.get(case=case, person=who, ended_at__isnull=True)


@pytest.mark.django_db
def test_relationship_change_is_recorded_with_an_audit_event(personas, world):
    case, wife = world["us"], world["wife"]
    members.change_relationship(
        actor=personas.case_worker,
        membership=_member(case, wife),
        relationship="other_relative",
        reason="cousin, not spouse",
    )
    assert _member(case, wife).relationship == "other_relative"
    event = AuditEvent.objects.get(action="case.change_relationship", object_id=str(case.pk))
    assert event.changes == {"relationship": ["spouse", "other_relative"]}
    assert event.extra["person"] == wife.pk and event.extra["reason"] == "cousin, not spouse"
    assert event.actor == personas.case_worker


@pytest.mark.django_db
def test_bad_relationship_changes_are_refused_and_write_nothing(personas, world):
    case, pa, wife = world["us"], world["pa"], world["wife"]
    events = AuditEvent.objects.count()
    with pytest.raises(ActionError) as unknown:
        members.change_relationship(
            actor=personas.case_worker, membership=_member(case, wife), relationship="cousin"
        )
    assert unknown.value.field == "relationship"
    with pytest.raises(ActionError):  # nothing changes
        members.change_relationship(
            actor=personas.case_worker, membership=_member(case, wife), relationship="spouse"
        )
    with pytest.raises(ConflictError) as principal:
        members.change_relationship(
            actor=personas.case_worker, membership=_member(case, pa), relationship="spouse"
        )
    assert principal.value.code == "principal_required"
    assert AuditEvent.objects.count() == events
    assert _member(case, pa).relationship == "principal"
    assert _member(case, wife).relationship == "spouse"


@pytest.mark.django_db
def test_changing_the_principal_is_explicit(personas, world):
    case, pa, wife = world["us"], world["pa"], world["wife"]
    with pytest.raises(ConflictError) as implicit:
        members.change_relationship(
            actor=personas.case_worker, membership=_member(case, wife), relationship="principal"
        )
    assert implicit.value.code == "principal_change"
    assert implicit.value.field == "former_principal_becomes"
    with pytest.raises(ActionError) as no_reason:
        members.change_relationship(
            actor=personas.case_worker,
            membership=_member(case, wife),
            relationship="principal",
            former_principal_becomes="spouse",
        )
    assert no_reason.value.field == "reason"
    assert _member(case, pa).relationship == "principal"
    members.change_relationship(
        actor=personas.case_worker,
        membership=_member(case, wife),
        relationship="principal",
        former_principal_becomes="spouse",
        reason="she leads the family's claim",
    )
    assert _member(case, wife).relationship == "principal"
    assert _member(case, pa).relationship == "spouse"
    events = AuditEvent.objects.filter(action="case.change_principal", object_id=str(case.pk))
    assert sorted((e.extra["person"], tuple(e.changes["relationship"])) for e in events) == sorted(
        [(pa.pk, ("principal", "spouse")), (wife.pk, ("spouse", "principal"))]
    )


@pytest.mark.django_db
def test_former_members_and_closed_cases_are_not_changed(personas, world):
    case, wife = world["us"], world["wife"]
    child = person("Айгерим", "Жумабекова", sex="F")
    actions.add_member(actor=None, case=case, person=child, relationship="child")
    member = _member(case, child)
    actions.end_membership(actor=personas.case_worker, membership=member, reason="stays behind")
    with pytest.raises(ActionError):
        members.change_relationship(
            actor=personas.case_worker, membership=member, relationship="grandchild"
        )
    actions.transition_case(actor=None, case=case, to="withdrawn", reason="withdrawn")
    with pytest.raises(ConflictError) as final:
        members.change_relationship(
            actor=personas.case_worker, membership=_member(case, wife), relationship="sibling"
        )
    assert final.value.code == "case_final"


@pytest.mark.django_db
def test_case_page_changes_a_relationship_with_htmx(personas, world):
    case, wife = world["us"], world["wife"]
    client = personas.client("case_worker")
    page = client.get(reverse("registry:case", args=[case.pk])).content.decode()
    url = reverse("registry:case_member_relationship", args=[case.pk, _member(case, wife).pk])
    assert url in page
    response = client.post(url, {"relationship": "principal"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200 and 'id="case-main"' in body
    assert "say what" in body  # the principal change must be explicit
    assert _member(case, wife).relationship == "spouse"
    response = client.post(
        url,
        {"relationship": "principal", "former_principal_becomes": "spouse", "reason": "agreed"},
        HTTP_HX_REQUEST="true",
    )
    assert "is now recorded as" in response.content.decode()
    assert _member(case, wife).relationship == "principal"
    assert _member(case, world["pa"]).relationship == "spouse"


@pytest.mark.django_db
def test_relationship_page_action_matrix(personas, world):
    case, wife = world["us"], world["wife"]
    url = reverse("registry:case_member_relationship", args=[case.pk, _member(case, wife).pk])
    assert_matrix(
        personas,
        lambda c: c.post(url, {"relationship": "sibling"}),
        {
            "anonymous": 302,
            "outsider": 404,
            "stats_reader": 404,
            "embassy_other": 404,
            "embassy_us": 403,
            "unhcr": 403,
            "medical_officer": 403,
            "finance_officer": 403,
        },
    )
    assert _member(case, wife).relationship == "spouse"
    response = personas.client("case_worker").post(url, {"relationship": "sibling"})
    assert response.status_code == 302
    assert _member(case, wife).relationship == "sibling"
    response = personas.client("admin").post(url, {"relationship": "other_relative"})
    assert response.status_code == 302
    assert _member(case, wife).relationship == "other_relative"


@pytest.mark.django_db
def test_relationship_api_matrix_and_errors(personas, world):
    case, wife = world["us"], world["wife"]
    path = f"/api/v1/cases/{case.pk}/members/{wife.pk}/relationship"
    assert_matrix(
        personas,
        lambda c: c.post(path, {"relationship": "sibling"}, content_type="application/json"),
        {
            "anonymous": 401,
            "outsider": 401,
            "stats_reader": 404,
            "embassy_other": 404,
            "embassy_us": 403,
            "unhcr": 403,
            "medical_officer": 403,
        },
        api=True,
    )
    client = personas.api_client("case_worker")
    bad = client.post(path, {"relationship": "cousin"}, content_type="application/json")
    assert bad.status_code == 400 and bad.json()["field"] == "relationship"
    implicit = client.post(path, {"relationship": "principal"}, content_type="application/json")
    assert implicit.status_code == 409
    assert implicit.json()["field"] == "former_principal_becomes"
    stranger = client.post(
        f"/api/v1/cases/{case.pk}/members/{world['other'].pk}/relationship",
        {"relationship": "sibling"},
        content_type="application/json",
    )
    assert stranger.status_code == 400
    done = client.post(
        path,
        {"relationship": "principal", "former_principal_becomes": "spouse", "reason": "agreed"},
        content_type="application/json",
    )
    assert done.status_code == 200
    members = {m["person_id"]: m["relationship"] for m in done.json()["members"]}
    assert members == {wife.pk: "principal", world["pa"].pk: "spouse"}
