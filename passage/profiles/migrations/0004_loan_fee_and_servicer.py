"""Add the travel-loan rules the loans capability needs and set them on the shipped profiles.

Whether the agency's service fee is part of the loan, and who services the loan
after arrival. Both are working assumptions for the shipped USA and Canada
versions (noted as unverified on each): the USA's loan is serviced through IOM's
travel loan programme (iom.int “understanding travel loans”) with the agency's
fee included; Canada's transportation loan by IRCC's Immigration Loans Program
(canada.ca), fares only.
"""

from datetime import date

from django.db import migrations, models

SHIPPED = date(2025, 1, 1)
RULES = {
    "US": (True, "IOM Travel Loan Programme (USA)"),
    "CA": (False, "IRCC Immigration Loans Program"),
}
NOTE = (
    " Loan servicer and whether the agency's service fee is part of the loan: "
    "unverified working assumption."
)


def backfill(apps, schema_editor):
    profile_model = apps.get_model("profiles", "DestinationProfile")
    for profile in profile_model.objects.filter(
        effective_from=SHIPPED, change_note="Shipped with Passage", country__in=RULES
    ):
        fee, servicer = RULES[profile.country]
        profile.loan_includes_service_fee = fee
        profile.loan_servicer = servicer
        profile.unverified_note = (profile.unverified_note + NOTE).strip()
        profile.save(
            update_fields=["loan_includes_service_fee", "loan_servicer", "unverified_note"]
        )


class Migration(migrations.Migration):
    dependencies = [
        ("profiles", "0003_travel_document_any_of"),
    ]

    operations = [
        migrations.AddField(
            model_name="destinationprofile",
            name="loan_includes_service_fee",
            field=models.BooleanField(
                default=False, verbose_name="loan includes the agency's service fee"
            ),
        ),
        migrations.AddField(
            model_name="destinationprofile",
            name="loan_servicer",
            field=models.CharField(
                blank=True,
                help_text="Who collects repayment once the loan is handed over after arrival.",
                max_length=200,
                verbose_name="loan servicing organisation",
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
