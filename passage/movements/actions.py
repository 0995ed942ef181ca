"""Writes of reference data: airports, airlines, code aliases, agreements, fares, flights, blocks.

Bookings are in :mod:`passage.movements.booking`, the departure day in
:mod:`passage.movements.departure`, manifests in :mod:`passage.movements.manifests`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from passage.core import audit
from passage.core.errors import ActionError, ConflictError
from passage.core.models import User
from passage.ledger.models import validate_currency
from passage.movements import codes
from passage.movements.choices import CodeKind, FlightStatus, PassengerType
from passage.movements.models import (
    Agreement,
    Airline,
    Airport,
    CodeAlias,
    Fare,
    Flight,
    SeatBlock,
)

AGREEMENT_FIELDS = [
    "valid_from",
    "valid_until",
    "currency",
    "service_fee",
    "baggage_kg",
    "baggage_pieces",
    "infant_baggage_kg",
    "rebooking_rules",
    "refund_rules",
    "pregnancy_certificate_from_week",
    "pregnancy_last_week",
    "pregnancy_certificate_max_days",
    "medif_validity_days",
    "notes",
]


def _aware(value: dt.datetime, field: str) -> dt.datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ActionError(_("Give the time with its time zone."), field=field)
    return value.astimezone(dt.UTC)


def money(value: Any, field: str) -> Decimal:
    """A non-negative amount with at most two decimals; never a float."""
    if isinstance(value, float):
        raise ActionError(_("Give amounts as decimal text, not as a float."), field=field)
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ActionError(
            _("“%(value)s” is not an amount.") % {"value": value}, field=field
        ) from None
    if amount < 0 or amount != amount.quantize(Decimal("0.01")):
        raise ActionError(_("Give a positive amount with at most two decimals."), field=field)
    return amount


def check_currency(code: str) -> str:
    """An ISO 4217 code, upper-cased; the ledger's rule, so fares and payments agree."""
    code = (code or "").strip().upper()
    try:
        validate_currency(code)
    except ValidationError as exc:
        raise ActionError(exc.messages[0], field="currency") from exc
    return code


# ---- airports, airlines, aliases --------------------------------------------------------


@transaction.atomic
def ensure_airport(*, actor: User | None, code: str, on: dt.date | None = None) -> Airport:
    """The airport for a code (old codes resolve), added from airportsdata on first use."""
    current = codes.current_code(CodeKind.AIRPORT, code, on)
    found = Airport.objects.filter(iata=current).first()
    if found is not None:
        return found
    data = codes.airport_data(current)
    if data is None:
        raise ActionError(
            _("“%(code)s” is not a known IATA airport code.") % {"code": code.upper()},
            field="airport",
            code="unknown_airport",
        )
    airport = Airport.objects.create(
        iata=current,
        icao=data.get("icao", ""),
        name=data["name"],
        city=data.get("city", ""),
        country=data["country"],
        tz=data["tz"],
    )
    audit.record(
        actor=actor, action="movements.add_airport", obj=airport, after=audit.snapshot(airport)
    )
    return airport


@transaction.atomic
def set_connection_time(*, actor: User, airport: Airport, minutes: int) -> Airport:
    if not 10 <= minutes <= 24 * 60:
        raise ActionError(
            _("Give a connection time between 10 minutes and a day."), field="minutes"
        )
    before = audit.snapshot(airport, ["min_connection_minutes"])
    airport.min_connection_minutes = minutes
    airport.save(update_fields=["min_connection_minutes"])
    audit.record(
        actor=actor,
        action="movements.connection_time",
        obj=airport,
        before=before,
        after=audit.snapshot(airport, ["min_connection_minutes"]),
    )
    return airport


@transaction.atomic
def ensure_airline(*, actor: User | None, code: str, on: dt.date | None = None) -> Airline:
    current = codes.current_code(CodeKind.AIRLINE, code, on)
    found = Airline.objects.filter(iata=current).first()
    if found is not None:
        return found
    data = codes.airline_data().get(current)
    if data is None:
        raise ActionError(
            _("“%(code)s” is not an airline in the list; add it first.") % {"code": code.upper()},
            field="airline",
            code="unknown_airline",
        )
    airline = Airline.objects.create(
        iata=current, icao=data["icao"], name=data["name"], country=data["country"]
    )
    audit.record(
        actor=actor, action="movements.add_airline", obj=airline, after=audit.snapshot(airline)
    )
    return airline


