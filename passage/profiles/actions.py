"""Every write of destination profiles and holiday calendars, audited."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

import holidays as holiday_data
import pycountry
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from passage.core import audit
from passage.core.errors import ActionError, ConflictError
from passage.core.models import User
from passage.profiles.choices import CoRequirement, DocumentCode, Programme
from passage.profiles.models import RULE_FIELDS, VERSION_FIELDS, DestinationProfile, Holiday

HOLIDAY_SOURCE = "python-holidays"


def _country(code: str, field: str = "country") -> str:
    code = (code or "").strip().upper()
    if len(code) != 2 or pycountry.countries.get(alpha_2=code) is None:
        raise ActionError(
            _("“%(code)s” is not an ISO 3166 country code.") % {"code": code}, field=field
        )
    return code


def _check_pair(values: Mapping[str, Any], low: str, high: str) -> None:
    lo, hi = values.get(low), values.get(high)
    if lo is not None and hi is not None and lo > hi:
        raise ActionError(_("This must not be more than the upper limit."), field=low)


def _check_rules(values: Mapping[str, Any]) -> None:
    documents = values.get("required_documents") or []
    if not isinstance(documents, list) or any(d not in DocumentCode.values for d in documents):
        raise ActionError(_("Unknown document code."), field="required_documents")
    travel = values.get("travel_document_any_of") or []
    if not isinstance(travel, list) or any(d not in DocumentCode.values for d in travel):
        raise ActionError(_("Unknown document code."), field="travel_document_any_of")
    weekdays = values.get("arrival_refused_weekdays") or []
    if not isinstance(weekdays, list) or any(
        not isinstance(d, int) or not 1 <= d <= 7 for d in weekdays
    ):
        raise ActionError(
            _("Weekdays are numbers from 1 (Monday) to 7 (Sunday)."),
            field="arrival_refused_weekdays",
        )
    if values.get("co_requirement") not in CoRequirement.values:
        raise ActionError(_("Unknown cultural orientation setting."), field="co_requirement")
    _check_pair(values, "fit_to_fly_min_hours", "fit_to_fly_max_hours")
    _check_pair(values, "vaccine_dose2_min_months", "vaccine_dose2_max_months")
    _check_pair(values, "medical_min_months_before_departure", "medical_validity_months")
    for name in RULE_FIELDS:
        value = values.get(name)
        if isinstance(value, int) and not isinstance(value, bool) and value < 0:
            raise ActionError(_("This cannot be negative."), field=name)


def _check_fields(profile: DestinationProfile) -> None:
    """Types, ranges and lengths of every field, as the model declares them."""
    exclude = {"created_by", "created_at", "country", "programme"}
    try:
        profile.clean_fields(exclude=exclude)
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise ActionError(" ".join(messages), field=field) from None


@transaction.atomic
def create_version(
    *,
    actor: User | None,
    country: str,
    programme: str = "",
    effective_from: date,
    source_note: str,
    source_url: str = "",
    unverified_note: str = "",
    change_note: str = "",
    rules: Mapping[str, Any] | None = None,
    base: DestinationProfile | None = None,
    allow_past: bool = False,
) -> DestinationProfile:
    """Write a new version: ``base``'s rules (or the defaults) with ``rules`` applied.

    A version takes effect on ``effective_from``. The past is not rewritten: the
    date cannot be before today unless ``allow_past`` (imports of history).
    """
    country = _country(country)
    if programme and programme not in Programme.values:
        raise ActionError(_("Unknown programme."), field="programme")
    unknown = set(rules or {}) - set(RULE_FIELDS)
    if unknown:
        raise ActionError(
            _("Unknown rule “%(name)s”.") % {"name": sorted(unknown)[0]}, field=sorted(unknown)[0]
        )
    if not allow_past and effective_from < timezone.localdate():
        raise ActionError(
            _("A new version cannot take effect in the past."), field="effective_from"
        )
    if not source_note.strip():
        raise ActionError(_("Name the source of these rules."), field="source_note")
    profile = DestinationProfile(country=country, programme=programme or "")
    if base is not None:
        for name in RULE_FIELDS:
            setattr(profile, name, getattr(base, name))
    for name, value in (rules or {}).items():
        setattr(profile, name, value)
    profile.effective_from = effective_from
    profile.source_note, profile.source_url = source_note.strip(), source_url.strip()
    profile.unverified_note, profile.change_note = unverified_note.strip(), change_note.strip()
    profile.created_by = actor if actor is not None and actor.pk else None
    _check_rules({name: getattr(profile, name) for name in RULE_FIELDS})
    _check_fields(profile)
    try:
        with transaction.atomic():
            profile.save()
    except IntegrityError as exc:
        raise ConflictError(
            _("A version of this profile already takes effect on %(date)s.")
            % {"date": effective_from.isoformat()},
            field="effective_from",
        ) from exc
    before = audit.snapshot(base, VERSION_FIELDS) if base is not None else {}
    audit.record(
        actor=actor,
        action="profile.create_version",
        obj=profile,
        before=before,
        after=audit.snapshot(profile, VERSION_FIELDS),
        extra={
            "country": country,
            "programme": programme,
            "effective_from": effective_from.isoformat(),
            "base": base.pk if base is not None else None,
        },
    )
    return profile


@transaction.atomic
def withdraw_version(*, actor: User, profile: DestinationProfile) -> None:
    """Remove a version that is not yet in force. Versions in force are history."""
    if profile.effective_from <= timezone.localdate():
        raise ConflictError(
            _("This version is in force or was; it stays in the history."), field="effective_from"
        )
    audit.record(
        actor=actor,
        action="profile.withdraw_version",
        obj=profile,
        before=audit.snapshot(profile, ["country", "programme", "effective_from"]),
    )
    profile.delete()


@transaction.atomic
def add_holiday(
    *, actor: User | None, country: str, day: date, name: str, source: str = ""
) -> Holiday:
    country = _country(country)
    if not name.strip():
        raise ActionError(_("Name the holiday."), field="name")
    if Holiday.objects.filter(country=country, date=day).exists():
        raise ConflictError(
            _("%(country)s already has a holiday on %(date)s.")
            % {"country": country, "date": day.isoformat()},
            field="date",
        )
    holiday = Holiday.objects.create(
        country=country,
        date=day,
        name=name.strip()[:200],
        source=source.strip()[:200],
        created_by=actor if actor is not None and actor.pk else None,
    )
    audit.record(
        actor=actor,
        action="holiday.add",
        obj=holiday,
        after=audit.snapshot(holiday, ["country", "date", "name", "source"]),
    )
    return holiday


@transaction.atomic
def remove_holiday(*, actor: User, holiday: Holiday) -> None:
    audit.record(
        actor=actor,
        action="holiday.remove",
        obj=holiday,
        before=audit.snapshot(holiday, ["country", "date", "name", "source"]),
    )
    holiday.delete()


@transaction.atomic
def seed_holidays(*, actor: User | None, countries: Iterable[str], years: Iterable[int]) -> int:
    """Add the statutory holidays the ``holidays`` package knows; keep what is there."""
    years = sorted(set(years))
    added = 0
    for code in sorted({_country(c) for c in countries}):
        try:
            calendar = holiday_data.country_holidays(code, years=years)
        except NotImplementedError:
            continue
        existing = set(
            Holiday.objects.filter(country=code, date__year__in=years).values_list(
                "date", flat=True
            )
        )
        rows = [
            Holiday(
                country=code,
                date=day,
                name=str(name)[:200],
                source=HOLIDAY_SOURCE,
                created_by=actor if actor is not None and actor.pk else None,
            )
            for day, name in sorted(calendar.items())
            if day not in existing
        ]
        Holiday.objects.bulk_create(rows)
        added += len(rows)
    if added:
        audit.record(
            actor=actor,
            action="holiday.seed",
            object_type="profiles.holiday",
            extra={
                "countries": sorted({c.upper() for c in countries}),
                "years": years,
                "added": added,
            },
        )
    return added
