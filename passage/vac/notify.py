"""Messages to applicants, queued through the outbox after the action commits.

The outbox (``passage.outbox.actions.queue_email`` / ``queue_sms``) delivers and
retries; its SMS sender only logs unless a gateway is configured. Call these
functions inside the action's transaction. A phone number that is not a
possible number (read as Kyrgyz when it has no +) gets no SMS, and the action
goes on: a bad phone number must not lose a booking.
"""

from __future__ import annotations

import logging
from typing import Any

import phonenumbers
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from passage.core.models import User
from passage.outbox import actions as outbox_actions
from passage.vac.choices import CustodyStatus
from passage.vac.ics import appointment_ics
from passage.vac.models import Appointment, Custody
from passage.vac.rules import centre_rules_on

log = logging.getLogger(__name__)


def outbox() -> Any:
    """The outbox's actions (a function, so tests can watch the calls)."""
    return outbox_actions


def phone_for_sms(phone: str, region: str = "KG") -> str | None:
    """The number in international form, or None when it cannot be a phone number."""
    try:
        number = phonenumbers.parse(phone, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def appointment_link(appointment: Appointment) -> str:
    rules = centre_rules_on(appointment.slot.starts_at.date())
    base = rules.public_url.rstrip("/")
    return base + reverse("vac:manage", kwargs={"token": appointment.token})


def _email(
    *,
    actor: User | None,
    to: str,
    subject: str,
    template: str,
    context: dict[str, Any],
    language: str,
    related: Any,
    kind: str,
    attachments: list[tuple[str, bytes, str]] | None = None,
) -> bool:
    module = outbox()
    with translation.override(language):
        body = render_to_string(template, context)
        subject = str(subject)
    module.queue_email(
        actor=actor,
        to=[to],
        subject=subject,
        body=body,
        attachments=attachments or [],
        related=related,
        kind=kind,
    )
    return True


def _sms(*, actor: User | None, to: str, text: str, related: Any, kind: str) -> bool:
    number = phone_for_sms(to) if to else None
    if number is None:
        if to:
            log.info("no SMS for %s: %r is not a phone number", kind, to)
        return False
    outbox().queue_sms(actor=actor, to=number, text=text, related=related, kind=kind)
    return True


def appointment_changed(appointment: Appointment, *, actor: User | None, event: str) -> bool:
    """Booked, rescheduled or cancelled: an e-mail with the .ics and the private link."""
    rules = centre_rules_on(appointment.slot.starts_at.date())
    link = appointment_link(appointment)
    with translation.override(appointment.language):
        subjects = {
            "booked": _("Your appointment %(ref)s is booked"),
            "rescheduled": _("Your appointment %(ref)s has a new time"),
            "cancelled": _("Your appointment %(ref)s is cancelled"),
        }
        subject = subjects[event] % {"ref": appointment.reference}
    ics = appointment_ics(appointment, rules, link)
    if appointment.phone:
        with translation.override(appointment.language):
            when = timezone.localtime(appointment.slot.starts_at).strftime("%Y-%m-%d %H:%M")
            text = f"{subject}. {when}. {link}" if event != "cancelled" else subject
        _sms(
            actor=actor,
            to=appointment.phone,
            text=text,
            related=appointment,
            kind=f"vac.appointment_{event}",
        )
    return _email(
        actor=actor,
        to=appointment.email,
        subject=subject,
        template="vac/email/appointment.txt",
        context={
            "appointment": appointment,
            "slot": appointment.slot,
            "link": link,
            "rules": rules,
            "event": event,
        },
        language=appointment.language,
        related=appointment,
        kind=f"vac.appointment_{event}",
        attachments=[(f"{appointment.reference}.ics", ics, "text/calendar")],
    )


NOTIFY_CUSTODY = {
    CustodyStatus.RECEIVED,
    CustodyStatus.FORWARDED,
    CustodyStatus.READY,
    CustodyStatus.COLLECTED,
    CustodyStatus.COURIERED,
}


def custody_changed(custody: Custody, *, actor: User | None) -> bool:
    """Tell the applicant where the passport is now (no personal detail in the message)."""
    if custody.status not in NOTIFY_CUSTODY:
        return False
    application = custody.applicant.application
    if not application.email and not application.phone:
        return False
    with translation.override(application.language):
        status = str(CustodyStatus(custody.status).label)
        subject = _("Passport update for %(ref)s: %(status)s") % {
            "ref": application.reference,
            "status": status,
        }
        text = subject
    sent = False
    if application.email:
        sent = _email(
            actor=actor,
            to=application.email,
            subject=subject,
            template="vac/email/custody.txt",
            context={"application": application, "custody": custody, "status": status},
            language=application.language,
            related=custody,
            kind=f"vac.custody_{custody.status}",
        )
    if application.phone:
        sent = (
            _sms(
                actor=actor,
                to=application.phone,
                text=text,
                related=custody,
                kind=f"vac.custody_{custody.status}",
            )
            or sent
        )
    return sent
