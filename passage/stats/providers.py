"""Pipeline panels from the queries other apps already provide, when those apps are installed.

Each panel calls the owning app's own query with the signed-in user, so the app's
policy decides what is seen. A panel appears only when the app and its query exist;
apps may also register panels themselves (:mod:`passage.stats.panels`).
"""

from __future__ import annotations

import datetime as dt
from importlib import import_module
from typing import Any

from django.apps import apps
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from passage.core.policy import AnyUser
from passage.stats.panels import Panel, register

EXPIRY_DAYS = 30
ACTIVITY_DAYS = 14
UPCOMING_DAYS = 30


def _query(app: str, module: str, name: str) -> Any:
    if not apps.is_installed(f"passage.{app}"):
        return None
    try:
        return getattr(import_module(f"passage.{app}.{module}"), name, None)
    except ImportError:
        return None


def expiring_clearances_rows(user: AnyUser) -> dict[str, Any]:
    """Medical clearances ending in the next 30 days: case, destination, valid until.

    Assessments are medical detail to the health app (``health.view_detail``): the panel
    shows to the users that policy lets see them, and the read is audited like the health
    app's own lists.
    """
    query = _query("health", "queries", "expiring_clearances")
    rows = query(user, EXPIRY_DAYS) if query else []
    audit_read = _query("health", "queries", "audit_list_read")
    if rows and audit_read is not None:  # the health app audits every list of assessments
        audit_read(user, rows, via="stats.pipeline")
    return {
        "columns": [_("Case"), _("Destination"), _("Valid for departure until"), _("Status")],
        "rows": [
            [a.case.file_number, a.destination_country, a.valid_until, a.get_status_display()]
            for a in rows
        ],
    }


def vac_activity_rows(user: AnyUser) -> dict[str, Any]:
    """Appointments and walk-ins of the visa application centre, day by day, two weeks back."""
    query = _query("vac", "queries", "activity_report")
    today = timezone.localdate()
    days = query(user, today - dt.timedelta(days=ACTIVITY_DAYS - 1), today) if query else []
    return {
        "columns": [
            _("Day"),
            _("Booked"),
            _("Kept"),
            _("Missed"),
            _("Walk-ins"),
            _("People served"),
        ],
        "rows": [
            [d.day, d.booked, d.kept, d.missed, d.walk_ins, d.people_served]
            for d in days
            if d.booked or d.walk_ins or d.people_served
        ],
    }


def expiring_documents_rows(user: AnyUser) -> dict[str, Any]:
    """Travel documents and visas of active cases ending in the next 30 days."""
    query = _query("documents", "queries", "expiring_soon")
    documents = list(query(user, EXPIRY_DAYS)[:200]) if query else []
    return {
        "columns": [_("Case"), _("Document"), _("Number"), _("Expires")],
        "rows": [
            [
                ", ".join(m.case.file_number for m in getattr(d.person, "current", [])),
                d.doc_type.name,
                d.number,
                d.expires_on,
            ]
            for d in documents
        ],
    }


def co_attendance_rows(user: AnyUser) -> dict[str, Any]:
    """CO hours present over hours offered, by destination, over the last 90 days."""
    query = _query("orientation", "queries", "attendance_rate")
    today = timezone.localdate()
    rates = query(today - dt.timedelta(days=89), today) if query else []
    return {
        "columns": [_("Destination"), _("Hours offered"), _("Hours present"), _("Rate, %")],
        "rows": [[r["destination"], r["offered"], r["present"], r["rate"]] for r in rates],
    }


def upcoming_departures_rows(user: AnyUser) -> dict[str, Any]:
    """Booked cases flying in the next 30 days: flight date, flights, destination, travellers.

    Read through the movements app's own ``bookings`` query, so its policy
    (``movements.view_booking``, partners their own cases) decides what is seen.
    """
    query = _query("movements", "queries", "bookings")
    booked = _query("movements", "choices", "BookingStatus")
    if query is None or booked is None:
        return {"columns": [], "rows": []}
    today = timezone.localdate()
    bookings = query(user).filter(
        status=booked.BOOKED,
        departure_date__gte=today,
        departure_date__lt=today + dt.timedelta(days=UPCOMING_DAYS),
    )
    rows = []
    for b in bookings.order_by("departure_date", "case__file_number", "id")[:200]:
        legs = list(b.legs.all())
        arrival = legs[-1].flight.destination.iata if legs else ""
        rows.append([
            b.case.file_number, b.departure_date,
            " · ".join(leg.flight.designator for leg in legs),
            f"{b.case.destination_country} ({arrival})" if arrival else b.case.destination_country,
            len(b.travellers.all()),
        ])  # fmt: skip
    return {
        "columns": [_("Case"), _("Flight date"), _("Flights"), _("Destination"), _("Travellers")],
        "rows": rows,
    }


def register_available() -> None:
    if _query("movements", "queries", "bookings") is not None:
        register(Panel("movements.upcoming", gettext_lazy("Upcoming departures, next 30 days"),
                       "movements.view_booking", upcoming_departures_rows, order=20))  # fmt: skip
    if _query("documents", "queries", "expiring_soon") is not None:
        register(Panel("documents.expiring", gettext_lazy("Travel documents ending within 30 days"),
                       "documents.view", expiring_documents_rows, order=40))  # fmt: skip
    if _query("orientation", "queries", "attendance_rate") is not None:
        register(Panel("orientation.attendance", gettext_lazy("CO attendance, last 90 days"),
                       "orientation.stats", co_attendance_rows, order=50))  # fmt: skip
    if _query("health", "queries", "expiring_clearances") is not None:
        register(Panel("health.expiring", gettext_lazy("Medical clearances ending within 30 days"),
                       "health.view_detail", expiring_clearances_rows, order=30))  # fmt: skip
    if _query("vac", "queries", "activity_report") is not None:
        register(Panel("vac.activity", gettext_lazy("VAC activity, last 14 days"), "vac.reports",
                       vac_activity_rows, order=60))  # fmt: skip
