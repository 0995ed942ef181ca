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


class DocumentCode(models.TextChoices):
    """Travel documents a destination profile can require."""

    PASSPORT = "passport", _("National passport")
    CONVENTION_TRAVEL_DOCUMENT = "ctd", _("Convention travel document")
    ICRC_TRAVEL_DOCUMENT = "icrc", _("ICRC emergency travel document")
    SINGLE_JOURNEY_DOCUMENT = "sjd", _("Single Journey Document (IMM 5485)")
    COPR = "copr", _("Confirmation of permanent residence (IMM 5292)")
    US_BOARDING_LETTER = "us_boarding_letter", _("US transportation boarding letter")
    VISA = "visa", _("Entry visa")
    TRANSIT_VISA = "transit_visa", _("Transit visa")
    EXIT_VISA = "exit_visa", _("Kyrgyz exit visa")


class CoRequirement(models.TextChoices):
    """Whether cultural orientation is part of the destination's steps."""

    REQUIRED = "required", _("Required")
    OPTIONAL = "optional", _("Optional")
    NONE = "none", _("Not offered")


class Weekday(models.IntegerChoices):
    """ISO weekday numbers, as ``date.isoweekday()`` gives them."""

    MONDAY = 1, _("Monday")
    TUESDAY = 2, _("Tuesday")
    WEDNESDAY = 3, _("Wednesday")
    THURSDAY = 4, _("Thursday")
    FRIDAY = 5, _("Friday")
    SATURDAY = 6, _("Saturday")
    SUNDAY = 7, _("Sunday")
