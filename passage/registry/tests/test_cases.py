import datetime as dt

import pytest
import time_machine

from passage.core.errors import ActionError, ConflictError, TransitionError
from passage.core.models import AuditEvent
from passage.registry import actions, requests
from passage.registry.choices import CASE_TRANSITIONS, CaseStatus
from passage.registry.models import Case, CaseLink, CaseStatusChange, Membership, NumberSequence
from passage.registry.services import require_service
from passage.registry.tests.conftest import person
from passage.registry.tests.factories import ALL, CaseFactory


@pytest.mark.django_db
@pytest.mark.parametrize("factory", ALL, ids=lambda f: f.__name__)
def test_every_factory_builds(factory):
    obj = factory()
    assert type(obj)._default_manager.filter(pk=obj.pk).exists()


def test_the_table_covers_every_status_and_reaches_the_ends():
    assert set(CASE_TRANSITIONS) == set(CaseStatus.values)
    for moves in CASE_TRANSITIONS.values():
        assert moves <= set(CaseStatus.values)
    # Every status can be reached from "referred".
    seen: set[str] = {CaseStatus.REFERRED}
    todo: list[str] = [CaseStatus.REFERRED]
    while todo:
        for nxt in CASE_TRANSITIONS[todo.pop()]:
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    assert seen == set(CaseStatus.values)
    # New promissory notes after a rebooking send a signed case back one step.
    assert CaseStatus.PARTNERS_NOTIFIED in CASE_TRANSITIONS[CaseStatus.LOAN_SIGNED]


@pytest.mark.django_db
def test_every_pair_of_statuses():
    case = CaseFactory()
    for current in CaseStatus.values:
        for target in CaseStatus.values:
            Case.objects.filter(pk=case.pk).update(status=current)
            case.refresh_from_db()
            before = CaseStatusChange.objects.count()
            if target in CASE_TRANSITIONS[current]:
                actions.transition_case(actor=None, case=case, to=target, reason="walk")
                case.refresh_from_db()
                assert case.status == target
                assert CaseStatusChange.objects.count() == before + 1
            else:
                with pytest.raises(TransitionError) as info:
                    actions.transition_case(actor=None, case=case, to=target, reason="walk")
                case.refresh_from_db()
                assert case.status == current
                assert CaseStatusChange.objects.count() == before
                allowed = CASE_TRANSITIONS[current]
                if allowed:
                    label = str(CaseStatus(sorted(allowed)[0]).label)
                    assert "Allowed" in info.value.message and label in info.value.message
                else:
                    assert "final" in info.value.message


@pytest.mark.django_db
def test_transition_history_has_actor_time_and_reason(personas):
    with time_machine.travel(dt.datetime(2026, 2, 1, 9, tzinfo=dt.UTC), tick=False):
        case = actions.open_case(
            actor=personas.case_worker, programme="ca_gar", destination_country="CA"
        )
    with time_machine.travel(dt.datetime(2026, 3, 1, 9, tzinfo=dt.UTC), tick=False):
        actions.transition_case(
            actor=personas.case_worker,
            case=case,
            to="interview_scheduled",
            reason="interview on 5 March",
        )
    row = case.status_history.last()
    assert row is not None
    assert (row.from_status, row.to_status, row.actor, row.reason) == (
        "opened",
        "interview_scheduled",
        personas.case_worker,
        "interview on 5 March",
    )
    assert row.at == dt.datetime(2026, 3, 1, 9, tzinfo=dt.UTC)
    event = AuditEvent.objects.get(action="case.transition")
    assert event.changes == {"status": ["opened", "interview_scheduled"]}


@pytest.mark.django_db
def test_file_numbers_follow_the_configured_pattern():
    with time_machine.travel(dt.date(2026, 12, 31)):
        assert actions.next_number() == "KGZ-2026-00001"
        assert actions.next_number() == "KGZ-2026-00002"
    with time_machine.travel(dt.date(2027, 1, 1)):
        assert actions.next_number() == "KGZ-2027-00001"
        NumberSequence.objects.filter(name="case_file").update(pattern="BIS/{seq:04d}/{year}")
        assert actions.next_number() == "BIS/0002/2027"
        NumberSequence.objects.filter(name="case_file").update(pattern="{nope}")
        with pytest.raises(ActionError):
            actions.next_number()


@pytest.mark.django_db
def test_unique_references_are_refused_with_the_other_case():
    a, b = CaseFactory(), CaseFactory()
    actions.add_reference(actor=None, case=a, kind="unhcr_case", value="KGZ-1")
    with pytest.raises(ConflictError) as info:
        actions.add_reference(actor=None, case=b, kind="unhcr_case", value="KGZ-1")
    assert a.file_number in info.value.message
    actions.add_reference(actor=None, case=a, kind="other", value="X")
    actions.add_reference(actor=None, case=b, kind="other", value="X")  # others may repeat


@pytest.mark.django_db
def test_a_person_is_in_one_open_case_and_a_case_has_one_principal():
    a, b = CaseFactory(), CaseFactory()
    p, q = person("Али", "Ахмади"), person("Лейла", "Ахмади", sex="F")
    actions.add_member(actor=None, case=a, person=p, relationship="principal")
    with pytest.raises(ConflictError):
        actions.add_member(actor=None, case=b, person=p, relationship="principal")
    with pytest.raises(ConflictError):
        actions.add_member(actor=None, case=a, person=q, relationship="principal")


