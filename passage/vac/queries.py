"""Read side of the centre: the public status lookup, the day, reports, custody ages."""

from __future__ import annotations

import hmac
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from passage.core import policy
from passage.core.policy import AnyUser
from passage.ledger import queries as ledger_queries
from passage.vac.choices import (
    IN_CUSTODY,
    PLACE_OF,
    AppointmentStatus,
    CustodyStatus,
    Place,
    TicketStatus,
)
from passage.vac.models import Applicant, Appointment, Custody, Slot, Ticket
from passage.vac.rules import centre_rules_on

DUMMY_DOB = date(1900, 1, 1)


def normalise_reference(text: str) -> str:
    raw = "".join(ch for ch in text.upper() if ch.isalnum())
    return f"{raw[:3]}-{raw[3:6]}-{raw[6:]}" if len(raw) == 9 else text.strip().upper()


@dataclass
class PublicLine:
    label: str
    status: str
    place: str = ""
    since: datetime | None = None


@dataclass
class PublicStatus:
    reference: str
    lines: list[PublicLine] = field(default_factory=list)


def _same(a: date, b: date) -> bool:
    return hmac.compare_digest(a.isoformat(), b.isoformat())


def _passport_line(number: int, applicant: Applicant) -> PublicLine:
    label = _("Passport %(n)s") % {"n": number}
    custody: Custody | None = getattr(applicant, "custody", None)
    if custody is None:
        return PublicLine(label, _("Application taken in; passport not yet received"))
    return PublicLine(
        label,
        str(CustodyStatus(custody.status).label),
        str(Place(PLACE_OF[custody.status]).label),
        custody.since,
    )


def lookup_status(reference: str, date_of_birth: date) -> PublicStatus | None:
    """Where the application and passports are, for the reference and a matching birth date.

    A wrong date of birth and an unknown reference give the same answer (None)
    after the same queries. Nothing personal is returned: no names, no numbers.
    """
    ref = normalise_reference(reference)
    appointment = Appointment.objects.select_related("slot").filter(reference=ref).first()
    applicants = list(
        Applicant.objects.filter(application__reference=ref)
        .select_related("custody")
        .order_by("id")
    )
    same_as_booker = _same(appointment.date_of_birth if appointment else DUMMY_DOB, date_of_birth)
    booker = appointment is not None and same_as_booker
    matched = [i for i, a in enumerate(applicants, 1) if _same(a.date_of_birth, date_of_birth)]
    if not booker and not matched:
        return None
    result = PublicStatus(reference=ref)
    if appointment is not None and booker:  # both, for the type checker
        result.lines.append(
            PublicLine(
                _("Appointment"),
                str(AppointmentStatus(appointment.status).label),
                since=appointment.slot.starts_at,
            )
        )
    shown = range(1, len(applicants) + 1) if booker else matched
    for number in shown:
        result.lines.append(_passport_line(number, applicants[number - 1]))
    return result


def staff_visible(queryset: QuerySet[Appointment], user: AnyUser) -> QuerySet[Appointment]:
    return policy.visible_to(queryset, user)


def day_schedule(user: AnyUser, day: date) -> QuerySet[Appointment]:
    rows = (
        Appointment.objects.select_related("slot", "ticket", "application")
        .filter(slot__starts_at__date=day)
        .exclude(status=AppointmentStatus.CANCELLED)
    )
    return policy.visible_to(rows, user).order_by("slot__starts_at", "id")


def open_slots_for(service: str, *, now: datetime | None = None) -> QuerySet[Slot]:
    """Released, future slots with room, within the booking horizon."""
    now = now or timezone.now()
    rules = centre_rules_on(timezone.localdate())
    horizon = timezone.localdate() + timedelta(days=rules.horizon_days)
    return Slot.objects.filter(
        service=service,
        release_at__lte=now,
        starts_at__gt=now,
        starts_at__date__lte=horizon,
        booked__lt=F("capacity"),
    ).order_by("starts_at")


