"""Ticket counter endpoints: offers, sales and their money, the day, the rules."""

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from passage.core import policy
from passage.core.errors import ActionError
from passage.core.utils import api_user
from passage.ledger.choices import PaymentMethod
from passage.ledger.models import LedgerEntry
from passage.ledger.queries import balances
from passage.movements.models import Agreement, Flight
from passage.registry.models import Case
from passage.tickets import actions, queries
from passage.tickets.choices import SaleStatus
from passage.tickets.models import Sale, TicketRules

router = Router()
TAG = "tickets"
Currency = Field(..., pattern=r"^[A-Z]{3}$")
Reason = Field(..., min_length=1, max_length=300)
Money = Field(..., gt=0, lt=Decimal("1000000000"), max_digits=14, decimal_places=2)
Method = Literal["cash", "bank_transfer"]


class ErrorOut(Schema):
    code: str
    message: str


class TicketsLineOut(Schema):
    id: int
    person_id: int
    name: str
    passenger_type: str
    fare: Decimal
    service_fee: Decimal
    ticket_number: str
    refunded_at: dt.datetime | None


class TicketsSaleOut(Schema):
    id: int
    number: str
    case_id: int
    agreement_id: int
    origin: str
    destination: str
    flight_ids: list[int]
    departure_date: dt.date
    currency: str
    language: str
    status: str
    booking_id: int | None
    total: Decimal
    balance: Decimal


class TicketsEntryOut(Schema):
    id: int
    kind: str
    amount: Decimal
    currency: str
    description: str
    method: str
    paid_amount: Decimal | None
    paid_currency: str
    rate: Decimal | None
    receipt_number: str
    business_date: dt.date


class TicketsSaleDetailOut(TicketsSaleOut):
    lines: list[TicketsLineOut]
    entries: list[TicketsEntryOut]


def _out(sale: Sale, detail: bool = False, due: Decimal | None = None) -> dict[str, Any]:
    data = {
        "id": sale.pk,
        "number": sale.number,
        "case_id": sale.case_id,
        "agreement_id": sale.agreement_id,
        "origin": sale.origin.iata,
        "destination": sale.destination.iata,
        "flight_ids": sale.flight_ids,
        "departure_date": sale.departure_date,
        "currency": sale.currency,
        "language": sale.language,
        "status": sale.status,
        "booking_id": sale.booking_id,
        "total": sale.total,
        "balance": queries.balance_of(sale) if due is None else due,
    }
    if detail:
        data["lines"] = list(sale.lines.all())
        data["entries"] = queries.entries_of(sale)
    return data


class TicketsSaleFilter(Schema):
    status: SaleStatus | None = None
    case_id: int | None = Field(None, ge=1, le=2**31 - 1)


@router.get(
    "/tickets/sales", response={200: list[TicketsSaleOut], 403: ErrorOut}, summary="Ticket sales"
)
def list_sales(request: HttpRequest, filters: Query[TicketsSaleFilter]) -> Any:
    user = api_user(request)
    policy.require(user, "tickets.view")
    rows = queries.sales_for(user).prefetch_related("lines")
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.case_id:
        rows = rows.filter(case_id=filters.case_id)
    sales = list(rows[:200])
    dues = balances([s.account for s in sales if s.account is not None])
    return [
        _out(s, due=dues.get(s.account_id or 0, Decimal("0.00")) + Decimal("0.00")) for s in sales
    ]


def _sale(request: HttpRequest, sale_id: int, permission: str | None = None) -> Sale:
    user = api_user(request)
    return policy.get_object_for(user, queries.sales_for(user), sale_id, permission)


@router.get(
    "/tickets/sales/{sale_id}",
    response={200: TicketsSaleDetailOut, 403: ErrorOut, 404: ErrorOut},
    summary="A sale with its lines and ledger entries",
)
def get_sale(request: HttpRequest, sale_id: int) -> Any:
    return _out(_sale(request, sale_id), detail=True)


class TicketsQuoteIn(Schema):
    case_id: int = Field(..., ge=1, le=2**31 - 1)
    agreement_id: int = Field(..., ge=1, le=2**31 - 1)
    flight_ids: list[int] = Field(..., min_length=1, max_length=4)
    language: Literal["en", "ru", "ky"] = "ru"


