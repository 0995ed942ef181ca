"""Airports, airlines, agreements and fares, flights and seat blocks, bookings, manifests.

Times are stored as aware UTC datetimes and shown in each airport's own zone
(``Airport.tz``, from airportsdata). Codes change (Bishkek Manas was FRU until
August 2025 and is BSZ since): an airport or airline keeps its current code and
``CodeAlias`` rows keep the older ones with the dates they were in use; flights
keep the code they were published under.
"""

from __future__ import annotations

from typing import ClassVar
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from passage.core.policy import PolicyQuerySet
from passage.movements.choices import (
    BookingStatus,
    CodeKind,
    FlightStatus,
    NotificationKind,
    PassengerType,
    TransitStatus,
    TravellerRole,
)
from passage.registry.models import Case, Person

User = settings.AUTH_USER_MODEL


class Airport(models.Model):
    iata = models.CharField(_("IATA code"), max_length=3, unique=True)
    icao = models.CharField(_("ICAO code"), max_length=4, blank=True)
    name = models.CharField(_("name"), max_length=200)
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = models.CharField(_("country"), max_length=2)
    tz = models.CharField(_("time zone"), max_length=64)
    min_connection_minutes = models.PositiveSmallIntegerField(
        _("minimum connection time (minutes)"), default=60
    )

    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering: ClassVar = ["iata"]
        verbose_name = _("airport")
        verbose_name_plural = _("airports")

    def __str__(self) -> str:
        return f"{self.iata} {self.city or self.name}"

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.tz)


class Airline(models.Model):
    iata = models.CharField(_("IATA designator"), max_length=2, unique=True)
    icao = models.CharField(_("ICAO designator"), max_length=3, blank=True)
    name = models.CharField(_("name"), max_length=200)
    country = models.CharField(_("country"), max_length=2, blank=True)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering: ClassVar = ["name"]
        verbose_name = _("airline")
        verbose_name_plural = _("airlines")

    def __str__(self) -> str:
        return f"{self.iata} {self.name}"


class CodeAlias(models.Model):
    """A code that stood (or stands) for an airport or airline during a period."""

    kind = models.CharField(_("kind"), max_length=10, choices=CodeKind.choices)
    code = models.CharField(_("code"), max_length=4)
    current = models.CharField(_("current code"), max_length=4)
    valid_from = models.DateField(_("in use from"), null=True, blank=True)
    valid_until = models.DateField(_("in use until"), null=True, blank=True)
    source_note = models.TextField(_("source"))

    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering: ClassVar = ["kind", "code", "valid_from"]
        verbose_name = _("code alias")
        verbose_name_plural = _("code aliases")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["kind", "code", "current"], name="movements_alias_once")
        ]

    def __str__(self) -> str:
        return f"{self.code} → {self.current}"


class Agreement(models.Model):
    """An airline agreement: special fares, baggage, rebooking and medical rules."""

    airline = models.ForeignKey(Airline, on_delete=models.PROTECT, related_name="agreements")
    reference = models.CharField(_("reference"), max_length=60, unique=True)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    currency = models.CharField(_("currency"), max_length=3, help_text=_("ISO 4217."))
    service_fee = models.DecimalField(_("agency service fee"), max_digits=10, decimal_places=2)
    baggage_kg = models.PositiveSmallIntegerField(_("baggage allowance (kg)"), default=23)
    baggage_pieces = models.PositiveSmallIntegerField(_("checked pieces"), default=2)
    infant_baggage_kg = models.PositiveSmallIntegerField(_("infant baggage (kg)"), default=10)
    rebooking_rules = models.TextField(_("rebooking rules"), blank=True)
    refund_rules = models.TextField(_("refund rules"), blank=True)
    pregnancy_certificate_from_week = models.PositiveSmallIntegerField(
        _("fit-to-fly certificate needed from week"), default=28
    )
    pregnancy_last_week = models.PositiveSmallIntegerField(_("no travel from week"), default=36)
    pregnancy_certificate_max_days = models.PositiveSmallIntegerField(
        _("pregnancy certificate at most (days old)"), default=7
    )
    medif_validity_days = models.PositiveSmallIntegerField(_("MEDIF valid (days)"), default=7)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering: ClassVar = ["-valid_from", "reference"]
        verbose_name = _("airline agreement")
        verbose_name_plural = _("airline agreements")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(valid_until__gte=models.F("valid_from")),
                name="movements_agreement_window",
            )
        ]

    def __str__(self) -> str:
        return f"{self.reference} ({self.airline.iata})"

    def covers(self, day: object) -> bool:
        return bool(self.valid_from <= day <= self.valid_until)  # type: ignore[operator]


