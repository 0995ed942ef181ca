"""Registry endpoints: cases, people, embassy requests, referrals and imports."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, File, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from passage.core import jobs, policy
from passage.core.api import ErrorOut, JobOut
from passage.core.errors import ActionError
from passage.core.models import Organisation, User
from passage.core.pagination import Pagination
from passage.core.utils import api_user
from passage.registry import actions, imports, members, people, queries, requests
from passage.registry.api_schemas import (
    CaseIn,
    CaseOut,
    CasePatch,
    HitOut,
    ImportOut,
    MemberIn,
    MergeIn,
    PersonIn,
    PersonOut,
    ReferenceIn,
    ReferralIn,
    ReferralOut,
    RelationshipIn,
    RequestIn,
    RequestOut,
    SplitIn,
    TransitionIn,
    case_out,
)
from passage.registry.models import Case, Person
from passage.registry.search import search_people

router = Router()
TAG = "registry"
INLINE_BYTES = 256 * 1024


def _case(user: User, case_id: int, permission: str | None = None) -> Case:
    return policy.get_object_for(user, queries.case_queryset(), case_id, permission)


def _org(pk: int | None, field: str) -> Organisation | None:
    if pk is None:
        return None
    org = Organisation.objects.filter(pk=pk).first()
    if org is None:
        raise ActionError("Unknown organisation.", field=field)
    return org


def _worker(pk: int | None) -> User | None:
    if pk is None:
        return None
    return User.objects.filter(pk=pk).first() or _raise("Unknown user.", "case_worker")


def _raise(message: str, field: str) -> Any:
    raise ActionError(message, field=field)


@router.get("/cases", response=list[CaseOut], summary="Cases the caller may see")
@paginate(Pagination)
def list_cases(
    request: HttpRequest,
    status: str = "",
    programme: str = "",
    destination: str = "",
    priority: str = "",
    case_worker: int | None = None,
    q: str = "",
) -> Any:
    user = api_user(request)
    policy.require(user, "registry.view_case")
    filters = queries.CaseFilters(
        status=status,
        programme=programme,
        destination=destination,
        priority=priority,
        case_worker=case_worker,
        q=q,
    )
    return queries.case_list(user, filters)


@router.post("/cases", response={201: CaseOut, 400: ErrorOut, 403: ErrorOut}, summary="Open a case")
def create_case(request: HttpRequest, payload: CaseIn) -> Any:
    user = api_user(request)
    policy.require(user, "registry.edit_case")
    case = actions.open_case(
        actor=user,
        programme=payload.programme,
        destination_country=payload.destination_country,
        priority=payload.priority,
        receiving_party=_org(payload.receiving_party, "receiving_party"),
        referred_by=_org(payload.referred_by, "referred_by"),
        case_worker=_worker(payload.case_worker),
        notes=payload.notes,
    )
    return Status(201, case_out(_case(user, case.pk)))


@router.get("/cases/{case_id}", response={200: CaseOut, 404: ErrorOut}, summary="One case")
def get_case(request: HttpRequest, case_id: int) -> Any:
    user = api_user(request)
    case = policy.get_object_for(user, queries.case_list(user), case_id)
    return case_out(case)


@router.patch(
    "/cases/{case_id}",
    response={200: CaseOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="Change a case's details",
)
def patch_case(request: HttpRequest, case_id: int, payload: CasePatch) -> Any:
    user = api_user(request)
    case = _case(user, case_id, "registry.edit_case")
    changes: dict[str, Any] = payload.dict(exclude_unset=True)
    for field in ("receiving_party", "referred_by"):
        if field in changes:
            changes[field] = _org(changes[field], field)
    if "case_worker" in changes:
        changes["case_worker"] = _worker(changes["case_worker"])
    actions.update_case(actor=user, case=case, **changes)
    return case_out(policy.get_object_for(user, queries.case_list(user), case_id))


@router.post(
    "/cases/{case_id}/transitions",
    response={200: CaseOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="Move a case to another status",
)
def transition(request: HttpRequest, case_id: int, payload: TransitionIn) -> Any:
    user = api_user(request)
    case = _case(user, case_id, "registry.change_status")
    actions.transition_case(actor=user, case=case, to=payload.to, reason=payload.reason)
    return case_out(policy.get_object_for(user, queries.case_list(user), case_id))


@router.post(
    "/cases/{case_id}/members",
    response={201: CaseOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="Add a person to a case",
)
def add_member(request: HttpRequest, case_id: int, payload: MemberIn) -> Any:
    user = api_user(request)
    case = _case(user, case_id, "registry.edit_case")
    person = policy.get_object_for(user, Person, payload.person_id)
    actions.add_member(actor=user, case=case, person=person, relationship=payload.relationship)
    return Status(201, case_out(policy.get_object_for(user, queries.case_list(user), case_id)))


@router.post(
    "/cases/{case_id}/members/{person_id}/relationship",
    response={200: CaseOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="Change a member's relationship to the principal applicant",
    description=(
        "Making a member principal needs `former_principal_becomes` (what the current "
        "principal becomes) and a `reason`; the principal's own relationship changes only so."
    ),
)
def change_relationship(
    request: HttpRequest, case_id: int, person_id: int, payload: RelationshipIn
) -> Any:
    user = api_user(request)
    case = _case(user, case_id, "registry.edit_case")
    member = case.memberships.filter(person_id=person_id, ended_at__isnull=True).first()
    if member is None:
        raise ActionError("This person is not a current member of the case.", field="person_id")
    members.change_relationship(
        actor=user,
        membership=member,
        relationship=payload.relationship,
        former_principal_becomes=payload.former_principal_becomes,
        reason=payload.reason,
    )
    return case_out(policy.get_object_for(user, queries.case_list(user), case_id))


@router.post(
    "/cases/{case_id}/references",
    response={201: CaseOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="Add a reference number",
)
def add_reference(request: HttpRequest, case_id: int, payload: ReferenceIn) -> Any:
    user = api_user(request)
    case = _case(user, case_id, "registry.edit_case")
    actions.add_reference(
        actor=user, case=case, kind=payload.kind, value=payload.value, note=payload.note
    )
    return Status(201, case_out(policy.get_object_for(user, queries.case_list(user), case_id)))


@router.post(
    "/cases/{case_id}/split",
    response={201: CaseOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="Split members off into a new case",
)
def split(request: HttpRequest, case_id: int, payload: SplitIn) -> Any:
    user = api_user(request)
    case = _case(user, case_id, "registry.split_merge")
    members = {m.person_id: m.person for m in case.memberships.filter(ended_at__isnull=True)}
    chosen = [members[pk] for pk in payload.people if pk in members]
    if len(chosen) != len(payload.people) or payload.principal not in members:
        raise ActionError("Only current members can be split off.", field="people")
    new = actions.split_case(
        actor=user,
        case=case,
        people=chosen,
        principal=members[payload.principal],
        reason=payload.reason,
    )
    return Status(201, case_out(policy.get_object_for(user, queries.case_list(user), new.pk)))


@router.post(
    "/cases/{case_id}/merge",
    response={200: CaseOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="Merge this case into another",
)
def merge(request: HttpRequest, case_id: int, payload: MergeIn) -> Any:
    user = api_user(request)
    case = _case(user, case_id, "registry.split_merge")
    target = _case(user, payload.target_id, "registry.split_merge")
    actions.merge_cases(actor=user, source=case, target=target, reason=payload.reason)
    return case_out(policy.get_object_for(user, queries.case_list(user), target.pk))


class PeopleQuery(Schema):
    q: str = Field("", description="Name in any script, a case or individual number, a date")


@router.get("/people", response=list[PersonOut], summary="People the caller may see")
@paginate(Pagination)
def list_people(request: HttpRequest) -> Any:
    user = api_user(request)
    policy.require(user, "registry.view_person")
    return queries.people_list(user).prefetch_related("names")


@router.get("/people/search", response=list[HitOut], summary="Find people, ranked")
def search(request: HttpRequest, query: Query[PeopleQuery]) -> Any:
    user = api_user(request)
    policy.require(user, "registry.view_person")
    hits = search_people(queries.people_list(user).prefetch_related("names"), query.q, limit=50)
    return [
        {"person": h.person, "score": h.score, "matched": h.matched, "reason": h.reason}
        for h in hits
    ]


@router.post(
    "/people",
    response={201: PersonOut, 400: ErrorOut, 403: ErrorOut, 409: ErrorOut},
    summary="Record a person (after consent); 409 lists possible duplicates",
)
def create_person(request: HttpRequest, payload: PersonIn) -> Any:
    user = api_user(request)
    policy.require(user, "registry.edit_person")
    person = people.create_person(
        actor=user, data=payload.to_data(), confirmed_distinct=payload.confirmed_distinct
    )
    return Status(201, Person.objects.prefetch_related("names").get(pk=person.pk))


@router.get("/people/{person_id}", response={200: PersonOut, 404: ErrorOut}, summary="One person")
def get_person(request: HttpRequest, person_id: int) -> Any:
    user = api_user(request)
    return policy.get_object_for(user, Person.objects.prefetch_related("names"), person_id)


@router.put(
    "/people/{person_id}",
    response={200: PersonOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="Change a person",
)
def put_person(request: HttpRequest, person_id: int, payload: PersonIn) -> Any:
    user = api_user(request)
    person = policy.get_object_for(user, Person, person_id, "registry.edit_person")
    people.update_person(actor=user, person=person, data=payload.to_data())
    return Person.objects.prefetch_related("names").get(pk=person.pk)


@router.get("/embassy-requests", response=list[RequestOut], summary="Embassy requests")
@paginate(Pagination)
def list_requests(request: HttpRequest) -> Any:
    user = api_user(request)
    policy.require(user, "registry.view_request")
    return queries.request_list(user)


@router.post(
    "/embassy-requests",
    response={201: RequestOut, 400: ErrorOut, 403: ErrorOut, 409: ErrorOut},
    summary="Record an embassy request",
)
def create_request(request: HttpRequest, payload: RequestIn) -> Any:
    user = api_user(request)
    policy.require(user, "registry.manage_requests")
    embassy = _org(payload.embassy, "embassy")
    assert embassy is not None
    cases = list(queries.visible_cases(user).filter(pk__in=payload.cases))
    if len(cases) != len(set(payload.cases)):
        raise ActionError("Unknown cases.", field="cases")
    obj = requests.create_embassy_request(
        actor=user,
        embassy=embassy,
        reference=payload.reference,
        issued_on=payload.issued_on,
        valid_from=payload.valid_from,
        valid_until=payload.valid_until,
        services=payload.services,
        cases=cases,
        notes=payload.notes,
    )
    return Status(201, queries.request_list(user).get(pk=obj.pk))


@router.get(
    "/embassy-requests/{request_id}",
    response={200: RequestOut, 404: ErrorOut},
    summary="One embassy request",
)
def get_request(request: HttpRequest, request_id: int) -> Any:
    return policy.get_object_for(
        api_user(request), queries.request_list(api_user(request)), request_id
    )


@router.get("/referrals", response=list[ReferralOut], summary="UNHCR referrals")
@paginate(Pagination)
def list_referrals(request: HttpRequest) -> Any:
    user = api_user(request)
    policy.require(user, "registry.view_referral")
    return queries.referral_list(user)


@router.post(
    "/referrals",
    response={201: ReferralOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="Record a UNHCR referral",
)
def create_referral(request: HttpRequest, payload: ReferralIn) -> Any:
    user = api_user(request)
    case = _case(user, payload.case_id, "registry.manage_referrals")
    org = _org(payload.organisation, "organisation")
    assert org is not None
    referral = requests.record_referral(
        actor=user,
        case=case,
        organisation=org,
        reference=payload.reference,
        referred_on=payload.referred_on,
        priority=payload.priority,
        submission_category=payload.submission_category,
    )
    return Status(201, referral)


@router.post(
    "/imports",
    response={
        200: ImportOut,
        201: ImportOut,
        202: JobOut,
        400: ErrorOut,
        403: ErrorOut,
        409: ErrorOut,
    },
    summary="Check (apply=false) or import (apply=true) a CSV/XLSX file",
)
def create_import(
    request: HttpRequest,
    file: File[UploadedFile],
    apply: bool = False,
    confirm_updates: bool = False,
) -> Any:
    from passage.registry.import_views import store_upload

    user = api_user(request)
    policy.require(user, "registry.import")
    content = file.read()
    name = file.name or "upload.csv"
    if len(content) > INLINE_BYTES:
        path = store_upload(user, name, content)
        job = jobs.start_job(
            actor=user,
            kind=imports.JOB_KIND,
            title=f"Import {name}",
            params={"path": path, "name": name, "apply": apply, "confirm_updates": confirm_updates},
        )
        job.refresh_from_db()
        return Status(202, job)
    plan = imports.plan_import(name, content, check_duplicates=not apply)
    imports.refuse(plan)
    if not apply:
        return Status(200, {"applied": False, **plan.summary()})
    if plan.updates and not confirm_updates:
        raise _needs_confirmation(plan)
    return Status(201, {"applied": True, **imports.apply_import(actor=user, plan=plan)})


def _needs_confirmation(plan: imports.Plan) -> ActionError:
    from passage.core.errors import ConflictError

    return ConflictError(
        "The file changes existing records; send confirm_updates=true after reviewing them.",
        code="confirm_updates",
        errors=[c.as_dict() for c in plan.updates[:500]],
    )


__all__ = ["router"]