def _flights(ids: list[int]) -> list[Flight]:
    found = Flight.objects.select_related("origin", "destination", "airline").in_bulk(
        [i for i in ids if 0 < i < 2**31]
    )
    if len(found) != len(set(ids)):
        raise ActionError(_("Unknown flight."), field="flight_ids")
    return [found[i] for i in ids]


@router.post(
    "/tickets/sales",
    response={
        201: TicketsSaleDetailOut,
        400: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
    },
    summary="Quote a case's travellers on an itinerary",
)
def create_sale(request: HttpRequest, payload: TicketsQuoteIn) -> Any:
    user = api_user(request)
    policy.require(user, "tickets.sell")
    from passage.registry.queries import visible_cases

    case = get_object_or_404(visible_cases(user), pk=payload.case_id)
    agreement = get_object_or_404(Agreement, pk=payload.agreement_id)
    sale = actions.create_sale(
        actor=user,
        case=case,
        agreement=agreement,
        flights=_flights(payload.flight_ids),
        language=payload.language,
    )
    return Status(201, _out(sale, detail=True))


ACTION_RESPONSES = {
    200: TicketsSaleDetailOut,
    400: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
}


@router.post("/tickets/sales/{sale_id}/book", response=ACTION_RESPONSES, summary="Book a quote")
def book(request: HttpRequest, sale_id: int) -> Any:
    sale = _sale(request, sale_id, "tickets.sell")
    return _out(actions.book_sale(actor=api_user(request), sale=sale), detail=True)


class TicketsPaymentIn(Schema):
    amount: Decimal = Money
    currency: str = Currency
    method: Method = "cash"


class TicketsPaymentOut(Schema):
    entry: TicketsEntryOut
    sale: TicketsSaleOut


