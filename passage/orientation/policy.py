"""Who may plan courses, enrol, take attendance and print certificates.

Courses, sessions and attendance are the mission's working data: partners see
none of them. A case's CO status is shown to whoever may see the case
(``registry.view_case``), partners included, through the case's own scope.
"""

from __future__ import annotations

from passage.core import policy
from passage.core.choices import Role

PERMISSIONS = {
    "orientation.view": {Role.ADMIN, Role.CASE_WORKER, Role.CO_TRAINER},
    "orientation.plan": {Role.ADMIN, Role.CO_TRAINER},
    "orientation.enrol": {Role.ADMIN, Role.CO_TRAINER, Role.CASE_WORKER},
    "orientation.attendance": {Role.ADMIN, Role.CO_TRAINER},
    "orientation.certificates": {Role.ADMIN, Role.CO_TRAINER},
    "orientation.manage_curricula": {Role.ADMIN},
    "orientation.stats": {Role.ADMIN, Role.CO_TRAINER, Role.CASE_WORKER, Role.STATS_READER},
    "orientation.calendar": {Role.ADMIN, Role.CO_TRAINER},
}


def register() -> None:
    from passage.core.permissions import own_rows
    from passage.orientation.models import (
        Attendance,
        CalendarFeed,
        Course,
        Curriculum,
        Enrolment,
        Session,
    )

    policy.register_permissions(PERMISSIONS)
    for model in (Curriculum, Course, Session, Enrolment, Attendance):
        policy.register_model(model, view="orientation.view")
    policy.register_model(
        CalendarFeed,
        view="orientation.calendar",
        staff_scope=lambda qs, user: own_rows(qs, user, "user"),
    )
