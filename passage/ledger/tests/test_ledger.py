from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction

from passage.core.errors import ActionError, ConflictError
from passage.core.models import AuditEvent
from passage.ledger import actions, queries
from passage.ledger.choices import EntryKind, PaymentMethod
from passage.ledger.models import CashFloat, LedgerEntry, ReceiptCounter
from passage.ledger.tests.factories import ALL_FACTORIES

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 11, 30)


@pytest.fixture
def account(personas):
    acc = actions.open_account(actor=None, code="vac.t.1", name="Family Asanov", currency="CAD")
    actions.charge(
        actor=personas.vac_officer,
        account=acc,
        amount="170",
        description="Biometrics",
        kind=EntryKind.FEE,
        on=DAY,
    )
    return acc


@pytest.fixture
def rate(personas):
    return actions.record_rate(
        actor=personas.finance_officer,
        base="CAD",
        quote="KGS",
        rate=Decimal("62.5"),
        on=DAY,
        source="NBKR",
    )


@pytest.mark.parametrize("factory", ALL_FACTORIES, ids=lambda f: f.__name__)
def test_every_factory_builds(factory):
    obj = factory()
    assert type(obj)._default_manager.filter(pk=obj.pk).exists()


def test_open_account_is_idempotent_and_keeps_its_currency():
    a = actions.open_account(actor=None, code="x", name="X", currency="CAD")
    assert actions.open_account(actor=None, code="x", name="X", currency="CAD") == a
    with pytest.raises(ActionError) as err:
        actions.open_account(actor=None, code="x", name="X", currency="KGS")
    assert err.value.field == "currency"


@pytest.mark.parametrize("code", ["XYZ", "cad", "", "CA"])
def test_currency_must_be_iso_4217(code):
    with pytest.raises(ActionError) as err:
        actions.open_account(actor=None, code="y", name="Y", currency=code)
    assert err.value.field == "currency"


def test_payment_in_account_currency_gets_a_receipt(personas, account):
    entry = actions.record_payment(
        actor=personas.vac_officer,
        account=account,
        amount="170",
        currency="CAD",
        series="VAC",
        on=DAY,
    )
    assert entry.amount == Decimal("170.00") and entry.receipt_number == "VAC-2026-000001"
    assert queries.balance(account) == Decimal("0.00")
    assert AuditEvent.objects.filter(action="ledger.payment", object_id=str(entry.pk)).exists()


def test_payment_in_kgs_uses_the_days_rate(personas, account, rate):
    entry = actions.record_payment(
        actor=personas.vac_officer,
        account=account,
        amount=Decimal("5312.50"),
        currency="KGS",
        series="VAC",
        on=DAY,
    )
    assert entry.amount == Decimal("85.00")
    assert (entry.paid_amount, entry.paid_currency) == (Decimal("5312.50"), "KGS")
    assert entry.rate == Decimal("62.5") and entry.rate_date == DAY
    assert queries.balance(account) == Decimal("85.00")


def test_payment_in_kgs_without_a_rate_is_refused(personas, account):
    with pytest.raises(ActionError) as err:
        actions.record_payment(
            actor=personas.vac_officer,
            account=account,
            amount="100",
            currency="KGS",
            series="VAC",
            on=DAY,
        )
    assert err.value.code == "no_rate"
    assert not LedgerEntry.objects.filter(kind=EntryKind.PAYMENT).exists()


def test_float_and_overpayment_are_refused(personas, account):
    with pytest.raises(ActionError):
        actions.record_payment(
            actor=personas.vac_officer,
            account=account,
            amount=85.0,  # type: ignore[arg-type]
            currency="CAD",
            series="VAC",
            on=DAY,
        )
    with pytest.raises(ConflictError) as err:
        actions.record_payment(
            actor=personas.vac_officer,
            account=account,
            amount="170.01",
            currency="CAD",
            series="VAC",
            on=DAY,
        )
    assert err.value.code == "overpayment"
    assert not ReceiptCounter.objects.filter(series="VAC", last_number__gt=0).exists()


