"""The counter's registration page: consent, the family's rows, possible duplicates; then
straight on to the new case at the counter for the fares."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from passage.core import policy
from passage.core.errors import ActionError
from passage.core.models import User
from passage.core.utils import authed_user
from passage.registry.choices import Programme, Relationship
from passage.tickets import forms
from passage.tickets.registration import MAX_TRAVELLERS, PERMISSION, register_travellers

PREFIX = "people"


def _counter_cases(user: User) -> set[int]:
    from passage.registry.queries import visible_cases

    return set(
        visible_cases(user).filter(programme=Programme.SELF_PAYING).values_list("pk", flat=True)
    )


def _bind(request: HttpRequest) -> tuple[forms.RegistrationForm, Any]:
    """The forms bound to the post; "use this person" (``use=<row index>:<person id>``)
    puts the registered person into that row."""
    data = request.POST.copy()
    index, _sep, person = request.POST.get("use", "").partition(":")
    if index.isdigit() and person.isdigit():
        data[f"{PREFIX}-{index}-person"] = person
    return forms.RegistrationForm(data), forms.TravellerFormSet(data, prefix=PREFIX)


def _rows(formset: Any) -> list[tuple[int, Any]]:
    """(row number as shown, form) of the rows with anything in them."""
    return [
        (n, f)
        for n, f in enumerate(formset.forms, start=1)
        if f.has_changed() or f.cleaned_data.get("person")
    ]


def _show_errors(exc: ActionError, form: Any, rows: list[tuple[int, Any]]) -> None:
    by_number: dict[object, Any] = dict(rows)
    shown = False
    for error in exc.errors:
        row = by_number.get(error.get("row"))
        target = row if row is not None else form
        name = str(error.get("field", ""))
        target.add_error(name if name in target.fields else None, str(error["message"]))
        shown = True
    if not shown:
        form.add_error(None, exc.message)


def _duplicates(exc: ActionError, rows: list[tuple[int, Any]], user: User) -> list[dict[str, Any]]:
    """The possible duplicates, each with its row's form index and whether its case is
    one the counter sells to."""
    index: dict[object, str] = {number: f.prefix.rsplit("-", 1)[-1] for number, f in rows}
    counter = _counter_cases(user)
    return [
        {**d, "index": index.get(d.get("row")), "at_counter": d.get("case_id") in counter}
        for d in exc.errors
    ]


@login_required
def register(request: HttpRequest) -> HttpResponse:
    user = authed_user(request)
    policy.require(user, PERMISSION)
    duplicates: list[dict[str, Any]] = []
    if request.method == "POST":
        form, formset = _bind(request)
        if form.is_valid() and formset.is_valid():
            rows = _rows(formset)
            confirmed = [int(x) for x in request.POST.getlist("confirm_distinct") if x.isdigit()]
            try:
                case = register_travellers(
                    actor=user,
                    consent_date=form.cleaned_data["consent_date"],
                    consent_scope=form.cleaned_data["consent_scope"],
                    destination_country=form.cleaned_data["destination_country"],
                    people=[f.traveller(row=n) for n, f in rows],
                    confirmed_distinct=confirmed,
                )
            except ActionError as exc:
                if exc.code == "possible_duplicates":
                    duplicates = _duplicates(exc, rows, user)
                else:
                    _show_errors(exc, form, rows)
            else:
                messages.success(
                    request,
                    ngettext(
                        "Case %(number)s is open for %(n)d traveller. Choose the date.",
                        "Case %(number)s is open for %(n)d travellers. Choose the date.",
                        len(rows),
                    )
                    % {"number": case.file_number, "n": len(rows)},
                )
                return redirect("tickets:case", case_id=case.pk)
    else:
        form = forms.RegistrationForm(initial={"consent_date": timezone.localdate()})
        formset = forms.TravellerFormSet(
            prefix=PREFIX, initial=[{"relationship": Relationship.PRINCIPAL}]
        )
    context = {"form": form, "formset": formset, "duplicates": duplicates}
    return render(request, "tickets/register.html", context)


@login_required
@require_GET
def register_row(request: HttpRequest) -> HttpResponse:
    """One more empty row (htmx), with the formset's count and the next button."""
    user = authed_user(request)
    policy.require(user, PERMISSION)
    raw = request.GET.get("index", "")
    index = int(raw) if raw.isdigit() else 1
    index = min(index, MAX_TRAVELLERS - 1)
    row = forms.TravellerFormSet(prefix=PREFIX).empty_form
    row.prefix = f"{PREFIX}-{index}"
    context = {"row": row, "n": index + 1, "next": index + 1, "max": MAX_TRAVELLERS}
    return render(request, "tickets/register.html#new-row", context)
