"""Application intake at the desk, the biometrics decision, fees and payments."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from passage.core import audit
from passage.core.errors import ActionError, ConflictError
from passage.core.models import User
from passage.ledger import actions as ledger
from passage.ledger.choices import EntryKind, PaymentMethod
from passage.ledger.models import Account, LedgerEntry
from passage.vac import rules
from passage.vac.choices import ApplicationType, BiometricsOutcome, Language
from passage.vac.models import Applicant, Application, Appointment, Biometrics

RECEIPT_SERIES = "VAC"
APPLICATION_FIELDS = (
    "reference",
    "appointment_id",
    "application_type",
    "letter_reference",
    "family",
    "language",
)


@dataclass
class ApplicantIn:
    given_names: str
    family_name: str
    date_of_birth: date
    nationality: str = "KGZ"
    passport_number: str = ""
    resettled_refugee: bool = False
    previous_biometrics_on: date | None = None


def _check_applicant(i: int, person: ApplicantIn) -> None:
    if not person.given_names.strip() or not person.family_name.strip():
        raise ActionError(
            _("Applicant %(n)s: enter the names.") % {"n": i + 1},
            field=f"applicants.{i}.family_name",
        )
    if person.date_of_birth >= timezone.localdate():
        raise ActionError(
            _("Applicant %(n)s: the date of birth must be in the past.") % {"n": i + 1},
            field=f"applicants.{i}.date_of_birth",
        )
    earlier = person.previous_biometrics_on
    if earlier is not None and not person.date_of_birth <= earlier <= timezone.localdate():
        raise ActionError(
            _("Applicant %(n)s: the earlier biometrics date is not possible.") % {"n": i + 1},
            field=f"applicants.{i}.previous_biometrics_on",
        )


@transaction.atomic
def open_application(
    *,
    actor: User,
    application_type: str,
    applicants: list[ApplicantIn],
    appointment: Appointment | None = None,
    letter_reference: str = "",
    family: bool = False,
    email: str = "",
    phone: str = "",
    language: str = Language.EN,
) -> Application:
    """Take in a file. From an appointment it keeps the booking's reference and contact."""
    if application_type not in ApplicationType.values:
        raise ActionError(_("Choose the application type."), field="application_type")
    if not applicants:
        raise ActionError(_("Add at least one applicant."), field="applicants")
    if family and len(applicants) < 2:
        raise ActionError(_("A family applying together has two or more people."), field="family")
    for i, person in enumerate(applicants):
        _check_applicant(i, person)
    application = Application(
        application_type=application_type,
        family=family,
        letter_reference=letter_reference.strip(),
        email=email.strip(),
        phone=phone.strip(),
        language=language,
        created_by=actor,
    )
    if appointment is not None:
        if Application.objects.filter(appointment=appointment).exists():
            raise ConflictError(
                _("This appointment already has an application."), field="appointment"
            )
        application.appointment = appointment
        application.reference = appointment.reference
        application.email = application.email or appointment.email
        application.phone = application.phone or appointment.phone
        application.language = appointment.language
    application.save()
    for person in applicants:
        Applicant.objects.create(
            application=application,
            given_names=person.given_names.strip(),
            family_name=person.family_name.strip(),
            date_of_birth=person.date_of_birth,
            nationality=person.nationality.upper()[:3],
            passport_number=person.passport_number.strip().upper(),
            resettled_refugee=person.resettled_refugee,
            previous_biometrics_on=person.previous_biometrics_on,
        )
    audit.record(
        actor=actor,
        action="vac.application_open",
        obj=application,
        after={**audit.snapshot(application, APPLICATION_FIELDS), "applicants": len(applicants)},
    )
    return application


def account_of(application: Application) -> Account:
    return ledger.open_account(
        actor=None,
        code=f"vac.application.{application.pk}",
        name=f"VAC {application.reference}",
        currency=rules.fee_profile_on(timezone.localdate()).currency,
        subject=application,
    )


@transaction.atomic
def assess_fees(*, actor: User, application: Application) -> list[Biometrics]:
    """Decide biometrics for everyone and charge the fees once, to the application's account.

    The profile in force today decides. Charged fees are never changed here: a
    mistake is corrected in the ledger, with a reason.
    """
    application = Application.objects.select_for_update().get(pk=application.pk)
    if Biometrics.objects.filter(applicant__application=application).exists():
        raise ConflictError(
            _("The fees of this application are already assessed."), field="application"
        )
    today = timezone.localdate()
    profile = rules.fee_profile_on(today)
    applicants = list(application.applicants.order_by("id"))
    decisions = rules.assess(
        applicants,
        application_type=application.application_type,
        family=application.family,
        profile=profile,
        day=today,
    )
    records = [
        Biometrics.objects.create(
            applicant=d.applicant,
            outcome=d.outcome,
            fee=d.fee,
            currency=profile.currency,
            profile=profile,
        )
        for d in decisions
    ]
    account = account_of(application)
    biometric_total = rules.total(decisions)
    if biometric_total > 0:
        ledger.charge(
            actor=actor,
            account=account,
            amount=biometric_total,
            kind=EntryKind.FEE,
            description=_("Biometric fee"),
        )
    service_total = profile.service_fee * len(applicants)
    if service_total > 0:
        ledger.charge(
            actor=actor, account=account, amount=service_total, description=_("Centre service fee")
        )
    audit.record(
        actor=actor,
        action="vac.fees_assess",
        obj=application,
        extra={
            "profile": profile.pk,
            "biometric_fee": biometric_total,
            "service_fee": service_total,
            "outcomes": {str(d.applicant.pk): d.outcome for d in decisions},
        },
    )
    return records


@transaction.atomic
def take_payment(
    *,
    actor: User,
    application: Application,
    amount: Decimal | str,
    currency: str,
    method: str = PaymentMethod.CASH,
) -> LedgerEntry:
    """Money at the counter, in CAD or in KGS at the day's recorded rate; a numbered receipt."""
    account = account_of(application)
    if not account.entries.exists():
        raise ActionError(_("Assess the fees before taking a payment."), field="amount")
    entry = ledger.record_payment(
        actor=actor,
        account=account,
        amount=amount,
        currency=currency,
        method=method,
        series=RECEIPT_SERIES,
    )
    audit.record(
        actor=actor,
        action="vac.payment",
        obj=application,
        extra={"entry": entry.pk, "receipt": entry.receipt_number},
    )
    return entry


@transaction.atomic
def record_enrolment(*, actor: User, applicant: Applicant) -> Biometrics:
    record = Biometrics.objects.select_for_update().filter(applicant=applicant).first()
    if record is None:
        raise ActionError(_("Assess the fees first: they decide who enrols."), field="applicant")
    if record.outcome != BiometricsOutcome.ENROL:
        raise ActionError(
            _("This person does not enrol: %(why)s.") % {"why": record.get_outcome_display()},
            field="applicant",
        )
    if record.enrolled_at is not None:
        raise ConflictError(_("Biometrics are already enrolled."), field="applicant")
    record.enrolled_at, record.enrolled_by = timezone.now(), actor
    record.save(update_fields=["enrolled_at", "enrolled_by"])
    audit.record(
        actor=actor, action="vac.biometrics_enrol", obj=applicant, extra={"record": record.pk}
    )
    return record
