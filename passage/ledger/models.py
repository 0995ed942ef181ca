"""Money: accounts, exchange rates, an append-only ledger and gap-free receipt numbers.

Nothing here knows which domain owns an account: an account names its subject
with a generic reference (content type and id), so the visa application centre,
tickets and loans can all keep their money here.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar

import pycountry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from passage.core.models import User
from passage.ledger.choices import Desk, EntryKind, PaymentMethod

CENT = Decimal("0.01")


def validate_currency(code: str) -> None:
    if not code or pycountry.currencies.get(alpha_3=code.upper()) is None or code != code.upper():
        raise ValidationError(
            _("“%(code)s” is not an ISO 4217 currency code."),
            params={"code": code},
            code="currency",
        )


class Account(models.Model):
    """What one subject (an application, a ticket, a loan) owes and has paid, in one currency."""

    code = models.CharField(_("code"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    currency = models.CharField(_("currency"), max_length=3, validators=[validate_currency])
    subject_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    subject_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["code"]
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        indexes: ClassVar = [models.Index(fields=["subject_type", "subject_id"])]

    def __str__(self) -> str:
        return f"{self.code} ({self.currency})"


class ExchangeRate(models.Model):
    """How many units of ``quote`` one unit of ``base`` buys on a day, and who said so."""

    base = models.CharField(_("currency"), max_length=3, validators=[validate_currency])
    quote = models.CharField(_("paid in"), max_length=3, validators=[validate_currency])
    rate = models.DecimalField(_("rate"), max_digits=18, decimal_places=6)
    date = models.DateField(_("date"))
    source = models.CharField(_("source"), max_length=200)
    recorded_by = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["-date", "base", "quote"]
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["base", "quote", "date"], name="ledger_rate_per_day"),
            models.CheckConstraint(condition=models.Q(rate__gt=0), name="ledger_rate_positive"),
        ]

    def __str__(self) -> str:
        return f"1 {self.base} = {self.rate} {self.quote} ({self.date})"


class ReceiptCounter(models.Model):
    """The last receipt number issued in a series; locked while the next one is taken."""

    series = models.CharField(max_length=20, unique=True)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("receipt series")
        verbose_name_plural = _("receipt series")

    def __str__(self) -> str:
        return f"{self.series}: {self.last_number}"


class LedgerEntryQuerySet(models.QuerySet["LedgerEntry"]):
    def update(self, **kwargs: Any) -> int:
        raise PermissionError("ledger entries cannot be changed")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("ledger entries cannot be deleted")


class LedgerEntry(models.Model):
    """One movement of money owed or paid. Never edited: a correction is a new entry."""

    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(_("kind"), max_length=20, choices=EntryKind.choices)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, validators=[validate_currency])
    description = models.CharField(_("description"), max_length=200, blank=True)
    method = models.CharField(_("method"), max_length=20, choices=PaymentMethod.choices, blank=True)
    paid_amount = models.DecimalField(
        _("amount paid"), null=True, blank=True, max_digits=14, decimal_places=2
    )
    paid_currency = models.CharField(_("paid in"), max_length=3, blank=True)
    rate = models.DecimalField(_("rate"), max_digits=18, decimal_places=6, null=True, blank=True)
    rate_date = models.DateField(_("rate date"), null=True, blank=True)
    receipt_series = models.CharField(max_length=20, blank=True)
    receipt_number = models.CharField(_("receipt"), max_length=40, blank=True)
    corrects = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections"
    )
    cashier = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    business_date = models.DateField(_("day"), db_index=True)

    objects = LedgerEntryQuerySet.as_manager()

    class Meta:
        ordering: ClassVar = ["at", "id"]
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["receipt_number"],
                condition=~models.Q(receipt_number=""),
                name="ledger_receipt_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount} {self.currency}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            raise PermissionError("ledger entries cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("ledger entries cannot be deleted")

    @property
    def is_payment(self) -> bool:
        return self.kind == EntryKind.PAYMENT

    @property
    def tendered(self) -> tuple[Decimal, str]:
        """What changed hands: the amount and currency the cashier took or gave."""
        if self.paid_amount is not None:
            return self.paid_amount, self.paid_currency
        return self.amount, self.currency


class CashCount(models.Model):
    """What a cashier counted in a desk's drawer (or on the bank statement) at the end of a day."""

    business_date = models.DateField(_("day"))
    cashier = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    desk = models.CharField(_("desk"), max_length=20, choices=Desk.choices, default=Desk.VAC)
    currency = models.CharField(_("currency"), max_length=3, validators=[validate_currency])
    method = models.CharField(_("method"), max_length=20, choices=PaymentMethod.choices)
    amount = models.DecimalField(_("counted"), max_digits=14, decimal_places=2)
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["-business_date", "cashier_id", "currency"]
        verbose_name = _("cash count")
        verbose_name_plural = _("cash counts")

    def __str__(self) -> str:
        return f"{self.business_date} {self.cashier_id} {self.amount} {self.currency}"


class CashFloat(models.Model):
    """The money a cashier's drawer at a desk opens the day with (change, a refund reserve).

    The drawer closes with float + the day's net takings; the latest float of a day,
    desk, currency and method counts."""

    business_date = models.DateField(_("day"))
    cashier = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    desk = models.CharField(_("desk"), max_length=20, choices=Desk.choices)
    currency = models.CharField(_("currency"), max_length=3, validators=[validate_currency])
    method = models.CharField(_("method"), max_length=20, choices=PaymentMethod.choices)
    amount = models.DecimalField(_("opening float"), max_digits=14, decimal_places=2)
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["-business_date", "cashier_id", "desk", "currency"]
        verbose_name = _("opening float")
        verbose_name_plural = _("opening floats")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=models.Q(amount__gte=0), name="ledger_float_not_negative"
            )
        ]

    def __str__(self) -> str:
        return f"{self.business_date} {self.cashier_id} {self.desk} {self.amount} {self.currency}"
