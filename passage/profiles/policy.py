"""Who may read and change destination profiles and holiday calendars."""

from __future__ import annotations

from passage.core import policy
from passage.core.choices import Role
from passage.profiles.models import DestinationProfile, Holiday

READERS = {
    Role.ADMIN,
    Role.CASE_WORKER,
    Role.MEDICAL_OFFICER,
    Role.MOVEMENT_OFFICER,
    Role.CO_TRAINER,
    Role.FINANCE_OFFICER,
}

PERMISSIONS = {
    "profiles.view": READERS,
    "profiles.manage": {Role.ADMIN},
}


def register() -> None:
    policy.register_permissions(PERMISSIONS)
    # Rules are the mission's working data: partners see none of them.
    policy.register_model(DestinationProfile, view="profiles.view")
    policy.register_model(Holiday, view="profiles.view")
