"""Name keys get the primary key (key, person): the lookup index is the table's only index.

Django cannot turn a single primary key into a composite one in place, so the keys
move to a new table: the old one is renamed, its rows copied, then dropped.
"""

import django.db.models.deletion
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

BATCH = 5000


def _copy(apps: StateApps, source: str, target: str) -> None:
    old = apps.get_model("registry", source)
    new = apps.get_model("registry", target)
    rows = old.objects.order_by("key", "person_id").values_list("key", "person_id", "joined")
    batch = []
    for key, person_id, joined in rows.iterator(chunk_size=BATCH):
        batch.append(new(key=key, person_id=person_id, joined=joined))
        if len(batch) >= BATCH:
            new.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    new.objects.bulk_create(batch, ignore_conflicts=True)


def forwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    _copy(apps, "OldNameKey", "NameKey")


def backwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    _copy(apps, "NameKey", "OldNameKey")


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0003_namekey_without_constraint"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="namekey", name="registry_namekey_idx"),
        migrations.RenameModel(old_name="NameKey", new_name="OldNameKey"),
        migrations.CreateModel(
            name="NameKey",
            fields=[
                ("pk", models.CompositePrimaryKey("key", "person", blank=True, editable=False, primary_key=True, serialize=False)),
                ("key", models.CharField(max_length=60)),
                ("joined", models.BooleanField(default=False)),
                (
                    "person",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="registry.person",
                    ),
                ),
            ],
        ),
        migrations.RunPython(forwards, backwards),
        migrations.DeleteModel(name="OldNameKey"),
    ]
