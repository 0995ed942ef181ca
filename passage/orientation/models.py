"""Curricula, courses, sessions, enrolments, attendance and trainers' calendar feeds.

A curriculum is data with versions: a change is a new row with a later
``effective_from`` (the same ``code``); the version in force on a date is the
latest one on or before it. A course follows one curriculum version; its
sessions carry dates, times and trainers; an enrolment puts one case member on
the course (or on its waiting list); attendance records hours per session.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from passage.core.policy import PolicyQuerySet
from passage.orientation.choices import LANGUAGES, CourseStatus, EnrolmentStatus
from passage.registry.models import Case, Person

USER = settings.AUTH_USER_MODEL

# The fields a new curriculum version copies from its base (and the audit diffs).
CURRICULUM_FIELDS = [
    "name", "country", "programmes", "min_age", "max_age", "required_hours", "min_hours",
    "max_hours", "days", "languages", "topics", "materials", "source_note", "source_url",
    "unverified_note",
]  # fmt: skip


class Curriculum(models.Model):
    """One version of a CO curriculum for a destination (and programmes) and an age band."""

    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    country = models.CharField(
        _("destination country"),
        max_length=2,
        blank=True,
        help_text=_("ISO 3166 alpha-2. Empty: any destination of the listed programmes."),
    )
    programmes = models.JSONField(
        _("programmes"), default=list, blank=True, help_text=_("Empty: every programme.")
    )
    min_age = models.PositiveSmallIntegerField(_("from age (years, inclusive)"), default=0)
    max_age = models.PositiveSmallIntegerField(
        _("up to age (years, inclusive)"), null=True, blank=True
    )
    required_hours = models.DecimalField(_("required hours"), max_digits=5, decimal_places=2)
    min_hours = models.DecimalField(
        _("shortest allowed (hours)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    max_hours = models.DecimalField(
        _("longest allowed (hours)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    days = models.PositiveSmallIntegerField(_("days"), default=1)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    topics = models.JSONField(_("topics"), default=list, blank=True)
    materials = models.TextField(_("materials"), blank=True)
    source_note = models.TextField(_("source"))
    source_url = models.URLField(_("source address"), max_length=500, blank=True)
    unverified_note = models.TextField(_("unverified rules"), blank=True)
    effective_from = models.DateField(_("in force from"))
    change_note = models.CharField(_("reason for this version"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering: ClassVar = ["country", "code", "-effective_from"]
        verbose_name = _("curriculum")
        verbose_name_plural = _("curricula")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["code", "effective_from"], name="orientation_curriculum_version"
            ),
            models.CheckConstraint(
                condition=Q(max_age__isnull=True) | Q(max_age__gte=models.F("min_age")),
                name="orientation_curriculum_age_band",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.effective_from:%Y-%m-%d})"

    @property
    def age_band(self) -> str:
        if self.max_age is None:
            return f"{self.min_age}+"
        return f"{self.min_age}–{self.max_age}"

    def covers_age(self, age: int) -> bool:
        return age >= self.min_age and (self.max_age is None or age <= self.max_age)

    def applies_to(self, country: str, programme: str) -> bool:
        if self.country and self.country != country:
            return False
        return not self.programmes or programme in self.programmes


class Course(models.Model):
    """One run of a curriculum: language, venue, capacity and the support offered."""

    curriculum = models.ForeignKey(
        Curriculum, verbose_name=_("curriculum"), on_delete=models.PROTECT, related_name="courses"
    )
    title = models.CharField(_("title"), max_length=200)
    language = models.CharField(_("language"), max_length=10)
    interpreter_language = models.CharField(_("interpretation into"), max_length=10, blank=True)
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    remote = models.BooleanField(_("remote"), default=False)
    capacity = models.PositiveSmallIntegerField(_("capacity"), default=25)
    childminding = models.BooleanField(_("childminding"), default=False)
    meals = models.BooleanField(_("meals"), default=False)
    transport_grant = models.BooleanField(_("transport grant"), default=False)
    status = models.CharField(
        _("status"), max_length=20, choices=CourseStatus.choices, default=CourseStatus.PLANNED
    )
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering: ClassVar = ["-created_at", "-id"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def __str__(self) -> str:
        return self.title

    @property
    def language_name(self) -> str:
        return dict(LANGUAGES).get(self.language, self.language)

    @property
    def interpreter_name(self) -> str:
        return dict(LANGUAGES).get(self.interpreter_language, self.interpreter_language)


class CourseStatusChange(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="status_history")
    from_status = models.CharField(max_length=20, choices=CourseStatus.choices)
    to_status = models.CharField(max_length=20, choices=CourseStatus.choices)
    actor = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        ordering: ClassVar = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.course_id}: {self.from_status} → {self.to_status}"


class Session(models.Model):
    """One meeting of a course."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    trainers: models.ManyToManyField[Any, Any] = models.ManyToManyField(
        USER, verbose_name=_("trainers"), related_name="co_sessions"
    )
    topic = models.CharField(_("topic"), max_length=200, blank=True)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering: ClassVar = ["starts_at", "id"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="orientation_session_order"
            )
        ]

    def __str__(self) -> str:
        return f"{self.course} · {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"

    @property
    def hours(self) -> Decimal:
        seconds = Decimal((self.ends_at - self.starts_at).total_seconds())
        return (seconds / Decimal(3600)).quantize(Decimal("0.01"))


