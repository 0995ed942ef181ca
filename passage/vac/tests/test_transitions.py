"""Every pair of statuses of appointments and tickets, against their tables."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from passage.core.errors import ActionError, TransitionError
from passage.vac import actions
from passage.vac.choices import (
    APPOINTMENT_MOVES,
    TICKET_MOVES,
    AppointmentStatus,
    TicketStatus,
)
from passage.vac.models import Application
from passage.vac.tests.factories import AppointmentFactory, SlotFactory, TicketFactory

pytestmark = pytest.mark.django_db


def _appointment_move(personas, appointment, target):
    officer = personas.vac_officer
    if target == AppointmentStatus.CHECKED_IN:
        return actions.check_in(actor=officer, appointment=appointment)
    if target == AppointmentStatus.MISSED:
        return actions.mark_missed(actor=officer, appointment=appointment)
    if target == AppointmentStatus.COMPLETED:
        return actions.complete_appointment(actor=officer, appointment=appointment)
    if target == AppointmentStatus.CANCELLED:
        return actions.cancel_appointment(actor=officer, appointment=appointment)
    raise TransitionError("no action moves back to booked")


@pytest.mark.parametrize("source", AppointmentStatus.values)
@pytest.mark.parametrize("target", AppointmentStatus.values)
def test_every_appointment_move_follows_the_table(centre, personas, source, target):
    now = timezone.now()
    starts = now - dt.timedelta(minutes=1)
    if timezone.localtime(starts).date() != timezone.localdate():
        starts = now  # just after midnight: keep it today
    appointment = AppointmentFactory(slot=SlotFactory(starts_at=starts), status=source)
    if target in APPOINTMENT_MOVES[source]:
        _appointment_move(personas, appointment, target)
        appointment.refresh_from_db()
        assert appointment.status == target
        assert appointment.history.filter(from_status=source, to_status=target).exists()
    else:
        with pytest.raises(ActionError):
            _appointment_move(personas, appointment, target)
        appointment.refresh_from_db()
        assert appointment.status == source


@pytest.mark.parametrize("source", TicketStatus.values)
@pytest.mark.parametrize("target", TicketStatus.values)
def test_every_ticket_move_follows_the_table(centre, personas, source, target):
    ticket = TicketFactory(status=source)
    if target in TICKET_MOVES[source]:
        actions.move_ticket(actor=personas.vac_officer, ticket=ticket, status=target)
        ticket.refresh_from_db()
        assert ticket.status == target
        assert ticket.history.filter(from_status=source, to_status=target).exists()
    else:
        with pytest.raises(TransitionError):
            actions.move_ticket(actor=personas.vac_officer, ticket=ticket, status=target)


def test_applications_list_query_budget(centre, personas, django_assert_max_num_queries):
    for i in range(6):
        application = actions.open_application(
            actor=personas.vac_officer,
            application_type="visitor",
            family=True,
            applicants=[
                actions.ApplicantIn(
                    given_names="A",
                    family_name=f"F{i}",
                    date_of_birth=dt.date(1990, 1, 1),
                    passport_number=f"P{i}{k}",
                )
                for k in range(2)
            ],
        )
        actions.receive_passport(
            actor=personas.vac_officer, applicant=application.applicants.all()[0]
        )
    client = personas.client("vac_officer")
    with django_assert_max_num_queries(12):
        response = client.get(reverse("vac:applications"))
    assert (
        response.content.decode().count("/vac/staff/applications/") >= Application.objects.count()
    )


def test_public_pages_are_polite_before_the_rules_exist(db):
    response = Client().get(reverse("vac:book"))
    assert response.status_code == 503
    assert b"not open yet" in response.content
