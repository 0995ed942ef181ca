"""The centre's set-up: opening hours, holidays, slots, and the rules profiles."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import holidays as holiday_calendars
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from passage.core import audit
from passage.core.errors import ActionError
from passage.core.models import User
from passage.vac.choices import ApplicationType, Service
from passage.vac.models import CentreRules, Holiday, OpeningHours, Slot, VacFeeProfile

PROFILE_FIELDS = (
    "effective_from",
    "source_note",
    "currency",
    "biometric_fee",
    "family_cap",
    "service_fee",
    "min_age",
    "max_age",
    "reuse_years",
    "reuse_types",
    "refugees_exempt",
)
RULES_FIELDS = (
    "effective_from",
    "source_note",
    "centre_name",
    "address",
    "public_url",
    "release_time",
    "horizon_days",
    "max_future_per_person",
    "max_people",
    "bookings_per_ip_hour",
    "bookings_per_email_hour",
    "lookups_per_ip_hour",
    "held_too_long_days",
    "forward_within_days",
)


@transaction.atomic
def set_opening_hours(
    *,
    actor: User,
    weekday: int,
    service: str,
    opens: time,
    closes: time,
    slot_minutes: int = 30,
    capacity: int = 4,
) -> OpeningHours:
    if not 0 <= weekday <= 6:
        raise ActionError(_("Choose a weekday."), field="weekday")
    if service not in Service.values:
        raise ActionError(_("Choose a service."), field="service")
    if closes <= opens:
        raise ActionError(_("Closing must be after opening."), field="closes")
    if slot_minutes < 5 or capacity < 1:
        raise ActionError(
            _("A slot is at least 5 minutes for at least 1 person."), field="slot_minutes"
        )
    row = OpeningHours.objects.create(
        weekday=weekday,
        service=service,
        opens=opens,
        closes=closes,
        slot_minutes=slot_minutes,
        capacity=capacity,
    )
    audit.record(actor=actor, action="vac.hours_add", obj=row, after=audit.snapshot(row))
    return row


@transaction.atomic
def remove_opening_hours(*, actor: User, hours: OpeningHours) -> None:
    audit.record(actor=actor, action="vac.hours_remove", obj=hours, before=audit.snapshot(hours))
    hours.delete()


@transaction.atomic
def add_holiday(*, actor: User, day: date, name: str) -> Holiday:
    if not name.strip():
        raise ActionError(_("Name the holiday."), field="name")
    if Holiday.objects.filter(date=day).exists():
        raise ActionError(_("%(day)s is already a holiday.") % {"day": day}, field="date")
    row = Holiday.objects.create(date=day, name=name.strip()[:120])
    audit.record(actor=actor, action="vac.holiday_add", obj=row, after=audit.snapshot(row))
    return row


@transaction.atomic
def import_public_holidays(*, actor: User | None, year: int, country: str = "KG") -> int:
    """The country's public holidays for a year (the ``holidays`` package), missing ones only."""
    added = 0
    for day, name in sorted(holiday_calendars.country_holidays(country, years=year).items()):
        if not Holiday.objects.filter(date=day).exists():
            Holiday.objects.create(date=day, name=str(name)[:120])
            added += 1
    audit.record(
        actor=actor,
        action="vac.holiday_import",
        object_type="vac.holiday",
        extra={"year": year, "country": country, "added": added},
    )
    return added


@transaction.atomic
def open_slots(*, actor: User | None, start: date, end: date, release_at: datetime) -> int:
    """Slots from the opening hours for each working day; existing ones are kept."""
    if end < start:
        raise ActionError(_("The last day must not be before the first."), field="end")
    if (end - start).days > 92:
        raise ActionError(_("Open at most three months at a time."), field="end")
    if timezone.is_naive(release_at):
        raise ActionError(_("Give the release time with its time zone."), field="release_at")
    closed = set(Holiday.objects.filter(date__range=(start, end)).values_list("date", flat=True))
    hours = list(OpeningHours.objects.all())
    existing = set(
        Slot.objects.filter(
            starts_at__date__range=(start - timedelta(days=1), end + timedelta(days=1))
        ).values_list("service", "starts_at")
    )
    tz = timezone.get_current_timezone()
    new = []
    day = start
    while day <= end:
        if day not in closed:
            for row in (h for h in hours if h.weekday == day.weekday()):
                at = datetime.combine(day, row.opens, tzinfo=tz)
                closing = datetime.combine(day, row.closes, tzinfo=tz)
                step = timedelta(minutes=row.slot_minutes)
                while at + step <= closing:
                    if (row.service, at) not in existing:
                        new.append(
                            Slot(
                                service=row.service,
                                starts_at=at,
                                ends_at=at + step,
                                capacity=row.capacity,
                                release_at=release_at,
                            )
                        )
                    at += step
        day += timedelta(days=1)
    Slot.objects.bulk_create(new)
    audit.record(
        actor=actor,
        action="vac.slots_open",
        object_type="vac.slot",
        extra={"start": start, "end": end, "release_at": release_at, "created": len(new)},
    )
    return len(new)


@transaction.atomic
def close_slot(*, actor: User, slot: Slot) -> None:
    slot = Slot.objects.select_for_update().get(pk=slot.pk)
    if slot.booked:
        raise ActionError(_("This slot has bookings; move or cancel them first."), field="slot")
    audit.record(actor=actor, action="vac.slot_close", obj=slot, before=audit.snapshot(slot))
    slot.delete()


def _save(
    model: type[Any],
    fields: tuple[str, ...],
    actor: User | None,
    action: str,
    values: dict[str, Any],
) -> Any:
    row = model.objects.filter(effective_from=values["effective_from"]).first()
    before = audit.snapshot(row, fields) if row is not None else {}
    if row is None:
        row = model()
    for name in fields:
        if name in values:
            setattr(row, name, values[name])
    if hasattr(row, "created_by_id") and row.pk is None:
        row.created_by = actor
    row.save()
    audit.record(
        actor=actor, action=action, obj=row, before=before, after=audit.snapshot(row, fields)
    )
    return row


@transaction.atomic
def save_fee_profile(*, actor: User | None, **values: Any) -> VacFeeProfile:
    """Write the fee profile taking effect on ``effective_from`` (new, or that day's)."""
    if not str(values.get("source_note", "")).strip():
        raise ActionError(_("Say where the rule comes from."), field="source_note")
    for name in ("biometric_fee", "family_cap", "service_fee"):
        if name in values:
            if isinstance(values[name], float):
                raise ActionError(_("Money is never a float."), field=name)
            if Decimal(values[name]) < 0:
                raise ActionError(_("A fee cannot be negative."), field=name)
    if values.get("min_age", 0) > values.get("max_age", 200):
        raise ActionError(_("The youngest age must not be above the oldest."), field="min_age")
    unknown = set(values.get("reuse_types", [])) - set(ApplicationType.values)
    if unknown:
        raise ActionError(_("Unknown application type."), field="reuse_types")
    profile: VacFeeProfile = _save(
        VacFeeProfile, PROFILE_FIELDS, actor, "vac.fee_profile_save", values
    )
    return profile


@transaction.atomic
def save_centre_rules(*, actor: User | None, **values: Any) -> CentreRules:
    rules: CentreRules = _save(CentreRules, RULES_FIELDS, actor, "vac.rules_save", values)
    return rules