def test_receipt_numbers_have_no_gaps_after_a_rollback(personas, account):
    actions.record_payment(
        actor=personas.vac_officer,
        account=account,
        amount="10",
        currency="CAD",
        series="VAC",
        on=DAY,
    )
    with pytest.raises(RuntimeError), transaction.atomic():
        actions.record_payment(
            actor=personas.vac_officer,
            account=account,
            amount="10",
            currency="CAD",
            series="VAC",
            on=DAY,
        )
        raise RuntimeError("the drawer jammed")
    third = actions.record_payment(
        actor=personas.vac_officer,
        account=account,
        amount="10",
        currency="CAD",
        series="VAC",
        on=DAY,
    )
    assert third.receipt_number == "VAC-2026-000002"


def test_entries_are_never_edited_or_deleted(personas, account):
    entry = account.entries.get()
    entry.amount = Decimal("1")
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        LedgerEntry.objects.filter(pk=entry.pk).update(amount=1)
    with pytest.raises(PermissionError):
        LedgerEntry.objects.all().delete()


def test_a_correction_is_a_new_opposite_entry(personas, account, rate):
    paid = actions.record_payment(
        actor=personas.vac_officer,
        account=account,
        amount="5312.50",
        currency="KGS",
        series="VAC",
        on=DAY,
    )
    fix = actions.correct_entry(actor=personas.finance_officer, entry=paid, reason="wrong family")
    assert fix.corrects == paid and fix.amount == Decimal("-85.00")
    assert fix.paid_amount == Decimal("-5312.50") and fix.receipt_number == "VAC-2026-000002"
    assert queries.balance(account) == Decimal("170.00")
    assert LedgerEntry.objects.filter(pk=paid.pk).exists()
    with pytest.raises(ConflictError):
        actions.correct_entry(actor=personas.finance_officer, entry=paid, reason="again")
    with pytest.raises(ActionError):
        actions.correct_entry(actor=personas.finance_officer, entry=fix, reason="undo")


def test_refund_only_of_an_overpayment(personas, account):
    actions.record_payment(
        actor=personas.vac_officer,
        account=account,
        amount="200",
        currency="CAD",
        series="VAC",
        on=DAY,
        allow_overpayment=True,
    )
    with pytest.raises(ConflictError):
        actions.record_payment(
            actor=personas.vac_officer,
            account=account,
            amount="40",
            currency="CAD",
            series="VAC",
            on=DAY,
            refund=True,
        )
    actions.record_payment(
        actor=personas.vac_officer,
        account=account,
        amount="30",
        currency="CAD",
        series="VAC",
        on=DAY,
        refund=True,
    )
    assert queries.balance(account) == Decimal("0.00")


def test_adjustment_needs_a_reason(personas, account):
    with pytest.raises(ActionError):
        actions.adjust(actor=personas.admin, account=account, amount="-85", description=" ")
    actions.adjust(actor=personas.admin, account=account, amount="-85", description="waiver")
    assert queries.balance(account) == Decimal("85.00")


