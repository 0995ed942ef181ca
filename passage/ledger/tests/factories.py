from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from passage.ledger.choices import EntryKind, PaymentMethod
from passage.ledger.models import Account, CashCount, ExchangeRate, LedgerEntry, ReceiptCounter
from passage.testing.factories import UserFactory


class AccountFactory(DjangoModelFactory):
    class Meta:
        model = Account

    code = factory.Sequence(lambda n: f"test.{n}")
    name = "Test account"
    currency = "CAD"


class ExchangeRateFactory(DjangoModelFactory):
    class Meta:
        model = ExchangeRate

    base = "CAD"
    quote = "KGS"
    rate = Decimal("62.500000")
    date = factory.Sequence(lambda n: dt.date(2026, 1, 1) + dt.timedelta(days=n))
    source = "National Bank of the Kyrgyz Republic"


class ReceiptCounterFactory(DjangoModelFactory):
    class Meta:
        model = ReceiptCounter

    series = factory.Sequence(lambda n: f"T{n}")


class LedgerEntryFactory(DjangoModelFactory):
    class Meta:
        model = LedgerEntry

    account = factory.SubFactory(AccountFactory)
    kind = EntryKind.CHARGE
    amount = Decimal("85.00")
    currency = "CAD"
    business_date = factory.LazyFunction(timezone.localdate)


class CashCountFactory(DjangoModelFactory):
    class Meta:
        model = CashCount

    business_date = factory.LazyFunction(timezone.localdate)
    cashier = factory.SubFactory(UserFactory)
    recorded_by = factory.SelfAttribute("cashier")
    currency = "KGS"
    method = PaymentMethod.CASH
    amount = Decimal("0.00")


ALL_FACTORIES = [
    AccountFactory,
    ExchangeRateFactory,
    ReceiptCounterFactory,
    LedgerEntryFactory,
    CashCountFactory,
]
