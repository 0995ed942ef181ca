"""Read side of the ledger: balances, the day's takings, reconciliation."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Case, DecimalField, F, Sum, Value, When
from django.db.models.functions import Coalesce

from passage.ledger.choices import EntryKind, desk_prefix
from passage.ledger.models import Account, CashCount, CashFloat, LedgerEntry

ZERO = Decimal("0.00")

_SIGNED = Case(
    When(kind=EntryKind.PAYMENT, then=-F("amount")),
    default=F("amount"),
    output_field=DecimalField(max_digits=14, decimal_places=2),
)


def balance(account: Account) -> Decimal:
    """What is still owed: charges, fees, refunds and adjustments less payments."""
    total = LedgerEntry.objects.filter(account=account).aggregate(
        total=Coalesce(Sum(_SIGNED), Value(ZERO))
    )["total"]
    return Decimal(total).quantize(Decimal("0.01"))


def balances(accounts: list[Account]) -> dict[int, Decimal]:
    rows = (
        LedgerEntry.objects.filter(account__in=accounts)
        .values("account_id")
        .annotate(total=Sum(_SIGNED))
    )
    found = {r["account_id"]: Decimal(r["total"]).quantize(Decimal("0.01")) for r in rows}
    return {a.pk: found.get(a.pk, ZERO) for a in accounts}


@dataclass
class TakingsRow:
    cashier_id: int | None
    cashier: str
    currency: str
    method: str
    received: Decimal
    refunded: Decimal
    count: int

    @property
    def net(self) -> Decimal:
        return self.received - self.refunded


def takings(on: date, *, prefix: str = "") -> list[TakingsRow]:
    """Money taken and given back on a day, per cashier, currency tendered and method.

    ``prefix`` narrows to accounts whose code starts with it (one service's money).
    """
    entries = LedgerEntry.objects.filter(
        business_date=on, kind__in=[EntryKind.PAYMENT, EntryKind.REFUND]
    ).select_related("cashier")
    if prefix:
        entries = entries.filter(account__code__startswith=prefix)
    rows: dict[tuple[int | None, str, str], TakingsRow] = {}
    for entry in entries:
        amount, currency = entry.tendered
        key = (entry.cashier_id, currency, entry.method)
        row = rows.get(key)
        if row is None:
            name = (
                entry.cashier.get_full_name() or entry.cashier.get_username()
                if entry.cashier
                else "—"
            )
            row = rows[key] = TakingsRow(
                entry.cashier_id, name, currency, entry.method, ZERO, ZERO, 0
            )
        if entry.kind == EntryKind.PAYMENT:
            row.received += amount
        else:
            row.refunded += amount
        row.count += 1
    return sorted(rows.values(), key=lambda r: (r.cashier, r.currency, r.method))


def totals_by_currency(rows: list[TakingsRow]) -> dict[str, Decimal]:
    totals: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for row in rows:
        totals[row.currency] += row.net
    return dict(sorted(totals.items()))


@dataclass
class ReconciliationRow:
    """One drawer of a desk: cashier, currency and method. ``ledger`` is the day's net
    takings; the drawer should hold ``opening`` (the float) + ``ledger``."""

    cashier_id: int
    cashier: str
    currency: str
    method: str
    ledger: Decimal
    counted: Decimal | None
    opening: Decimal = ZERO

    @property
    def expected(self) -> Decimal:
        return self.opening + self.ledger

    @property
    def difference(self) -> Decimal | None:
        return None if self.counted is None else self.counted - self.expected

    @property
    def matches(self) -> bool:
        return self.difference == 0


def _name(user: object) -> str:
    return user.get_full_name() or user.get_username()  # type: ignore[attr-defined,no-any-return]


def reconciliation(on: date, *, desk: str) -> list[ReconciliationRow]:
    """Each cashier's drawer at ``desk`` on a day: the float, the ledger's net takings of
    the desk's accounts, and the latest count; a difference shows (count − float − net)."""
    rows: dict[tuple[int, str, str], ReconciliationRow] = {}
    for t in takings(on, prefix=desk_prefix(desk)):
        if t.cashier_id is None:
            continue
        rows[(t.cashier_id, t.currency, t.method)] = ReconciliationRow(
            t.cashier_id, t.cashier, t.currency, t.method, t.net, None
        )

    def row_for(cashier: object, cashier_id: int, currency: str, method: str) -> ReconciliationRow:
        key = (cashier_id, currency, method)
        if key not in rows:
            rows[key] = ReconciliationRow(cashier_id, _name(cashier), currency, method, ZERO, None)
        return rows[key]

    floats = CashFloat.objects.filter(business_date=on, desk=desk).select_related("cashier")
    for opening in floats.order_by("recorded_at", "id"):  # the latest float wins
        row_for(
            opening.cashier, opening.cashier_id, opening.currency, opening.method
        ).opening = opening.amount
    counts = CashCount.objects.filter(business_date=on, desk=desk).select_related("cashier")
    for count in counts.order_by("recorded_at", "id"):  # the latest count wins
        row_for(
            count.cashier, count.cashier_id, count.currency, count.method
        ).counted = count.amount
    return sorted(rows.values(), key=lambda r: (r.cashier, r.currency, r.method))


def entries_of(account: Account) -> list[LedgerEntry]:
    return list(account.entries.select_related("cashier", "corrects").order_by("at", "id"))