class Fare(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="fares")
    origin = models.ForeignKey(Airport, on_delete=models.PROTECT, related_name="+")
    destination = models.ForeignKey(Airport, on_delete=models.PROTECT, related_name="+")
    passenger_type = models.CharField(
        _("passenger type"), max_length=3, choices=PassengerType.choices
    )
    amount = models.DecimalField(_("fare"), max_digits=10, decimal_places=2)

    class Meta:
        ordering: ClassVar = ["agreement", "origin", "destination", "passenger_type"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["agreement", "origin", "destination", "passenger_type"],
                name="movements_fare_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.origin_id}-{self.destination_id} {self.passenger_type} {self.amount}"


class Flight(models.Model):
    """One scheduled segment on one day."""

    airline = models.ForeignKey(Airline, on_delete=models.PROTECT, related_name="flights")
    number = models.CharField(_("flight number"), max_length=8)
    origin = models.ForeignKey(Airport, on_delete=models.PROTECT, related_name="departures")
    destination = models.ForeignKey(Airport, on_delete=models.PROTECT, related_name="arrivals")
    origin_code = models.CharField(_("departure code as published"), max_length=3)
    destination_code = models.CharField(_("arrival code as published"), max_length=3)
    departs_at = models.DateTimeField(_("departs (UTC)"))
    arrives_at = models.DateTimeField(_("arrives (UTC)"))
    status = models.CharField(
        max_length=10, choices=FlightStatus.choices, default=FlightStatus.SCHEDULED
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering: ClassVar = ["departs_at", "id"]
        verbose_name = _("flight")
        verbose_name_plural = _("flights")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["airline", "number", "departs_at"], name="movements_flight_once"
            ),
            models.CheckConstraint(
                condition=Q(arrives_at__gt=models.F("departs_at")), name="movements_flight_order"
            ),
        ]
        indexes: ClassVar = [models.Index(fields=["departs_at"])]

    def __str__(self) -> str:
        day = f"{self.departs_local:%Y-%m-%d}"
        return f"{self.designator} {self.origin_code}–{self.destination_code} {day}"

    @property
    def designator(self) -> str:
        return f"{self.airline.iata}{self.number}"

    @property
    def departs_local(self):  # type: ignore[no-untyped-def]
        return self.departs_at.astimezone(self.origin.zone)

    @property
    def arrives_local(self):  # type: ignore[no-untyped-def]
        return self.arrives_at.astimezone(self.destination.zone)


class SeatBlock(models.Model):
    """Group seats held on a flight under an agreement, until the release deadline.

    The row is locked (select_for_update) while seats are counted and taken, so
    concurrent bookings never oversell it.
    """

    flight = models.ForeignKey(Flight, on_delete=models.CASCADE, related_name="seat_blocks")
    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="seat_blocks")
    seats = models.PositiveIntegerField(_("seats"))
    release_at = models.DateTimeField(_("release deadline"))
    created_at = models.DateTimeField(default=timezone.now)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering: ClassVar = ["flight", "id"]
        verbose_name = _("seat block")
        verbose_name_plural = _("seat blocks")

    def __str__(self) -> str:
        return f"{self.flight} × {self.seats}"


