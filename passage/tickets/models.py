"""Ticket sales to self-paying migrants: the airline agreement's refund and change rules,
a sale with one line per traveller, its status history, and the closed days.

Money is not kept here: every charge, fee, payment and refund of a sale is an entry
of its ledger account (``passage.ledger``), which is never edited.
"""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from passage.core.policy import PolicyQuerySet
from passage.ledger.models import Account
from passage.movements.choices import PassengerType
from passage.movements.models import Agreement, Airport, Booking
from passage.registry.models import Case, Person
from passage.tickets.choices import SaleStatus

User = settings.AUTH_USER_MODEL
LANGUAGES = [("en", "English"), ("ru", "Русский"), ("ky", "Кыргызча")]


class TicketRules(models.Model):
    """What a change or refund of a ticket under an agreement costs, and until when.

    The agreement's own rules are free text; these are the figures the counter applies.
    Fees are per passenger with a seat (an infant on a lap pays none), in the
    agreement's currency.
    """

    agreement = models.OneToOneField(
        Agreement, on_delete=models.CASCADE, related_name="ticket_rules"
    )
    change_fee = models.DecimalField(_("change fee per passenger"), max_digits=10, decimal_places=2)
    change_until_days = models.PositiveSmallIntegerField(_("changes until (days before departure)"))
    refund_fee = models.DecimalField(_("refund fee per passenger"), max_digits=10, decimal_places=2)
    refund_until_days = models.PositiveSmallIntegerField(_("refunds until (days before departure)"))
    service_fee_refundable = models.BooleanField(_("service fee refunded"), default=False)
    source_note = models.CharField(_("source"), max_length=300, blank=True)
    updated_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering: ClassVar = ["agreement__reference"]
        verbose_name = _("ticket rules")
        verbose_name_plural = _("ticket rules")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(change_fee__gte=0) & Q(refund_fee__gte=0),
                name="tickets_rules_fees_not_negative",
            )
        ]

    def __str__(self) -> str:
        return f"{self.agreement.reference}"


class Sale(models.Model):
    """A ticket order for a case's travellers on one itinerary under one agreement."""

    number = models.CharField(_("sale number"), max_length=30, unique=True)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="ticket_sales")
    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="+")
    origin = models.ForeignKey(Airport, on_delete=models.PROTECT, related_name="+")
    destination = models.ForeignKey(Airport, on_delete=models.PROTECT, related_name="+")
    flight_ids = models.JSONField(_("flights"), default=list)
    departure_date = models.DateField(_("departure date"))
    currency = models.CharField(_("currency"), max_length=3)
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGES, default="ru")
    booking = models.ForeignKey(
        Booking, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    account = models.OneToOneField(
        Account, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=SaleStatus.choices, default=SaleStatus.QUOTED
    )
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    status_changed_at = models.DateTimeField(default=timezone.now)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering: ClassVar = ["-created_at", "-id"]
        verbose_name = _("ticket sale")
        verbose_name_plural = _("ticket sales")
        indexes: ClassVar = [models.Index(fields=["status"])]

    def __str__(self) -> str:
        return self.number

    @property
    def account_code(self) -> str:
        return f"tickets.sale.{self.pk}"

    def active_lines(self) -> list[SaleLine]:
        """The travellers still on the sale (a partial refund takes some off)."""
        return [line for line in self.lines.all() if line.refunded_at is None]

    @property
    def fares_total(self) -> Decimal:
        return sum((line.fare for line in self.active_lines()), Decimal("0.00"))

    @property
    def fees_total(self) -> Decimal:
        return sum((line.service_fee for line in self.active_lines()), Decimal("0.00"))

    @property
    def total(self) -> Decimal:
        return self.fares_total + self.fees_total


class SaleLine(models.Model):
    """One traveller of a sale: the fare of their passenger type and the service fee."""

    sale = models.ForeignKey(Sale, on_delete=models.CASCADE, related_name="lines")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name (as in the travel document)"), max_length=300)
    passenger_type = models.CharField(
        _("passenger type"), max_length=3, choices=PassengerType.choices
    )
    fare = models.DecimalField(_("fare"), max_digits=10, decimal_places=2)
    service_fee = models.DecimalField(_("service fee"), max_digits=10, decimal_places=2)
    ticket_number = models.CharField(_("ticket number"), max_length=13, blank=True)
    refunded_at = models.DateTimeField(_("refunded"), null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["sale", "id"]
        verbose_name = _("sale line")
        verbose_name_plural = _("sale lines")

    def __str__(self) -> str:
        return f"{self.name} {self.passenger_type}"

    @property
    def total(self) -> Decimal:
        return self.fare + self.service_fee

    @property
    def takes_seat(self) -> bool:
        return self.passenger_type != PassengerType.INFANT


class SaleStatusChange(models.Model):
    sale = models.ForeignKey(Sale, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(max_length=12, choices=SaleStatus.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=SaleStatus.choices)
    actor = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering: ClassVar = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.sale_id}: {self.from_status} → {self.to_status}"


class DayClose(models.Model):
    """A cashier's day at the ticket counter, closed when the counts match the ledger."""

    business_date = models.DateField(_("day"))
    cashier = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    summary = models.JSONField(default=list)
    closed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField(default=timezone.now)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering: ClassVar = ["-business_date", "cashier_id"]
        verbose_name = _("closed day")
        verbose_name_plural = _("closed days")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["business_date", "cashier"], name="tickets_close_once")
        ]

    def __str__(self) -> str:
        return f"{self.business_date} {self.cashier_id}"
