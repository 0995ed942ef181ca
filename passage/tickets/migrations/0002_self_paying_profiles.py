"""Destination profiles for self-paying migration to the USA and Canada.

A self-paying migrant travels on their own passport with the immigrant visa (USA) or
the visa and confirmation of permanent residence (Canada) the consulate issued; the
consulate's own panel medical comes before the visa, so the mission requires no
medical of its own, no exit visa (the Kyrgyz exit visa is for resettling refugees),
no cultural orientation and no travel loan: the migrant pays the ticket. Without
these versions a self-paying case would be held to the refugee rules of the country
default (US boarding letter, ICRC documents, loans). Administrators change them by
adding a version on the profile's admin screen.
"""

from datetime import date

from django.db import migrations

EFFECTIVE = date(2025, 1, 1)
NOTE = "Shipped with Passage (ticket counter)"
COMMON = {
    "programme": "self_paying",
    "effective_from": EFFECTIVE,
    "change_note": NOTE,
    "unverified_note": (
        "No mission medical, exit visa, orientation or loan for self-paying migrants: "
        "working assumption of the ticket counter, to be confirmed by the mission."
    ),
    "medical_required": False,
    "co_requirement": "none",
    "travel_document_any_of": ["passport"],
    "exit_visa_required": False,
    "travel_loan_required": False,
}
PROFILES = [
    {
        **COMMON,
        "country": "US",
        "source_note": "travel.state.gov immigrant visas: the visa in the passport is the "
        "entry document; the medical is done by a panel physician before the visa.",
        "source_url": "https://travel.state.gov/content/travel/en/us-visas/immigrate.html",
        "required_documents": ["visa"],
    },
    {
        **COMMON,
        "country": "CA",
        "source_note": "canada.ca permanent residence: the permanent resident visa and "
        "the confirmation of permanent residence (COPR) are presented on arrival.",
        "source_url": "https://www.canada.ca/en/immigration-refugees-citizenship.html",
        "required_documents": ["visa", "copr"],
    },
]


def add(apps, schema_editor):
    profile = apps.get_model("profiles", "DestinationProfile")
    for values in PROFILES:
        key = {k: values[k] for k in ("country", "programme", "effective_from")}
        if not profile.objects.filter(**key).exists():
            profile.objects.create(**values)


def remove(apps, schema_editor):
    profile = apps.get_model("profiles", "DestinationProfile")
    profile.objects.filter(programme="self_paying", change_note=NOTE).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("tickets", "0001_initial"),
        ("profiles", "0003_travel_document_any_of"),
    ]

    operations = [migrations.RunPython(add, remove)]
