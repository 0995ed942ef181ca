"""What the audit log costs a write: an action with its audit event, against a bare save."""

from __future__ import annotations

import argparse

from django.db import transaction

from bench.common import Table, timed


def run(table: Table, args: argparse.Namespace) -> None:
    from passage.core import actions
    from passage.core.choices import OrgKind
    from passage.core.models import Organisation

    n = max(50, int(2000 * args.scale))

    def bare() -> None:
        with transaction.atomic():
            for i in range(n):
                Organisation.objects.create(name=f"bare {i}", kind=OrgKind.AGENCY, country="US")

    def audited() -> None:
        with transaction.atomic():
            for i in range(n):
                actions.create_organisation(
                    actor=None, name=f"audited {i}", kind=OrgKind.AGENCY, country="US"
                )

    base = timed(bare)
    value = timed(audited)
    table.add(
        "audit",
        f"{n} audited writes",
        n / value,
        "writes/s",
        baseline=n / base,
        baseline_name="bare save",
        note="an action with its checks and audit event against Model.objects.create",
    )
