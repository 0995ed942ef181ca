"""The chain of custody of passports: every move a scan or click by a named officer."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from passage.core import audit, workflow
from passage.core.errors import ActionError, ConflictError
from passage.core.models import User
from passage.vac import notify
from passage.vac.choices import CUSTODY_MOVES, IN_CUSTODY, CustodyStatus
from passage.vac.models import Applicant, CourierBatch, Custody, CustodyEvent

DETAILS = ("waybill", "envelope", "collected_by", "identity_document", "note")


def find(code: str) -> Custody:
    """The custody record of a scanned code (scanners may add spaces or lower case)."""
    cleaned = "".join(code.split()).upper()
    custody = Custody.objects.select_related("applicant__application").filter(code=cleaned).first()
    if custody is None:
        raise ActionError(
            _("No passport has the code %(code)s.") % {"code": cleaned or "—"},
            field="code",
            code="unknown_code",
        )
    return custody


def _when(at: datetime | None) -> datetime:
    """Now, or a time copied from the paper log: never in the future."""
    now = timezone.now()
    if at is None:
        return now
    if timezone.is_naive(at) or at > now:
        raise ActionError(_("A step cannot be recorded in the future."), field="at")
    return at


def _already(number: str) -> ConflictError:
    return ConflictError(
        _("Passport %(n)s is already in the centre's custody.") % {"n": number},
        field="passport_number",
    )


@transaction.atomic
def receive_passport(
    *,
    actor: User,
    applicant: Applicant,
    passport_number: str = "",
    note: str = "",
    at: datetime | None = None,
) -> Custody:
    """Take a passport in: it gets a custody code for its receipt's QR code."""
    at = _when(at)
    number = "".join((passport_number or applicant.passport_number).split()).upper()
    if not number:
        raise ActionError(_("Enter the passport number."), field="passport_number")
    if Custody.objects.filter(applicant=applicant).exists():
        raise ConflictError(_("This applicant's passport is already received."), field="applicant")
    if Custody.objects.filter(passport_number=number, status__in=IN_CUSTODY).exists():
        raise _already(number)
    try:
        with transaction.atomic():
            custody = Custody.objects.create(
                applicant=applicant, passport_number=number, received_at=at, since=at
            )
    except IntegrityError as exc:
        raise _already(number) from exc
    CustodyEvent.objects.create(
        custody=custody, to_status=custody.status, officer=actor, note=note[:200], at=at
    )
    audit.record(
        actor=actor,
        action="vac.custody_received",
        obj=custody,
        after={
            "code": custody.code,
            "passport_number": number,
            "applicant": applicant.pk,
            "at": at,
        },
    )
    notify.custody_changed(custody, actor=actor)
    return custody


def _require(target: str, details: dict[str, str]) -> None:
    need: dict[str, tuple[str, str]] = {
        CustodyStatus.RETURNED: ("envelope", _("Enter the sealed envelope's number.")),
        CustodyStatus.COLLECTED: ("collected_by", _("Enter who collected the passport.")),
        CustodyStatus.COURIERED: ("waybill", _("Enter the courier waybill.")),
    }
    field = need.get(str(target))
    if field and not details.get(field[0], "").strip():
        raise ActionError(field[1], field=field[0])
    if target == CustodyStatus.COLLECTED and not details.get("identity_document", "").strip():
        raise ActionError(
            _("Check an identity document and enter its type and number."),
            field="identity_document",
        )


def _step(
    custody: Custody,
    target: str,
    actor: User,
    *,
    batch: CourierBatch | None = None,
    at: datetime | None = None,
    **details: str,
) -> Custody:
    at = _when(at)
    custody = Custody.objects.select_for_update().get(pk=custody.pk)
    workflow.check_transition(CUSTODY_MOVES, CustodyStatus, custody.status, target)
    _require(target, details)
    if at < custody.since:
        raise ActionError(_("A step cannot come before the previous one."), field="at")
    before = custody.status
    custody.status, custody.since = target, at
    if batch is not None:
        custody.batch = batch
    custody.save(update_fields=["status", "since", "batch"])
    values = {k: str(details.get(k, "")).strip()[:200] for k in DETAILS}
    CustodyEvent.objects.create(
        custody=custody,
        from_status=before,
        to_status=target,
        officer=actor,
        batch=batch,
        at=at,
        **values,
    )
    audit.record(
        actor=actor,
        action=f"vac.custody_{target}",
        obj=custody,
        changes={"status": [before, target]},
        extra={**{k: v for k, v in values.items() if v}, "at": at},
    )
    notify.custody_changed(custody, actor=actor)
    return custody


@transaction.atomic
def move_passport(
    *, actor: User, custody: Custody, status: str, at: datetime | None = None, **details: Any
) -> Custody:
    """Return, ready, collect or courier one passport (forwarding goes by batch)."""
    if status == CustodyStatus.FORWARDED:
        raise ActionError(
            _("Passports go to the visa office in a batch with a waybill."), field="status"
        )
    return _step(custody, status, actor, at=at, **details)


@transaction.atomic
def dispatch_batch(
    *, actor: User, codes: list[str], waybill: str, at: datetime | None = None
) -> CourierBatch:
    """Send scanned passports to the visa office under one waybill: all of them, or none."""
    at = _when(at)
    waybill = waybill.strip()
    if not waybill:
        raise ActionError(_("Enter the courier waybill."), field="waybill")
    if CourierBatch.objects.filter(waybill=waybill).exists():
        raise ConflictError(_("Waybill %(w)s is already used.") % {"w": waybill}, field="waybill")
    unique = list(dict.fromkeys("".join(c.split()).upper() for c in codes if c.strip()))
    if not unique:
        raise ActionError(_("Scan at least one passport."), field="codes")
    found = [find(code) for code in unique]
    wrong = [c.code for c in found if c.status != CustodyStatus.RECEIVED]
    if wrong:
        raise ConflictError(
            _("Not at the centre waiting to be sent: %(codes)s.") % {"codes": ", ".join(wrong)},
            field="codes",
        )
    batch = CourierBatch.objects.create(waybill=waybill, sent_by=actor, sent_at=at)
    for custody in found:
        _step(custody, CustodyStatus.FORWARDED, actor, batch=batch, at=at, waybill=waybill)
    audit.record(
        actor=actor, action="vac.batch_dispatch", obj=batch, extra={"passports": len(found)}
    )
    return batch
