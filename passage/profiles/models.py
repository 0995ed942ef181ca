"""Destination profiles (the rules of each receiving country, as data) and holiday calendars.

A profile is keyed by destination country and programme; an empty programme is
the country's default and applies to every programme without a profile of its
own. Profiles are versioned: a change is a new row with a later
``effective_from``, and the version in force on a date is the latest one whose
``effective_from`` is on or before it. Versions in force are never edited.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from passage.core.policy import PolicyQuerySet
from passage.profiles.choices import CoRequirement, Programme

# The rule fields, in form order, grouped for pages. Code copies, diffs and
# audits a version through these names; the key fields are not among them.
RULE_GROUPS: list[tuple[str, list[str]]] = [
    (
        "medical",
        [
            "medical_required",
            "medical_validity_months",
            "medical_min_months_before_departure",
            "medical_b1_validity_months",
            "pre_departure_screening_required",
            "pre_departure_screening_days",
            "pre_departure_screening_for",
            "fit_to_fly_required",
            "fit_to_fly_min_hours",
            "fit_to_fly_max_hours",
        ],
    ),
    (
        "vaccination",
        [
            "live_vaccine_min_days_before_departure",
            "live_vaccine_outbreak_exception",
            "vaccine_dose2_min_months",
            "vaccine_dose2_max_months",
            "mmr_at_departure_check",
            "mmr_min_age_months",
            "mmr_max_age_years",
        ],
    ),
    ("orientation", ["co_requirement"]),
    (
        "documents",
        [
            "required_documents",
            "travel_document_any_of",
            "exit_visa_required",
            "icrc_document_max_months",
            "copr_ends_with_medical_and_passport",
            "boarding_letter_validity_months",
        ],
    ),
    (
        "movement",
        [
            "arrival_notification_working_days",
            "max_refugees_per_flight",
            "over_cap_notice_working_days",
            "arrival_refused_weekdays",
            "arrival_refused_on_holidays",
        ],
    ),
    (
        "loan",
        [
            "travel_loan_required",
            "loan_interest_free",
            "promissory_note_min_age",
            "loan_repayment_start_months",
            "loan_includes_service_fee",
            "loan_servicer",
        ],
    ),
]
RULE_FIELDS: list[str] = [name for _group, names in RULE_GROUPS for name in names]
VERSION_FIELDS: list[str] = [*RULE_FIELDS, "source_note", "source_url", "unverified_note"]


def _months(verbose: Any, help_text: Any = "") -> models.PositiveSmallIntegerField[int, int]:
    return models.PositiveSmallIntegerField(verbose, null=True, blank=True, help_text=help_text)


class DestinationProfileQuerySet(PolicyQuerySet["DestinationProfile"]):
    def in_force(self, on_date: object) -> DestinationProfileQuerySet:
        return self.filter(effective_from__lte=on_date)


class DestinationProfile(models.Model):
    """One version of the rules for a destination country (and optionally a programme)."""

    country = models.CharField(
        _("destination country"), max_length=2, help_text=_("ISO 3166 alpha-2.")
    )
    programme = models.CharField(
        _("programme"),
        max_length=30,
        choices=Programme.choices,
        blank=True,
        help_text=_("Empty: the country's default, for every programme without its own."),
    )
    effective_from = models.DateField(_("in force from"))
    source_note = models.TextField(_("source"))
    source_url = models.URLField(_("source address"), max_length=500, blank=True)
    unverified_note = models.TextField(
        _("unverified rules"),
        blank=True,
        help_text=_("Rules kept as working assumptions until a source confirms them."),
    )
    change_note = models.CharField(_("reason for this version"), max_length=300, blank=True)

    # Medical
    medical_required = models.BooleanField(_("medical exam required"), default=True)
    medical_validity_months = _months(
        _("medical valid (months from exam)"),
        _("Departure must fall within this many months of the exam."),
    )
    medical_min_months_before_departure = _months(_("exam at least (months before travel)"))
    medical_b1_validity_months = _months(_("medical valid for TB class B1 (months)"))
    pre_departure_screening_required = models.BooleanField(
        _("pre-departure screening required"), default=False
    )
    pre_departure_screening_days = _months(
        _("pre-departure screening within (days before departure)")
    )
    pre_departure_screening_for = models.CharField(
        _("pre-departure screening applies to"), max_length=200, blank=True
    )
    fit_to_fly_required = models.BooleanField(_("fit-to-fly check required"), default=False)
    fit_to_fly_min_hours = _months(_("fit-to-fly check at least (hours before departure)"))
    fit_to_fly_max_hours = _months(_("fit-to-fly check at most (hours before departure)"))

    # Vaccination
    live_vaccine_min_days_before_departure = _months(
        _("no live vaccine within (days before departure)")
    )
    live_vaccine_outbreak_exception = models.BooleanField(
        _("live vaccine allowed in an outbreak"), default=False
    )
    vaccine_dose2_min_months = _months(_("second dose at least (months after the first)"))
    vaccine_dose2_max_months = _months(_("second dose at most (months after the first)"))
    mmr_at_departure_check = models.BooleanField(_("MMR at the departure check"), default=False)
    mmr_min_age_months = _months(_("MMR from age (months)"))
    mmr_max_age_years = _months(_("MMR up to age (years)"))

    # Orientation
    co_requirement = models.CharField(
        _("cultural orientation"),
        max_length=10,
        choices=CoRequirement.choices,
        default=CoRequirement.OPTIONAL,
    )

    # Documents
    required_documents = models.JSONField(
        _("required documents"),
        default=list,
        blank=True,
        help_text=_("Codes of the travel documents every traveller needs."),
    )
    travel_document_any_of = models.JSONField(
        _("travel document: any one of"),
        default=list,
        blank=True,
        help_text=_(
            "Every traveller needs one of these documents to travel on (a passport, or a "
            "Convention, ICRC or single-journey document). Empty: no such rule."
        ),
    )
    exit_visa_required = models.BooleanField(_("Kyrgyz exit visa required"), default=False)
    icrc_document_max_months = _months(_("ICRC travel document valid at most (months)"))
    copr_ends_with_medical_and_passport = models.BooleanField(
        _("COPR ends at the earlier of medical and passport expiry"), default=False
    )
    boarding_letter_validity_months = _months(_("boarding letter valid (months; one per family)"))

    # Movement
    arrival_notification_working_days = _months(
        _("arrival notification at least (working days before arrival)")
    )
    max_refugees_per_flight = _months(_("most refugees on one flight"))
    over_cap_notice_working_days = _months(_("notice for more than the flight cap (working days)"))
    arrival_refused_weekdays = models.JSONField(
        _("no arrival on (ISO weekdays)"),
        default=list,
        blank=True,
        help_text=_("1 is Monday, 7 is Sunday."),
    )
    arrival_refused_on_holidays = models.BooleanField(
        _("no arrival on statutory holidays"), default=False
    )

    # Travel loan
    travel_loan_required = models.BooleanField(
        _("travel loan with promissory notes"), default=False
    )
    loan_interest_free = models.BooleanField(_("loan is interest-free"), default=False)
    promissory_note_min_age = _months(_("promissory note signed from age (years)"))
    loan_repayment_start_months = _months(_("repayment starts (months after arrival)"))
    loan_includes_service_fee = models.BooleanField(
        _("loan includes the agency's service fee"), default=False
    )
    loan_servicer = models.CharField(
        _("loan servicing organisation"),
        max_length=200,
        blank=True,
        help_text=_("Who collects repayment once the loan is handed over after arrival."),
    )

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = DestinationProfileQuerySet.as_manager()

    class Meta:
        ordering: ClassVar = ["country", "programme", "-effective_from"]
        verbose_name = _("destination profile")
        verbose_name_plural = _("destination profiles")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["country", "programme", "effective_from"], name="profiles_one_version_a_day"
            ),
        ]

    def __str__(self) -> str:
        programme = self.get_programme_display() if self.programme else _("all programmes")
        return f"{self.country} · {programme} · {self.effective_from:%Y-%m-%d}"

    @property
    def key(self) -> tuple[str, str]:
        return (self.country, self.programme)


class HolidayQuerySet(PolicyQuerySet["Holiday"]):
    pass


class Holiday(models.Model):
    """A statutory holiday of a country: no working day, and no arrival where a profile says."""

    country = models.CharField(_("country"), max_length=2)
    date = models.DateField(_("date"))
    name = models.CharField(_("name"), max_length=200)
    source = models.CharField(_("source"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = HolidayQuerySet.as_manager()

    class Meta:
        ordering: ClassVar = ["country", "date"]
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["country", "date"], name="profiles_one_holiday_a_day"),
        ]

    def __str__(self) -> str:
        return f"{self.country} {self.date:%Y-%m-%d} {self.name}"
