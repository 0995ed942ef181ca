"""Ship the code aliases of data/aliases.csv (Bishkek Manas: FRU until August 2025, BSZ after)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from passage.movements.codes import shipped_aliases

    CodeAlias = apps.get_model("movements", "CodeAlias")
    for row in shipped_aliases():
        CodeAlias.objects.get_or_create(
            kind=row["kind"],
            code=row["code"],
            current=row["current"],
            defaults={
                "valid_from": row["valid_from"],
                "valid_until": row["valid_until"],
                "source_note": row["source_note"],
            },
        )


class Migration(migrations.Migration):
    dependencies = [("movements", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