@router.post(
    "/tickets/sales/{sale_id}/payments",
    response={201: TicketsPaymentOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="Take a payment",
)
def pay(request: HttpRequest, sale_id: int, payload: TicketsPaymentIn) -> Any:
    sale = _sale(request, sale_id, "tickets.take_payment")
    entry = actions.take_payment(
        actor=api_user(request),
        sale=sale,
        amount=payload.amount,
        currency=payload.currency,
        method=PaymentMethod(payload.method),
    )
    sale.refresh_from_db()
    return Status(201, {"entry": entry, "sale": _out(sale)})


class TicketsNumberIn(Schema):
    line_id: int = Field(..., ge=1, le=2**31 - 1)
    number: str = Field(..., min_length=1, max_length=20)


class TicketsIssueIn(Schema):
    pnr: str = Field(..., min_length=1, max_length=8)
    tickets: list[TicketsNumberIn] = Field(..., max_length=20)


@router.post("/tickets/sales/{sale_id}/tickets", response=ACTION_RESPONSES, summary="Issue tickets")
def tickets(request: HttpRequest, sale_id: int, payload: TicketsIssueIn) -> Any:
    sale = _sale(request, sale_id, "tickets.sell")
    numbers = {t.line_id: t.number for t in payload.tickets}
    actions.issue_tickets(actor=api_user(request), sale=sale, pnr=payload.pnr, numbers=numbers)
    sale.refresh_from_db()
    return _out(sale, detail=True)


class TicketsChangeIn(Schema):
    flight_ids: list[int] = Field(..., min_length=1, max_length=4)
    reason: str = Reason


@router.post(
    "/tickets/sales/{sale_id}/change",
    response=ACTION_RESPONSES,
    summary="Change the itinerary by the agreement's rules",
)
def change(request: HttpRequest, sale_id: int, payload: TicketsChangeIn) -> Any:
    sale = _sale(request, sale_id, "tickets.sell")
    done = actions.change_sale(
        actor=api_user(request),
        sale=sale,
        flights=_flights(payload.flight_ids),
        reason=payload.reason,
    )
    return _out(done, detail=True)


class TicketsRefundIn(Schema):
    currency: str = Currency
    method: Method = "cash"
    reason: str = Reason


@router.post(
    "/tickets/sales/{sale_id}/refund",
    response=ACTION_RESPONSES,
    summary="Refund by the agreement's rules",
)
def refund(request: HttpRequest, sale_id: int, payload: TicketsRefundIn) -> Any:
    sale = _sale(request, sale_id, "tickets.refund")
    actions.refund_sale(
        actor=api_user(request),
        sale=sale,
        currency=payload.currency,
        method=PaymentMethod(payload.method),
        reason=payload.reason,
    )
    sale.refresh_from_db()
    return _out(sale, detail=True)


class TicketsPartialRefundIn(Schema):
    line_ids: list[int] = Field(..., min_length=1, max_length=50)
    currency: str = Currency
    method: Method = "cash"
    reason: str = Reason


@router.post(
    "/tickets/sales/{sale_id}/refund-travellers",
    response=ACTION_RESPONSES,
    summary="Refund some travellers of a sale by the agreement's rules",
)
def refund_travellers(request: HttpRequest, sale_id: int, payload: TicketsPartialRefundIn) -> Any:
    sale = _sale(request, sale_id, "tickets.refund")
    actions.refund_travellers(
        actor=api_user(request),
        sale=sale,
        line_ids=payload.line_ids,
        currency=payload.currency,
        method=PaymentMethod(payload.method),
        reason=payload.reason,
    )
    sale.refresh_from_db()
    return _out(sale, detail=True)


class TicketsCreditIn(Schema):
    currency: str = Currency
    method: Method = "cash"


@router.post(
    "/tickets/sales/{sale_id}/credit-refund",
    response=ACTION_RESPONSES,
    summary="Pay back the credit owed to the traveller (a lower fare, a correction)",
)
def credit_refund(request: HttpRequest, sale_id: int, payload: TicketsCreditIn) -> Any:
    sale = _sale(request, sale_id, "tickets.refund")
    actions.pay_back_credit(
        actor=api_user(request),
        sale=sale,
        currency=payload.currency,
        method=PaymentMethod(payload.method),
    )
    sale.refresh_from_db()
    return _out(sale, detail=True)


class TicketsCorrectIn(Schema):
    entry_id: int = Field(..., ge=1, le=2**63 - 1)
    reason: str = Reason


@router.post(
    "/tickets/sales/{sale_id}/corrections",
    response=ACTION_RESPONSES,
    summary="Correct an entry of the sale's ledger account; the sale's status follows",
)
def correct(request: HttpRequest, sale_id: int, payload: TicketsCorrectIn) -> Any:
    sale = _sale(request, sale_id, "tickets.take_payment")
    entry = LedgerEntry.objects.filter(pk=payload.entry_id).select_related("account").first()
    if entry is None:
        raise ActionError(_("No such ledger entry."), field="entry_id")
    actions.correct_entry(actor=api_user(request), sale=sale, entry=entry, reason=payload.reason)
    sale.refresh_from_db()
    return _out(sale, detail=True)


class TicketsReasonIn(Schema):
    reason: str = Reason


@router.post("/tickets/sales/{sale_id}/cancel", response=ACTION_RESPONSES, summary="Cancel a sale")
def cancel(request: HttpRequest, sale_id: int, payload: TicketsReasonIn) -> Any:
    sale = _sale(request, sale_id, "tickets.sell")
    return _out(
        actions.cancel_sale(actor=api_user(request), sale=sale, reason=payload.reason), detail=True
    )


class TicketsOfferQuery(Schema):
    country: str = Field(..., pattern=r"^[A-Z]{2}$")
    day: dt.date


class TicketsOfferOut(Schema):
    agreement_id: int
    agreement: str
    currency: str
    flight_ids: list[int]
    flights: list[str]
    fares: dict[str, Decimal]
    service_fee: Decimal
    baggage_kg: int
    baggage_pieces: int
    infant_baggage_kg: int


@router.get(
    "/tickets/offers",
    response={200: list[TicketsOfferOut], 403: ErrorOut},
    summary="Itineraries and fares on a day for a destination country",
)
def offers(request: HttpRequest, query: Query[TicketsOfferQuery]) -> Any:
    policy.require(api_user(request), "tickets.view")
    return [
        {
            "agreement_id": o.agreement.pk,
            "agreement": o.agreement.reference,
            "currency": o.agreement.currency,
            "flight_ids": [f.pk for f in o.flights],
            "flights": [str(f) for f in o.flights],
            "fares": o.fares,
            "service_fee": o.agreement.service_fee,
            "baggage_kg": o.agreement.baggage_kg,
            "baggage_pieces": o.agreement.baggage_pieces,
            "infant_baggage_kg": o.agreement.infant_baggage_kg,
        }
        for o in queries.offers(query.country, query.day)
    ]


class TicketsDayQuery(Schema):
    day: dt.date | None = None


class TicketsTakingOut(Schema):
    cashier: str
    currency: str
    method: str
    count: int
    received: Decimal
    refunded: Decimal
    net: Decimal


class TicketsReconOut(Schema):
    cashier: str
    currency: str
    method: str
    opening: Decimal
    ledger: Decimal
    expected: Decimal
    counted: Decimal | None
    difference: Decimal | None


class TicketsDayOut(Schema):
    day: dt.date
    takings: list[TicketsTakingOut]
    reconciliation: list[TicketsReconOut]
    balanced: bool


@router.get(
    "/tickets/day",
    response={200: TicketsDayOut, 403: ErrorOut},
    summary="The day's ticket takings and reconciliation",
)
def day(request: HttpRequest, query: Query[TicketsDayQuery]) -> Any:
    policy.require(api_user(request), "tickets.view")
    on = query.day or timezone.localdate()
    recon = queries.day_reconciliation(on)
    return {
        "day": on,
        "takings": queries.day_takings(on),
        "reconciliation": recon,
        "balanced": bool(recon) and all(r.matches for r in recon),
    }


class TicketsCloseIn(Schema):
    day: dt.date


class TicketsCloseOut(Schema):
    id: int
    business_date: dt.date
    cashier_id: int
    summary: list[dict[str, str]]


@router.post(
    "/tickets/day/close",
    response={201: TicketsCloseOut, 400: ErrorOut, 403: ErrorOut, 409: ErrorOut},
    summary="Close your day when every count matches",
)
def close_day(request: HttpRequest, payload: TicketsCloseIn) -> Any:
    user = api_user(request)
    policy.require(user, "tickets.close_day")
    return Status(201, actions.close_day(actor=user, cashier=user, on=payload.day))


class TicketsRulesIn(Schema):
    change_fee: Decimal = Field(..., ge=0, lt=Decimal("100000000"), max_digits=10, decimal_places=2)
    change_until_days: int = Field(..., ge=0, le=365)
    refund_fee: Decimal = Field(..., ge=0, lt=Decimal("100000000"), max_digits=10, decimal_places=2)
    refund_until_days: int = Field(..., ge=0, le=365)
    service_fee_refundable: bool = False
    source_note: str = Field("", max_length=300)


class TicketsRulesOut(Schema):
    agreement_id: int
    change_fee: Decimal
    change_until_days: int
    refund_fee: Decimal
    refund_until_days: int
    service_fee_refundable: bool
    source_note: str


@router.get(
    "/tickets/rules",
    response={200: list[TicketsRulesOut], 403: ErrorOut},
    summary="Refund and change rules of the agreements",
)
def list_rules(request: HttpRequest) -> Any:
    user = api_user(request)
    policy.require(user, "tickets.view")
    return policy.visible_to(TicketRules.objects.all(), user)


@router.put(
    "/tickets/rules/{agreement_id}",
    response={200: TicketsRulesOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="Set an agreement's refund and change rules",
)
def set_rules(request: HttpRequest, agreement_id: int, payload: TicketsRulesIn) -> Any:
    user = api_user(request)
    policy.require(user, "tickets.manage_rules")
    agreement = get_object_or_404(Agreement, pk=agreement_id)
    return actions.set_rules(actor=user, agreement=agreement, **payload.dict())


__all__ = ["Case", "router"]

# registering travellers at the counter adds its routes to this router
from passage.tickets import api_travellers  # noqa: E402, F401
