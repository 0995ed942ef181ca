"""Read side of destination profiles: the lookup other apps call, and rule helpers.

Other apps never branch on a country: they call :func:`profile_for` and read
the profile's fields, or one of the small helpers below that apply a rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from passage.core import policy
from passage.core.errors import ActionError
from passage.core.policy import AnyUser
from passage.profiles.choices import DocumentCode
from passage.profiles.models import VERSION_FIELDS, DestinationProfile, Holiday
from passage.profiles.workdays import add_months, add_working_days


def profile_for(
    country: str, programme: str | None = None, on_date: date | None = None
) -> DestinationProfile:
    """The profile in force on ``on_date`` (today by default).

    The programme's own profile wins over the country default (empty programme).
    Raises ActionError (code ``no_profile``) when neither is in force.
    """
    on_date = on_date or timezone.localdate()
    country = (country or "").upper()
    candidates = DestinationProfile.objects.filter(
        country=country, programme__in={programme or "", ""}, effective_from__lte=on_date
    ).order_by("-effective_from")
    found: dict[str, DestinationProfile] = {}
    for profile in candidates:
        found.setdefault(profile.programme, profile)
    chosen = found.get(programme or "") or found.get("")
    if chosen is None:
        raise ActionError(
            _("No destination profile for %(country)s (%(programme)s) is in force on %(date)s.")
            % {
                "country": country or "?",
                "programme": programme or _("all programmes"),
                "date": on_date.isoformat(),
            },
            code="no_profile",
            field="destination_country",
        )
    return chosen


def profiles_visible(user: AnyUser) -> models.QuerySet[DestinationProfile]:
    return policy.visible_to(DestinationProfile.objects.select_related("created_by"), user)


def current_profiles(user: AnyUser, on_date: date | None = None) -> list[DestinationProfile]:
    """The version in force (or the first future one) of each country and programme."""
    on_date = on_date or timezone.localdate()
    latest: dict[tuple[str, str], DestinationProfile] = {}
    upcoming: dict[tuple[str, str], DestinationProfile] = {}
    for profile in profiles_visible(user).order_by("country", "programme", "effective_from"):
        if profile.effective_from <= on_date:
            latest[profile.key] = profile
        else:
            upcoming.setdefault(profile.key, profile)
    keys = sorted(set(latest) | set(upcoming))
    return [latest.get(key) or upcoming[key] for key in keys]


def history(user: AnyUser, country: str, programme: str) -> list[DestinationProfile]:
    """Every version of one profile, newest first."""
    return list(
        profiles_visible(user)
        .filter(country=country.upper(), programme=programme)
        .order_by("-effective_from")
    )


def version_diff(older: DestinationProfile | None, newer: DestinationProfile) -> dict[str, Any]:
    """Fields that changed from ``older`` to ``newer``: ``{field: [old, new]}``."""
    if older is None:
        return {}
    return {
        name: [getattr(older, name), getattr(newer, name)]
        for name in VERSION_FIELDS
        if getattr(older, name) != getattr(newer, name)
    }


def holidays_for(user: AnyUser, country: str, year: int | None = None) -> models.QuerySet[Holiday]:
    rows = policy.visible_to(Holiday.objects.all(), user).filter(country=country.upper())
    if year:
        rows = rows.filter(date__year=year)
    return rows.order_by("date")


# ---- rule helpers -------------------------------------------------------------------------


@dataclass(frozen=True)
class Window:
    """A closed range of dates (or datetimes); either end may be open (None)."""

    earliest: Any
    latest: Any

    def contains(self, value: Any) -> bool:
        return (self.earliest is None or value >= self.earliest) and (
            self.latest is None or value <= self.latest
        )


def medical_valid_until(
    profile: DestinationProfile, exam_date: date, *, tb_class_b1: bool = False
) -> date | None:
    """The last day the exam is valid for departure (exam + N months, that day included);
    None when the profile sets no limit.

    For a TB class B1 case the profile's B1 validity applies when it is shorter.
    """
    months = profile.medical_validity_months
    if tb_class_b1 and profile.medical_b1_validity_months:
        months = min(filter(None, [months, profile.medical_b1_validity_months]))
    if not months:
        return None
    return add_months(exam_date, months)


def medical_window_for_departure(
    profile: DestinationProfile, departure: date, *, tb_class_b1: bool = False
) -> Window:
    """The exam dates that suit a departure on ``departure``.

    US: at most 6 months before. Canada: within 12 months. Australia: 3 to 12
    months before travel.
    """
    months = profile.medical_validity_months
    if tb_class_b1 and profile.medical_b1_validity_months:
        months = min(filter(None, [months, profile.medical_b1_validity_months]))
    earliest = add_months(departure, -months) if months else None
    latest = (
        add_months(departure, -profile.medical_min_months_before_departure)
        if profile.medical_min_months_before_departure
        else departure
    )
    return Window(earliest, latest)


def pre_departure_screening_window(profile: DestinationProfile, departure: date) -> Window | None:
    """When pre-departure screening must happen, or None when the profile needs none."""
    if not profile.pre_departure_screening_required or not profile.pre_departure_screening_days:
        return None
    return Window(departure - timedelta(days=profile.pre_departure_screening_days), departure)


def fit_to_fly_window(profile: DestinationProfile, departure: datetime) -> Window | None:
    """When the pre-embarkation (fit-to-fly) check is done, or None when the profile has none.

    The window is given whether the check is required (US) or voluntary (Australia's
    departure health check); ``fit_to_fly_required`` says which.
    """
    if not profile.fit_to_fly_max_hours:
        return None
    return Window(
        departure - timedelta(hours=profile.fit_to_fly_max_hours),
        departure - timedelta(hours=profile.fit_to_fly_min_hours or 0),
    )


def live_vaccine_allowed(
    profile: DestinationProfile, vaccine_date: date, departure: date, *, outbreak: bool = False
) -> bool:
    """False when a live vaccine falls inside the profile's quiet period before departure."""
    days = profile.live_vaccine_min_days_before_departure
    if not days or (outbreak and profile.live_vaccine_outbreak_exception):
        return True
    return (departure - vaccine_date).days >= days


