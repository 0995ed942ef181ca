"""Who may see and change agreements, flights, bookings, manifests and notifications.

Flights, agreements and reference data are the mission's working data: partners
see none of it. Bookings, manifests rows and notifications are about cases, so a
partner (an embassy, a receiving agency) sees the bookings of the cases it sees.
"""

from __future__ import annotations

from passage.core import policy
from passage.core.choices import Role
from passage.registry.policy import case_partner_scope

STAFF_READERS = {
    Role.ADMIN,
    Role.MOVEMENT_OFFICER,
    Role.FINANCE_OFFICER,
    Role.CASE_WORKER,
    Role.MEDICAL_OFFICER,
}
MOVEMENT = {Role.ADMIN, Role.MOVEMENT_OFFICER}

PERMISSIONS = {
    "movements.view": STAFF_READERS,
    "movements.view_booking": STAFF_READERS | {Role.PARTNER},
    "movements.manage_agreements": MOVEMENT | {Role.FINANCE_OFFICER},
    "movements.manage_flights": MOVEMENT,
    "movements.book": MOVEMENT,
    "movements.departure": MOVEMENT,
    "movements.notify": MOVEMENT,
}


def register() -> None:
    from passage.movements import models as m

    policy.register_permissions(PERMISSIONS)
    for model in (
        m.Airport,
        m.Airline,
        m.CodeAlias,
        m.Agreement,
        m.Flight,
        m.SeatBlock,
        m.Manifest,
    ):
        policy.register_model(model, view="movements.view")
    policy.register_model(
        m.Booking,
        view="movements.view_booking",
        partner_scope=lambda qs, u: case_partner_scope(qs, u, "case__"),
    )
    for booked in (m.TransitRequest, m.Notification):
        policy.register_model(
            booked,
            view="movements.view_booking",
            partner_scope=lambda qs, u: case_partner_scope(qs, u, "booking__case__"),
        )
