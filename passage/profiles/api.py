"""Destination profiles and holiday calendars over the API (read; new versions for admins)."""

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict

from passage.core import policy
from passage.core.utils import api_user
from passage.profiles import actions, queries
from passage.profiles.choices import CoRequirement, DocumentCode, Weekday
from passage.profiles.models import RULE_FIELDS, DestinationProfile

router = Router()
TAG = "profiles"


class ErrorOut(Schema):
    code: str
    message: str


class ProfileOut(Schema):
    id: int
    country: str
    programme: str
    effective_from: date
    source_note: str
    source_url: str
    unverified_note: str
    change_note: str
    created_at: datetime
    medical_required: bool
    medical_validity_months: int | None
    medical_min_months_before_departure: int | None
    medical_b1_validity_months: int | None
    pre_departure_screening_required: bool
    pre_departure_screening_days: int | None
    pre_departure_screening_for: str
    fit_to_fly_required: bool
    fit_to_fly_min_hours: int | None
    fit_to_fly_max_hours: int | None
    live_vaccine_min_days_before_departure: int | None
    live_vaccine_outbreak_exception: bool
    vaccine_dose2_min_months: int | None
    vaccine_dose2_max_months: int | None
    mmr_at_departure_check: bool
    mmr_min_age_months: int | None
    mmr_max_age_years: int | None
    co_requirement: str
    required_documents: list[str]
    travel_document_any_of: list[str]
    exit_visa_required: bool
    icrc_document_max_months: int | None
    copr_ends_with_medical_and_passport: bool
    boarding_letter_validity_months: int | None
    arrival_notification_working_days: int | None
    max_refugees_per_flight: int | None
    over_cap_notice_working_days: int | None
    arrival_refused_weekdays: list[int]
    arrival_refused_on_holidays: bool
    travel_loan_required: bool
    loan_interest_free: bool
    promissory_note_min_age: int | None
    loan_repayment_start_months: int | None
    loan_includes_service_fee: bool
    loan_servicer: str


class ProfileFilter(Schema):
    country: str | None = Field(default=None, max_length=2)
    programme: str | None = None
    history: bool = Field(False, description="Every version, not only the one in force today")


@router.get("/profiles", response=list[ProfileOut], summary="Destination profiles")
def list_profiles(request: HttpRequest, filters: Query[ProfileFilter]) -> Any:
    user = api_user(request)
    policy.require(user, "profiles.view")
    if filters.history:
        rows: list[DestinationProfile] = list(
            queries.profiles_visible(user).order_by("country", "programme", "-effective_from")
        )
    else:
        rows = queries.current_profiles(user)
    if filters.country:
        rows = [p for p in rows if p.country == filters.country.upper()]
    if filters.programme is not None:
        rows = [p for p in rows if p.programme == filters.programme]
    return rows


class LookupIn(Schema):
    country: str = Field(..., min_length=2, max_length=2)
    programme: str = ""
    on: date | None = None


@router.get(
    "/profiles/lookup",
    response={200: ProfileOut, 400: ErrorOut},
    summary="The profile in force for a country and programme on a date",
)
def lookup_profile(request: HttpRequest, params: Query[LookupIn]) -> Any:
    policy.require(api_user(request), "profiles.view")
    return queries.profile_for(params.country, params.programme or None, params.on)


@router.get(
    "/profiles/{profile_id}",
    response={200: ProfileOut, 404: ErrorOut},
    summary="One version of a destination profile",
)
def get_profile(request: HttpRequest, profile_id: int) -> Any:
    return policy.get_object_for(api_user(request), DestinationProfile, profile_id)


