"""Codes and statuses of the core app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrgKind(models.TextChoices):
    MISSION = "mission", _("Mission")
    EMBASSY = "embassy", _("Embassy")
    UNHCR = "unhcr", _("UNHCR")
    AGENCY = "agency", _("Receiving agency")
    AIRLINE = "airline", _("Airline")


class Role(models.TextChoices):
    ADMIN = "admin", _("Mission administrator")
    CASE_WORKER = "case_worker", _("Case worker")
    MEDICAL_OFFICER = "medical_officer", _("Medical officer")
    CO_TRAINER = "co_trainer", _("CO trainer")
    MOVEMENT_OFFICER = "movement_officer", _("Movement officer")
    FINANCE_OFFICER = "finance_officer", _("Finance officer")
    VAC_OFFICER = "vac_officer", _("VAC officer")
    PARTNER = "partner", _("Partner user")
    STATS_READER = "stats_reader", _("Statistics reader")


MISSION_ROLES = frozenset(Role) - {Role.PARTNER}


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")