def test_takings_per_cashier_currency_and_reconciliation(personas, account, rate):
    other = actions.open_account(actor=None, code="vac.t.2", name="Other", currency="CAD")
    actions.charge(actor=None, account=other, amount="85", description="fee", on=DAY)
    actions.record_payment(
        actor=personas.vac_officer,
        account=account,
        amount="5312.50",
        currency="KGS",
        series="VAC",
        on=DAY,
    )
    actions.record_payment(
        actor=personas.vac_officer,
        account=account,
        amount="85",
        currency="CAD",
        series="VAC",
        on=DAY,
    )
    actions.record_payment(
        actor=personas.finance_officer,
        account=other,
        amount="85",
        currency="CAD",
        series="VAC",
        on=DAY,
        method=PaymentMethod.BANK_TRANSFER,
    )
    rows = queries.takings(DAY)
    got = {(r.cashier, r.currency, r.method): (r.net, r.count) for r in rows}
    vac = personas.vac_officer.get_full_name()
    fin = personas.finance_officer.get_full_name()
    assert got == {
        (vac, "KGS", "cash"): (Decimal("5312.50"), 1),
        (vac, "CAD", "cash"): (Decimal("85.00"), 1),
        (fin, "CAD", "bank_transfer"): (Decimal("85.00"), 1),
    }
    assert queries.totals_by_currency(rows) == {"CAD": Decimal("170.00"), "KGS": Decimal("5312.50")}
    actions.record_cash_count(
        actor=personas.vac_officer,
        cashier=personas.vac_officer,
        on=DAY,
        desk="vac",
        currency="KGS",
        method="cash",
        amount="5300",
    )
    actions.record_cash_count(
        actor=personas.vac_officer,
        cashier=personas.vac_officer,
        on=DAY,
        desk="vac",
        currency="CAD",
        method="cash",
        amount="85",
    )
    recon = {(r.cashier, r.currency, r.method): r for r in queries.reconciliation(DAY, desk="vac")}
    assert recon[(vac, "KGS", "cash")].difference == Decimal("-12.50")
    assert recon[(vac, "CAD", "cash")].matches
    assert recon[(fin, "CAD", "bank_transfer")].counted is None


def test_rates_are_one_per_pair_and_day(personas, rate):
    with pytest.raises(ConflictError):
        actions.record_rate(
            actor=personas.admin, base="CAD", quote="KGS", rate="63", on=DAY, source="NBKR"
        )
    with pytest.raises(ActionError):
        actions.record_rate(
            actor=personas.admin,
            base="CAD",
            quote="KGS",
            rate="0",
            on=DAY + dt.timedelta(days=1),
            source="NBKR",
        )


def _pay(actor, account, amount, currency, *, refund=False, on=DAY):
    return actions.record_payment(
        actor=actor,
        account=account,
        amount=amount,
        currency=currency,
        series="VAC",
        on=on,
        refund=refund,
        allow_overpayment=True,
    )


def test_a_refund_heavy_day_closes_with_its_float(personas, rate):
    """Took 85.00 CAD, paid back 200.00 CAD: net −115.00. The drawer opened with a float of
    500.00, so it should hold 500.00 − 115.00 = 385.00; counted 385.00 → no difference."""
    cashier = personas.vac_officer
    acc = actions.open_account(actor=None, code="vac.f.1", name="F", currency="CAD")
    actions.charge(actor=None, account=acc, amount="85", description="fee", on=DAY)
    _pay(cashier, acc, "85", "CAD")
    back = actions.open_account(actor=None, code="vac.f.2", name="G", currency="CAD")
    _pay(cashier, back, "200", "CAD", on=DAY - dt.timedelta(days=1))  # taken the day before
    _pay(cashier, back, "200", "CAD", refund=True)  # and paid back today
    # without a float, a count cannot be negative and the day cannot balance
    with pytest.raises(ActionError) as exc:
        actions.record_cash_count(
            actor=cashier,
            cashier=cashier,
            on=DAY,
            desk="vac",
            currency="CAD",
            method="cash",
            amount="-115",
        )
    assert exc.value.field == "amount"
    (row,) = queries.reconciliation(DAY, desk="vac")
    assert row.ledger == Decimal("-115.00") and row.opening == Decimal("0.00")
    actions.record_float(
        actor=cashier, cashier=cashier, on=DAY, desk="vac", currency="CAD", amount="400"
    )
    actions.record_float(  # the latest float counts
        actor=cashier, cashier=cashier, on=DAY, desk="vac", currency="CAD", amount="500"
    )
    actions.record_cash_count(
        actor=cashier,
        cashier=cashier,
        on=DAY,
        desk="vac",
        currency="CAD",
        method="cash",
        amount="380",
    )
    (row,) = queries.reconciliation(DAY, desk="vac")
    assert (row.opening, row.expected, row.difference) == (
        Decimal("500.00"),
        Decimal("385.00"),
        Decimal("-5.00"),
    )
    actions.record_cash_count(
        actor=cashier,
        cashier=cashier,
        on=DAY,
        desk="vac",
        currency="CAD",
        method="cash",
        amount="385",
    )
    (row,) = queries.reconciliation(DAY, desk="vac")
    assert row.matches
    assert AuditEvent.objects.filter(action="ledger.float").count() == 2


