"""The visa application centre: rules, opening hours, slots, appointments, walk-ins,
applications, biometrics and the chain of custody of passports."""

from __future__ import annotations

import secrets
from datetime import date
from decimal import Decimal
from typing import ClassVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from passage.core.models import User
from passage.vac.choices import (
    PLACE_OF,
    ApplicationType,
    AppointmentStatus,
    BiometricsOutcome,
    CustodyStatus,
    Language,
    Service,
    TicketStatus,
)

REFERENCE_ALPHABET = "ACDEFGHJKLMNPQRTUVWXY34679"  # no 0/O, 1/I, 2/Z, 5/S, 8/B


def new_reference(prefix: str = "") -> str:
    body = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(9))
    return f"{prefix}{body[:3]}-{body[3:6]}-{body[6:]}"


def new_token() -> str:
    return secrets.token_urlsafe(24)


def default_reuse_types() -> list[str]:
    return [ApplicationType.VISITOR, ApplicationType.STUDY, ApplicationType.WORK]


class VacFeeProfile(models.Model):
    """The biometrics and fee rules from a date on, with where they come from."""

    effective_from = models.DateField(_("effective from"), unique=True)
    source_note = models.TextField(_("source"))
    currency = models.CharField(_("currency"), max_length=3, default="CAD")
    biometric_fee = models.DecimalField(
        _("biometric fee per person"), max_digits=10, decimal_places=2, default=Decimal("85.00")
    )
    family_cap = models.DecimalField(
        _("biometric fee cap for a family"),
        max_digits=10,
        decimal_places=2,
        default=Decimal("170.00"),
    )
    service_fee = models.DecimalField(
        _("centre service fee per person"), max_digits=10, decimal_places=2, default=Decimal("0.00")
    )
    min_age = models.PositiveSmallIntegerField(_("youngest age that enrols"), default=14)
    max_age = models.PositiveSmallIntegerField(_("oldest age that enrols"), default=79)
    reuse_years = models.PositiveSmallIntegerField(
        _("years earlier biometrics are reused"), default=10
    )
    reuse_types = models.JSONField(
        _("application types that may reuse biometrics"), default=default_reuse_types
    )
    refugees_exempt = models.BooleanField(
        _("refugees resettled from abroad are exempt"), default=True
    )
    created_by = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering: ClassVar = ["-effective_from"]
        verbose_name = _("fee profile")
        verbose_name_plural = _("fee profiles")

    def __str__(self) -> str:
        return f"{self.effective_from}: {self.biometric_fee}/{self.family_cap} {self.currency}"


class CentreRules(models.Model):
    """Booking and custody rules: release time, caps, rate limits, how long is too long."""

    effective_from = models.DateField(_("effective from"), unique=True)
    source_note = models.TextField(_("source"), blank=True)
    centre_name = models.CharField(
        _("centre name"), max_length=200, default="Canada Visa Application Centre, Bishkek"
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    public_url = models.URLField(
        _("public address of these pages"), default="http://localhost:8000"
    )
    release_time = models.TimeField(_("daily release time of new slots"))
    horizon_days = models.PositiveSmallIntegerField(_("days ahead that can be booked"), default=30)
    max_future_per_person = models.PositiveSmallIntegerField(
        _("future appointments one e-mail or person may hold"), default=2
    )
    max_people = models.PositiveSmallIntegerField(_("people in one booking"), default=8)
    bookings_per_ip_hour = models.PositiveSmallIntegerField(
        _("bookings per address per hour"), default=10
    )
    bookings_per_email_hour = models.PositiveSmallIntegerField(
        _("bookings per e-mail per hour"), default=3
    )
    lookups_per_ip_hour = models.PositiveSmallIntegerField(
        _("status lookups per address per hour"), default=20
    )
    held_too_long_days = models.PositiveSmallIntegerField(
        _("days at the centre before a passport is flagged"), default=14
    )
    forward_within_days = models.PositiveSmallIntegerField(
        _("days before a received passport must be sent on"), default=2
    )

    class Meta:
        ordering: ClassVar = ["-effective_from"]
        verbose_name = _("centre rules")
        verbose_name_plural = _("centre rules")

    def __str__(self) -> str:
        return f"{self.effective_from}"


class OpeningHours(models.Model):
    weekday = models.PositiveSmallIntegerField(_("weekday"))  # Monday 0 … Sunday 6
    service = models.CharField(_("service"), max_length=20, choices=Service.choices)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))
    slot_minutes = models.PositiveSmallIntegerField(_("minutes per slot"), default=30)
    capacity = models.PositiveSmallIntegerField(_("people per slot"), default=4)

    class Meta:
        ordering: ClassVar = ["weekday", "service", "opens"]
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")

    def __str__(self) -> str:
        return f"{self.weekday} {self.service} {self.opens}-{self.closes}"


