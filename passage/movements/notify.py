"""Notifications to receiving parties and transit-assistance requests, through the outbox.

Which notifications a destination uses is data: the ``NotificationTemplate`` rows of
that country (Canada: advance booking notification and notification of arrival; the
United States: travel notification; European countries: booking letter); the
itinerary change goes to every destination. Each message is queued with
``passage.outbox.actions.queue_email`` in the caller's transaction, with the case's
own manifest rows attached as PDF (a receiving party sees only its own travellers).
The outbox sends it after commit, retries with back-off, and keeps its state.
"""

from __future__ import annotations

import datetime as dt
from importlib import import_module
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from passage.core import audit
from passage.core.errors import ActionError, ConflictError
from passage.core.models import User
from passage.movements import manifests
from passage.movements.booking import itinerary_text
from passage.movements.choices import BookingStatus, NotificationKind, TransitStatus
from passage.movements.models import (
    Booking,
    Manifest,
    Notification,
    NotificationTemplate,
    TransitOffice,
    TransitRequest,
)
from passage.profiles import queries as profiles
from passage.registry.actions import transition_case
from passage.registry.choices import CaseStatus

ALL_DESTINATIONS = frozenset({NotificationKind.ITINERARY_CHANGE})


def _queue_email(**kwargs: Any) -> Any:
    try:
        outbox = import_module("passage.outbox.actions")
    except ImportError:
        raise ActionError(
            _("The outbox is not installed: notifications cannot be queued."), code="no_outbox"
        ) from None
    return outbox.queue_email(**kwargs)


def outbox_states(notifications: list[Notification]) -> dict[int, dict[str, Any]]:
    """``{notification_id: {"status", "error", "sent_at", "acknowledged_at"}}``; one query."""
    try:
        models = import_module("passage.outbox.models")
    except ImportError:
        return {}
    ids = [n.outbox_id for n in notifications if n.outbox_id]
    messages = {m.pk: m for m in models.OutboxMessage.objects.filter(pk__in=ids)}
    states = {}
    for n in notifications:
        m = messages.get(n.outbox_id)
        if m is not None:
            states[n.pk] = {
                "status": m.status,
                "label": m.get_status_display(),
                "error": m.last_error,
                "sent_at": m.sent_at,
                "acknowledged_at": m.acknowledged_at,
            }
    return states


def kinds_for(booking: Booking) -> list[str]:
    country = booking.case.destination_country
    found = set(NotificationTemplate.objects.filter(country=country).values_list("kind", flat=True))
    found |= ALL_DESTINATIONS
    return [
        k
        for k in NotificationKind.values
        if k in found and k != NotificationKind.TRANSIT_ASSISTANCE
    ]


def template_for(kind: str, country: str, language: str) -> NotificationTemplate:
    rows = {
        (t.country, t.language): t
        for t in NotificationTemplate.objects.filter(kind=kind, country__in=[country, ""])
    }
    for key in ((country, language), (country, "en"), ("", language), ("", "en")):
        if key in rows:
            return rows[key]
    raise ActionError(
        _("No “%(kind)s” template for %(country)s: add one first.")
        % {"kind": NotificationKind(kind).label, "country": country},
        code="no_template",
        field="kind",
    )


def _context(booking: Booking) -> dict[str, str]:
    flights = [
        leg.flight
        for leg in booking.legs.select_related(
            "flight__airline", "flight__origin", "flight__destination"
        )
    ]
    return {
        "case": booking.case.file_number,
        "pnr": booking.pnr or "—",
        "itinerary": itinerary_text(flights),
        "departure": f"{flights[0].departs_local:%Y-%m-%d %H:%M} {flights[0].origin_code}",
        "arrival": f"{flights[-1].arrives_local:%Y-%m-%d %H:%M} {flights[-1].destination_code}",
        "travellers": str(booking.travellers.count()),
        "names": ", ".join(f"{t.surname} {t.given_names}" for t in booking.travellers.all()),
    }