def second_dose_window(profile: DestinationProfile, first_dose: date) -> Window | None:
    if not profile.vaccine_dose2_min_months:
        return None
    latest = (
        add_months(first_dose, profile.vaccine_dose2_max_months)
        if profile.vaccine_dose2_max_months
        else None
    )
    return Window(add_months(first_dose, profile.vaccine_dose2_min_months), latest)


def mmr_due_at_departure_check(profile: DestinationProfile, birth_date: date, on: date) -> bool:
    """Whether the profile gives MMR at the departure check to someone born on ``birth_date``."""
    if not profile.mmr_at_departure_check:
        return False
    if profile.mmr_min_age_months and on < add_months(birth_date, profile.mmr_min_age_months):
        return False
    if profile.mmr_max_age_years is not None:
        return on < add_months(birth_date, 12 * (profile.mmr_max_age_years + 1))
    return True


def latest_arrival_notification(profile: DestinationProfile, arrival: date) -> date | None:
    """The last day the notification of arrival can go out (Canada: 10 working days before)."""
    if not profile.arrival_notification_working_days:
        return None
    return add_working_days(profile.country, arrival, -profile.arrival_notification_working_days)


def icrc_document_valid_until(profile: DestinationProfile, issued: date) -> date | None:
    if not profile.icrc_document_max_months:
        return None
    return add_months(issued, profile.icrc_document_max_months)


def copr_valid_until(
    profile: DestinationProfile, medical_expiry: date, passport_expiry: date
) -> date | None:
    """Where the rule applies, a COPR ends at the earlier of medical and passport expiry."""
    if not profile.copr_ends_with_medical_and_passport:
        return None
    return min(medical_expiry, passport_expiry)


def boarding_letter_valid_until(profile: DestinationProfile, issued: date) -> date | None:
    if not profile.boarding_letter_validity_months:
        return None
    return add_months(issued, profile.boarding_letter_validity_months)


def must_sign_promissory_note(profile: DestinationProfile, birth_date: date, on: date) -> bool:
    """Whether a traveller of this age signs a promissory note (US: every adult, 18+)."""
    if not profile.travel_loan_required or profile.promissory_note_min_age is None:
        return False
    return on >= add_months(birth_date, 12 * profile.promissory_note_min_age)


def loan_repayment_starts(profile: DestinationProfile, arrival: date) -> date | None:
    if not profile.travel_loan_required or not profile.loan_repayment_start_months:
        return None
    return add_months(arrival, profile.loan_repayment_start_months)


def flight_over_cap(profile: DestinationProfile, refugees: int) -> bool:
    cap = profile.max_refugees_per_flight
    return cap is not None and refugees > cap


def required_document_codes(profile: DestinationProfile) -> list[str]:
    """The documents every traveller needs, with the exit visa when the profile requires it."""
    codes = list(profile.required_documents or [])
    if profile.exit_visa_required and DocumentCode.EXIT_VISA not in codes:
        codes.append(DocumentCode.EXIT_VISA)
    return [str(c) for c in codes]
