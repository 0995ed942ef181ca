"""Need-to-know: medical detail for medical staff only; the clearance summary for others.

``health.view_detail`` is held by medical officers (not administrators), and by a
receiving state's medical staff only under an administrator's grant (``access``). Case
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
    # Partners pass only with an administrator's grant (passage.health.access).
    "health.view_detail": MEDICAL | {Role.PARTNER},
    "health.record": MEDICAL,
    "health.view_clinics": frozenset({Role.ADMIN, Role.MEDICAL_OFFICER}),
    "health.manage_clinics": frozenset({Role.ADMIN, Role.MEDICAL_OFFICER}),
    "health.view_rules": RULE_READERS,
    "health.manage_rules": frozenset({Role.ADMIN}),
    "health.manage_access": frozenset({Role.ADMIN}),
}


def register() -> None:
    from passage.health import models as m
    from passage.health.access import granted_scope

    policy.register_permissions(PERMISSIONS)
    paths = {
        m.Assessment: "case__",
        m.DepartureCheck: "case__",
        m.TbTest: "assessment__case__",
        m.Condition: "assessment__case__",
        m.Treatment: "assessment__case__",
        m.Vaccination: "person__memberships__case__",
        m.Pregnancy: "person__memberships__case__",
        m.FitToFlyCertificate: "person__memberships__case__",
        m.TravelNeeds: "person__memberships__case__",
    }
    for model, prefix in paths.items():
        # Partners see nothing without a grant; with one, their country's cases only.
        policy.register_model(model, view="health.view_detail", partner_scope=granted_scope(prefix))
    policy.register_model(m.MedicalAccessGrant, view="health.manage_access")
    policy.register_model(m.Clinic, view="health.view_clinics")
    policy.register_model(m.MedicalTravelRules, view="health.view_rules")
