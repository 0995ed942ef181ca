"""Writes of embassy requests (authorisations) and UNHCR referrals."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from passage.core import audit
from passage.core.choices import OrgKind
from passage.core.errors import ActionError, ConflictError
from passage.core.models import Organisation, User
from passage.registry.choices import Priority, Service, SubmissionCategory
from passage.registry.models import Case, EmbassyRequest, Referral

REQUEST_FIELDS = (
    "embassy_id",
    "reference",
    "issued_on",
    "valid_from",
    "valid_until",
    "medical",
    "co",
    "movement",
    "notes",
)
REFERRAL_FIELDS = (
    "case_id",
    "organisation_id",
    "reference",
    "referred_on",
    "priority",
    "submission_category",
)


def _check_request(
    embassy: Organisation,
    reference: str,
    valid_from: dt.date,
    valid_until: dt.date,
    services: Iterable[str],
    cases: list[Case],
) -> list[str]:
    if embassy.kind != OrgKind.EMBASSY:
        raise ActionError(_("Choose an embassy."), field="embassy")
    if not reference.strip():
        raise ActionError(_("Enter the embassy's reference."), field="reference")
    if valid_until < valid_from:
        raise ActionError(_("The request ends before it starts."), field="valid_until")
    chosen = list(dict.fromkeys(services))
    if not chosen:
        raise ActionError(_("Choose at least one service."), field="services")
    unknown = [s for s in chosen if s not in Service.values]
    if unknown:
        raise ActionError(
            _("Unknown service: %(service)s") % {"service": unknown[0]}, field="services"
        )
    wrong = [c.file_number for c in cases if c.destination_country != embassy.country]
    if wrong:
        raise ActionError(
            _("These cases are not bound for %(country)s: %(cases)s")
            % {"country": embassy.country, "cases": ", ".join(wrong)},
            field="cases",
        )
    return chosen


@transaction.atomic
def create_embassy_request(
    *,
    actor: User,
    embassy: Organisation,
    reference: str,
    issued_on: dt.date,
    valid_from: dt.date,
    valid_until: dt.date,
    services: Iterable[str],
    cases: Iterable[Case],
    notes: str = "",
) -> EmbassyRequest:
    case_list = list(cases)
    chosen = _check_request(embassy, reference, valid_from, valid_until, services, case_list)
    if EmbassyRequest.objects.filter(embassy=embassy, reference=reference.strip()).exists():
        raise ConflictError(
            _("This embassy already has a request %(reference)s.") % {"reference": reference},
            field="reference",
        )
    request = EmbassyRequest.objects.create(
        embassy=embassy,
        reference=reference.strip(),
        issued_on=issued_on,
        valid_from=valid_from,
        valid_until=valid_until,
        notes=notes,
        **{s: s in chosen for s in Service.values},
    )
    request.cases.set(case_list)
    audit.record(
        actor=actor,
        action="embassy_request.create",
        obj=request,
        after=audit.snapshot(request, REQUEST_FIELDS),
        extra={"cases": [c.file_number for c in case_list]},
    )
    return request


@transaction.atomic
def update_embassy_request(
    *,
    actor: User,
    request: EmbassyRequest,
    valid_from: dt.date,
    valid_until: dt.date,
    services: Iterable[str],
    cases: Iterable[Case],
    notes: str = "",
) -> EmbassyRequest:
    case_list = list(cases)
    chosen = _check_request(
        request.embassy, request.reference, valid_from, valid_until, services, case_list
    )
    before = audit.snapshot(request, REQUEST_FIELDS)
    before_cases = sorted(request.cases.values_list("file_number", flat=True))
    request.valid_from, request.valid_until, request.notes = valid_from, valid_until, notes
    for service in Service.values:
        setattr(request, service, service in chosen)
    request.save()
    request.cases.set(case_list)
    after_cases = sorted(c.file_number for c in case_list)
    audit.record(
        actor=actor,
        action="embassy_request.update",
        obj=request,
        before=before,
        after=audit.snapshot(request, REQUEST_FIELDS),
        extra={"cases": [before_cases, after_cases]} if before_cases != after_cases else {},
    )
    return request


@transaction.atomic
def record_referral(
    *,
    actor: User | None,
    case: Case,
    organisation: Organisation,
    reference: str,
    referred_on: dt.date,
    priority: str,
    submission_category: str,
) -> Referral:
    """A UNHCR referral; the case is then visible to that UNHCR office."""
    if organisation.kind != OrgKind.UNHCR:
        raise ActionError(_("Referrals come from UNHCR."), field="organisation")
    if priority not in Priority.values:
        raise ActionError(_("Unknown priority."), field="priority")
    if submission_category not in SubmissionCategory.values:
        raise ActionError(_("Unknown submission category."), field="submission_category")
    if not reference.strip():
        raise ActionError(_("Enter the referral reference."), field="reference")
    if Referral.objects.filter(reference=reference.strip()).exists():
        raise ConflictError(
            _("The referral %(reference)s is already recorded.") % {"reference": reference},
            field="reference",
        )
    referral = Referral.objects.create(
        case=case,
        organisation=organisation,
        reference=reference.strip(),
        referred_on=referred_on,
        priority=priority,
        submission_category=submission_category,
    )
    if case.referred_by_id is None:
        case.referred_by = organisation
        case.save(update_fields=["referred_by"])
    audit.record(
        actor=actor,
        action="referral.create",
        obj=referral,
        after=audit.snapshot(referral, REFERRAL_FIELDS),
    )
    return referral