class RulesPatch(Schema):
    """The rule fields that change from the base version; leave out the others."""

    model_config = ConfigDict(extra="forbid")

    medical_required: bool | None = None
    medical_validity_months: int | None = Field(default=None, ge=0, le=240)
    medical_min_months_before_departure: int | None = Field(default=None, ge=0, le=240)
    medical_b1_validity_months: int | None = Field(default=None, ge=0, le=240)
    pre_departure_screening_required: bool | None = None
    pre_departure_screening_days: int | None = Field(default=None, ge=0, le=3650)
    pre_departure_screening_for: str | None = Field(default=None, max_length=200)
    fit_to_fly_required: bool | None = None
    fit_to_fly_min_hours: int | None = Field(default=None, ge=0, le=8760)
    fit_to_fly_max_hours: int | None = Field(default=None, ge=0, le=8760)
    live_vaccine_min_days_before_departure: int | None = Field(default=None, ge=0, le=3650)
    live_vaccine_outbreak_exception: bool | None = None
    vaccine_dose2_min_months: int | None = Field(default=None, ge=0, le=240)
    vaccine_dose2_max_months: int | None = Field(default=None, ge=0, le=240)
    mmr_at_departure_check: bool | None = None
    mmr_min_age_months: int | None = Field(default=None, ge=0, le=1200)
    mmr_max_age_years: int | None = Field(default=None, ge=0, le=150)
    co_requirement: CoRequirement | None = None
    required_documents: list[DocumentCode] | None = None
    travel_document_any_of: list[DocumentCode] | None = None
    exit_visa_required: bool | None = None
    icrc_document_max_months: int | None = Field(default=None, ge=0, le=240)
    copr_ends_with_medical_and_passport: bool | None = None
    boarding_letter_validity_months: int | None = Field(default=None, ge=0, le=240)
    arrival_notification_working_days: int | None = Field(default=None, ge=0, le=365)
    max_refugees_per_flight: int | None = Field(default=None, ge=0, le=10000)
    over_cap_notice_working_days: int | None = Field(default=None, ge=0, le=365)
    arrival_refused_weekdays: list[Weekday] | None = None
    arrival_refused_on_holidays: bool | None = None
    travel_loan_required: bool | None = None
    loan_interest_free: bool | None = None
    promissory_note_min_age: int | None = Field(default=None, ge=0, le=150)
    loan_repayment_start_months: int | None = Field(default=None, ge=0, le=240)
    loan_includes_service_fee: bool | None = None
    loan_servicer: str | None = Field(default=None, max_length=200)


class VersionIn(Schema):
    effective_from: date
    source_note: str = Field(..., min_length=1)
    source_url: str = Field("", max_length=500)
    unverified_note: str = ""
    change_note: str = Field("", max_length=300)
    rules: RulesPatch = Field(default_factory=lambda: RulesPatch())


def _plain_rules(patch: RulesPatch) -> dict[str, Any]:
    rules = patch.dict(exclude_unset=True)
    for name in ("required_documents", "travel_document_any_of", "arrival_refused_weekdays"):
        if rules.get(name) is not None:
            rules[name] = [getattr(v, "value", v) for v in rules[name]]
    if rules.get("co_requirement") is not None:
        rules["co_requirement"] = getattr(rules["co_requirement"], "value", rules["co_requirement"])
    return rules


@router.post(
    "/profiles/{profile_id}/versions",
    response={201: ProfileOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="Add a version of this profile (administrators)",
)
def create_profile_version(request: HttpRequest, profile_id: int, payload: VersionIn) -> Any:
    user = api_user(request)
    base = policy.get_object_for(user, DestinationProfile, profile_id, "profiles.manage")
    profile = actions.create_version(
        actor=user,
        country=base.country,
        programme=base.programme,
        base=base,
        effective_from=payload.effective_from,
        source_note=payload.source_note,
        source_url=payload.source_url,
        unverified_note=payload.unverified_note,
        change_note=payload.change_note,
        rules=_plain_rules(payload.rules),
    )
    return Status(201, profile)


class HolidayOut(Schema):
    id: int
    country: str
    date: date
    name: str
    source: str


class HolidayFilter(Schema):
    country: str = Field(..., min_length=2, max_length=2)
    year: int | None = Field(default=None, ge=1900, le=2200)


@router.get("/holidays", response=list[HolidayOut], summary="A country's holiday calendar")
def list_holidays(request: HttpRequest, filters: Query[HolidayFilter]) -> Any:
    user = api_user(request)
    policy.require(user, "profiles.view")
    return queries.holidays_for(user, filters.country, filters.year or timezone.localdate().year)


__all__ = ["RULE_FIELDS", "router"]
