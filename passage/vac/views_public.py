"""Public pages: no sign-in. Book, manage through a private link, track, the queue screen."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from datetime import date
from functools import wraps
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from passage.core.errors import ActionError
from passage.core.middleware import client_ip
from passage.vac import actions, queries, ratelimit
from passage.vac.choices import AppointmentStatus, Language
from passage.vac.forms import BookingForm, RescheduleForm, SlotChoiceForm, StatusForm
from passage.vac.ics import appointment_ics
from passage.vac.models import Appointment, Slot
from passage.vac.notify import appointment_link
from passage.vac.rules import centre_rules_on


def public(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Public pages answer politely while the centre has published no rules yet."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except ActionError as exc:
            if exc.code not in {"no_rules", "no_profile"}:
                raise
            return render(request, "vac/closed.html", status=503)

    return wrapper


def _grouped(slots: list[Slot]) -> OrderedDict[date, list[Slot]]:
    days: OrderedDict[date, list[Slot]] = OrderedDict()
    for slot in slots:
        days.setdefault(timezone.localtime(slot.starts_at).date(), []).append(slot)
    return days


def _slot_context(service: str, people: int) -> dict[str, Any]:
    slots = [s for s in queries.open_slots_for(service) if s.free >= people]
    return {
        "days": _grouped(slots),
        "next_release": queries.next_release(service),
        "people": people,
    }


@public
def home(request: HttpRequest) -> HttpResponse:
    rules = centre_rules_on(timezone.localdate())
    return render(request, "vac/home.html", {"rules": rules})


def _language() -> str:
    code = (translation.get_language() or "en")[:2]
    return code if code in Language.values else Language.EN


def _book(request: HttpRequest, form: BookingForm) -> Appointment | None:
    rules = centre_rules_on(timezone.localdate())
    data = form.cleaned_data
    if data["website"]:
        form.add_error(None, _("We could not take this booking. Please try again."))
        return None
    slot = Slot.objects.filter(pk=data["slot"] or 0, service=data["service"]).first()
    if slot is None:
        form.add_error(None, _("Choose a time."))
        return None
    try:
        ratelimit.check("vac.book.ip", client_ip(request) or "", rules.bookings_per_ip_hour)
        ratelimit.check("vac.book.email", data["email"].lower(), rules.bookings_per_email_hour)
        return actions.book_appointment(
            actor=None,
            slot=slot,
            people=data["people"],
            full_name=data["full_name"],
            email=data["email"],
            phone=data["phone"],
            date_of_birth=data["date_of_birth"],
            language=_language(),
        )
    except ActionError as exc:
        form.add_error(
            exc.field if exc.field in form.fields and exc.field != "slot" else None, exc.message
        )
        request.rate_limited = exc.code == "rate_limited"  # type: ignore[attr-defined]
        return None


@public
def book(request: HttpRequest) -> HttpResponse:
    """Choose a service and the number of people, then a time, then who you are."""
    form: SlotChoiceForm
    if request.method == "POST":
        form = BookingForm(request.POST)
        if form.is_valid():
            appointment = _book(request, form)
            if appointment is not None:
                return redirect("vac:manage", token=appointment.token)
    else:
        form = BookingForm(
            initial={
                "service": request.GET.get("service", "biometrics"),
                "people": request.GET.get("people", 1),
            }
        )
    choice = SlotChoiceForm(request.POST or request.GET or None)
    service, people = "biometrics", 1
    if choice.is_valid():
        service, people = choice.cleaned_data["service"], choice.cleaned_data["people"]
    context = {
        "form": form,
        "rules": centre_rules_on(timezone.localdate()),
        "chosen": str(request.POST.get("slot", "")),
        **_slot_context(service, people),
    }
    if request.htmx and request.method == "GET":  # type: ignore[attr-defined]
        return render(request, "vac/book.html#slots", context)
    status = (
        429
        if getattr(request, "rate_limited", False)
        else (400 if request.method == "POST" else 200)
    )
    return render(request, "vac/book.html", context, status=status)


def _appointment(token: str) -> Appointment:
    if len(token) < 20:
        raise Http404
    return get_object_or_404(Appointment.objects.select_related("slot"), token=token)


@public
def manage(request: HttpRequest, token: str) -> HttpResponse:
    appointment = _appointment(token)
    form = RescheduleForm()
    context: dict[str, Any] = {
        "appointment": appointment,
        "form": form,
        "rules": centre_rules_on(timezone.localdate()),
    }
    if appointment.status == AppointmentStatus.BOOKED:
        context.update(_slot_context(appointment.slot.service, appointment.people))
    return render(request, "vac/manage.html", context)


@public
@require_POST
def reschedule(request: HttpRequest, token: str) -> HttpResponse:
    appointment = _appointment(token)
    form = RescheduleForm(request.POST)
    slot = Slot.objects.filter(pk=request.POST.get("slot") or 0).first()
    if not form.is_valid() or slot is None:
        return _manage_error(request, appointment, _("Choose a new time."))
    try:
        actions.reschedule_appointment(actor=None, appointment=appointment, slot=slot)
    except ActionError as exc:
        return _manage_error(request, appointment, exc.message, exc.status)
    return redirect("vac:manage", token=token)


@public
@require_POST
def cancel(request: HttpRequest, token: str) -> HttpResponse:
    appointment = _appointment(token)
    try:
        actions.cancel_appointment(actor=None, appointment=appointment)
    except ActionError as exc:
        return _manage_error(request, appointment, exc.message, exc.status)
    return redirect("vac:manage", token=token)


def _manage_error(
    request: HttpRequest, appointment: Appointment, message: str, status: int = 400
) -> HttpResponse:
    context: dict[str, Any] = {
        "appointment": appointment,
        "error": message,
        "form": RescheduleForm(),
        "rules": centre_rules_on(timezone.localdate()),
    }
    if appointment.status == AppointmentStatus.BOOKED:
        context.update(_slot_context(appointment.slot.service, appointment.people))
    return render(request, "vac/manage.html", context, status=status)


@public
def ics(request: HttpRequest, token: str) -> HttpResponse:
    appointment = _appointment(token)
    rules = centre_rules_on(timezone.localdate())
    body = appointment_ics(appointment, rules, appointment_link(appointment))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{appointment.reference}.ics"'
    return response


@public
def status(request: HttpRequest) -> HttpResponse:
    """Reference and date of birth: where the passport is. POST keeps the birth date out of URLs."""
    form = StatusForm(request.POST or None)
    context: dict[str, Any] = {"form": form}
    code = 200
    if request.method == "POST" and form.is_valid():
        rules = centre_rules_on(timezone.localdate())
        try:
            ratelimit.check("vac.status.ip", client_ip(request) or "", rules.lookups_per_ip_hour)
        except ActionError as exc:
            form.add_error(None, exc.message)
            return render(request, "vac/status.html", context, status=429)
        result = queries.lookup_status(
            form.cleaned_data["reference"], form.cleaned_data["date_of_birth"]
        )
        context.update(result=result, searched=True)
        code = 200
    return render(request, "vac/status.html", context, status=code)


@public
def screen(request: HttpRequest) -> HttpResponse:
    """The waiting-room screen: numbers only, refreshed every few seconds."""
    context = {"queue": queries.queue(timezone.localdate())}
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "vac/screen.html#board", context)
    return render(request, "vac/screen.html", context)