class Enrolment(models.Model):
    """A case member on a course, or on its waiting list."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="enrolments")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="co_enrolments")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="co_enrolments")
    status = models.CharField(_("status"), max_length=20, choices=EnrolmentStatus.choices)
    enrolled_at = models.DateTimeField(default=timezone.now)
    queue_position = models.PositiveIntegerField(
        _("place on the waiting list"),
        default=0,
        help_text=_("Waiting list order (lowest first); ties go by enrolment time."),
    )
    hours_attended = models.DecimalField(
        _("hours attended"), max_digits=6, decimal_places=2, default=Decimal(0)
    )
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    pre_test_score = models.PositiveSmallIntegerField(_("pre-test score"), null=True, blank=True)
    post_test_score = models.PositiveSmallIntegerField(_("post-test score"), null=True, blank=True)
    trainer_notes = models.TextField(_("trainer's notes"), blank=True)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering: ClassVar = ["course", "enrolled_at", "id"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["course", "person"],
                condition=~Q(status=EnrolmentStatus.WITHDRAWN),
                name="orientation_enrolled_once",
            )
        ]
        indexes: ClassVar = [models.Index(fields=["person", "completed_on"])]

    def __str__(self) -> str:
        return f"{self.course_id}: {self.person_id} ({self.status})"


class EnrolmentStatusChange(models.Model):
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(max_length=20, choices=EnrolmentStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=EnrolmentStatus.choices)
    actor = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        ordering: ClassVar = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.enrolment_id}: {self.from_status} → {self.to_status}"


class Attendance(models.Model):
    """Hours one enrolled person was present at one session."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attendance")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance")
    hours = models.DecimalField(_("hours present"), max_digits=5, decimal_places=2)
    recorded_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering: ClassVar = ["session", "enrolment"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["enrolment", "session"], name="orientation_attend_once")
        ]

    def __str__(self) -> str:
        return f"{self.session_id}/{self.enrolment_id}: {self.hours}"


class CalendarFeed(models.Model):
    """A trainer's secret calendar address: calendar apps cannot sign in. Only the hash is kept."""

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="co_feeds")
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=12)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering: ClassVar = ["-created_at"]
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return f"{self.user_id} {self.prefix}…"


def plain_hours(value: Decimal) -> str:
    """``16.00`` → ``16``, ``2.50`` → ``2.5`` (never ``1E+1``)."""
    return format(value.normalize(), "f")
