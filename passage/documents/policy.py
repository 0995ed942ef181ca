"""Who may see and change travel documents, applications and readiness.

Documents and applications follow their case: an embassy sees those of the cases
bound for its country (it issues the visas), UNHCR those of the cases it referred.
Scans are mission-only, and every read is audited. The readiness board is the
movement officers' working screen; partners read the readiness of their own cases
through the API.
"""

from __future__ import annotations

from passage.core import policy
from passage.core.choices import Role
from passage.registry.policy import case_partner_scope

EDITORS = frozenset({Role.ADMIN, Role.CASE_WORKER, Role.MOVEMENT_OFFICER})
READERS = EDITORS | {Role.MEDICAL_OFFICER, Role.FINANCE_OFFICER, Role.PARTNER}

PERMISSIONS = {
    "documents.view": READERS,
    "documents.manage": EDITORS,
    "documents.view_scan": EDITORS,
    "documents.manage_types": {Role.ADMIN},
    "documents.view_readiness": READERS,
    "documents.board": EDITORS,
    "documents.export_board": EDITORS,
    "documents.set_travel_ready": EDITORS,
}


def register() -> None:
    from passage.documents.models import DocumentApplication, DocumentType, TravelDocument

    policy.register_permissions(PERMISSIONS)
    policy.register_model(DocumentType, view="documents.view")
    policy.register_model(
        TravelDocument,
        view="documents.view",
        partner_scope=lambda qs, u: case_partner_scope(qs, u, "person__memberships__case__"),
    )
    policy.register_model(
        DocumentApplication,
        view="documents.view",
        partner_scope=lambda qs, u: case_partner_scope(qs, u, "case__"),
    )
