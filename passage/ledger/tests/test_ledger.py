from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction

from passage.core.errors import ActionError, ConflictError
from passage.core.models import AuditEvent
from passage.ledger import actions, queries
from passage.ledger.choices import EntryKind, PaymentMethod
from passage.ledger.models import LedgerEntry, ReceiptCounter
from passage.ledger.tests.factories import ALL_FACTORIES

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 11, 30)


@pytest.fixture
def account(personas):
    acc = actions.open_account(actor=None, code="t.1", name="Family Asanov", currency="CAD")
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
    other = actions.open_account(actor=None, code="t.2", name="Other", currency="CAD")
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
        currency="KGS",
        method="cash",
        amount="5300",
    )
    actions.record_cash_count(
        actor=personas.vac_officer,
        cashier=personas.vac_officer,
        on=DAY,
        currency="CAD",
        method="cash",
        amount="85",
    )
    recon = {(r.cashier, r.currency, r.method): r for r in queries.reconciliation(DAY)}
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
