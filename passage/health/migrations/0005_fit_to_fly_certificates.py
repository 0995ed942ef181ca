"""Fit-to-fly certificates for a pregnancy; the airline scope and the duplicated MEDIF and
certificate-age values leave the health rules (the airline agreement holds them)."""


import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def drop_airline_rows(apps, schema_editor):
    """An airline's rules live on its agreement (movements); airline-scoped rows here were
    never read (the clearance summary picks by destination only) and go."""
    apps.get_model("health", "MedicalTravelRules").objects.exclude(airline="").delete()


class Migration(migrations.Migration):

    dependencies = [
        ('health', '0004_ca_au_xray_age'),
        ('registry', '0003_namekey_without_constraint'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(drop_airline_rows, migrations.RunPython.noop),
        migrations.CreateModel(
            name='FitToFlyCertificate',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('issued_on', models.DateField(verbose_name='issued on')),
                ('issued_by', models.CharField(max_length=200, verbose_name='issued by (physician, clinic)')),
                ('gestation_week', models.PositiveSmallIntegerField(verbose_name='pregnancy week stated')),
                ('valid_until', models.DateField(blank=True, null=True, verbose_name='valid for travel until')),
                ('notes', models.TextField(blank=True, verbose_name='notes')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
            ],
            options={
                'verbose_name': 'fit-to-fly certificate',
                'verbose_name_plural': 'fit-to-fly certificates',
                'ordering': ['-issued_on', '-id'],
            },
        ),
        migrations.AlterModelOptions(
            name='medicaltravelrules',
            options={'ordering': ['country', '-effective_from'], 'verbose_name': 'medical travel rules', 'verbose_name_plural': 'medical travel rules'},
        ),
        migrations.RemoveConstraint(
            model_name='medicaltravelrules',
            name='health_rules_one_a_day',
        ),
        migrations.RemoveField(
            model_name='medicaltravelrules',
            name='airline',
        ),
        migrations.RemoveField(
            model_name='medicaltravelrules',
            name='certificate_max_age_days',
        ),
        migrations.RemoveField(
            model_name='medicaltravelrules',
            name='medif_validity_days',
        ),
        migrations.AddConstraint(
            model_name='medicaltravelrules',
            constraint=models.UniqueConstraint(fields=('country', 'effective_from'), name='health_rules_one_a_day_country'),
        ),
        migrations.AddField(
            model_name='fittoflycertificate',
            name='clinic',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='health.clinic'),
        ),
        migrations.AddField(
            model_name='fittoflycertificate',
            name='created_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='fittoflycertificate',
            name='person',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='fit_to_fly_certificates', to='registry.person'),
        ),
        migrations.AddField(
            model_name='fittoflycertificate',
            name='pregnancy',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='certificates', to='health.pregnancy'),
        ),
        migrations.AddConstraint(
            model_name='fittoflycertificate',
            constraint=models.CheckConstraint(condition=models.Q(('valid_until__isnull', True), ('valid_until__gte', models.F('issued_on')), _connector='OR'), name='health_certificate_valid_after_issue'),
        ),
    ]