def test_float_refusals_write_nothing(personas):
    before = CashFloat.objects.count()
    cases: list[tuple[dict[str, Any], str]] = [
        ({"amount": "-1"}, "amount"),
        ({"desk": "bar"}, "desk"),
        ({"currency": "XXY"}, "currency"),
        ({"method": "cheque"}, "method"),
        ({"amount": 1.5}, "amount"),
    ]
    for kwargs, field in cases:
        values: dict[str, Any] = {
            "desk": "vac",
            "currency": "CAD",
            "method": "cash",
            "amount": "10",
        }
        values.update(kwargs)
        with pytest.raises(ActionError) as exc:
            actions.record_float(actor=personas.admin, cashier=personas.admin, on=DAY, **values)
        assert exc.value.field == field
    assert CashFloat.objects.count() == before


def test_each_desk_reconciles_its_own_drawer(personas, rate):
    """One cashier at both desks on one day: 85 CAD at the visa centre, 40 CAD at the ticket
    counter. Each desk sees only its own money and its own count: no false difference."""
    cashier = personas.admin
    vac = actions.open_account(actor=None, code="vac.d.1", name="V", currency="CAD")
    tkt = actions.open_account(actor=None, code="tickets.d.1", name="T", currency="CAD")
    actions.charge(actor=None, account=vac, amount="85", description="fee", on=DAY)
    actions.charge(actor=None, account=tkt, amount="40", description="fee", on=DAY)
    _pay(cashier, vac, "85", "CAD")
    _pay(cashier, tkt, "40", "CAD")
    for desk, amount in (("vac", "85"), ("tickets", "40")):
        actions.record_cash_count(
            actor=cashier,
            cashier=cashier,
            on=DAY,
            desk=desk,
            currency="CAD",
            method="cash",
            amount=amount,
        )
    (v,) = queries.reconciliation(DAY, desk="vac")
    (t,) = queries.reconciliation(DAY, desk="tickets")
    assert (v.ledger, v.counted, v.matches) == (Decimal("85.00"), Decimal("85.00"), True)
    assert (t.ledger, t.counted, t.matches) == (Decimal("40.00"), Decimal("40.00"), True)


def test_counts_made_before_desks_take_their_desk_from_the_day(personas, rate):
    """Migration 0002: a count whose cashier took only ticket money that day becomes a
    ticket-desk count; any other (visa centre money, or none) stays ``vac``."""
    import importlib

    from django.apps import apps

    from passage.ledger.models import CashCount

    migration = importlib.import_module("passage.ledger.migrations.0002_cash_drawer_desks")
    tkt = actions.open_account(actor=None, code="tickets.m.1", name="T", currency="CAD")
    vac = actions.open_account(actor=None, code="vac.m.1", name="V", currency="CAD")
    _pay(personas.finance_officer, tkt, "40", "CAD")
    _pay(personas.vac_officer, vac, "85", "CAD")
    _pay(personas.admin, vac, "85", "CAD")
    _pay(personas.admin, tkt, "40", "CAD")
    for who in (personas.finance_officer, personas.vac_officer, personas.admin):
        actions.record_cash_count(
            actor=who, cashier=who, on=DAY, desk="vac", currency="CAD", method="cash", amount="1"
        )
    migration.desk_from_context(apps, None)
    desks = dict(CashCount.objects.values_list("cashier__username", "desk"))
    assert desks == {
        personas.finance_officer.username: "tickets",
        personas.vac_officer.username: "vac",
        personas.admin.username: "vac",
    }
