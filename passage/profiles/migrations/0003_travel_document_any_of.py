"""Add the travel-document rule and set it on the shipped profiles.

The shipped versions get the rule they always implied: a Canadian COPR holder
travels on a passport, Convention travel document, ICRC document or single
journey document; Australian and European entries on a passport, Convention or
ICRC document. The US boarding letter is itself the travel document (unverified),
so the US profile keeps the rule empty.
"""

from datetime import date

from django.db import migrations, models

SHIPPED = date(2025, 1, 1)
RULES = {
    "CA": ["passport", "ctd", "icrc", "sjd"],
    "US": [],
}
DEFAULT = ["passport", "ctd", "icrc"]


def backfill(apps, schema_editor):
    profile_model = apps.get_model("profiles", "DestinationProfile")
    for profile in profile_model.objects.filter(
        effective_from=SHIPPED, change_note="Shipped with Passage"
    ):
        profile.travel_document_any_of = RULES.get(profile.country, DEFAULT)
        profile.save(update_fields=["travel_document_any_of"])


class Migration(migrations.Migration):
    dependencies = [
        ("profiles", "0002_shipped_profiles"),
    ]

    operations = [
        migrations.AddField(
            model_name="destinationprofile",
            name="travel_document_any_of",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text=(
                    "Every traveller needs one of these documents to travel on (a passport, "
                    "or a Convention, ICRC or single-journey document). Empty: no such rule."
                ),
                verbose_name="travel document: any one of",
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
