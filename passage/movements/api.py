"""Movements over the API: agreements and fares, flights and seat blocks, bookings, the day."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status

from passage.core import policy
from passage.core.utils import api_user
from passage.movements import actions, departure, manifests, notify, queries
from passage.movements import booking as bk
from passage.movements.models import (
    Agreement,
    Airline,
    Booking,
    Flight,
    Manifest,
    TransitRequest,
    Traveller,
)
from passage.registry.choices import CaseStatus
from passage.registry.models import Case, Person

router = Router()
TAG = "movements"
ERRORS = {400: dict, 403: dict, 404: dict, 409: dict}


class FareOut(Schema):
    origin: str = Field(..., alias="origin.iata")
    destination: str = Field(..., alias="destination.iata")
    passenger_type: str
    amount: Decimal


class AgreementOut(Schema):
    id: int
    reference: str
    airline: str = Field(..., alias="airline.iata")
    valid_from: dt.date
    valid_until: dt.date
    currency: str
    service_fee: Decimal
    baggage_kg: int
    baggage_pieces: int
    infant_baggage_kg: int
    rebooking_rules: str
    refund_rules: str
    medif_validity_days: int


class AgreementIn(Schema):
    airline: str = Field(..., min_length=2, max_length=3)
    reference: str
    valid_from: dt.date
    valid_until: dt.date
    currency: str = Field(..., min_length=3, max_length=3)
    service_fee: Decimal
    baggage_kg: int = 23
    baggage_pieces: int = 2
    rebooking_rules: str = ""
    refund_rules: str = ""


class FareIn(Schema):
    origin: str = Field(..., min_length=3, max_length=3)
    destination: str = Field(..., min_length=3, max_length=3)
    passenger_type: str
    amount: Decimal


@router.get("/movements/agreements", response=list[AgreementOut], summary="Airline agreements")
def list_agreements(request: HttpRequest) -> Any:
    user = api_user(request)
    policy.require(user, "movements.view")
    return list(queries.agreements(user))


@router.post(
    "/movements/agreements", response={201: AgreementOut, **ERRORS}, summary="New agreement"
)
def create_agreement(request: HttpRequest, payload: AgreementIn) -> Any:
    user = api_user(request)
    policy.require(user, "movements.manage_agreements")
    with transaction.atomic():
        airline = actions.ensure_airline(actor=user, code=payload.airline)
        values = payload.dict(exclude={"airline", "reference"})
        values["service_fee"] = str(values["service_fee"])
        agreement = actions.create_agreement(
            actor=user, airline=airline, reference=payload.reference, **values
        )
        return Status(201, agreement)


class AgreementPatch(Schema):
    valid_until: dt.date | None = None
    service_fee: Decimal | None = None
    baggage_kg: int | None = Field(None, ge=0, le=200)
    baggage_pieces: int | None = Field(None, ge=0, le=10)
    infant_baggage_kg: int | None = Field(None, ge=0, le=50)
    rebooking_rules: str | None = None
    refund_rules: str | None = None
    medif_validity_days: int | None = Field(None, ge=0, le=365)


@router.patch(
    "/movements/agreements/{agreement_id}",
    response={200: AgreementOut, **ERRORS},
    summary="Change an agreement's terms",
)
def update_agreement(request: HttpRequest, agreement_id: int, payload: AgreementPatch) -> Any:
    user = api_user(request)
    agreement = policy.get_object_for(
        user,
        Agreement.objects.select_related("airline"),
        agreement_id,
        "movements.manage_agreements",
    )
    values = payload.dict(exclude_none=True)
    if "service_fee" in values:
        values["service_fee"] = str(values["service_fee"])
    return actions.update_agreement(actor=user, agreement=agreement, **values)


@router.get(
    "/movements/agreements/{agreement_id}/fares",
    response={200: list[FareOut], **ERRORS},
    summary="Fares of an agreement",
)
def list_fares(request: HttpRequest, agreement_id: int) -> Any:
    agreement = policy.get_object_for(api_user(request), Agreement, agreement_id)
    return list(agreement.fares.select_related("origin", "destination"))


@router.put(
    "/movements/agreements/{agreement_id}/fares",
    response={200: FareOut, **ERRORS},
    summary="Set a fare (route and passenger type)",
)
def set_fare(request: HttpRequest, agreement_id: int, payload: FareIn) -> Any:
    user = api_user(request)
    agreement = policy.get_object_for(user, Agreement, agreement_id, "movements.manage_agreements")
    with transaction.atomic():
        return actions.set_fare(
            actor=user,
            agreement=agreement,
            origin=actions.ensure_airport(actor=user, code=payload.origin),
            destination=actions.ensure_airport(actor=user, code=payload.destination),
            passenger_type=payload.passenger_type,
            amount=str(payload.amount),
        )


class BlockOut(Schema):
    id: int
    agreement: str
    seats: int
    taken: int
    free: int
    release_at: dt.datetime


class FlightOut(Schema):
    id: int
    designator: str
    origin: str = Field(..., alias="origin_code")
    destination: str = Field(..., alias="destination_code")
    departs_at: dt.datetime
    arrives_at: dt.datetime
    departs_local: str
    arrives_local: str
    status: str


class FlightDetailOut(FlightOut):
    blocks: list[BlockOut]
    manifest_version: int | None


def _flight_out(flight: Flight) -> dict[str, Any]:
    return {
        "id": flight.pk,
        "designator": flight.designator,
        "origin_code": flight.origin_code,
        "destination_code": flight.destination_code,
        "departs_at": flight.departs_at,
        "arrives_at": flight.arrives_at,
        "departs_local": flight.departs_local.isoformat(),
        "arrives_local": flight.arrives_local.isoformat(),
        "status": flight.status,
    }


class FlightFilter(Schema):
    start: dt.date | None = Field(None, alias="from")
    end: dt.date | None = Field(None, alias="to")


@router.get("/movements/flights", response=list[FlightOut], summary="Flights (departures calendar)")
def list_flights(request: HttpRequest, filters: Query[FlightFilter]) -> Any:
    user = api_user(request)
    policy.require(user, "movements.view")
    return [_flight_out(f) for f in queries.flights(user, filters.start, filters.end)[:500]]


class FlightIn(Schema):
    airline: str = Field(..., min_length=2, max_length=3)
    number: str
    origin: str = Field(..., min_length=3, max_length=3)
    destination: str = Field(..., min_length=3, max_length=3)
    departs_at: dt.datetime = Field(..., description="With its offset (local or UTC)")
    arrives_at: dt.datetime


@router.post("/movements/flights", response={201: FlightOut, **ERRORS}, summary="Schedule a flight")
def schedule_flight(request: HttpRequest, payload: FlightIn) -> Any:
    user = api_user(request)
    policy.require(user, "movements.manage_flights")
    with transaction.atomic():
        flight = actions.schedule_flight(
            actor=user,
            airline=actions.ensure_airline(actor=user, code=payload.airline),
            number=payload.number,
            origin=actions.ensure_airport(actor=user, code=payload.origin),
            destination=actions.ensure_airport(actor=user, code=payload.destination),
            departs_at=payload.departs_at,
            arrives_at=payload.arrives_at,
        )
    return Status(201, _flight_out(flight))


@router.get(
    "/movements/flights/{flight_id}", response={200: FlightDetailOut, **ERRORS}, summary="A flight"
)
def get_flight(request: HttpRequest, flight_id: int) -> Any:
    user = api_user(request)
    flight = policy.get_object_for(
        user, Flight.objects.select_related(*queries.FLIGHT_RELATED), flight_id
    )
    latest = manifests.latest(flight)
    blocks = [
        {
            "id": load.block.pk,
            "agreement": load.block.agreement.reference,
            "seats": load.block.seats,
            "taken": load.taken,
            "free": load.free,
            "release_at": load.block.release_at,
        }
        for load in queries.block_loads(flight)
    ]
    return {
        **_flight_out(flight),
        "blocks": blocks,
        "manifest_version": latest.version if latest else None,
    }


class BlockIn(Schema):
    agreement_id: int
    seats: int
    release_at: dt.datetime


@router.post(
    "/movements/flights/{flight_id}/seat-blocks",
    response={201: dict, **ERRORS},
    summary="Hold a seat block on a flight",
)
def hold_block(request: HttpRequest, flight_id: int, payload: BlockIn) -> Any:
    user = api_user(request)
    flight = policy.get_object_for(user, Flight, flight_id, "movements.manage_flights")
    agreement = policy.get_object_for(user, Agreement, payload.agreement_id)
    block = actions.hold_seat_block(
        actor=user,
        flight=flight,
        agreement=agreement,
        seats=payload.seats,
        release_at=payload.release_at,
    )
    return Status(201, {"id": block.pk, "seats": block.seats})


@router.get(
    "/movements/manifests/{manifest_id}/{fmt}",
    summary="A manifest version as PDF or XLSX",
    response={200: None, **ERRORS},
)
def manifest_file(request: HttpRequest, manifest_id: int, fmt: str) -> Any:
    user = api_user(request)
    manifest = policy.get_object_for(
        user, Manifest.objects.select_related("flight__origin"), manifest_id
    )
    if fmt not in ("pdf", "xlsx"):
        return Status(404, {"code": "not_found", "message": "pdf or xlsx"})
    manifests.record_download(actor=user, manifest=manifest, fmt=fmt)
    content = manifests.render_pdf(manifest) if fmt == "pdf" else manifests.render_xlsx(manifest)
    ctype = (
        "application/pdf"
        if fmt == "pdf"
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response = HttpResponse(content, content_type=ctype)
    response["Content-Disposition"] = f'attachment; filename="{manifests.filename(manifest, fmt)}"'
    return response


# ---- bookings --------------------------------------------------------------------------------


class TravellerOut(Schema):
    id: int
    role: str
    surname: str
    given_names: str
    date_of_birth: dt.date | None
    passenger_type: str
    on_lap_of_id: int | None
    ssr_codes: list[str]
    baggage_kg: int
    fare: Decimal
    currency: str
    ticket_number: str
    checked_in: bool


class BookingOut(Schema):
    id: int
    case: str = Field(..., alias="case.file_number")
    case_status: str = Field(..., alias="case.status")
    status: str
    pnr: str
    departure_date: dt.date
    arrival_date: dt.date
    split_authorised: str
    replaces_id: int | None
    flights: list[int]
    travellers: list[TravellerOut]

    @staticmethod
    def resolve_flights(obj: Booking) -> list[int]:
        return [leg.flight_id for leg in obj.legs.all()]

    @staticmethod
    def resolve_travellers(obj: Booking) -> list[Traveller]:
        return list(obj.travellers.all())


class EscortIn(Schema):
    role: str
    surname: str
    given_names: str
    date_of_birth: dt.date | None = None
    document: str = ""


class BookingIn(Schema):
    case_id: int
    agreement_id: int
    flight_ids: list[int] = Field(..., min_length=1)
    person_ids: list[int] | None = None
    split_reason: str = ""
    escorts: list[EscortIn] = []


@router.get("/movements/bookings", response=list[BookingOut], summary="Bookings")
def list_bookings(request: HttpRequest, case_id: int | None = None) -> Any:
    rows = queries.bookings(api_user(request))
    if case_id:
        rows = rows.filter(case_id=case_id)
    return list(rows[:500])


@router.get(
    "/movements/bookings/{booking_id}", response={200: BookingOut, **ERRORS}, summary="A booking"
)
def get_booking(request: HttpRequest, booking_id: int) -> Any:
    user = api_user(request)
    return policy.get_object_for(user, queries.bookings(user), booking_id)


@router.post(
    "/movements/bookings",
    response={201: BookingOut, **ERRORS},
    summary="Book a travel-ready case; refusals name their reason",
)
def create_booking(request: HttpRequest, payload: BookingIn) -> Any:
    user = api_user(request)
    case = policy.get_object_for(user, Case, payload.case_id, "movements.book")
    agreement = policy.get_object_for(user, Agreement, payload.agreement_id)
    found = {
        f.pk: f
        for f in Flight.objects.select_related(*queries.FLIGHT_RELATED).filter(
            pk__in=payload.flight_ids
        )
    }
    flights = [found[i] for i in payload.flight_ids if i in found]
    if len(flights) != len(payload.flight_ids):
        return Status(404, {"code": "not_found", "message": "Unknown flight."})
    people = list(Person.objects.filter(pk__in=payload.person_ids)) if payload.person_ids else None
    escorts = [
        bk.Escort(e.role, e.surname, e.given_names, e.date_of_birth, e.document)
        for e in payload.escorts
    ]
    booking = bk.book_case(
        actor=user,
        case=case,
        agreement=agreement,
        flights=flights,
        people=people,
        split_reason=payload.split_reason,
        escorts=escorts,
    )
    return Status(201, queries.bookings(user).get(pk=booking.pk))


class StepIn(Schema):
    action: str = Field(
        ...,
        description="fit, departed, in_transit, arrived, no_show, offloaded, "
        "postponed, interrupted, reference, notify, transit",
    )
    reason: str = ""
    back_to: str = CaseStatus.BOOKING_REQUESTED
    confirmation: str = ""
    pnr: str = ""
    kind: str = ""


STEPS: dict[str, Any] = {
    "fit": lambda u, b, p: departure.mark_fit_to_travel(actor=u, booking=b),
    "departed": lambda u, b, p: departure.mark_departed(actor=u, booking=b),
    "in_transit": lambda u, b, p: departure.mark_in_transit(actor=u, booking=b),
    "arrived": lambda u, b, p: departure.mark_arrived(
        actor=u, booking=b, confirmation=p.confirmation
    ),
    "no_show": lambda u, b, p: departure.mark_no_show(
        actor=u, booking=b, reason=p.reason, back_to=p.back_to
    ),
    "offloaded": lambda u, b, p: departure.mark_offloaded(
        actor=u, booking=b, reason=p.reason, back_to=p.back_to
    ),
    "postponed": lambda u, b, p: departure.postpone(
        actor=u, booking=b, reason=p.reason, back_to=p.back_to
    ),
    "interrupted": lambda u, b, p: departure.mark_interrupted(
        actor=u, booking=b, reason=p.reason, back_to=p.back_to
    ),
    "reference": lambda u, b, p: departure.set_booking_reference(actor=u, booking=b, pnr=p.pnr),
    "notify": lambda u, b, p: notify.notify(actor=u, booking=b, kind=p.kind),
    "transit": lambda u, b, p: notify.request_transit_assistance(actor=u, booking=b),
}


@router.post(
    "/movements/bookings/{booking_id}/steps",
    response={200: BookingOut, **ERRORS},
    summary="A departure-day step, notification or reference on a booking",
)
def booking_step(request: HttpRequest, booking_id: int, payload: StepIn) -> Any:
    user = api_user(request)
    booking = policy.get_object_for(user, queries.bookings(user), booking_id, "movements.departure")
    if payload.action not in STEPS:
        return Status(400, {"code": "invalid", "message": "Unknown action.", "field": "action"})
    STEPS[payload.action](user, booking, payload)
    return queries.bookings(user).get(pk=booking.pk)


class RebookIn(Schema):
    flight_ids: list[int] = Field(..., min_length=1)
    reason: str = Field(..., min_length=1)
    agreement_id: int | None = None


@router.post(
    "/movements/bookings/{booking_id}/rebook",
    response={201: BookingOut, **ERRORS},
    summary="Rebook on other flights; the old booking stays as history",
)
def rebook(request: HttpRequest, booking_id: int, payload: RebookIn) -> Any:
    user = api_user(request)
    booking = policy.get_object_for(user, queries.bookings(user), booking_id, "movements.book")
    found = {
        f.pk: f
        for f in Flight.objects.select_related(*queries.FLIGHT_RELATED).filter(
            pk__in=payload.flight_ids
        )
    }
    if len(found) != len(set(payload.flight_ids)):
        return Status(404, {"code": "not_found", "message": "Unknown flight."})
    agreement = (
        policy.get_object_for(user, Agreement, payload.agreement_id)
        if payload.agreement_id
        else None
    )
    new = bk.rebook(
        actor=user,
        booking=booking,
        flights=[found[i] for i in payload.flight_ids],
        reason=payload.reason,
        agreement=agreement,
    )
    return Status(201, queries.bookings(user).get(pk=new.pk))


class TransitOut(Schema):
    id: int
    airport: str = Field(..., alias="airport.iata")
    status: str
    confirmed_by: str


class ConfirmIn(Schema):
    confirmed_by: str = Field(..., min_length=1)


@router.post(
    "/movements/transit-requests/{request_id}/confirm",
    response={200: TransitOut, **ERRORS},
    summary="Record that the transit office confirmed its assistance",
)
def confirm_transit(request: HttpRequest, request_id: int, payload: ConfirmIn) -> Any:
    user = api_user(request)
    found = policy.get_object_for(
        user, TransitRequest.objects.select_related("airport"), request_id, "movements.departure"
    )
    return notify.confirm_transit(actor=user, request=found, confirmed_by=payload.confirmed_by)


class CheckInIn(Schema):
    checked_in: bool = True


@router.post(
    "/movements/travellers/{traveller_id}/check-in",
    response={200: TravellerOut, **ERRORS},
    summary="Check a traveller in (or undo)",
)
def check_in(request: HttpRequest, traveller_id: int, payload: CheckInIn) -> Any:
    user = api_user(request)
    traveller = get_object_or_404(Traveller.objects.select_related("booking"), pk=traveller_id)
    policy.get_object_for(user, Booking, traveller.booking_id, "movements.departure")
    return departure.check_in(actor=user, traveller=traveller, checked_in=payload.checked_in)


__all__ = ["Airline", "router"]
