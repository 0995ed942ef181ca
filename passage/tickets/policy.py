"""Who may see and run the ticket counter.

Finance officers (and administrators) sell, take money, refund and close the day;
they also register a walk-in traveller and their family at the counter
(``tickets.register``), a narrow right that opens a self-paying case with its people
but does not let them edit the registry otherwise (``registry.edit_person`` stays with
case workers);
movement officers see sales, since the bookings are theirs. Partners see nothing of
sales: what a migrant paid is between the migrant and the agency.
"""

from __future__ import annotations

from passage.core import policy
from passage.core.choices import Role
from passage.tickets.models import DayClose, Sale, TicketRules

COUNTER = {Role.ADMIN, Role.FINANCE_OFFICER}

PERMISSIONS = {
    "tickets.view": COUNTER | {Role.MOVEMENT_OFFICER},
    "tickets.sell": COUNTER,
    "tickets.take_payment": COUNTER,
    "tickets.refund": COUNTER,
    "tickets.close_day": COUNTER,
    "tickets.manage_rules": COUNTER,
    "tickets.register": COUNTER,
}


def register() -> None:
    policy.register_permissions(PERMISSIONS)
    for model in (Sale, TicketRules, DayClose):
        policy.register_model(model, view="tickets.view")
