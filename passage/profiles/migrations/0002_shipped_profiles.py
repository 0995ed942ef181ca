"""The destination profiles Passage ships: USA, Canada (and Canada GAR), Australia and
the 12 European countries the mission moved refugees to, each with its source.

Figures come from the domain primer's public sources. Lines the primer marks
*unverified* stay in each profile's ``unverified_note``. Administrators change
a profile by adding a version on its admin screen; this migration is not edited.
"""

from datetime import date

from django.db import migrations

EFFECTIVE = date(2025, 1, 1)

EXIT_VISA_NOTE = (
    "Kyrgyz exit visa for every resettling refugee: unverified working assumption "
    "(the primer: a foreigner who broke the rules of stay leaves only with an exit visa)."
)

US = {
    "country": "US",
    "programme": "",
    "source_note": (
        "CDC Technical Instructions for panel physicians and cdc.gov refugee health "
        "profiles (exam at most 6 months before departure; pre-departure screening within "
        "3 weeks for class B1 TB and complex cases; fit-to-fly 24–72 h, also ICMC; "
        "vaccination schedule). iom.int “understanding travel loans” (interest-free loan, "
        "promissory note from every adult, repayment from about 6 months after arrival). "
        "US Department of State boarding letter: one per family, valid one year."
    ),
    "source_url": "https://www.cdc.gov/immigrant-refugee-health/",
    "unverified_note": "Medical validity of 3 months for TB class B1 cases: unverified. "
    + EXIT_VISA_NOTE,
    "medical_required": True,
    "medical_validity_months": 6,
    "medical_b1_validity_months": 3,
    "pre_departure_screening_required": True,
    "pre_departure_screening_days": 21,
    "pre_departure_screening_for": "TB class B1 and complex cases",
    "fit_to_fly_required": True,
    "fit_to_fly_min_hours": 24,
    "fit_to_fly_max_hours": 72,
    "live_vaccine_min_days_before_departure": 28,
    "live_vaccine_outbreak_exception": True,
    "vaccine_dose2_min_months": 1,
    "vaccine_dose2_max_months": 2,
    "co_requirement": "required",
    "required_documents": ["us_boarding_letter"],
    "exit_visa_required": True,
    "boarding_letter_validity_months": 12,
    "travel_loan_required": True,
    "loan_interest_free": True,
    "promissory_note_min_age": 18,
    "loan_repayment_start_months": 6,
}

CA = {
    "country": "CA",
    "programme": "",
    "source_note": (
        "canada.ca resettlement “depart abroad” travel pages (at most 75 refugees a flight, "
        "more with 15 working days' notice; the ROC's notification of arrival at least 10 "
        "working days before arrival; ICRC travel documents valid at most 3 months) and "
        "canada.ca validity of medical certificates (12 months from the exam; the COPR ends "
        "at the earlier of medical and passport expiry). welcomeontario.ca: transportation "
        "loan repayment starts in month 12."
    ),
    "source_url": "https://www.canada.ca/en/immigration-refugees-citizenship.html",
    "unverified_note": "Transportation loan interest-free and signed from age 18: unverified. "
    "Cultural orientation (COA) optional: unverified. " + EXIT_VISA_NOTE,
    "medical_required": True,
    "medical_validity_months": 12,
    "co_requirement": "optional",
    "required_documents": ["copr"],
    "exit_visa_required": True,
    "icrc_document_max_months": 3,
    "copr_ends_with_medical_and_passport": True,
    "arrival_notification_working_days": 10,
    "max_refugees_per_flight": 75,
    "over_cap_notice_working_days": 15,
    "travel_loan_required": True,
    "loan_interest_free": True,
    "promissory_note_min_age": 18,
    "loan_repayment_start_months": 12,
}

CA_GAR = {
    **CA,
    "programme": "ca_gar",
    "source_note": CA["source_note"]
    + " Government-assisted refugees may not arrive Friday to Sunday or on statutory holidays.",
    "arrival_refused_weekdays": [5, 6, 7],
    "arrival_refused_on_holidays": True,
}

AU = {
    "country": "AU",
    "programme": "",
    "source_note": (
        "homeaffairs.gov.au fact sheet 67a (medical exam 3–12 months before travel; voluntary "
        "departure health check within 72 h of departure) and rch.org.au (MMR at that check "
        "for ages 9 months to 54 years)."
    ),
    "source_url": "https://immi.homeaffairs.gov.au/",
    "unverified_note": "Cultural orientation (AUSCO) optional: unverified. " + EXIT_VISA_NOTE,
    "medical_required": True,
    "medical_validity_months": 12,
    "medical_min_months_before_departure": 3,
    "fit_to_fly_required": False,
    "fit_to_fly_min_hours": 0,
    "fit_to_fly_max_hours": 72,
    "mmr_at_departure_check": True,
    "mmr_min_age_months": 9,
    "mmr_max_age_years": 54,
    "co_requirement": "optional",
    "required_documents": ["visa"],
    "exit_visa_required": True,
}

EUROPE = {
    "SE": "Sweden",
    "NL": "Netherlands",
    "DK": "Denmark",
    "FR": "France",
    "GB": "United Kingdom",
    "CH": "Switzerland",
    "FI": "Finland",
    "IE": "Ireland",
    "BE": "Belgium",
    "NO": "Norway",
    "CZ": "Czech Republic",
    "RO": "Romania",
}


def europe(code, name):
    return {
        "country": code,
        "programme": "",
        "source_note": (
            f"{name}: generic European resettlement defaults (IOM pre-departure health "
            "assessment and cultural orientation; entry visa or laissez-passer issued by the "
            "receiving state). iom.int. No country-specific source in the primer."
        ),
        "source_url": "https://www.iom.int/",
        "unverified_note": (
            "Every rule of this profile is a common default, unverified for "
            f"{name}: a medical exam valid 6 months, optional cultural orientation, an entry "
            "visa. Confirm with the embassy and add a version. " + EXIT_VISA_NOTE
        ),
        "medical_required": True,
        "medical_validity_months": 6,
        "co_requirement": "optional",
        "required_documents": ["visa"],
        "exit_visa_required": True,
    }


PROFILES = [US, CA, CA_GAR, AU, *(europe(code, name) for code, name in EUROPE.items())]


def ship(apps, schema_editor):
    profile_model = apps.get_model("profiles", "DestinationProfile")
    for spec in PROFILES:
        exists = profile_model.objects.filter(
            country=spec["country"], programme=spec["programme"], effective_from=EFFECTIVE
        ).exists()
        if not exists:
            profile_model.objects.create(
                effective_from=EFFECTIVE, change_note="Shipped with Passage", **spec
            )


def unship(apps, schema_editor):
    profile_model = apps.get_model("profiles", "DestinationProfile")
    for spec in PROFILES:
        profile_model.objects.filter(
            country=spec["country"], programme=spec["programme"], effective_from=EFFECTIVE,
            created_by=None,
        ).delete()


class Migration(migrations.Migration):
    dependencies = [("profiles", "0001_initial")]

    operations = [migrations.RunPython(ship, unship)]