@pytest.mark.django_db
def test_split_keeps_history_and_references(personas, world):
    case = world["us"]
    child = person("Али", "Жумабеков", "Ali", "Zhumabekov")
    actions.add_member(actor=None, case=case, person=child, relationship="child")
    new = actions.split_case(
        actor=personas.case_worker,
        case=case,
        people=[world["wife"], child],
        principal=world["wife"],
        reason="separate processing",
    )
    assert set(case.memberships.filter(ended_at__isnull=True).values_list("person", flat=True)) == {
        world["pa"].pk
    }
    assert new.memberships.get(relationship="principal").person == world["wife"]
    assert new.references.get(kind="former_file").value == case.file_number
    assert case.references.filter(kind="unhcr_case", value="UNHCR-1").exists()
    assert Membership.objects.filter(case=case, person=child, ended_at__isnull=False).exists()
    assert CaseLink.objects.get(kind="split").target == new
    assert (new.destination_country, new.programme, new.referred_by) == (
        case.destination_country,
        case.programme,
        case.referred_by,
    )
    with pytest.raises(ActionError):
        actions.split_case(
            actor=personas.case_worker,
            case=case,
            people=[world["pa"]],
            principal=world["pa"],
            reason="x",
        )


@pytest.mark.django_db
def test_merge_moves_members_and_references_and_closes_the_source(personas, world):
    source = actions.open_case(actor=None, programme="usrap_p1", destination_country="US")
    brother = person("Азамат", "Жумабеков", "Azamat", "Zhumabekov")
    actions.add_member(actor=None, case=source, person=brother, relationship="principal")
    actions.add_reference(actor=None, case=source, kind="us_case", value="US-77")
    target = actions.merge_cases(
        actor=personas.case_worker, source=source, target=world["us"], reason="one family"
    )
    source.refresh_from_db()
    assert source.status == "closed"
    assert target.memberships.get(person=brother, ended_at__isnull=True).relationship == (
        "other_relative"
    )
    assert target.references.filter(kind="us_case", value="US-77").exists()
    assert target.references.filter(kind="former_file", value=source.file_number).exists()
    last = source.status_history.last()
    assert last is not None and last.reason.startswith("Merged into")
    assert AuditEvent.objects.filter(action="case.merge").exists()


@pytest.mark.django_db
def test_a_service_needs_a_covering_embassy_request(personas, world):
    case = world["us"]
    assert require_service(case, "medical", dt.date(2026, 3, 1)) == world["request"]
    with pytest.raises(ActionError) as info:
        require_service(case, "movement", dt.date(2026, 3, 1))
    assert info.value.code == "no_embassy_request" and case.file_number in info.value.message
    with pytest.raises(ActionError) as info:
        require_service(case, "medical", dt.date(2026, 7, 1))
    assert "US-1" in info.value.message and "2026-06-30" in info.value.message
    with pytest.raises(ActionError):
        require_service(world["se"], "medical", dt.date(2026, 3, 1))


@pytest.mark.django_db
def test_an_embassy_request_covers_only_cases_bound_for_its_country(personas, world):
    with pytest.raises(ActionError) as info:
        requests.create_embassy_request(
            actor=personas.case_worker,
            embassy=personas.embassy_us.organisation,
            reference="US-2",
            issued_on=dt.date(2026, 1, 1),
            valid_from=dt.date(2026, 1, 1),
            valid_until=dt.date(2026, 2, 1),
            services=["movement"],
            cases=[world["se"]],
        )
    assert info.value.field == "cases"
    with pytest.raises(ActionError):
        requests.create_embassy_request(
            actor=personas.case_worker,
            embassy=personas.embassy_us.organisation,
            reference="US-3",
            issued_on=dt.date(2026, 1, 1),
            valid_from=dt.date(2026, 2, 1),
            valid_until=dt.date(2026, 1, 1),
            services=["movement"],
            cases=[world["us"]],
        )


@pytest.mark.django_db
def test_a_referral_makes_the_case_visible_to_that_unhcr_office(personas):
    from passage.core import policy

    case = actions.open_case(actor=None, programme="ca_gar", destination_country="CA")
    assert not policy.visible_to(Case.objects.all(), personas.unhcr).filter(pk=case.pk).exists()
    requests.record_referral(
        actor=personas.case_worker,
        case=case,
        organisation=personas.unhcr.organisation,
        reference="RRF-9",
        referred_on=dt.date(2026, 1, 2),
        priority="urgent",
        submission_category="lpp",
    )
    assert policy.visible_to(Case.objects.all(), personas.unhcr).filter(pk=case.pk).exists()


@pytest.mark.django_db
def test_the_number_pattern_is_changed_through_an_action(personas):
    actions.set_number_pattern(actor=personas.admin, pattern="BSZ-{year}-{seq:04d}")
    with time_machine.travel(dt.date(2026, 5, 1)):
        assert actions.next_number() == "BSZ-2026-0001"
    with pytest.raises(ActionError):
        actions.set_number_pattern(actor=personas.admin, pattern="BSZ-{year}")
    with pytest.raises(ActionError):
        actions.set_number_pattern(actor=personas.admin, pattern="BSZ-{oops}")
    assert AuditEvent.objects.filter(action="registry.number_pattern").count() == 1
