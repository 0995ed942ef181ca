"""Pages of bookings: the booking wizard, a booking, and the departure-day screen."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from passage.core import policy
from passage.core.errors import ActionError
from passage.core.utils import authed_user
from passage.movements import booking as bk
from passage.movements import departure, notify, queries
from passage.movements.choices import NotificationKind
from passage.movements.forms import (
    ArrivalForm,
    BookingForm,
    ReasonForm,
    RebookForm,
    ReferenceForm,
    TravellerDocumentForm,
)
from passage.movements.models import Booking, Notification, TransitRequest, Traveller
from passage.movements.views import _day
from passage.registry.models import Case, Membership


@login_required
def book(request: HttpRequest, case_id: int) -> HttpResponse:
    """The booking wizard: agreement, flights in order, travellers, escort; refusals shown."""
    user = authed_user(request)
    case = policy.get_object_for(user, Case, case_id, "movements.book")
    people = [
        m.person
        for m in Membership.objects.filter(case=case, ended_at__isnull=True).select_related(
            "person"
        )
    ]
    flights = queries.flights(user).filter(pk__in=[f.pk for f in queries.bookable_flights(user)])
    form = BookingForm(
        request.POST or None,
        agreements=queries.agreements(user, timezone.localdate()),
        flights=flights.order_by("departs_at"),
        people=people,
        initial={"people": [str(p.pk) for p in people]},
    )
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chosen = sorted(data["flights"], key=lambda f: f.departs_at)
        wanted = {int(pk) for pk in data["people"]}
        escorts = []
        if data["escort_role"]:
            escorts.append(
                bk.Escort(
                    data["escort_role"],
                    data["escort_surname"],
                    data["escort_given_names"],
                    document=data["escort_document"],
                )
            )
        try:
            booking = bk.book_case(
                actor=user,
                case=case,
                agreement=data["agreement"],
                flights=chosen,
                people=[p for p in people if p.pk in wanted] if wanted else None,
                split_reason=data["split_reason"],
                escorts=escorts,
            )
        except ActionError as exc:
            errors = [exc.message]
            if exc.errors:
                errors = [str(e.get("message", "")) for e in exc.errors]
                errors.insert(0, _("Booking refused:"))
        else:
            messages.success(request, _("Case %(case)s is booked.") % {"case": case.file_number})
            return redirect("movements:booking", booking_id=booking.pk)
    return render(request, "movements/book.html", {"case": case, "form": form, "errors": errors})


@login_required
def booking_detail(request: HttpRequest, booking_id: int) -> HttpResponse:
    user = authed_user(request)
    booking = policy.get_object_for(user, queries.bookings(user), booking_id)
    notes = list(Notification.objects.filter(booking=booking))
    states = notify.outbox_states(notes)
    staff = policy.can(user, "movements.departure", booking)
    return render(
        request,
        "movements/booking.html",
        {
            "booking": booking,
            "travellers": booking.travellers.select_related("on_lap_of"),
            "history": booking.history.select_related("actor"),
            "notifications": [(n, states.get(n.pk)) for n in notes],
            "transits": TransitRequest.objects.filter(booking=booking).select_related("airport"),
            "kinds": [(k, NotificationKind(k).label) for k in notify.kinds_for(booking)]
            if staff
            else [],
            "previous": booking.replaces,
            "staff": staff,
            "reference_form": ReferenceForm(initial={"pnr": booking.pnr}),
            "reason_form": ReasonForm(),
            "arrival_form": ArrivalForm(),
            "loan_refusal": departure.loan_refusal(booking) if staff else None,
            "pregnancy_notices": departure.pregnancy_notices(booking) if staff else [],
        },
    )


def _booking_action(
    request: HttpRequest, booking_id: int, run: Callable[[Any, Booking, Any], Any], done: str
) -> HttpResponse:
    user = authed_user(request)
    booking = policy.get_object_for(user, queries.bookings(user), booking_id, "movements.departure")
    try:
        run(user, booking, request.POST)
    except ActionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    target = request.POST.get("next") or ""
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect("movements:booking", booking_id=booking.pk)


def _reason_action(name: str) -> Callable[[Any, Booking, Any], Any]:
    def run(user: Any, booking: Booking, post: Any) -> Any:
        form = ReasonForm(post)
        if not form.is_valid():
            raise ActionError(_("Give the reason and where the case goes back to."), field="reason")
        action = getattr(departure, name)
        return action(
            actor=user,
            booking=booking,
            reason=form.cleaned_data["reason"],
            back_to=form.cleaned_data["back_to"],
        )

    return run


ACTIONS: dict[str, tuple[Callable[[Any, Booking, Any], Any], Any]] = {
    "fit": (
        lambda u, b, p: departure.mark_fit_to_travel(actor=u, booking=b),
        gettext_lazy("Fit to travel recorded."),
    ),
    "departed": (
        lambda u, b, p: departure.mark_departed(actor=u, booking=b),
        gettext_lazy("Departed."),
    ),
    "in_transit": (
        lambda u, b, p: departure.mark_in_transit(actor=u, booking=b),
        gettext_lazy("In transit."),
    ),
    "arrived": (
        lambda u, b, p: departure.mark_arrived(
            actor=u, booking=b, confirmation=p.get("confirmation", "")
        ),
        gettext_lazy("Arrived."),
    ),
    "no_show": (_reason_action("mark_no_show"), gettext_lazy("Marked as no-show.")),
    "offloaded": (_reason_action("mark_offloaded"), gettext_lazy("Marked as offloaded.")),
    "postpone": (_reason_action("postpone"), gettext_lazy("Postponed.")),
    "interrupted": (_reason_action("mark_interrupted"), gettext_lazy("Travel interrupted.")),
    "reference": (
        lambda u, b, p: departure.set_booking_reference(actor=u, booking=b, pnr=p.get("pnr", "")),
        gettext_lazy("PNR saved."),
    ),
    "notify": (
        lambda u, b, p: notify.notify(actor=u, booking=b, kind=p.get("kind", "")),
        gettext_lazy("Notification queued."),
    ),
    "transit": (
        lambda u, b, p: notify.request_transit_assistance(actor=u, booking=b),
        gettext_lazy("Transit assistance requested."),
    ),
}


@login_required
@require_POST
def booking_action(request: HttpRequest, booking_id: int, action: str) -> HttpResponse:
    if action not in ACTIONS:
        return HttpResponse(status=404)
    run, done = ACTIONS[action]
    return _booking_action(request, booking_id, run, str(done))


@login_required
@require_POST
def check_in(request: HttpRequest, traveller_id: int) -> HttpResponse:
    user = authed_user(request)
    traveller = Traveller.objects.select_related("booking").filter(pk=traveller_id).first()
    if traveller is None:
        return HttpResponse(status=404)
    booking = policy.get_object_for(user, Booking, traveller.booking_id, "movements.departure")
    error = ""
    try:
        departure.check_in(
            actor=user, traveller=traveller, checked_in=request.POST.get("checked_in") == "1"
        )
    except ActionError as exc:
        error = exc.message
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "movements/day.html#traveller", {"t": traveller, "error": error})
    if error:
        messages.error(request, error)
    return redirect(f"{_day_url()}?date={booking.departure_date.isoformat()}")


def _day_url() -> str:
    from django.urls import reverse

    return reverse("movements:day")


@login_required
def departure_day(request: HttpRequest) -> HttpResponse:
    """The departure-day screen, for a tablet at the airport."""
    user = authed_user(request)
    policy.require(user, "movements.departure")
    day = _day(request.GET.get("date"))
    return render(
        request,
        "movements/day.html",
        {
            "day": day,
            "departures": queries.departures_on(user, day),
            "in_flight": queries.in_flight(user),
            "reason_form": ReasonForm(),
            "arrival_form": ArrivalForm(),
        },
    )


@login_required
def rebook(request: HttpRequest, booking_id: int) -> HttpResponse:
    """Move a booked case to other flights; the old booking stays as history."""
    user = authed_user(request)
    booking = policy.get_object_for(user, queries.bookings(user), booking_id, "movements.book")
    upcoming = [f.pk for f in queries.bookable_flights(user, booking.agreement)]
    flights = queries.flights(user).filter(pk__in=upcoming).order_by("departs_at")
    form = RebookForm(request.POST or None, flights=flights)
    if request.method == "POST" and form.is_valid():
        chosen = sorted(form.cleaned_data["flights"], key=lambda f: f.departs_at)
        try:
            new = bk.rebook(actor=user, booking=booking, flights=chosen,
                            reason=form.cleaned_data["reason"])  # fmt: skip
        except ActionError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request, _("Case %(case)s is rebooked.") % {"case": booking.case.file_number}
            )
            return redirect("movements:booking", booking_id=new.pk)
    return render(request, "movements/form.html", {"form": form, "title": _("Rebook")})


@login_required
@require_POST
def transit_confirm(request: HttpRequest, request_id: int) -> HttpResponse:
    user = authed_user(request)
    found = policy.get_object_for(user, TransitRequest, request_id, "movements.departure")
    try:
        notify.confirm_transit(actor=user, request=found,
                               confirmed_by=request.POST.get("confirmed_by", ""))  # fmt: skip
    except ActionError as exc:
        messages.error(request, exc.message)
    return redirect("movements:booking", booking_id=found.booking_id)


@login_required
@require_POST
def traveller_document(request: HttpRequest, traveller_id: int) -> HttpResponse:
    user = authed_user(request)
    traveller = Traveller.objects.select_related("booking").filter(pk=traveller_id).first()
    if traveller is None:
        return HttpResponse(status=404)
    policy.get_object_for(user, Booking, traveller.booking_id, "movements.book")
    form = TravellerDocumentForm(request.POST)
    try:
        if not form.is_valid():
            raise ActionError(_("Give the travel document."), field="document")
        departure.set_traveller_document(actor=user, traveller=traveller,
                                         document=form.cleaned_data["document"])  # fmt: skip
    except ActionError as exc:
        messages.error(request, exc.message)
    return redirect("movements:booking", booking_id=traveller.booking_id)
