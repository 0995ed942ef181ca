"""The walk-in queue: tickets, calling the next one to a desk, finishing."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from passage.core import audit, workflow
from passage.core.errors import ActionError
from passage.core.models import User
from passage.vac.choices import TICKET_MOVES, Service, TicketStatus
from passage.vac.models import Appointment, Ticket, TicketChange


@transaction.atomic
def issue_ticket(
    *,
    actor: User,
    service: str,
    name: str = "",
    people: int = 1,
    appointment: Appointment | None = None,
) -> Ticket:
    """The next number of the day: A… for a booked applicant, W… for a walk-in."""
    if service not in Service.values:
        raise ActionError(_("Choose a service."), field="service")
    if people < 1 or people > 20:
        raise ActionError(_("A ticket is for 1 to 20 people."), field="people")
    day = timezone.localdate()
    prefix = "A" if appointment is not None else "W"
    for _attempt in range(5):
        last = Ticket.objects.filter(day=day, prefix=prefix).aggregate(n=Max("number"))["n"]
        ticket = Ticket(
            day=day,
            prefix=prefix,
            number=(last or 0) + 1,
            service=service,
            name=name.strip()[:200],
            people=people,
            appointment=appointment,
            issued_by=actor,
        )
        try:
            with transaction.atomic():
                ticket.save()
            break
        except IntegrityError:
            continue  # another desk took this number at the same moment
    else:
        raise ActionError(_("The queue is busy; try again."), code="busy")
    TicketChange.objects.create(ticket=ticket, to_status=ticket.status, actor=actor)
    audit.record(
        actor=actor,
        action="vac.ticket_issue",
        obj=ticket,
        after={"label": ticket.label, "service": service, "people": people},
    )
    return ticket


def _move(ticket: Ticket, target: str, actor: User) -> Ticket:
    workflow.check_transition(TICKET_MOVES, TicketStatus, ticket.status, target)
    before = ticket.status
    ticket.status = target
    now = timezone.now()
    if target == TicketStatus.SERVING:
        ticket.called_at = now
    if target in (TicketStatus.DONE, TicketStatus.LEFT):
        ticket.finished_at = now
    ticket.save()
    TicketChange.objects.create(ticket=ticket, from_status=before, to_status=target, actor=actor)
    audit.record(
        actor=actor,
        action=f"vac.ticket_{target}",
        obj=ticket,
        changes={"status": [before, target]},
        extra={"desk": ticket.desk},
    )
    return ticket


@transaction.atomic
def call_next(*, actor: User, desk: str, service: str = "") -> Ticket | None:
    """Call the longest-waiting ticket (booked applicants first) to ``desk``."""
    desk = desk.strip()
    if not desk:
        raise ActionError(_("Name your desk."), field="desk")
    waiting = Ticket.objects.select_for_update(skip_locked=True).filter(
        day=timezone.localdate(), status=TicketStatus.WAITING
    )
    if service:
        waiting = waiting.filter(service=service)
    ticket = waiting.order_by("prefix", "issued_at", "id").first()
    if ticket is None:
        return None
    ticket.desk = desk[:10]
    return _move(ticket, TicketStatus.SERVING, actor)


@transaction.atomic
def move_ticket(*, actor: User, ticket: Ticket, status: str) -> Ticket:
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if status == TicketStatus.WAITING:
        ticket.desk = ""
    return _move(ticket, status, actor)
