"""Ledger endpoints: rates, the day's takings, an account's entries and balance."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from passage.core import policy
from passage.core.utils import api_user
from passage.ledger import actions, queries
from passage.ledger.models import Account, ExchangeRate

router = Router()
TAG = "ledger"


class ErrorOut(Schema):
    code: str
    message: str


class RateIn(Schema):
    base: str = Field(..., min_length=3, max_length=3)
    quote: str = Field(..., min_length=3, max_length=3)
    rate: Decimal = Field(..., gt=0)
    date: date
    source: str = Field(..., min_length=1, max_length=200)


class RateOut(Schema):
    id: int
    base: str
    quote: str
    rate: Decimal
    date: date
    source: str


@router.get("/ledger/rates", response=list[RateOut], summary="Recorded exchange rates")
def list_rates(request: HttpRequest) -> Any:
    return policy.visible_to(ExchangeRate.objects.all(), api_user(request))[:200]


@router.post(
    "/ledger/rates",
    response={201: RateOut, 400: ErrorOut, 403: ErrorOut, 409: ErrorOut},
    summary="Record a day's rate",
)
def create_rate(request: HttpRequest, payload: RateIn) -> Any:
    user = api_user(request)
    policy.require(user, "ledger.record_rate")
    row = actions.record_rate(
        actor=user,
        base=payload.base.upper(),
        quote=payload.quote.upper(),
        rate=payload.rate,
        on=payload.date,
        source=payload.source,
    )
    return Status(201, row)


class TakingsOut(Schema):
    cashier: str
    currency: str
    method: str
    count: int
    received: Decimal
    refunded: Decimal
    net: Decimal


@router.get(
    "/ledger/takings",
    response={200: list[TakingsOut], 403: ErrorOut},
    summary="Money taken on a day, per cashier and currency",
)
def day_takings(request: HttpRequest, day: date | None = None, prefix: str = "") -> Any:
    policy.require(api_user(request), "ledger.view")
    return queries.takings(day or timezone.localdate(), prefix=prefix)


class DrawerIn(Schema):
    day: date
    desk: Literal["vac", "tickets"]
    currency: str = Field(..., min_length=3, max_length=3)
    method: Literal["cash", "bank_transfer"] = "cash"
    amount: Decimal = Field(..., ge=0, lt=Decimal("1000000000000"), decimal_places=2)
    note: str = Field("", max_length=200)


class DrawerOut(Schema):
    id: int
    business_date: date
    desk: str
    currency: str
    method: str
    amount: Decimal


def _drawer(request: HttpRequest, payload: DrawerIn, action: Any) -> Any:
    user = api_user(request)
    policy.require(user, "ledger.reconcile")
    row = action(
        actor=user,
        cashier=user,
        on=payload.day,
        desk=payload.desk,
        currency=payload.currency.upper(),
        method=payload.method,
        amount=payload.amount,
        note=payload.note,
    )
    return Status(201, row)


@router.post(
    "/ledger/floats",
    response={201: DrawerOut, 400: ErrorOut, 403: ErrorOut},
    summary="Record your drawer's opening float at a desk",
)
def record_float(request: HttpRequest, payload: DrawerIn) -> Any:
    return _drawer(request, payload, actions.record_float)


@router.post(
    "/ledger/counts",
    response={201: DrawerOut, 400: ErrorOut, 403: ErrorOut},
    summary="Record what you counted in your drawer at a desk",
)
def record_count(request: HttpRequest, payload: DrawerIn) -> Any:
    return _drawer(request, payload, actions.record_cash_count)


class DrawerRowOut(Schema):
    cashier: str
    currency: str
    method: str
    opening: Decimal
    ledger: Decimal
    expected: Decimal
    counted: Decimal | None
    difference: Decimal | None


@router.get(
    "/ledger/reconciliation",
    response={200: list[DrawerRowOut], 403: ErrorOut},
    summary="Each cashier's drawer at a desk: float, net takings, count, difference",
)
def reconciliation(
    request: HttpRequest, desk: Literal["vac", "tickets"], day: date | None = None
) -> Any:
    policy.require(api_user(request), "ledger.reconcile")
    return queries.reconciliation(day or timezone.localdate(), desk=desk)


class EntryOut(Schema):
    id: int
    kind: str
    amount: Decimal
    currency: str
    method: str
    paid_amount: Decimal | None
    paid_currency: str
    rate: Decimal | None
    receipt_number: str
    corrects_id: int | None
    at: datetime
    business_date: date


class AccountOut(Schema):
    id: int
    code: str
    name: str
    currency: str
    balance: Decimal
    entries: list[EntryOut]


@router.get(
    "/ledger/accounts/{account_id}",
    response={200: AccountOut, 404: ErrorOut},
    summary="One account, its entries and its balance",
)
def get_account(request: HttpRequest, account_id: int) -> Any:
    account = policy.get_object_for(api_user(request), Account, account_id)
    return {
        "id": account.pk,
        "code": account.code,
        "name": account.name,
        "currency": account.currency,
        "balance": queries.balance(account),
        "entries": queries.entries_of(account),
    }
