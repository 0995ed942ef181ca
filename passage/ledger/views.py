"""Ledger pages: the day's takings, exchange rates, reconciliation, corrections."""

from __future__ import annotations

from datetime import date

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
from passage.core.utils import authed_user
from passage.ledger import actions, queries
from passage.ledger.forms import CashCountForm, CorrectionForm, DayForm, RateForm
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


@login_required
def reconciliation(request: HttpRequest) -> HttpResponse:
    user = authed_user(request)
    policy.require(user, "ledger.reconcile")
    day = _day(request)
    form = CashCountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.record_cash_count(
                actor=user,
                cashier=user,
                on=day,
                currency=data["currency"].upper(),
                method=data["method"],
                amount=data["amount"],
                note=data["note"],
            )
        except ActionError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Your count is recorded."))
            return redirect(f"{request.path}?day={day.isoformat()}")
    rows = queries.reconciliation(day)
    return render(
        request,
        "ledger/reconciliation.html",
        {"day": day, "rows": rows, "form": form, "day_form": DayForm(initial={"day": day})},
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
