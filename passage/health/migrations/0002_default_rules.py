"""Ship the default medical travel rules (TB screening ages, airline pregnancy limits)."""

import datetime

from django.db import migrations

SOURCE = (
    "TB screening ages: CDC Technical Instructions for panel physicians (chest X-ray from "
    "age 15; IGRA at ages 2-14 in high-incidence settings). Pregnancy and MEDIF: common "
    "airline practice (normal travel up to week 28; weeks 28-35 with a fit-to-fly "
    "certificate no more than 7 days old; MEDIF often valid 7 days). Airline agreements "
    "may set their own values in a row for that airline."
)


def forwards(apps, schema_editor):
    Rules = apps.get_model("health", "MedicalTravelRules")
    Rules.objects.get_or_create(
        airline="",
        country="",
        effective_from=datetime.date(2025, 1, 1),
        defaults={"source_note": SOURCE},
    )


def backwards(apps, schema_editor):
    apps.get_model("health", "MedicalTravelRules").objects.filter(
        airline="", country="", effective_from=datetime.date(2025, 1, 1)
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("health", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
