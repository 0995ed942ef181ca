"""Pages of flights and agreements: the departures calendar, a flight, manifests, agreements."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from passage.core import policy
from passage.core.errors import ActionError
from passage.core.models import User
from passage.core.utils import authed_user
from passage.movements import actions, manifests, notify, queries
from passage.movements.forms import AgreementForm, AgreementTermsForm, FareForm, FlightForm
from passage.movements.models import Agreement, Airline, Flight, Manifest, Notification


def _day(value: str | None) -> dt.date:
    try:
        return dt.date.fromisoformat(value) if value else timezone.localdate()
    except ValueError:
        return timezone.localdate()


@login_required
def calendar(request: HttpRequest) -> HttpResponse:
    user = authed_user(request)
    policy.require(user, "movements.view")
    start = _day(request.GET.get("from"))
    return render(
        request,
        "movements/calendar.html",
        {
            "start": start,
            "days": queries.calendar(user, start),
            "previous": start - dt.timedelta(days=31),
            "next": start + dt.timedelta(days=31),
            "ready": queries.ready_cases(user)[:50],
            "can_schedule": policy.has_permission(user, "movements.manage_flights"),
            "can_book": policy.has_permission(user, "movements.book"),
        },
    )


@login_required
def flight_detail(request: HttpRequest, flight_id: int) -> HttpResponse:
    user = authed_user(request)
    flight = policy.get_object_for(
        user, Flight.objects.select_related(*queries.FLIGHT_RELATED), flight_id
    )
    bookings = queries.bookings_on(user, flight)
    notes = list(Notification.objects.filter(booking__in=bookings).select_related("booking__case"))
    states = notify.outbox_states(notes)
    return render(
        request,
        "movements/flight.html",
        {
            "flight": flight,
            "loads": queries.block_loads(flight),
            "bookings": bookings,
            "manifests": Manifest.objects.filter(flight=flight).order_by("-version")[:20],
            "notifications": [(n, states.get(n.pk)) for n in notes],
        },
    )


@login_required
def manifest_file(request: HttpRequest, manifest_id: int, fmt: str) -> HttpResponse:
    user = authed_user(request)
    manifest = policy.get_object_for(
        user, Manifest.objects.select_related("flight__origin", "flight__airline"), manifest_id
    )
    if fmt not in ("pdf", "xlsx"):
        raise Http404
    manifests.record_download(actor=user, manifest=manifest, fmt=fmt)
    if fmt == "pdf":
        content, ctype = manifests.render_pdf(manifest), "application/pdf"
    else:
        content = manifests.render_xlsx(manifest)
        ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = HttpResponse(content, content_type=ctype)
    response["Content-Disposition"] = f'attachment; filename="{manifests.filename(manifest, fmt)}"'
    return response


def _local(value: dt.datetime, code: str) -> dt.datetime:
    from passage.movements import codes

    data = codes.airport_data(code) or {}
    zone = ZoneInfo(data.get("tz") or "UTC")
    return value.replace(tzinfo=zone) if timezone.is_naive(value) else value.astimezone(zone)


@login_required
def flight_new(request: HttpRequest) -> HttpResponse:
    user = authed_user(request)
    policy.require(user, "movements.manage_flights")
    form = FlightForm(request.POST or None)
    form.fields["airline"].queryset = policy.visible_to(Airline.objects.all(), user)  # type: ignore[attr-defined]
    form.fields["agreement"].queryset = queries.agreements(user)  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            flight = _schedule(user, data)
        except ActionError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Flight %(f)s is scheduled.") % {"f": flight.designator})
            return redirect("movements:flight", flight_id=flight.pk)
    return render(request, "movements/form.html", {"form": form, "title": _("Schedule a flight")})


def _schedule(user: User, data: dict[str, Any]) -> Flight:
    from django.db import transaction

    with transaction.atomic():
        origin = actions.ensure_airport(actor=user, code=data["origin"])
        destination = actions.ensure_airport(actor=user, code=data["destination"])
        flight = actions.schedule_flight(
            actor=user,
            airline=data["airline"],
            number=data["number"],
            origin=origin,
            destination=destination,
            departs_at=_local(data["departs"], origin.iata),
            arrives_at=_local(data["arrives"], destination.iata),
        )
        if data.get("agreement") and data.get("seats"):
            release = data.get("release") or (data["departs"] - dt.timedelta(days=3))
            actions.hold_seat_block(
                actor=user,
                flight=flight,
                agreement=data["agreement"],
                seats=data["seats"],
                release_at=_local(release, origin.iata),
            )
    return flight


@login_required
def agreement_list(request: HttpRequest) -> HttpResponse:
    user = authed_user(request)
    policy.require(user, "movements.view")
    return render(
        request,
        "movements/agreements.html",
        {
            "rows": queries.agreements(user),
            "can_manage": policy.has_permission(user, "movements.manage_agreements"),
        },
    )


@login_required
def agreement_detail(request: HttpRequest, agreement_id: int) -> HttpResponse:
    user = authed_user(request)
    agreement = policy.get_object_for(
        user, Agreement.objects.select_related("airline"), agreement_id
    )
    can_manage = policy.can(user, "movements.manage_agreements", agreement)
    form = FareForm(request.POST or None) if can_manage else None
    if form is not None and request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.set_fare(
                actor=user,
                agreement=agreement,
                origin=actions.ensure_airport(actor=user, code=data["origin"]),
                destination=actions.ensure_airport(actor=user, code=data["destination"]),
                passenger_type=data["passenger_type"],
                amount=data["amount"],
            )
        except ActionError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("The fare is saved."))
            return redirect("movements:agreement", agreement_id=agreement.pk)
    fares = agreement.fares.select_related("origin", "destination")
    return render(
        request,
        "movements/agreement.html",
        {"agreement": agreement, "fares": fares, "form": form, "can_manage": can_manage},
    )


@login_required
def agreement_new(request: HttpRequest) -> HttpResponse:
    user = authed_user(request)
    policy.require(user, "movements.manage_agreements")
    form = AgreementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        values = {
            k: v for k, v in form.cleaned_data.items() if k not in ("airline_code", "reference")
        }
        try:
            airline = actions.ensure_airline(actor=user, code=form.cleaned_data["airline_code"])
            agreement = actions.create_agreement(
                actor=user, airline=airline, reference=form.cleaned_data["reference"], **values
            )
        except ActionError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            return redirect("movements:agreement", agreement_id=agreement.pk)
    return render(
        request, "movements/form.html", {"form": form, "title": _("New airline agreement")}
    )


@login_required
def agreement_edit(request: HttpRequest, agreement_id: int) -> HttpResponse:
    user = authed_user(request)
    agreement = policy.get_object_for(
        user,
        Agreement.objects.select_related("airline"),
        agreement_id,
        "movements.manage_agreements",
    )
    form = AgreementTermsForm(request.POST or None, instance=agreement)
    if request.method == "POST" and form.is_valid():
        try:
            current = Agreement.objects.get(pk=agreement.pk)
            actions.update_agreement(actor=user, agreement=current, **form.cleaned_data)
        except ActionError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("The agreement is saved."))
            return redirect("movements:agreement", agreement_id=agreement.pk)
    return render(request, "movements/form.html", {"form": form, "title": agreement.reference})