def next_release(service: str, *, now: datetime | None = None) -> datetime | None:
    now = now or timezone.now()
    upcoming = Slot.objects.filter(service=service, release_at__gt=now).order_by("release_at")
    first = upcoming.values_list("release_at", flat=True).first()
    return first


def queue(day: date) -> dict[str, list[Ticket]]:
    tickets = (
        Ticket.objects.filter(day=day)
        .exclude(status__in=[TicketStatus.DONE, TicketStatus.LEFT])
        .order_by("prefix", "issued_at", "id")
    )
    grouped: dict[str, list[Ticket]] = {"waiting": [], "serving": []}
    for ticket in tickets:
        grouped["serving" if ticket.status == TicketStatus.SERVING else "waiting"].append(ticket)
    grouped["serving"].sort(key=lambda t: t.called_at or t.issued_at, reverse=True)
    return grouped


@dataclass
class CustodyRow:
    custody: Custody
    days_held: int
    days_in_status: int
    overdue: bool


def custody_report(user: AnyUser, *, now: datetime | None = None) -> list[CustodyRow]:
    """Every passport in custody, oldest first, flagged when held too long."""
    now = now or timezone.now()
    rules = centre_rules_on(timezone.localdate())
    rows = policy.visible_to(
        Custody.objects.select_related("applicant__application", "batch").filter(
            status__in=IN_CUSTODY
        ),
        user,
    ).order_by("received_at", "id")
    result = []
    for custody in rows:
        held = (now - custody.received_at).days
        in_status = (now - custody.since).days
        overdue = held > rules.held_too_long_days or (
            custody.status == CustodyStatus.RECEIVED and in_status > rules.forward_within_days
        )
        result.append(CustodyRow(custody, held, in_status, overdue))
    return result


@dataclass
class DayFigures:
    day: date
    booked: int = 0
    kept: int = 0
    missed: int = 0
    cancelled: int = 0
    open: int = 0
    walk_ins: int = 0
    people_served: int = 0


def activity_report(user: AnyUser, start: date, end: date) -> list[DayFigures]:
    """Appointments kept and missed, and walk-ins, per day."""
    days = {
        start + timedelta(days=i): DayFigures(start + timedelta(days=i))
        for i in range((end - start).days + 1)
    }
    appointments = policy.visible_to(Appointment.objects.all(), user).filter(
        slot__starts_at__date__range=(start, end)
    )
    tz = timezone.get_current_timezone()
    for starts_at, status in appointments.values_list("slot__starts_at", "status"):
        figures = days[timezone.localtime(starts_at, tz).date()]
        figures.booked += 1
        if status in (AppointmentStatus.CHECKED_IN, AppointmentStatus.COMPLETED):
            figures.kept += 1
        elif status == AppointmentStatus.MISSED:
            figures.missed += 1
        elif status == AppointmentStatus.CANCELLED:
            figures.cancelled += 1
        else:
            figures.open += 1
    tickets = policy.visible_to(Ticket.objects.all(), user).filter(day__range=(start, end))
    counted = (
        tickets.values("day")
        .annotate(
            walk_ins=Count("id", filter=Q(prefix="W")),
            served=Sum("people", filter=Q(status=TicketStatus.DONE)),
        )
        .values_list("day", "walk_ins", "served")
    )
    for day, walk_ins, served in counted:
        days[day].walk_ins = walk_ins
        days[day].people_served = served or 0
    return list(days.values())


def fees_report(start: date, end: date) -> list[tuple[date, dict[str, Decimal]]]:
    """Money taken per day and currency tendered, from the ledger (the centre's accounts)."""
    result = []
    day = start
    while day <= end:
        rows = ledger_queries.takings(day, prefix="vac.")
        result.append((day, ledger_queries.totals_by_currency(rows)))
        day += timedelta(days=1)
    return result


def custody_counts(user: AnyUser) -> Counter[str]:
    rows = policy.visible_to(Custody.objects.all(), user).values_list("status", flat=True)
    return Counter(rows)
