"""Who may see and write money."""

from __future__ import annotations

from passage.core import policy
from passage.core.choices import Role
from passage.ledger.models import Account, CashCount, ExchangeRate, LedgerEntry

CASHIERS = {Role.ADMIN, Role.FINANCE_OFFICER, Role.VAC_OFFICER}

PERMISSIONS = {
    "ledger.view": CASHIERS,
    "ledger.take_payment": CASHIERS,
    "ledger.record_rate": CASHIERS,
    "ledger.correct": {Role.ADMIN, Role.FINANCE_OFFICER},
    "ledger.reconcile": {Role.ADMIN, Role.FINANCE_OFFICER, Role.VAC_OFFICER},
}


def register() -> None:
    policy.register_permissions(PERMISSIONS)
    for model in (Account, LedgerEntry, ExchangeRate, CashCount):
        policy.register_model(model, view="ledger.view")
