"""Codes and statuses of migration health."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ExamType(models.TextChoices):
    US_PANEL = "us_panel", _("US panel exam (CDC Technical Instructions)")
    CA_IME = "ca_ime", _("Canada immigration medical exam")
    AU_HEALTH = "au_health", _("Australian health examination")
    OTHER = "other", _("Other national exam")


class AssessmentStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    NO_SHOW = "no_show", _("No-show")
    EXAMINED = "examined", _("Examined")
    RESULTS_PENDING = "results_pending", _("Results pending")
    CLEARED = "cleared", _("Cleared")
    CLASS_A_HOLD = "class_a_hold", _("Class A hold")
    CLEARED_FOLLOW_UP = "cleared_follow_up", _("Cleared with Class B follow-up")
    UNFIT = "unfit", _("Unfit to travel")
    CANCELLED = "cancelled", _("Cancelled")


A = AssessmentStatus
OUTCOMES = frozenset({A.CLEARED, A.CLASS_A_HOLD, A.CLEARED_FOLLOW_UP, A.UNFIT})
CLEARED_STATUSES = frozenset({A.CLEARED, A.CLEARED_FOLLOW_UP})

# The one transition table of an assessment. A hold ends with a new assessment
# (the re-exam), linked to the held one; the held one stays as history.
ASSESSMENT_TRANSITIONS: dict[str, frozenset[str]] = {
    A.SCHEDULED: frozenset({A.EXAMINED, A.NO_SHOW, A.CANCELLED}),
    A.NO_SHOW: frozenset({A.SCHEDULED, A.CANCELLED}),
    A.EXAMINED: frozenset({A.RESULTS_PENDING, *OUTCOMES}),
    A.RESULTS_PENDING: OUTCOMES,
    A.CLEARED: frozenset(),
    A.CLASS_A_HOLD: frozenset(),
    A.CLEARED_FOLLOW_UP: frozenset(),
    A.UNFIT: frozenset(),
    A.CANCELLED: frozenset(),
}


class TbTestKind(models.TextChoices):
    XRAY = "xray", _("Chest X-ray")
    IGRA = "igra", _("IGRA blood test")
    SMEAR = "smear", _("Sputum smear")
    CULTURE = "culture", _("Sputum culture")


class LabResult(models.TextChoices):
    PENDING = "pending", _("Pending")
    NORMAL = "normal", _("Normal")
    ABNORMAL = "abnormal", _("Abnormal, suggests TB")
    ABNORMAL_OTHER = "abnormal_other", _("Abnormal, not TB")
    NEGATIVE = "negative", _("Negative")
    POSITIVE = "positive", _("Positive")


XRAY_RESULTS = frozenset({LabResult.NORMAL, LabResult.ABNORMAL, LabResult.ABNORMAL_OTHER})
LAB_RESULTS = frozenset({LabResult.NEGATIVE, LabResult.POSITIVE})


class TbClass(models.TextChoices):
    NONE = "", _("No TB classification")
    A = "A", _("Class A: may not travel")
    B0 = "B0", _("Class B0: treated")
    B1 = "B1", _("Class B1: abnormal X-ray, negative sputum")
    B2 = "B2", _("Class B2: latent infection")
    B3 = "B3", _("Class B3: contact")


class ConditionClass(models.TextChoices):
    A = "A", _("Class A")
    B = "B", _("Class B")


class SpecialService(models.TextChoices):
    """The airline special-service codes that medical needs turn into."""

    WCHR = "WCHR", _("WCHR: wheelchair, can use steps")
    WCHS = "WCHS", _("WCHS: wheelchair, cannot use steps")
    WCHC = "WCHC", _("WCHC: carried to seat")
    STCR = "STCR", _("STCR: stretcher")
    MEDA = "MEDA", _("MEDA: medical case")
    MAAS = "MAAS", _("MAAS: meet and assist")


class MedifStatus(models.TextChoices):
    NONE = "", _("No MEDIF")
    SUBMITTED = "submitted", _("MEDIF submitted")
    APPROVED = "approved", _("MEDIF approved")
    REFUSED = "refused", _("MEDIF refused")


class CheckKind(models.TextChoices):
    SCREENING = "screening", _("Pre-departure medical screening")
    FIT_TO_FLY = "fit_to_fly", _("Pre-embarkation (fit-to-fly) check")


class CheckOutcome(models.TextChoices):
    FIT = "fit", _("Fit to travel")
    UNFIT = "unfit", _("Unfit: postpone")
    ESCORT = "escort", _("Fit with a medical escort")


class Clearance(models.TextChoices):
    """What everyone else sees: the clearance summary."""

    NONE = "none", _("No medical yet")
    SCHEDULED = "scheduled", _("Exam scheduled")
    PENDING = "pending", _("Results pending")
    CLEARED = "cleared", _("Cleared")
    FOLLOW_UP = "follow_up", _("Cleared, follow-up at destination")
    EXPIRED = "expired", _("Clearance expired")
    ON_HOLD = "on_hold", _("On hold")
    UNFIT = "unfit", _("Unfit to travel")
