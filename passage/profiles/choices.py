"""Programmes the mission moves people under. Shared by every app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Programme(models.TextChoices):
    USRAP_P1 = "usrap_p1", _("USRAP, priority 1")
    USRAP_P2 = "usrap_p2", _("USRAP, priority 2")
    USRAP_P3 = "usrap_p3", _("USRAP, priority 3")
    CA_GAR = "ca_gar", _("Canada, government-assisted refugees (GAR)")
    CA_PSR = "ca_psr", _("Canada, privately sponsored refugees (PSR)")
    CA_BVOR = "ca_bvor", _("Canada, blended visa office-referred (BVOR)")
    AU_HUMANITARIAN = "au_humanitarian", _("Australia, humanitarian programme")
    EU_QUOTA = "eu_quota", _("European national resettlement quota")
    FAMILY_REUNIFICATION = "family_reunification", _("Family reunification")
    SELF_PAYING = "self_paying", _("Self-paying migration")


class Stream(models.TextChoices):
    """How statistics group programmes."""

    RESETTLEMENT = "resettlement", _("Refugee resettlement")
    FAMILY_REUNIFICATION = "family_reunification", _("Family reunification")
    ASSISTED_MIGRATION = "assisted_migration", _("Assisted migration on tickets")


STREAM_OF_PROGRAMME: dict[str, str] = {
    Programme.USRAP_P1: Stream.RESETTLEMENT,
    Programme.USRAP_P2: Stream.RESETTLEMENT,
    Programme.USRAP_P3: Stream.RESETTLEMENT,
    Programme.CA_GAR: Stream.RESETTLEMENT,
    Programme.CA_PSR: Stream.RESETTLEMENT,
    Programme.CA_BVOR: Stream.RESETTLEMENT,
    Programme.AU_HUMANITARIAN: Stream.RESETTLEMENT,
    Programme.EU_QUOTA: Stream.RESETTLEMENT,
    Programme.FAMILY_REUNIFICATION: Stream.FAMILY_REUNIFICATION,
    Programme.SELF_PAYING: Stream.ASSISTED_MIGRATION,
}

REFUGEE_PROGRAMMES = frozenset(
    p for p, stream in STREAM_OF_PROGRAMME.items() if stream == Stream.RESETTLEMENT
)
