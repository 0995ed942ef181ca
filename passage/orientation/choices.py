"""Codes and statuses of cultural orientation."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CourseStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


COURSE_TRANSITIONS: dict[str, frozenset[str]] = {
    CourseStatus.PLANNED: frozenset({CourseStatus.COMPLETED, CourseStatus.CANCELLED}),
    # A course closed too early can be reopened to record the last attendance.
    CourseStatus.COMPLETED: frozenset({CourseStatus.PLANNED}),
    CourseStatus.CANCELLED: frozenset(),
}


class EnrolmentStatus(models.TextChoices):
    ENROLLED = "enrolled", _("Enrolled")
    WAITLISTED = "waitlisted", _("Waiting list")
    WITHDRAWN = "withdrawn", _("Withdrawn")


ENROLMENT_TRANSITIONS: dict[str, frozenset[str]] = {
    EnrolmentStatus.WAITLISTED: frozenset({EnrolmentStatus.ENROLLED, EnrolmentStatus.WITHDRAWN}),
    EnrolmentStatus.ENROLLED: frozenset({EnrolmentStatus.WITHDRAWN}),
    EnrolmentStatus.WITHDRAWN: frozenset(),
}

# Languages courses are given in (ISO 639-1/-3), the mission's usual ones first.
LANGUAGES: list[tuple[str, str]] = [
    ("ru", "Русский"),
    ("ky", "Кыргызча"),
    ("fa-AF", "دری (Dari)"),
    ("ps", "پښتو (Pashto)"),
    ("ug", "ئۇيغۇرچە (Uyghur)"),
    ("uz", "Oʻzbekcha"),
    ("tg", "Тоҷикӣ"),
    ("en", "English"),
    ("ar", "العربية"),
]
LANGUAGE_CODES = frozenset(code for code, _label in LANGUAGES)
