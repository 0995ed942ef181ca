"""Who may see and manage travel loans.

Finance officers (and administrators) manage loans: notes, signatures, scans,
handover, statements. Case workers and movement officers see a loan's status and
its notes on the case page and in the lists, to prepare departures. Partners see
nothing: a promissory note is a personal financial agreement between the traveller
and the agency; the embassy learns what it needs (whether the case may depart)
from movements, and the servicing organisation receives the statement at handover.
"""

from __future__ import annotations

from passage.core import policy
from passage.core.choices import Role

PERMISSIONS = {
    "loans.view": {Role.ADMIN, Role.FINANCE_OFFICER, Role.CASE_WORKER, Role.MOVEMENT_OFFICER},
    "loans.manage": {Role.ADMIN, Role.FINANCE_OFFICER},
}


def register() -> None:
    from passage.loans.models import Loan, PromissoryNote

    policy.register_permissions(PERMISSIONS)
    policy.register_model(Loan, view="loans.view")
    policy.register_model(PromissoryNote, view="loans.view")