class _Safe(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def case_manifest_pdf(booking: Booking) -> tuple[str, bytes, str]:
    """The case's own rows of the first leg's latest manifest, as PDF."""
    leg = booking.legs.select_related("flight__origin", "flight__airline").first()
    if leg is None:
        raise ActionError(_("The booking has no flights."))
    latest = manifests.latest(leg.flight)
    rows = [r for r in (latest.rows if latest else []) if r.get("case") == booking.case.file_number]
    if not rows:
        rows = manifests.rows_for(leg.flight)
        rows = [r for r in rows if r.get("case") == booking.case.file_number]
    view = Manifest(
        flight=leg.flight,
        version=latest.version if latest else 0,
        rows=rows,
        created_at=timezone.now(),
    )
    name = f"manifest-{booking.case.file_number}-{leg.flight.designator}.pdf"
    return name, manifests.render_pdf(view), "application/pdf"


def check_lead_time(booking: Booking, kind: str, today: dt.date | None = None) -> None:
    """Canada's notification of arrival goes out at least N working days before arrival."""
    if kind != NotificationKind.ARRIVAL:
        return
    case = booking.case
    profile = profiles.profile_for(case.destination_country, case.programme, booking.departure_date)
    latest = profiles.latest_arrival_notification(profile, booking.arrival_date)
    today = today or timezone.localdate()
    if latest is not None and today > latest:
        raise ConflictError(
            _(
                "The notification of arrival had to go out by %(latest)s (%(n)d working days "
                "before arrival on %(arrival)s); move the arrival date."
            )
            % {
                "latest": latest.isoformat(),
                "n": profile.arrival_notification_working_days,
                "arrival": booking.arrival_date.isoformat(),
            },
            code="lead_time",
            field="kind",
        )


def _manifest_version(booking: Booking) -> int | None:
    leg = booking.legs.select_related("flight").first()
    latest = manifests.latest(leg.flight) if leg is not None else None
    return latest.version if latest is not None else None


@transaction.atomic
def notify(*, actor: User, booking: Booking, kind: str, language: str = "en") -> Notification:
    """Queue one notification to the case's receiving party, manifest attached."""
    if booking.status not in (BookingStatus.BOOKED, BookingStatus.DEPARTED):
        raise ConflictError(_("The booking is not open."), field="booking")
    if kind not in kinds_for(booking):
        raise ActionError(
            _("%(country)s does not use “%(kind)s”.")
            % {"country": booking.case.destination_country, "kind": NotificationKind(kind).label},
            field="kind",
        )
    party = booking.case.receiving_party
    if party is None or not party.email:
        raise ActionError(
            _("Case %(case)s has no receiving party with an e-mail address.")
            % {"case": booking.case.file_number},
            code="no_recipient",
            field="receiving_party",
        )
    check_lead_time(booking, kind)
    template = template_for(kind, booking.case.destination_country, language)
    values = _Safe(_context(booking))
    message = _queue_email(
        actor=actor,
        to=[party.email],
        subject=template.subject.format_map(values),
        body=template.body.format_map(values),
        attachments=[case_manifest_pdf(booking)],
        related=booking,
        kind=f"movements.{kind}",
    )
    note = Notification.objects.create(
        booking=booking,
        kind=kind,
        to=[party.email],
        outbox_id=message.pk,
        created_by=actor,
        manifest_version=_manifest_version(booking),
    )
    audit.record(
        actor=actor, action="movements.notify", obj=note, extra={"kind": kind, "to": [party.email]}
    )
    if booking.case.status == CaseStatus.BOOKED:
        transition_case(
            actor=actor,
            case=booking.case,
            to=CaseStatus.PARTNERS_NOTIFIED,
            reason=str(NotificationKind(kind).label),
        )
    return note


@transaction.atomic
def request_transit_assistance(*, actor: User, booking: Booking) -> list[TransitRequest]:
    """For each transit airport, a request to the agency's office there, by e-mail."""
    legs = list(booking.legs.select_related("flight__origin", "flight__airline"))
    transit = [leg.flight.origin for leg in legs[1:]]
    if not transit:
        raise ActionError(_("The itinerary has no transit airport."), field="booking")
    offices = {o.airport_id: o for o in TransitOffice.objects.filter(airport__in=transit)}
    missing = [a.iata for a in transit if a.pk not in offices]
    if missing:
        raise ActionError(
            _("No agency office is recorded at %(airports)s.") % {"airports": ", ".join(missing)},
            code="no_transit_office",
            field="airport",
        )
    needs = "; ".join(
        f"{t.surname} {t.given_names}: {' '.join(t.ssr_codes)}"
        for t in booking.travellers.all()
        if t.ssr_codes
    )
    values = _Safe(_context(booking))
    template = template_for(NotificationKind.TRANSIT_ASSISTANCE, "", "en")
    requests = []
    for airport in transit:
        request = TransitRequest.objects.create(booking=booking, airport=airport, needs=needs)
        values["airport"] = airport.iata
        values["needs"] = needs or "—"
        _queue_email(
            actor=actor,
            to=[offices[airport.pk].email],
            subject=template.subject.format_map(values),
            body=template.body.format_map(values),
            attachments=[case_manifest_pdf(booking)],
            related=request,
            kind="movements.transit_assistance",
        )
        audit.record(actor=actor, action="movements.transit_request", obj=request)
        requests.append(request)
    return requests


@transaction.atomic
def confirm_transit(*, actor: User, request: TransitRequest, confirmed_by: str) -> TransitRequest:
    if request.status != TransitStatus.REQUESTED:
        raise ConflictError(_("This request is not open."), field="status")
    if not confirmed_by.strip():
        raise ActionError(_("Say who confirmed."), field="confirmed_by")
    request.status = TransitStatus.CONFIRMED
    request.confirmed_at = timezone.now()
    request.confirmed_by = confirmed_by.strip()
    request.save(update_fields=["status", "confirmed_at", "confirmed_by"])
    audit.record(
        actor=actor,
        action="movements.transit_confirm",
        obj=request,
        changes={"status": [TransitStatus.REQUESTED, TransitStatus.CONFIRMED]},
    )
    return request
