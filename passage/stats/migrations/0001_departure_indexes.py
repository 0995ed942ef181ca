"""Indexes the departures statistics need on the registry's status history.

The statistics read ``registry_casestatuschange`` by (to_status, at) — departures
in a period — and by (case, to_status, at) — whether a departure was interrupted.
The registry's model declares neither, so this app adds them with plain SQL that
SQLite and PostgreSQL both understand; dropping this app's migrations drops them.
"""

from django.db import migrations

INDEXES = [
    ("stats_departure_at", "registry_casestatuschange (to_status, at, case_id)"),
    ("stats_case_status_at", "registry_casestatuschange (case_id, to_status, at)"),
    ("stats_membership_case", "registry_membership (case_id, joined_at, ended_at, person_id)"),
]


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS {name} ON {target}",
            reverse_sql=f"DROP INDEX IF EXISTS {name}",
        )
        for name, target in INDEXES
    ]
