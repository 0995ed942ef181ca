"""Ledger pages: the day's takings, exchange rates, reconciliation, corrections."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from passage.core import policy
from passage.core.errors import ActionError
from passage.core.models import User
from passage.core.utils import authed_user
from passage.ledger import actions, queries
from passage.ledger.choices import Desk
from passage.ledger.forms import (
    CashCountForm,
    CorrectionForm,
    DayForm,
    DeskDayForm,
    FloatForm,
    RateForm,
)
from passage.ledger.models import ExchangeRate, LedgerEntry


def _day(request: HttpRequest) -> date:
    form = DayForm(request.GET or None)
    if form.is_valid() and form.cleaned_data["day"]:
        day: date = form.cleaned_data["day"]
        return day
    return timezone.localdate()


@login_required
def takings(request: HttpRequest) -> HttpResponse:
    user = authed_user(request)
    policy.require(user, "ledger.view")
    day = _day(request)
    rows = queries.takings(day, prefix=request.GET.get("prefix", ""))
    context = {
        "day": day,
        "rows": rows,
        "totals": queries.totals_by_currency(rows),
        "form": DayForm(initial={"day": day}),
    }
    return render(request, "ledger/takings.html", context)


@login_required
def rates(request: HttpRequest) -> HttpResponse:
    user = authed_user(request)
    policy.require(user, "ledger.view")
    form = RateForm(request.POST or None, initial={"date": timezone.localdate()})
    if request.method == "POST":
        policy.require(user, "ledger.record_rate")
        if form.is_valid():
            data = form.cleaned_data
            try:
                actions.record_rate(
                    actor=user,
                    base=data["base"].upper(),
                    quote=data["quote"].upper(),
                    rate=data["rate"],
                    on=data["date"],
                    source=data["source"],
                )
            except ActionError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, _("The rate is recorded."))
                return redirect("ledger:rates")
    rows = policy.visible_to(ExchangeRate.objects.select_related("recorded_by"), user)[:60]
    return render(request, "ledger/rates.html", {"form": form, "rows": rows})


def drawer_post(request: HttpRequest, user: User, day: date, desk: str) -> tuple[Any, Any, bool]:
    """The float and count forms of a drawer page; on a valid POST the action runs.

    Returns both forms (bound to the POST when it was theirs) and whether a write was made.
    """
    posted = request.POST if request.method == "POST" else None
    is_float = bool(posted and "float-amount" in posted)
    float_form = FloatForm(posted if is_float else None, prefix="float")
    count_form = CashCountForm(posted if posted and not is_float else None)
    form: Any = float_form if is_float else count_form
    if posted is None or not form.is_valid():
        return float_form, count_form, False
    data = form.cleaned_data
    action = actions.record_float if is_float else actions.record_cash_count
    try:
        action(
            actor=user,
            cashier=user,
            on=day,
            desk=desk,
            currency=data["currency"].upper(),
            method=data["method"],
            amount=data["amount"],
            note=data["note"],
        )
    except ActionError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return float_form, count_form, False
    messages.success(
        request, _("Your opening float is recorded.") if is_float else _("Your count is recorded.")
    )
    return float_form, count_form, True


@login_required
def reconciliation(request: HttpRequest) -> HttpResponse:
    user = authed_user(request)
    policy.require(user, "ledger.reconcile")
    day = _day(request)
    chosen = DeskDayForm(request.GET or None)
    desk = Desk.VAC.value
    if chosen.is_valid() and chosen.cleaned_data["desk"]:
        desk = chosen.cleaned_data["desk"]
    float_form, form, written = drawer_post(request, user, day, desk)
    if written:
        return redirect(f"{request.path}?day={day.isoformat()}&desk={desk}")
    rows = queries.reconciliation(day, desk=desk)
    return render(
        request,
        "ledger/reconciliation.html",
        {
            "day": day,
            "desk": desk,
            "desk_label": Desk(desk).label,
            "rows": rows,
            "form": form,
            "float_form": float_form,
            "day_form": DeskDayForm(initial={"day": day, "desk": desk}),
        },
    )


@login_required
@require_POST
def correct(request: HttpRequest, entry_id: int) -> HttpResponse:
    user = authed_user(request)
    entry = policy.get_object_for(
        user, LedgerEntry.objects.select_related("account"), entry_id, "ledger.correct"
    )
    form = CorrectionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for the correction."))
    else:
        try:
            actions.correct_entry(actor=user, entry=entry, reason=form.cleaned_data["reason"])
        except ActionError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The entry is corrected by a new entry."))
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = ""
    return redirect(target or "ledger:takings")
