"""Writes of the set-up: clinics, versions of the medical travel rules, and grants of
medical access to receiving states' medical staff. Atomic, validated first, audited."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from passage.core import audit
from passage.core.choices import OrgKind
from passage.core.errors import ActionError, ConflictError
from passage.core.models import User
from passage.health.models import Clinic, MedicalAccessGrant, MedicalTravelRules


@transaction.atomic
def save_clinic(
    *,
    actor: User,
    name: str,
    daily_capacity: int,
    address: str = "",
    active: bool = True,
    clinic: Clinic | None = None,
) -> Clinic:
    if not name.strip():
        raise ActionError(_("Name the clinic."), field="name")
    if daily_capacity < 1:
        raise ActionError(_("A clinic sees at least one person a day."), field="daily_capacity")
    clash = Clinic.objects.filter(name=name.strip())
    if clinic is not None:
        clash = clash.exclude(pk=clinic.pk)
    if clash.exists():
        raise ConflictError(_("A clinic of that name exists."), field="name")
    row = clinic or Clinic()
    fields = ["name", "address", "daily_capacity", "active"]
    before = audit.snapshot(row, fields) if clinic else {}
    row.name, row.address, row.daily_capacity, row.active = (
        name.strip(),
        address.strip(),
        daily_capacity,
        active,
    )
    row.save()
    audit.record(
        actor=actor,
        action="health.clinic",
        obj=row,
        before=before,
        after=audit.snapshot(row, fields),
    )
    return row


RULE_VALUES = [
    "xray_min_age",
    "igra_min_age",
    "igra_max_age",
    "pregnancy_certificate_from_week",
    "pregnancy_last_travel_week",
]


@transaction.atomic
def create_rules_version(
    *,
    actor: User,
    effective_from: date,
    source_note: str,
    country: str = "",
    values: dict[str, Any] | None = None,
) -> MedicalTravelRules:
    """A new version of the medical travel rules (versions in force are never edited)."""
    if effective_from < timezone.localdate():
        raise ActionError(_("A new version starts today or later."), field="effective_from")
    if not source_note.strip():
        raise ActionError(_("Say where the rules come from."), field="source_note")
    values = values or {}
    unknown = set(values) - set(RULE_VALUES)
    if unknown:
        raise ActionError(
            _("Unknown rule: %(r)s.") % {"r": ", ".join(sorted(unknown))}, field=sorted(unknown)[0]
        )
    row = MedicalTravelRules(
        country=country.strip().upper(),
        effective_from=effective_from,
        source_note=source_note.strip(),
        created_by=actor,
        **values,
    )
    if row.igra_min_age > row.igra_max_age:
        raise ActionError(_("The IGRA ages are the wrong way round."), field="igra_min_age")
    if row.pregnancy_certificate_from_week > row.pregnancy_last_travel_week:
        raise ActionError(
            _("The certificate week is after the last travel week."),
            field="pregnancy_certificate_from_week",
        )
    if MedicalTravelRules.objects.filter(
        country=row.country, effective_from=effective_from
    ).exists():
        raise ConflictError(_("A version starts on that day already."), field="effective_from")
    row.save()
    audit.record(
        actor=actor,
        action="health.rules",
        obj=row,
        after=audit.snapshot(row, ["country", "effective_from", *RULE_VALUES]),
    )
    return row


@transaction.atomic
def grant_medical_access(*, actor: User, user: User, country: str, note: str) -> MedicalAccessGrant:
    """Let a receiving state's medical staff read the medical detail of its cases."""
    org = user.organisation
    country = country.strip().upper()
    if not user.is_partner or org is None or org.kind != OrgKind.EMBASSY:
        raise ActionError(_("Only an embassy's staff can be granted medical access."), field="user")
    if country != (org.country or "").upper():
        raise ActionError(
            _("%(org)s may see medical detail only for its own country, %(country)s.")
            % {"org": org.name, "country": org.country},
            field="country",
        )
    if not note.strip():
        raise ActionError(_("Give the reason for the grant."), field="note")
    if MedicalAccessGrant.objects.filter(
        user=user, country=country, revoked_at__isnull=True
    ).exists():
        raise ConflictError(_("This user already has that access."), field="user")
    grant = MedicalAccessGrant.objects.create(
        user=user, country=country, note=note.strip(), granted_by=actor
    )
    audit.record(
        actor=actor,
        action="health.grant_access",
        obj=grant,
        after=audit.snapshot(grant, ["user_id", "country", "note"]),
    )
    return grant


@transaction.atomic
def revoke_medical_access(*, actor: User, grant: MedicalAccessGrant) -> MedicalAccessGrant:
    if grant.revoked_at is not None:
        raise ConflictError(_("Already revoked."), field="revoked_at")
    grant.revoked_at = timezone.now()
    grant.save(update_fields=["revoked_at"])
    audit.record(
        actor=actor,
        action="health.revoke_access",
        obj=grant,
        changes={"revoked_at": [None, grant.revoked_at]},
    )
    return grant