@transaction.atomic
def add_alias(
    *,
    actor: User | None,
    kind: str,
    code: str,
    current: str,
    valid_from: dt.date | None,
    valid_until: dt.date | None,
    source_note: str,
) -> CodeAlias:
    if kind not in CodeKind.values:
        raise ActionError(_("Unknown kind of code."), field="kind")
    if not source_note.strip():
        raise ActionError(_("Say where the code change comes from."), field="source_note")
    if valid_from and valid_until and valid_until < valid_from:
        raise ActionError(_("The end comes before the start."), field="valid_until")
    code, current = code.strip().upper(), current.strip().upper()
    if code == current:
        raise ActionError(_("An alias must differ from the current code."), field="code")
    if CodeAlias.objects.filter(kind=kind, code=code, current=current).exists():
        raise ConflictError(_("This alias is already recorded."), field="code")
    alias = CodeAlias.objects.create(
        kind=kind,
        code=code,
        current=current,
        valid_from=valid_from,
        valid_until=valid_until,
        source_note=source_note.strip(),
    )
    audit.record(actor=actor, action="movements.add_alias", obj=alias, after=audit.snapshot(alias))
    return alias


# ---- agreements and fares ----------------------------------------------------------------


def _agreement_values(values: dict[str, Any]) -> dict[str, Any]:
    unknown = set(values) - set(AGREEMENT_FIELDS)
    if unknown:
        raise ActionError(_("Unknown field: %(f)s.") % {"f": ", ".join(sorted(unknown))})
    if "currency" in values:
        values["currency"] = check_currency(values["currency"])
    if "service_fee" in values:
        values["service_fee"] = money(values["service_fee"], "service_fee")
    return values


def _check_pregnancy_weeks(agreement: Agreement) -> None:
    if agreement.pregnancy_certificate_from_week >= agreement.pregnancy_last_week:
        raise ActionError(
            _("The certificate week must come before the week from which no one is carried."),
            field="pregnancy_certificate_from_week",
        )


@transaction.atomic
def create_agreement(*, actor: User, airline: Airline, reference: str, **values: Any) -> Agreement:
    values = _agreement_values(values)
    if not reference.strip():
        raise ActionError(_("Give the agreement's reference."), field="reference")
    if Agreement.objects.filter(reference=reference.strip()).exists():
        raise ConflictError(_("An agreement with this reference exists."), field="reference")
    for name in ("valid_from", "valid_until", "currency", "service_fee"):
        if values.get(name) in (None, ""):
            raise ActionError(_("This field is required."), field=name)
    if values["valid_until"] < values["valid_from"]:
        raise ActionError(_("The agreement ends before it starts."), field="valid_until")
    agreement = Agreement(airline=airline, reference=reference.strip(), **values)
    _check_pregnancy_weeks(agreement)
    agreement.save()
    audit.record(
        actor=actor,
        action="movements.create_agreement",
        obj=agreement,
        after=audit.snapshot(agreement),
    )
    return agreement


@transaction.atomic
def update_agreement(*, actor: User, agreement: Agreement, **values: Any) -> Agreement:
    values = _agreement_values(values)
    before = audit.snapshot(agreement, AGREEMENT_FIELDS)
    for name, value in values.items():
        setattr(agreement, name, value)
    if agreement.valid_until < agreement.valid_from:
        raise ActionError(_("The agreement ends before it starts."), field="valid_until")
    _check_pregnancy_weeks(agreement)
    agreement.save()
    audit.record(
        actor=actor,
        action="movements.update_agreement",
        obj=agreement,
        before=before,
        after=audit.snapshot(agreement, AGREEMENT_FIELDS),
    )
    return agreement


@transaction.atomic
def set_fare(
    *,
    actor: User,
    agreement: Agreement,
    origin: Airport,
    destination: Airport,
    passenger_type: str,
    amount: Any,
) -> Fare:
    """Set the fare of a route and passenger type (a new fare or a changed amount)."""
    if passenger_type not in PassengerType.values:
        raise ActionError(_("Unknown passenger type."), field="passenger_type")
    if origin.pk == destination.pk:
        raise ActionError(_("The route starts and ends at the same airport."), field="destination")
    value = money(amount, "amount")
    fare, created = Fare.objects.get_or_create(
        agreement=agreement,
        origin=origin,
        destination=destination,
        passenger_type=passenger_type,
        defaults={"amount": value},
    )
    before = {} if created else {"amount": str(fare.amount)}
    fare.amount = value
    fare.save(update_fields=["amount"])
    audit.record(
        actor=actor,
        action="movements.set_fare",
        obj=fare,
        before=before,
        after={"amount": str(value), "currency": agreement.currency},
    )
    return fare


