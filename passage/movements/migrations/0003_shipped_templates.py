"""Ship the notification texts of shipped_templates.py."""

from django.db import migrations


def forwards(apps, schema_editor):
    from passage.movements.shipped_templates import install

    install(apps.get_model("movements", "NotificationTemplate"))


class Migration(migrations.Migration):
    dependencies = [("movements", "0002_shipped_aliases")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
