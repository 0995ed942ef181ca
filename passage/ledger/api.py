"""Ledger endpoints: rates, the day's takings, an account's entries and balance."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

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
