"""Need-to-know: medical detail for medical staff only; the clearance summary for others.

``health.view_detail`` is held by medical officers alone (not administrators). Case
workers, movement officers, administrators and partners hold ``health.view_summary``:
the clearance status, its dates, the special-service codes and the escort need. Partners
see summaries of the cases they see (``case_partner_scope``), never diagnoses.
"""

from __future__ import annotations

from passage.core import policy
from passage.core.choices import Role

MEDICAL = frozenset({Role.MEDICAL_OFFICER})
SUMMARY_READERS = frozenset(
    {Role.ADMIN, Role.CASE_WORKER, Role.MEDICAL_OFFICER, Role.MOVEMENT_OFFICER, Role.PARTNER}
)
RULE_READERS = frozenset(
    {Role.ADMIN, Role.CASE_WORKER, Role.MEDICAL_OFFICER, Role.MOVEMENT_OFFICER}
)

PERMISSIONS = {
    "health.view_summary": SUMMARY_READERS,
    "health.view_detail": MEDICAL,
    "health.record": MEDICAL,
    "health.view_clinics": frozenset({Role.ADMIN, Role.MEDICAL_OFFICER}),
    "health.manage_clinics": frozenset({Role.ADMIN, Role.MEDICAL_OFFICER}),
    "health.view_rules": RULE_READERS,
    "health.manage_rules": frozenset({Role.ADMIN}),
}


def register() -> None:
    from passage.health import models as m

    policy.register_permissions(PERMISSIONS)
    for model in (
        m.Assessment,
        m.TbTest,
        m.Condition,
        m.Treatment,
        m.Vaccination,
        m.Pregnancy,
        m.TravelNeeds,
        m.DepartureCheck,
    ):
        # No partner scope: partners see no medical detail at all.
        policy.register_model(model, view="health.view_detail")
    policy.register_model(m.Clinic, view="health.view_clinics")
    policy.register_model(m.MedicalTravelRules, view="health.view_rules")
