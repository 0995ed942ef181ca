"""Chest X-ray from age 11 for Canada's and Australia's exams (working assumption)."""

import datetime

from django.db import migrations

ROWS = {
    "CA": (
        "Canada immigration medical exam: chest X-ray from age 11 (IRCC panel physician "
        "instructions). Unverified: working assumption until checked against the current "
        "Panel Members' Handbook. Pregnancy and MEDIF values as the default row."
    ),
    "AU": (
        "Australian health examination: chest X-ray from age 11 (Department of Home "
        "Affairs health requirements). Unverified: working assumption until checked "
        "against the current Panel Members Instructions. Pregnancy and MEDIF values as "
        "the default row."
    ),
}


def forwards(apps, schema_editor):
    Rules = apps.get_model("health", "MedicalTravelRules")
    for country, source in ROWS.items():
        Rules.objects.get_or_create(
            airline="",
            country=country,
            effective_from=datetime.date(2025, 1, 1),
            defaults={"source_note": source, "xray_min_age": 11},
        )


def backwards(apps, schema_editor):
    apps.get_model("health", "MedicalTravelRules").objects.filter(
        airline="", country__in=list(ROWS), effective_from=datetime.date(2025, 1, 1)
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("health", "0003_access_grants")]
    operations = [migrations.RunPython(forwards, backwards)]