def fare_for(agreement: Agreement, origin: Airport, destination: Airport, ptype: str) -> Decimal:
    """The route's fare for a passenger type, or a refusal naming the missing route."""
    fare = Fare.objects.filter(
        agreement=agreement, origin=origin, destination=destination, passenger_type=ptype
    ).first()
    if fare is None:
        raise ActionError(
            _("Agreement %(ref)s has no %(type)s fare from %(o)s to %(d)s.")
            % {
                "ref": agreement.reference,
                "type": PassengerType(ptype).label,
                "o": origin.iata,
                "d": destination.iata,
            },
            field="agreement",
            code="no_fare",
        )
    return fare.amount


# ---- flights and seat blocks -------------------------------------------------------------


@transaction.atomic
def schedule_flight(
    *,
    actor: User,
    airline: Airline,
    number: str,
    origin: Airport,
    destination: Airport,
    departs_at: dt.datetime,
    arrives_at: dt.datetime,
) -> Flight:
    """A scheduled segment; times are aware (local to the airports, or UTC) and stored in UTC."""
    number = number.strip().upper()
    if not number or len(number) > 5 or not number[:4].isalnum():
        raise ActionError(_("Give a flight number such as 346."), field="number")
    departs, arrives = _aware(departs_at, "departs_at"), _aware(arrives_at, "arrives_at")
    if arrives <= departs:
        raise ActionError(_("The flight arrives before it departs."), field="arrives_at")
    if origin.pk == destination.pk:
        raise ActionError(_("The flight starts and ends at the same airport."), field="destination")
    if Flight.objects.filter(airline=airline, number=number, departs_at=departs).exists():
        raise ConflictError(_("This flight is already scheduled."), field="number")
    flight = Flight.objects.create(
        airline=airline,
        number=number,
        origin=origin,
        destination=destination,
        origin_code=codes.airport_code_on(origin.iata, departs.astimezone(origin.zone).date()),
        destination_code=codes.airport_code_on(
            destination.iata, arrives.astimezone(destination.zone).date()
        ),
        departs_at=departs,
        arrives_at=arrives,
    )
    audit.record(
        actor=actor, action="movements.schedule_flight", obj=flight, after=audit.snapshot(flight)
    )
    return flight


@transaction.atomic
def cancel_flight(*, actor: User, flight: Flight, reason: str) -> Flight:
    from passage.movements.choices import SEAT_HOLDING

    if flight.legs.filter(booking__status__in=SEAT_HOLDING).exists():
        raise ConflictError(
            _("Rebook or cancel the bookings on this flight first."), code="flight_has_bookings"
        )
    flight.status = FlightStatus.CANCELLED
    flight.save(update_fields=["status"])
    audit.record(
        actor=actor,
        action="movements.cancel_flight",
        obj=flight,
        changes={"status": [FlightStatus.SCHEDULED, FlightStatus.CANCELLED]},
        extra={"reason": reason},
    )
    return flight


@transaction.atomic
def hold_seat_block(
    *, actor: User, flight: Flight, agreement: Agreement, seats: int, release_at: dt.datetime
) -> SeatBlock:
    """Group seats held on a flight under an agreement until the release deadline."""
    if seats < 1:
        raise ActionError(_("Hold at least one seat."), field="seats")
    if agreement.airline_id != flight.airline_id:
        raise ActionError(_("The agreement is with another airline."), field="agreement")
    if not agreement.covers(flight.departs_local.date()):
        raise ActionError(
            _("Agreement %(ref)s is valid %(start)s to %(end)s, not on the flight's day.")
            % {
                "ref": agreement.reference,
                "start": agreement.valid_from,
                "end": agreement.valid_until,
            },
            field="agreement",
        )
    release = _aware(release_at, "release_at")
    if release > flight.departs_at:
        raise ActionError(_("The release deadline is after departure."), field="release_at")
    block = SeatBlock.objects.create(
        flight=flight, agreement=agreement, seats=seats, release_at=release
    )
    audit.record(actor=actor, action="movements.hold_seats", obj=block, after=audit.snapshot(block))
    return block


@transaction.atomic
def set_transit_office(*, actor: User | None, airport: Airport, name: str, email: str) -> Any:
    """The agency's office at a transit airport, which transit-assistance requests go to."""

    from django.core.validators import validate_email

    from passage.movements.models import TransitOffice

    try:
        validate_email(email)
    except ValidationError:
        raise ActionError(_("Give a valid e-mail address."), field="email") from None
    office, _created = TransitOffice.objects.update_or_create(
        airport=airport, defaults={"name": name.strip(), "email": email}
    )
    audit.record(actor=actor, action="movements.transit_office", obj=office,
                 after=audit.snapshot(office))  # fmt: skip
    return office
