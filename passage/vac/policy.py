"""Who may do what at the visa application centre. Applicants are the public: no login."""

from __future__ import annotations

from passage.core import policy
from passage.core.choices import Role
from passage.vac.models import (
    Applicant,
    Application,
    Appointment,
    CentreRules,
    CourierBatch,
    Custody,
    Holiday,
    OpeningHours,
    Slot,
    Ticket,
    VacFeeProfile,
)

OFFICERS = {Role.ADMIN, Role.VAC_OFFICER}

PERMISSIONS = {
    "vac.staff": OFFICERS,
    "vac.run_day": OFFICERS,
    "vac.intake": OFFICERS,
    "vac.custody": OFFICERS,
    "vac.manage_slots": OFFICERS,
    "vac.reports": OFFICERS,
    "vac.manage_rules": {Role.ADMIN},
}


def register() -> None:
    policy.register_permissions(PERMISSIONS)
    for model in (
        Appointment,
        Application,
        Applicant,
        Custody,
        CourierBatch,
        Ticket,
        Slot,
        OpeningHours,
        Holiday,
        VacFeeProfile,
        CentreRules,
    ):
        policy.register_model(model, view="vac.staff")
