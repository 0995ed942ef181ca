"""The document types the destination profiles name (``DocumentCode``), shipped as data."""

from django.db import migrations

TYPES = [
    # code, name, category, per_family, single_journey, machine_readable, valid_for_destination
    ("passport", "National passport", "travel", False, False, True, False),
    ("ctd", "Convention travel document", "travel", False, False, True, False),
    ("icrc", "ICRC emergency travel document", "travel", False, True, False, False),
    ("sjd", "Single Journey Document (IMM 5485)", "travel", False, True, False, True),
    ("copr", "Confirmation of permanent residence (IMM 5292)", "visa", False, False, False, True),
    ("us_boarding_letter", "US transportation boarding letter", "letter", True, False, False, True),
    ("visa", "Entry visa", "visa", False, False, True, True),
    ("transit_visa", "Transit visa", "visa", False, False, True, False),
    ("exit_visa", "Kyrgyz exit visa", "exit", False, False, False, False),
]


def ship(apps, schema_editor):
    model = apps.get_model("documents", "DocumentType")
    for code, name, category, family, single, mrz, destination in TYPES:
        model.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "category": category,
                "per_family": family,
                "single_journey": single,
                "machine_readable": mrz,
                "valid_for_destination": destination,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial")]

    operations = [migrations.RunPython(ship, migrations.RunPython.noop)]
