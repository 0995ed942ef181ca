"""Every write of the ledger: accounts, rates, entries, corrections, cash counts.

Entries are appended, never changed. Writes that depend on an account's balance
lock the account row first, so two cashiers paying at once are applied one after
the other and neither is lost.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from passage.core import audit
from passage.core.errors import ActionError, ConflictError
from passage.core.models import User
from passage.ledger import owners
from passage.ledger.choices import Desk, EntryKind, PaymentMethod
from passage.ledger.models import (
    CENT,
    Account,
    CashCount,
    CashFloat,
    ExchangeRate,
    LedgerEntry,
    ReceiptCounter,
    validate_currency,
)
from passage.ledger.queries import balance

ENTRY_FIELDS = (
    "account_id",
    "kind",
    "amount",
    "currency",
    "method",
    "paid_amount",
    "paid_currency",
    "rate",
    "receipt_number",
    "corrects_id",
    "business_date",
)


def _currency(code: str, field: str = "currency") -> str:
    try:
        validate_currency(code)
    except ValidationError as exc:
        raise ActionError(exc.messages[0], field=field, code="currency") from exc
    return code


def money(value: Decimal | str | int, field: str = "amount") -> Decimal:
    """A Decimal rounded to cents; floats are refused."""
    if isinstance(value, float):
        raise ActionError(_("Money is never a float."), field=field)
    try:
        amount = Decimal(value)
    except Exception as exc:
        raise ActionError(_("Enter an amount."), field=field) from exc
    if not amount.is_finite():
        raise ActionError(_("Enter an amount."), field=field)
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


@transaction.atomic
def open_account(
    *,
    actor: User | None,
    code: str,
    name: str,
    currency: str,
    subject: models.Model | None = None,
) -> Account:
    """The account of ``code``; made when missing (same code → same account)."""
    _currency(currency)
    existing = Account.objects.filter(code=code).first()
    if existing is not None:
        if existing.currency != currency:
            raise ActionError(
                _("Account %(code)s is kept in %(currency)s.")
                % {"code": code, "currency": existing.currency},
                field="currency",
            )
        return existing
    account = Account(code=code, name=name[:200], currency=currency)
    if subject is not None:
        account.subject_type = ContentType.objects.get_for_model(subject)
        account.subject_id = str(subject.pk)
    try:
        with transaction.atomic():
            account.save()
    except IntegrityError:
        return Account.objects.get(code=code)
    audit.record(
        actor=actor,
        action="ledger.account_open",
        obj=account,
        after=audit.snapshot(account, ("code", "name", "currency")),
    )
    return account


@transaction.atomic
def record_rate(
    *, actor: User, base: str, quote: str, rate: Decimal | str, on: date, source: str
) -> ExchangeRate:
    _currency(base, "base")
    _currency(quote, "quote")
    if base == quote:
        raise ActionError(_("A rate needs two different currencies."), field="quote")
    if isinstance(rate, float):
        raise ActionError(_("Money is never a float."), field="rate")
    value = Decimal(rate)
    if value <= 0:
        raise ActionError(_("The rate must be above zero."), field="rate")
    if not source.strip():
        raise ActionError(_("Name the source of the rate."), field="source")
    if ExchangeRate.objects.filter(base=base, quote=quote, date=on).exists():
        raise ConflictError(
            _("A %(base)s/%(quote)s rate for %(date)s is already recorded.")
            % {"base": base, "quote": quote, "date": on},
            field="date",
        )
    row = ExchangeRate.objects.create(
        base=base, quote=quote, rate=value, date=on, source=source.strip(), recorded_by=actor
    )
    audit.record(
        actor=actor,
        action="ledger.rate_record",
        obj=row,
        after=audit.snapshot(row, ("base", "quote", "rate", "date", "source")),
    )
    return row


def rate_for(base: str, quote: str, on: date) -> ExchangeRate:
    """The rate recorded for the day; refused when there is none."""
    row = ExchangeRate.objects.filter(base=base, quote=quote, date=on).first()
    if row is None:
        raise ActionError(
            _("No %(base)s/%(quote)s rate is recorded for %(date)s.")
            % {"base": base, "quote": quote, "date": on},
            field="currency",
            code="no_rate",
        )
    return row


def next_receipt_number(series: str, year: int) -> str:
    """Take the next number of a series, gap-free: the counter row is locked until commit."""
    ReceiptCounter.objects.get_or_create(series=series)
    counter = ReceiptCounter.objects.select_for_update().get(series=series)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return f"{series}-{year}-{counter.last_number:06d}"


def _lock(account: Account) -> Account:
    return Account.objects.select_for_update().get(pk=account.pk)


def _append(actor: User | None, action: str, entry: LedgerEntry) -> LedgerEntry:
    entry.save(force_insert=True)
    audit.record(actor=actor, action=action, obj=entry, after=audit.snapshot(entry, ENTRY_FIELDS))
    return entry


@transaction.atomic
def charge(
    *,
    actor: User | None,
    account: Account,
    amount: Decimal | str,
    description: str,
    kind: str = EntryKind.CHARGE,
    on: date | None = None,
) -> LedgerEntry:
    """Raise what the account owes (a sale, a charge or a fee)."""
    if kind not in {EntryKind.CHARGE, EntryKind.FEE}:
        raise ActionError(_("A charge is a charge or a fee."), field="kind")
    value = money(amount)
    if value <= 0:
        raise ActionError(_("The amount must be above zero."), field="amount")
    account = _lock(account)
    entry = LedgerEntry(
        account=account,
        kind=kind,
        amount=value,
        currency=account.currency,
        description=description[:200],
        cashier=actor,
        business_date=on or timezone.localdate(),
    )
    return _append(actor, "ledger.charge", entry)


@transaction.atomic
def adjust(
    *, actor: User, account: Account, amount: Decimal | str, description: str
) -> LedgerEntry:
    """A signed change to what is owed (a waiver is negative), with its reason."""
    value = money(amount)
    if value == 0:
        raise ActionError(_("The amount must not be zero."), field="amount")
    if not description.strip():
        raise ActionError(_("Give the reason for the adjustment."), field="description")
    account = _lock(account)
    entry = LedgerEntry(
        account=account,
        kind=EntryKind.ADJUSTMENT,
        amount=value,
        currency=account.currency,
        description=description[:200],
        cashier=actor,
        business_date=timezone.localdate(),
    )
    return _append(actor, "ledger.adjust", entry)


@transaction.atomic
def record_payment(
    *,
    actor: User,
    account: Account,
    amount: Decimal | str,
    currency: str,
    method: str = PaymentMethod.CASH,
    series: str,
    on: date | None = None,
    allow_overpayment: bool = False,
    refund: bool = False,
) -> LedgerEntry:
    """Take (or with ``refund`` give back) money, in the account's currency or another.

    Paid in another currency, the day's recorded rate converts it; the entry keeps
    the amount tendered, the rate and its date. Every payment gets the next
    receipt number of ``series``.
    """
    _currency(currency)
    if method not in PaymentMethod.values:
        raise ActionError(_("Choose cash or bank transfer."), field="method")
    tendered = money(amount)
    if tendered <= 0:
        raise ActionError(_("The amount must be above zero."), field="amount")
    day = on or timezone.localdate()
    account = _lock(account)
    entry = LedgerEntry(
        account=account,
        currency=account.currency,
        method=method,
        cashier=actor,
        business_date=day,
        kind=EntryKind.REFUND if refund else EntryKind.PAYMENT,
    )
    if currency == account.currency:
        entry.amount = tendered
    else:
        row = rate_for(account.currency, currency, day)
        entry.amount = (tendered / row.rate).quantize(CENT, rounding=ROUND_HALF_UP)
        entry.paid_amount, entry.paid_currency = tendered, currency
        entry.rate, entry.rate_date = row.rate, row.date
    due = balance(account)
    if refund and entry.amount > -due:
        raise ConflictError(
            _("A refund cannot exceed what was overpaid (%(over)s %(cur)s).")
            % {"over": max(-due, Decimal("0.00")), "cur": account.currency},
            field="amount",
        )
    if not refund and not allow_overpayment and entry.amount > due:
        raise ConflictError(
            _("The payment is more than the %(due)s %(cur)s due.")
            % {"due": max(due, Decimal("0.00")), "cur": account.currency},
            field="amount",
            code="overpayment",
        )
    entry.receipt_series = series
    entry.receipt_number = next_receipt_number(series, day.year)
    return _append(actor, "ledger.refund" if refund else "ledger.payment", entry)


@transaction.atomic
def correct_entry(
    *, actor: User, entry: LedgerEntry, reason: str, by_owner: bool = False
) -> LedgerEntry:
    """Cancel an entry with its exact opposite, pointing at it. The original stays.

    An account a domain owns (``passage.ledger.owners``) is corrected through that
    domain's action (which passes ``by_owner``), so the domain's record follows."""
    owner = None if by_owner else owners.owner_of(entry.account)
    if owner is not None:
        raise ConflictError(
            _(
                "Entries of account %(code)s are corrected on the page that owns it, so that "
                "its record follows: %(page)s"
            )
            % {"code": entry.account.code, "page": owner.page(entry.account)},
            field="entry",
            code="owned_account",
        )
    if not reason.strip():
        raise ActionError(_("Give the reason for the correction."), field="reason")
    _lock(entry.account)
    if entry.corrects_id is not None:
        raise ActionError(
            _("A correction cannot itself be corrected; record a new entry."), field="entry"
        )
    if LedgerEntry.objects.filter(corrects=entry).exists():
        raise ConflictError(_("This entry is already corrected."), field="entry")
    opposite = LedgerEntry(
        account=entry.account,
        kind=entry.kind,
        amount=-entry.amount,
        currency=entry.currency,
        description=reason.strip()[:200],
        method=entry.method,
        paid_amount=-entry.paid_amount if entry.paid_amount is not None else None,
        paid_currency=entry.paid_currency,
        rate=entry.rate,
        rate_date=entry.rate_date,
        corrects=entry,
        cashier=actor,
        business_date=timezone.localdate(),
    )
    if entry.receipt_series:
        opposite.receipt_series = entry.receipt_series
        opposite.receipt_number = next_receipt_number(
            entry.receipt_series, opposite.business_date.year
        )
    return _append(actor, "ledger.correct", opposite)


def _desk(desk: str) -> str:
    if desk not in Desk.values:
        raise ActionError(
            _("Choose the desk: %(desks)s.") % {"desks": ", ".join(Desk.values)}, field="desk"
        )
    return desk


def _drawer(currency: str, method: str, amount: Decimal | str, what: str) -> Decimal:
    _currency(currency)
    if method not in PaymentMethod.values:
        raise ActionError(_("Choose cash or bank transfer."), field="method")
    value = money(amount)
    if value < 0:
        raise ActionError(what, field="amount")
    return value


@transaction.atomic
def record_cash_count(
    *,
    actor: User,
    cashier: User,
    on: date,
    desk: str,
    currency: str,
    method: str,
    amount: Decimal | str,
    note: str = "",
) -> CashCount:
    """What the cashier counted in a desk's drawer at the end of a day; the latest count
    of a day, desk, currency and method counts."""
    _desk(desk)
    value = _drawer(currency, method, amount, _("A count cannot be negative."))
    row = CashCount.objects.create(
        business_date=on,
        cashier=cashier,
        desk=desk,
        currency=currency,
        method=method,
        amount=value,
        note=note[:200],
        recorded_by=actor,
    )
    audit.record(
        actor=actor,
        action="ledger.cash_count",
        obj=row,
        after=audit.snapshot(
            row, ("business_date", "cashier_id", "desk", "currency", "method", "amount")
        ),
    )
    return row


@transaction.atomic
def record_float(
    *,
    actor: User,
    cashier: User,
    on: date,
    desk: str,
    currency: str,
    method: str = PaymentMethod.CASH,
    amount: Decimal | str,
    note: str = "",
) -> CashFloat:
    """The opening float of a cashier's drawer at a desk for a day and currency. The
    drawer closes with float + net takings; recording it again replaces it (the latest
    counts, the earlier ones stay as history)."""
    _desk(desk)
    value = _drawer(currency, method, amount, _("A float cannot be negative."))
    row = CashFloat.objects.create(
        business_date=on,
        cashier=cashier,
        desk=desk,
        currency=currency,
        method=method,
        amount=value,
        note=note[:200],
        recorded_by=actor,
    )
    audit.record(
        actor=actor,
        action="ledger.float",
        obj=row,
        after=audit.snapshot(
            row, ("business_date", "cashier_id", "desk", "currency", "method", "amount")
        ),
    )
    return row