class Holiday(models.Model):
    date = models.DateField(_("date"), unique=True)
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        ordering: ClassVar = ["date"]
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")

    def __str__(self) -> str:
        return f"{self.date} {self.name}"


class Slot(models.Model):
    """A time for one service, sized in people; ``booked`` counts people, under a row lock."""

    service = models.CharField(_("service"), max_length=20, choices=Service.choices)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    capacity = models.PositiveSmallIntegerField(_("capacity"))
    booked = models.PositiveSmallIntegerField(_("booked"), default=0)
    release_at = models.DateTimeField(_("released at"))

    class Meta:
        ordering: ClassVar = ["starts_at", "service"]
        verbose_name = _("slot")
        verbose_name_plural = _("slots")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["service", "starts_at"], name="vac_slot_unique"),
            models.CheckConstraint(
                condition=models.Q(booked__lte=models.F("capacity")), name="vac_slot_not_overbooked"
            ),
        ]

    def __str__(self) -> str:
        local = timezone.localtime(self.starts_at)
        return f"{self.get_service_display()} {local:%Y-%m-%d %H:%M}"

    @property
    def free(self) -> int:
        return max(self.capacity - self.booked, 0)


class Appointment(models.Model):
    reference = models.CharField(_("reference"), max_length=20, unique=True, default=new_reference)
    token = models.CharField(max_length=64, unique=True, default=new_token)
    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="appointments")
    people = models.PositiveSmallIntegerField(_("people"), default=1)
    full_name = models.CharField(_("full name"), max_length=200)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    date_of_birth = models.DateField(_("date of birth"))
    language = models.CharField(
        _("language"), max_length=5, choices=Language.choices, default=Language.EN
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=AppointmentStatus.choices,
        default=AppointmentStatus.BOOKED,
    )
    created_at = models.DateTimeField(default=timezone.now)
    walk_in = models.BooleanField(_("walk-in"), default=False)

    class Meta:
        ordering: ClassVar = ["slot__starts_at", "id"]
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        indexes: ClassVar = [models.Index(fields=["email", "status"])]

    def __str__(self) -> str:
        return self.reference


class AppointmentChange(models.Model):
    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    note = models.CharField(max_length=200, blank=True)
    actor = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.appointment_id}: {self.from_status} → {self.to_status}"


class Ticket(models.Model):
    """A queue number: a walk-in, or a booked applicant who checked in."""

    day = models.DateField(_("day"))
    prefix = models.CharField(max_length=1)  # W walk-in, A appointment
    number = models.PositiveIntegerField(_("number"))
    service = models.CharField(_("service"), max_length=20, choices=Service.choices)
    name = models.CharField(_("name"), max_length=200, blank=True)
    people = models.PositiveSmallIntegerField(_("people"), default=1)
    appointment = models.OneToOneField(
        Appointment, null=True, blank=True, on_delete=models.PROTECT, related_name="ticket"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=TicketStatus.choices, default=TicketStatus.WAITING
    )
    desk = models.CharField(_("desk"), max_length=10, blank=True)
    issued_by = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(default=timezone.now)
    called_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["day", "issued_at", "id"]
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["day", "prefix", "number"], name="vac_ticket_number"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return f"{self.prefix}{self.number:03d}"


class TicketChange(models.Model):
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    actor = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.ticket_id}: {self.from_status} → {self.to_status}"