class Booking(models.Model):
    """A case booked on an itinerary of one or more legs. Replaced bookings stay as history."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="bookings")
    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="bookings")
    pnr = models.CharField(_("PNR"), max_length=8, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=BookingStatus.choices, default=BookingStatus.BOOKED
    )
    group = models.BooleanField(_("group booking"), default=True)
    split_authorised = models.CharField(_("split authorised (reason)"), max_length=300, blank=True)
    departure_date = models.DateField(_("departure date"))
    arrival_date = models.DateField(_("arrival date"))
    replaces = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaced_by"
    )
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    status_changed_at = models.DateTimeField(default=timezone.now)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering: ClassVar = ["-created_at", "-id"]
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        indexes: ClassVar = [models.Index(fields=["status"])]

    def __str__(self) -> str:
        return f"{self.case.file_number} {self.pnr or '—'}"


class BookingLeg(models.Model):
    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="legs")
    sequence = models.PositiveSmallIntegerField()
    flight = models.ForeignKey(Flight, on_delete=models.PROTECT, related_name="legs")
    seat_block = models.ForeignKey(SeatBlock, on_delete=models.PROTECT, related_name="legs")

    class Meta:
        ordering: ClassVar = ["booking", "sequence"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["booking", "sequence"], name="movements_leg_order")
        ]

    def __str__(self) -> str:
        return f"{self.booking_id}/{self.sequence}: {self.flight_id}"


class Traveller(models.Model):
    """One passenger of a booking: a case member, or an escort booked with the case."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="travellers")
    role = models.CharField(
        _("role"), max_length=20, choices=TravellerRole.choices, default=TravellerRole.MEMBER
    )
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="travels"
    )
    surname = models.CharField(_("surname (as in the travel document)"), max_length=150)
    given_names = models.CharField(_("given names (as in the travel document)"), max_length=150)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=1, blank=True)
    nationality = models.CharField(_("nationality"), max_length=3, blank=True)
    document = models.CharField(_("travel document"), max_length=60, blank=True)
    passenger_type = models.CharField(max_length=3, choices=PassengerType.choices)
    on_lap_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="lap_infants"
    )
    ssr_codes = models.JSONField(_("special-service codes"), default=list, blank=True)
    baggage_pieces = models.PositiveSmallIntegerField(_("bags"), default=0)
    baggage_kg = models.PositiveSmallIntegerField(_("baggage (kg)"), default=0)
    ticket_number = models.CharField(_("ticket number"), max_length=20, blank=True)
    fare = models.DecimalField(_("fare"), max_digits=10, decimal_places=2, default=0)
    currency = models.CharField(max_length=3, blank=True)
    checked_in = models.BooleanField(_("checked in"), default=False)

    class Meta:
        ordering: ClassVar = ["booking", "id"]
        verbose_name = _("traveller")
        verbose_name_plural = _("travellers")

    def __str__(self) -> str:
        return f"{self.surname} {self.given_names}"

    @property
    def takes_seat(self) -> bool:
        return self.passenger_type != PassengerType.INFANT


class BookingStatusChange(models.Model):
    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(max_length=12, choices=BookingStatus.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=BookingStatus.choices)
    actor = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering: ClassVar = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.booking_id}: {self.from_status} → {self.to_status}"


class Manifest(models.Model):
    """One version of a flight's manifest: the rows as they were, and the files made from them."""

    flight = models.ForeignKey(Flight, on_delete=models.CASCADE, related_name="manifests")
    version = models.PositiveIntegerField()
    rows = models.JSONField(default=list)
    reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")

    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering: ClassVar = ["flight", "-version"]
        verbose_name = _("manifest")
        verbose_name_plural = _("manifests")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["flight", "version"], name="movements_manifest_version")
        ]

    def __str__(self) -> str:
        return f"{self.flight} v{self.version}"


class TransitOffice(models.Model):
    """The agency's office at a transit airport, which meets and assists travellers."""

    airport = models.OneToOneField(Airport, on_delete=models.CASCADE, related_name="office")
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"))

    def __str__(self) -> str:
        return self.name


class TransitRequest(models.Model):
    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="transit_requests")
    airport = models.ForeignKey(Airport, on_delete=models.PROTECT, related_name="+")
    needs = models.TextField(_("needs"), blank=True)
    status = models.CharField(
        max_length=10, choices=TransitStatus.choices, default=TransitStatus.REQUESTED
    )
    requested_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.CharField(_("confirmed by"), max_length=200, blank=True)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering: ClassVar = ["booking", "airport"]

    def __str__(self) -> str:
        return f"{self.booking_id} @ {self.airport_id}"


class NotificationTemplate(models.Model):
    """The text of a notification for a destination country and language (data, editable)."""

    kind = models.CharField(max_length=30, choices=NotificationKind.choices)
    country = models.CharField(_("destination country"), max_length=2, blank=True)
    language = models.CharField(_("language"), max_length=5, default="en")
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("text"))

    class Meta:
        ordering: ClassVar = ["kind", "country", "language"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["kind", "country", "language"], name="movements_template_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.country or '*'} {self.language}"


class Notification(models.Model):
    """A notification sent about a booking; delivery state lives on its outbox message."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=30, choices=NotificationKind.choices)
    to = models.JSONField(default=list)
    manifest_version = models.PositiveIntegerField(null=True, blank=True)
    outbox_id = models.PositiveBigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")

    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering: ClassVar = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.booking_id} {self.kind}"
