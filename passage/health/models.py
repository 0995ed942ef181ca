"""Migration health: assessments with TB screening, vaccinations, pregnancy, travel needs,
pre-departure checks, clinics, and the small table of medical travel rules.

Everything here except ``Clinic`` and ``MedicalTravelRules`` is medical detail: only
medical staff see it. Everyone else reads the clearance summary (``queries``).
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from passage.core.policy import PolicyQuerySet
from passage.health.choices import (
    AssessmentStatus,
    CheckKind,
    CheckOutcome,
    ConditionClass,
    ExamType,
    LabResult,
    MedifStatus,
    TbClass,
    TbTestKind,
)
from passage.registry.choices import Programme
from passage.registry.models import Case, Person

_USER = settings.AUTH_USER_MODEL


def _by() -> models.ForeignKey[object, object]:
    return models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )


class MedicalTravelRules(models.Model):
    """Versioned thresholds for TB screening ages and the default pregnancy limits.

    A row applies to a destination country; blank means every one. The most specific
    row in force wins. The pregnancy weeks here are the **screening default** used before
    an airline is known (clearance summary, readiness board); a booking applies its airline
    agreement's own rule instead (``movements.Agreement``), which is the one source of
    truth for an airline. The MEDIF validity and the certificate age live on the agreement.
    """

    country = models.CharField(_("destination country"), max_length=2, blank=True)
    effective_from = models.DateField(_("in force from"))
    source_note = models.TextField(_("source"))
    xray_min_age = models.PositiveSmallIntegerField(_("chest X-ray from age (years)"), default=15)
    igra_min_age = models.PositiveSmallIntegerField(_("IGRA from age (years)"), default=2)
    igra_max_age = models.PositiveSmallIntegerField(_("IGRA up to age (years)"), default=14)
    pregnancy_certificate_from_week = models.PositiveSmallIntegerField(
        _("fit-to-fly certificate from pregnancy week"), default=28
    )
    pregnancy_last_travel_week = models.PositiveSmallIntegerField(
        _("last pregnancy week for travel"), default=35
    )
    created_by = _by()
    created_at = models.DateTimeField(default=timezone.now)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering: ClassVar = ["country", "-effective_from"]
        verbose_name = _("medical travel rules")
        verbose_name_plural = _("medical travel rules")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["country", "effective_from"], name="health_rules_one_a_day_country"
            )
        ]

    def __str__(self) -> str:
        scope = self.country or str(_("default"))
        return f"{scope} · {self.effective_from:%Y-%m-%d}"


class Clinic(models.Model):
    name = models.CharField(_("name"), max_length=150, unique=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    daily_capacity = models.PositiveSmallIntegerField(_("exams a day"), default=20)
    active = models.BooleanField(_("active"), default=True)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering: ClassVar = ["name"]
        verbose_name = _("clinic")
        verbose_name_plural = _("clinics")

    def __str__(self) -> str:
        return self.name


class Assessment(models.Model):
    """One health assessment of a person for a case's programme (the exam appointment too)."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="assessments")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="assessments")
    programme = models.CharField(_("programme"), max_length=30, choices=Programme.choices)
    destination_country = models.CharField(_("destination country"), max_length=2)
    exam_type = models.CharField(_("exam type"), max_length=20, choices=ExamType.choices)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=AssessmentStatus.choices,
        default=AssessmentStatus.SCHEDULED,
    )
    status_changed_at = models.DateTimeField(default=timezone.now)
    clinic = models.ForeignKey(
        Clinic, verbose_name=_("clinic"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    scheduled_for = models.DateField(_("appointment"), null=True, blank=True)
    embassy_request = models.CharField(_("embassy request"), max_length=60, blank=True)
    physician = models.CharField(_("physician"), max_length=150, blank=True)
    examined_on = models.DateField(_("exam date"), null=True, blank=True)
    forms = models.JSONField(_("forms produced"), default=list, blank=True)
    tb_class = models.CharField(
        _("TB class"), max_length=2, choices=TbClass.choices, blank=True, default=""
    )
    outcome_on = models.DateField(_("outcome date"), null=True, blank=True)
    valid_from = models.DateField(_("valid for departure from"), null=True, blank=True)
    valid_until = models.DateField(_("valid for departure until"), null=True, blank=True)
    reexam_of = models.ForeignKey(
        "self",
        verbose_name=_("re-exam of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reexams",
    )
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    notes = models.TextField(_("medical notes"), blank=True)
    created_by = _by()
    created_at = models.DateTimeField(default=timezone.now)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering: ClassVar = ["-created_at", "-id"]
        verbose_name = _("health assessment")
        verbose_name_plural = _("health assessments")
        indexes: ClassVar = [
            models.Index(fields=["person", "-created_at"]),
            models.Index(fields=["clinic", "scheduled_for"]),
            models.Index(fields=["status"]),
            models.Index(fields=["valid_until"]),
        ]

    def __str__(self) -> str:
        # Audit events and the admin show this: no medical detail in it.
        return f"assessment {self.pk} · person {self.person_id}"


class AssessmentStatusChange(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(max_length=20, choices=AssessmentStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=AssessmentStatus.choices)
    actor = _by()
    at = models.DateTimeField(default=timezone.now)
    reason = models.CharField(_("reason"), max_length=500, blank=True)

    class Meta:
        ordering: ClassVar = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.assessment_id}: {self.from_status} → {self.to_status}"


class TbTest(models.Model):
    """A chest X-ray, IGRA, sputum smear or culture, with its sample and result dates."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="tb_tests")
    kind = models.CharField(_("test"), max_length=10, choices=TbTestKind.choices)
    collected_on = models.DateField(_("sample or image date"))
    result = models.CharField(
        _("result"), max_length=20, choices=LabResult.choices, default=LabResult.PENDING
    )
    result_on = models.DateField(_("result date"), null=True, blank=True)
    finding = models.CharField(_("finding"), max_length=300, blank=True)
    reason = models.CharField(_("reason (outside the age rule)"), max_length=300, blank=True)
    created_by = _by()
    created_at = models.DateTimeField(default=timezone.now)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering: ClassVar = ["collected_on", "id"]
        verbose_name = _("TB test")
        verbose_name_plural = _("TB tests")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(result_on__isnull=True) | Q(result_on__gte=models.F("collected_on")),
                name="health_result_after_sample",
            )
        ]

    def __str__(self) -> str:
        return f"TB test {self.pk}"


class Condition(models.Model):
    """A Class A or B condition found at the exam, with its waiver when granted."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="conditions")
    condition_class = models.CharField(_("class"), max_length=1, choices=ConditionClass.choices)
    description = models.CharField(_("condition"), max_length=300)
    waiver_granted_on = models.DateField(_("waiver granted on"), null=True, blank=True)
    waiver_reference = models.CharField(_("waiver reference"), max_length=100, blank=True)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering: ClassVar = ["condition_class", "id"]
        verbose_name = _("medical condition")
        verbose_name_plural = _("medical conditions")

    def __str__(self) -> str:
        return f"condition {self.pk}"


class Treatment(models.Model):
    """Treatment during a hold (TB treatment, say), before the re-exam."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="treatments")
    regimen = models.CharField(_("treatment"), max_length=300)
    started_on = models.DateField(_("started on"))
    completed_on = models.DateField(_("completed on"), null=True, blank=True)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering: ClassVar = ["started_on", "id"]
        verbose_name = _("treatment")
        verbose_name_plural = _("treatments")

    def __str__(self) -> str:
        return f"treatment {self.pk}"


class Vaccination(models.Model):
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="vaccinations")
    antigen = models.CharField(_("vaccine (antigen)"), max_length=60)
    dose_number = models.PositiveSmallIntegerField(_("dose"))
    given_on = models.DateField(_("date given"))
    lot = models.CharField(_("lot"), max_length=60, blank=True)
    live = models.BooleanField(_("live vaccine"), default=False)
    outbreak_response = models.BooleanField(_("outbreak response"), default=False)
    # Computed at recording from the destination profile: departure not before this day.
    departure_not_before = models.DateField(null=True, blank=True)
    created_by = _by()
    created_at = models.DateTimeField(default=timezone.now)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering: ClassVar = ["antigen", "dose_number"]
        verbose_name = _("vaccination")
        verbose_name_plural = _("vaccinations")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["person", "antigen", "dose_number"], name="health_one_dose_number"
            )
        ]

    def __str__(self) -> str:
        return f"vaccination {self.pk} · person {self.person_id}"


class Pregnancy(models.Model):
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="pregnancies")
    expected_delivery = models.DateField(_("expected delivery date"))
    recorded_on = models.DateField(_("recorded on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    created_by = _by()

    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering: ClassVar = ["-recorded_on", "-id"]
        verbose_name = _("pregnancy")
        verbose_name_plural = _("pregnancies")

    def __str__(self) -> str:
        return f"pregnancy {self.pk} · person {self.person_id}"


class FitToFlyCertificate(models.Model):
    """A fit-to-fly certificate issued for a pregnancy (what the airline asks for from a
    week on). Medical detail; movements learns only its issue date and validity
    (``passage.health.fitness``)."""

    pregnancy = models.ForeignKey(Pregnancy, on_delete=models.PROTECT, related_name="certificates")
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="fit_to_fly_certificates"
    )
    issued_on = models.DateField(_("issued on"))
    issued_by = models.CharField(_("issued by (physician, clinic)"), max_length=200)
    clinic = models.ForeignKey(
        Clinic, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    gestation_week = models.PositiveSmallIntegerField(_("pregnancy week stated"))
    valid_until = models.DateField(_("valid for travel until"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_by = _by()
    created_at = models.DateTimeField(default=timezone.now)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering: ClassVar = ["-issued_on", "-id"]
        verbose_name = _("fit-to-fly certificate")
        verbose_name_plural = _("fit-to-fly certificates")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("issued_on")),
                name="health_certificate_valid_after_issue",
            )
        ]

    def __str__(self) -> str:
        return f"fit-to-fly certificate {self.pk} · person {self.person_id}"


class TravelNeeds(models.Model):
    """What movement must know: special-service codes, escort, oxygen, stretcher, MEDIF."""

    person = models.OneToOneField(Person, on_delete=models.PROTECT, related_name="travel_needs")
    ssr_codes = models.JSONField(_("special-service codes"), default=list, blank=True)
    escort_required = models.BooleanField(_("medical escort required"), default=False)
    oxygen = models.BooleanField(_("oxygen in flight"), default=False)
    stretcher = models.BooleanField(_("stretcher"), default=False)
    medif_status = models.CharField(
        _("MEDIF"), max_length=10, choices=MedifStatus.choices, blank=True, default=""
    )
    medif_date = models.DateField(_("MEDIF date"), null=True, blank=True)
    notes = models.TextField(_("medical notes"), blank=True)
    updated_by = _by()
    updated_at = models.DateTimeField(default=timezone.now)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        verbose_name = _("travel needs")
        verbose_name_plural = _("travel needs")

    def __str__(self) -> str:
        return f"travel needs · person {self.person_id}"


class DepartureCheck(models.Model):
    """Pre-departure screening or the pre-embarkation (fit-to-fly) check."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="departure_checks")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="departure_checks")
    kind = models.CharField(_("check"), max_length=12, choices=CheckKind.choices)
    checked_at = models.DateTimeField(_("checked at"))
    departure_at = models.DateTimeField(_("planned departure"))
    outcome = models.CharField(_("outcome"), max_length=10, choices=CheckOutcome.choices)
    notes = models.TextField(_("medical notes"), blank=True)
    created_by = _by()
    created_at = models.DateTimeField(default=timezone.now)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering: ClassVar = ["-checked_at", "-id"]
        verbose_name = _("departure check")
        verbose_name_plural = _("departure checks")

    def __str__(self) -> str:
        return f"departure check {self.pk} · person {self.person_id}"


class MedicalAccessGrant(models.Model):
    """An administrator's grant of medical detail to a receiving state's medical staff.

    The user is a partner of an embassy; the grant lets them read (never write) the
    medical detail of the cases bound for ``country`` that their organisation sees.
    """

    user = models.ForeignKey(
        _USER, verbose_name=_("user"), on_delete=models.CASCADE, related_name="medical_grants"
    )
    country = models.CharField(_("destination country"), max_length=2)
    note = models.CharField(_("reason"), max_length=300)
    granted_by = models.ForeignKey(_USER, null=True, on_delete=models.SET_NULL, related_name="+")
    granted_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering: ClassVar = ["-granted_at", "-id"]
        verbose_name = _("medical access grant")
        verbose_name_plural = _("medical access grants")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["user", "country"],
                condition=Q(revoked_at__isnull=True),
                name="health_one_open_grant",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.country}"
