"""Writes outside the exam flow: vaccinations, pregnancy, travel needs, departure checks,
clinics and the medical travel rules. Each is atomic, validated first, and audited."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from passage.core import audit
from passage.core.errors import ActionError, ConflictError
from passage.core.models import User
from passage.health.choices import (
    AssessmentStatus,
    CheckKind,
    CheckOutcome,
    MedifStatus,
    SpecialService,
    TbClass,
)
from passage.health.models import (
    Assessment,
    Clinic,
    DepartureCheck,
    FitToFlyCertificate,
    Pregnancy,
    TravelNeeds,
    Vaccination,
)
from passage.health.rules import pregnancy_start, pregnancy_week
from passage.profiles.models import DestinationProfile
from passage.profiles.queries import (
    fit_to_fly_window,
    live_vaccine_allowed,
    pre_departure_screening_window,
    profile_for,
    second_dose_window,
)
from passage.registry.actions import transition_case
from passage.registry.choices import CASE_TRANSITIONS, CaseStatus
from passage.registry.models import Case, Membership, Person


def _profile_of(person: Person, on: date) -> DestinationProfile | None:
    membership = (
        Membership.objects.filter(person=person, ended_at__isnull=True)
        .select_related("case")
        .first()
    )
    if membership is None:
        return None
    case = membership.case
    return profile_for(case.destination_country, case.programme, on)


def _check_dose_order(
    person: Person,
    antigen: str,
    dose_number: int,
    given_on: date,
    profile: DestinationProfile | None,
) -> None:
    doses = {v.dose_number: v for v in Vaccination.objects.filter(person=person, antigen=antigen)}
    if dose_number in doses:
        raise ConflictError(
            _("Dose %(n)s of %(antigen)s is already recorded.")
            % {"n": dose_number, "antigen": antigen},
            field="dose_number",
        )
    if dose_number > 1:
        previous = doses.get(dose_number - 1)
        if previous is None:
            raise ActionError(
                _("Dose %(n)s comes after dose %(prev)s, which is not recorded.")
                % {"n": dose_number, "prev": dose_number - 1},
                field="dose_number",
            )
        if given_on <= previous.given_on:
            raise ActionError(
                _("Dose %(n)s is dated on or before dose %(prev)s (%(day)s).")
                % {"n": dose_number, "prev": dose_number - 1, "day": previous.given_on},
                field="given_on",
            )
        window = second_dose_window(profile, previous.given_on) if profile else None
        if dose_number == 2 and window is not None and not window.contains(given_on):
            raise ActionError(
                _("Dose 2 is given between %(start)s and %(end)s, after dose 1 on %(day)s.")
                % {"start": window.earliest, "end": window.latest or "…", "day": previous.given_on},
                field="given_on",
            )
    later = [n for n in doses if n > dose_number]
    if later:
        raise ActionError(
            _("Dose %(n)s is already recorded; dose %(m)s cannot come after it.")
            % {"n": min(later), "m": dose_number},
            field="dose_number",
        )


@transaction.atomic
def record_vaccination(
    *,
    actor: User,
    person: Person,
    antigen: str,
    dose_number: int,
    given_on: date,
    lot: str = "",
    live: bool = False,
    outbreak_response: bool = False,
    planned_departure: date | None = None,
) -> Vaccination:
    antigen = antigen.strip().upper()
    if not antigen:
        raise ActionError(_("Name the vaccine."), field="antigen")
    if dose_number < 1:
        raise ActionError(_("Doses are numbered from 1."), field="dose_number")
    if given_on > timezone.localdate():
        raise ActionError(_("The vaccination date is in the future."), field="given_on")
    profile = _profile_of(person, given_on)
    _check_dose_order(person, antigen, dose_number, given_on, profile)
    not_before = None
    days = profile.live_vaccine_min_days_before_departure if profile else None
    exempt = bool(profile and outbreak_response and profile.live_vaccine_outbreak_exception)
    if live and days and not exempt:
        not_before = given_on + timedelta(days=days)
    if (
        planned_departure
        and live
        and profile is not None
        and not live_vaccine_allowed(
            profile, given_on, planned_departure, outbreak=outbreak_response
        )
    ):
        raise ActionError(
            _(
                "No live vaccine in the %(days)s days before departure on %(day)s, "
                "unless it answers an outbreak."
            )
            % {"days": profile.live_vaccine_min_days_before_departure, "day": planned_departure},
            field="given_on",
        )
    row = Vaccination.objects.create(
        person=person,
        antigen=antigen,
        dose_number=dose_number,
        given_on=given_on,
        lot=lot.strip(),
        live=live,
        outbreak_response=outbreak_response,
        departure_not_before=not_before,
        created_by=actor,
    )
    audit.record(
        actor=actor,
        action="health.vaccination",
        obj=row,
        after=audit.snapshot(row, ["person_id", "dose_number", "given_on"]),
    )
    return row


@transaction.atomic
def record_pregnancy(
    *, actor: User, person: Person, expected_delivery: date, recorded_on: date | None = None
) -> Pregnancy:
    recorded_on = recorded_on or timezone.localdate()
    if expected_delivery <= recorded_on:
        raise ActionError(_("The expected delivery date has passed."), field="expected_delivery")
    if expected_delivery > recorded_on + timedelta(days=280):
        raise ActionError(
            _("The expected delivery date is more than 40 weeks away."),
            field="expected_delivery",
        )
    Pregnancy.objects.filter(person=person, ended_on__isnull=True).update(ended_on=recorded_on)
    row = Pregnancy.objects.create(
        person=person,
        expected_delivery=expected_delivery,
        recorded_on=recorded_on,
        created_by=actor,
    )
    audit.record(
        actor=actor,
        action="health.pregnancy",
        obj=row,
        after=audit.snapshot(row, ["person_id"]),
    )
    return row


@transaction.atomic
def end_pregnancy(*, actor: User, pregnancy: Pregnancy, on: date) -> Pregnancy:
    if pregnancy.ended_on is not None:
        raise ConflictError(_("Already ended."), field="ended_on")
    pregnancy.ended_on = on
    pregnancy.save(update_fields=["ended_on"])
    audit.record(
        actor=actor, action="health.pregnancy_end", obj=pregnancy, changes={"ended_on": [None, on]}
    )
    return pregnancy


WEEK_TOLERANCE = 1  # the week a certificate states may differ this much from the record


def _check_certificate(
    pregnancy: Pregnancy,
    issued_on: date,
    issued_by: str,
    gestation_week: int,
    valid_until: date | None,
) -> None:
    if pregnancy.ended_on is not None:
        raise ConflictError(_("This pregnancy has ended."), field="pregnancy")
    if issued_on > timezone.localdate():
        raise ActionError(_("A certificate cannot be dated in the future."), field="issued_on")
    if issued_on < pregnancy_start(pregnancy.expected_delivery):
        raise ActionError(
            _("The certificate is dated before this pregnancy began."), field="issued_on"
        )
    if not issued_by.strip():
        raise ActionError(_("Say who issued the certificate."), field="issued_by")
    if not 1 <= gestation_week <= 42:
        raise ActionError(_("A pregnancy week is 1 to 42."), field="gestation_week")
    recorded = pregnancy_week(pregnancy.expected_delivery, issued_on)
    if abs(recorded - gestation_week) > WEEK_TOLERANCE:
        raise ActionError(
            _(
                "The certificate states week %(stated)d; the expected delivery date on record "
                "gives week %(recorded)d on %(date)s. Correct the pregnancy record or the week."
            )
            % {"stated": gestation_week, "recorded": recorded, "date": issued_on.isoformat()},
            field="gestation_week",
        )
    if valid_until is not None and valid_until < issued_on:
        raise ActionError(
            _("The certificate cannot be valid until a day before it was issued."),
            field="valid_until",
        )


@transaction.atomic
def record_fit_to_fly_certificate(
    *,
    actor: User,
    pregnancy: Pregnancy,
    issued_on: date,
    issued_by: str,
    gestation_week: int,
    valid_until: date | None = None,
    clinic: Clinic | None = None,
    notes: str = "",
) -> FitToFlyCertificate:
    """A fit-to-fly certificate for an ongoing pregnancy, as the physician issued it."""
    _check_certificate(pregnancy, issued_on, issued_by, gestation_week, valid_until)
    row = FitToFlyCertificate.objects.create(
        pregnancy=pregnancy,
        person_id=pregnancy.person_id,
        issued_on=issued_on,
        issued_by=issued_by.strip()[:200],
        clinic=clinic,
        gestation_week=gestation_week,
        valid_until=valid_until,
        notes=notes.strip(),
        created_by=actor,
    )
    # The event names the records only: no week and no date that would date the pregnancy.
    audit.record(
        actor=actor,
        action="health.fit_to_fly_certificate",
        obj=row,
        after={"person_id": row.person_id, "pregnancy_id": pregnancy.pk},
    )
    return row


@transaction.atomic
def update_travel_needs(
    *,
    actor: User,
    person: Person,
    ssr_codes: list[str],
    escort_required: bool = False,
    oxygen: bool = False,
    stretcher: bool = False,
    medif_status: str = "",
    medif_date: date | None = None,
    notes: str = "",
) -> TravelNeeds:
    """Set the needs; a stretcher adds STCR, an escort or oxygen adds MEDA."""
    codes = [c.strip().upper() for c in ssr_codes if c.strip()]
    unknown = [c for c in codes if c not in SpecialService.values]
    if unknown:
        raise ActionError(
            _("Unknown special-service code: %(codes)s.") % {"codes": ", ".join(unknown)},
            field="ssr_codes",
        )
    wheelchairs = [c for c in codes if c.startswith("WCH")]
    if len(wheelchairs) > 1:
        raise ActionError(_("Choose one wheelchair code."), field="ssr_codes")
    if stretcher:
        codes.append(SpecialService.STCR)
    if escort_required or oxygen:
        codes.append(SpecialService.MEDA)
    if medif_status not in MedifStatus.values:
        raise ActionError(_("Unknown MEDIF status."), field="medif_status")
    if medif_status and medif_date is None:
        raise ActionError(_("Give the MEDIF date."), field="medif_date")
    if (escort_required or oxygen or stretcher) and not medif_status:
        raise ActionError(
            _("An escort, oxygen or a stretcher needs a MEDIF: record it as submitted."),
            field="medif_status",
        )
    needs, _created = TravelNeeds.objects.select_for_update().get_or_create(person=person)
    fields = [
        "ssr_codes",
        "escort_required",
        "oxygen",
        "stretcher",
        "medif_status",
        "medif_date",
    ]
    before = audit.snapshot(needs, fields)
    needs.ssr_codes = sorted(set(codes), key=SpecialService.values.index)
    needs.escort_required, needs.oxygen, needs.stretcher = escort_required, oxygen, stretcher
    needs.medif_status, needs.medif_date, needs.notes = medif_status, medif_date, notes.strip()
    needs.updated_by, needs.updated_at = actor, timezone.now()
    needs.save()
    audit.record(
        actor=actor,
        action="health.travel_needs",
        obj=needs,
        before=before,
        after=audit.snapshot(needs, fields),
    )
    return needs


_CHECK_MOVES: dict[str, str] = {
    CheckOutcome.UNFIT: CaseStatus.POSTPONED,
    CheckOutcome.FIT: CaseStatus.FIT_TO_TRAVEL,
    CheckOutcome.ESCORT: CaseStatus.FIT_TO_TRAVEL,
}


def _check_window(
    profile: DestinationProfile, kind: str, checked_at: datetime, departure_at: datetime
) -> None:
    if kind == CheckKind.SCREENING:
        window = pre_departure_screening_window(profile, departure_at.date())
        if window is not None and not window.contains(checked_at.date()):
            raise ActionError(
                _("Pre-departure screening is done between %(start)s and %(end)s.")
                % {"start": window.earliest, "end": window.latest},
                field="checked_at",
            )
        return
    ftf = fit_to_fly_window(profile, departure_at)
    if ftf is not None and not ftf.contains(checked_at):
        raise ActionError(
            _("The fit-to-fly check is done between %(start)s and %(end)s.")
            % {
                "start": timezone.localtime(ftf.earliest).strftime("%Y-%m-%d %H:%M"),
                "end": timezone.localtime(ftf.latest).strftime("%Y-%m-%d %H:%M"),
            },
            field="checked_at",
        )


def _require_screening(profile: DestinationProfile, person: Person, departure_at: datetime) -> None:
    """Where the profile asks for pre-departure screening, a TB class B1 traveller is
    found fit only after a screening inside the window for this departure."""
    window = pre_departure_screening_window(profile, departure_at.date())
    latest = (
        Assessment.objects.filter(person=person)
        .exclude(status=AssessmentStatus.CANCELLED)
        .order_by("-created_at", "-id")
        .first()
    )
    if window is None or latest is None or latest.tb_class != TbClass.B1:
        return
    screened = DepartureCheck.objects.filter(
        person=person,
        kind=CheckKind.SCREENING,
        outcome__in=[CheckOutcome.FIT, CheckOutcome.ESCORT],
        checked_at__date__gte=window.earliest,
        checked_at__date__lte=window.latest,
    ).exists()
    if not screened:
        raise ActionError(
            _("TB class B1: record the pre-departure screening (from %(start)s) first.")
            % {"start": window.earliest},
            field="kind",
        )


@transaction.atomic
def record_departure_check(
    *,
    actor: User,
    case: Case,
    person: Person,
    kind: str,
    checked_at: datetime,
    departure_at: datetime,
    outcome: str,
    notes: str = "",
) -> DepartureCheck:
    """Screening or fit-to-fly within the profile's window; unfit postpones the case."""
    if kind not in CheckKind.values:
        raise ActionError(_("Choose the check."), field="kind")
    if outcome not in CheckOutcome.values:
        raise ActionError(_("Choose the outcome."), field="outcome")
    if not Membership.objects.filter(case=case, person=person, ended_at__isnull=True).exists():
        raise ActionError(_("This person is not a member of the case."), field="person")
    if checked_at > departure_at:
        raise ActionError(_("The check is after the departure."), field="checked_at")
    profile = profile_for(case.destination_country, case.programme, departure_at.date())
    _check_window(profile, kind, checked_at, departure_at)
    if kind == CheckKind.FIT_TO_FLY and outcome != CheckOutcome.UNFIT:
        _require_screening(profile, person, departure_at)
    row = DepartureCheck.objects.create(
        person=person,
        case=case,
        kind=kind,
        checked_at=checked_at,
        departure_at=departure_at,
        outcome=outcome,
        notes=notes.strip(),
        created_by=actor,
    )
    audit.record(
        actor=actor,
        action="health.departure_check",
        obj=row,
        after=audit.snapshot(row, ["person_id", "case_id", "kind", "outcome"]),
    )
    _move_case_after_check(actor, case, kind, outcome)
    return row


def _move_case_after_check(actor: User, case: Case, kind: str, outcome: str) -> None:
    case.refresh_from_db(fields=["status"])
    target: str
    if outcome == CheckOutcome.UNFIT:
        target = CaseStatus.POSTPONED
    elif kind == CheckKind.SCREENING:
        target = CaseStatus.PREDEPARTURE_SCREENED
    else:
        target = _CHECK_MOVES[outcome]
        people = list(
            Membership.objects.filter(case=case, ended_at__isnull=True).values_list(
                "person_id", flat=True
            )
        )
        fit = {
            c.person_id: c.outcome
            for c in DepartureCheck.objects.filter(
                case=case, person_id__in=people, kind=CheckKind.FIT_TO_FLY
            ).order_by("checked_at", "id")
        }
        if any(fit.get(p) not in {CheckOutcome.FIT, CheckOutcome.ESCORT} for p in people):
            return  # the family departs together: wait for every member's check
    if target in CASE_TRANSITIONS.get(case.status, frozenset()):
        transition_case(
            actor=actor,
            case=case,
            to=target,
            reason=_("Migration health: %(check)s") % {"check": CheckKind(kind).label},
        )