class Application(models.Model):
    """One file handed in at the centre: one applicant, or a family applying together."""

    reference = models.CharField(_("reference"), max_length=20, unique=True, default=new_reference)
    appointment = models.OneToOneField(
        Appointment, null=True, blank=True, on_delete=models.PROTECT, related_name="application"
    )
    application_type = models.CharField(
        _("application type"), max_length=20, choices=ApplicationType.choices
    )
    letter_reference = models.CharField(
        _("biometric instruction letter"), max_length=60, blank=True
    )
    family = models.BooleanField(_("family applying together"), default=False)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    language = models.CharField(
        _("language"), max_length=5, choices=Language.choices, default=Language.EN
    )
    created_by = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["-created_at", "-id"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")

    def __str__(self) -> str:
        return self.reference


class Applicant(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="applicants"
    )
    given_names = models.CharField(_("given names"), max_length=120)
    family_name = models.CharField(_("family name"), max_length=120)
    date_of_birth = models.DateField(_("date of birth"))
    nationality = models.CharField(_("nationality"), max_length=3, default="KGZ")
    passport_number = models.CharField(_("passport number"), max_length=20, blank=True)
    resettled_refugee = models.BooleanField(_("refugee resettled from abroad"), default=False)
    previous_biometrics_on = models.DateField(
        _("earlier biometrics enrolled on"), null=True, blank=True
    )

    class Meta:
        ordering: ClassVar = ["application_id", "id"]
        verbose_name = _("applicant")
        verbose_name_plural = _("applicants")

    def __str__(self) -> str:
        return f"{self.family_name.upper()} {self.given_names}"

    def age_on(self, day: date) -> int:
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


class Biometrics(models.Model):
    """The rules' decision for one applicant, and the enrolment when it happens."""

    applicant = models.OneToOneField(Applicant, on_delete=models.CASCADE, related_name="biometrics")
    outcome = models.CharField(_("outcome"), max_length=20, choices=BiometricsOutcome.choices)
    fee = models.DecimalField(_("fee"), max_digits=10, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)
    profile = models.ForeignKey(VacFeeProfile, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)
    enrolled_at = models.DateTimeField(_("enrolled"), null=True, blank=True)
    enrolled_by = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("biometrics record")
        verbose_name_plural = _("biometrics records")

    def __str__(self) -> str:
        return f"{self.applicant_id} {self.outcome}"


class CourierBatch(models.Model):
    waybill = models.CharField(_("waybill"), max_length=60, unique=True)
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)
    sent_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering: ClassVar = ["-sent_at"]
        verbose_name = _("batch to the visa office")
        verbose_name_plural = _("batches to the visa office")

    def __str__(self) -> str:
        return self.waybill


def new_custody_code() -> str:
    return "VP" + "".join(secrets.choice("0123456789") for _ in range(10))


class Custody(models.Model):
    """Where one passport is. One status, so one place at a time; each move is a row."""

    code = models.CharField(_("custody code"), max_length=20, unique=True, default=new_custody_code)
    applicant = models.OneToOneField(Applicant, on_delete=models.PROTECT, related_name="custody")
    passport_number = models.CharField(_("passport number"), max_length=20)
    status = models.CharField(
        _("status"), max_length=20, choices=CustodyStatus.choices, default=CustodyStatus.RECEIVED
    )
    since = models.DateTimeField(_("since"), default=timezone.now)
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    batch = models.ForeignKey(
        CourierBatch, null=True, blank=True, on_delete=models.PROTECT, related_name="passports"
    )

    class Meta:
        ordering: ClassVar = ["received_at", "id"]
        verbose_name = _("passport custody")
        verbose_name_plural = _("passport custody")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["passport_number"],
                condition=models.Q(status__in=["received", "forwarded", "returned", "ready"]),
                name="vac_passport_in_one_place",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def place(self) -> str:
        return PLACE_OF[self.status]


class CustodyEvent(models.Model):
    custody = models.ForeignKey(Custody, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, choices=CustodyStatus.choices)
    officer = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    batch = models.ForeignKey(
        CourierBatch, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    waybill = models.CharField(_("waybill"), max_length=60, blank=True)
    envelope = models.CharField(_("sealed envelope"), max_length=60, blank=True)
    collected_by = models.CharField(_("collected by"), max_length=200, blank=True)
    identity_document = models.CharField(_("identity document checked"), max_length=100, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering: ClassVar = ["at", "id"]
        verbose_name = _("custody step")
        verbose_name_plural = _("custody steps")

    def __str__(self) -> str:
        return f"{self.custody_id} {self.to_status}"
