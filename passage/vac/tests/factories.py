from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from passage.testing.factories import UserFactory
from passage.vac import models
from passage.vac.choices import ApplicationType, BiometricsOutcome, Service


def _in_days(days: int, hour: int = 10) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    return dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_current_timezone())


class FeeProfileFactory(DjangoModelFactory):
    class Meta:
        model = models.VacFeeProfile
        django_get_or_create = ("effective_from",)

    effective_from = dt.date(2020, 1, 1)
    source_note = "canada.ca: Biometrics fees (CAD 85 a person, CAD 170 for a family)"
    service_fee = Decimal("0.00")


class CentreRulesFactory(DjangoModelFactory):
    class Meta:
        model = models.CentreRules
        django_get_or_create = ("effective_from",)

    effective_from = dt.date(2020, 1, 1)
    release_time = dt.time(9, 0)
    address = "Bishkek"
    public_url = "https://vac.example.org"


class OpeningHoursFactory(DjangoModelFactory):
    class Meta:
        model = models.OpeningHours

    weekday = 0
    service = Service.BIOMETRICS
    opens = dt.time(9)
    closes = dt.time(12)


class HolidayFactory(DjangoModelFactory):
    class Meta:
        model = models.Holiday

    date = factory.Sequence(lambda n: dt.date(2030, 1, 1) + dt.timedelta(days=n))
    name = "Holiday"


class SlotFactory(DjangoModelFactory):
    class Meta:
        model = models.Slot

    service = Service.BIOMETRICS
    starts_at = factory.Sequence(lambda n: _in_days(2) + dt.timedelta(minutes=30 * n))
    ends_at = factory.LazyAttribute(lambda s: s.starts_at + dt.timedelta(minutes=30))
    capacity = 4
    release_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1))


class AppointmentFactory(DjangoModelFactory):
    class Meta:
        model = models.Appointment

    slot = factory.SubFactory(SlotFactory)
    full_name = "Aibek Asanov"
    email = factory.Sequence(lambda n: f"applicant{n}@example.org")
    date_of_birth = dt.date(1990, 5, 17)


class AppointmentChangeFactory(DjangoModelFactory):
    class Meta:
        model = models.AppointmentChange

    appointment = factory.SubFactory(AppointmentFactory)
    to_status = "booked"


class TicketFactory(DjangoModelFactory):
    class Meta:
        model = models.Ticket

    day = factory.LazyFunction(timezone.localdate)
    prefix = "W"
    number = factory.Sequence(lambda n: n + 1)
    service = Service.BIOMETRICS


class TicketChangeFactory(DjangoModelFactory):
    class Meta:
        model = models.TicketChange

    ticket = factory.SubFactory(TicketFactory)
    to_status = "waiting"


class ApplicationFactory(DjangoModelFactory):
    class Meta:
        model = models.Application

    application_type = ApplicationType.VISITOR
    email = "family@example.org"


class ApplicantFactory(DjangoModelFactory):
    class Meta:
        model = models.Applicant

    application = factory.SubFactory(ApplicationFactory)
    given_names = "Aigerim"
    family_name = "Asanova"
    date_of_birth = dt.date(1992, 3, 8)
    passport_number = factory.Sequence(lambda n: f"AC{n:07d}")


class BiometricsFactory(DjangoModelFactory):
    class Meta:
        model = models.Biometrics

    applicant = factory.SubFactory(ApplicantFactory)
    outcome = BiometricsOutcome.ENROL
    fee = Decimal("85.00")
    currency = "CAD"
    profile = factory.SubFactory(FeeProfileFactory)


class CourierBatchFactory(DjangoModelFactory):
    class Meta:
        model = models.CourierBatch

    waybill = factory.Sequence(lambda n: f"WB{n:06d}")
    sent_by = factory.SubFactory(UserFactory)


class CustodyFactory(DjangoModelFactory):
    class Meta:
        model = models.Custody

    applicant = factory.SubFactory(ApplicantFactory)
    passport_number = factory.LazyAttribute(lambda c: c.applicant.passport_number)


class CustodyEventFactory(DjangoModelFactory):
    class Meta:
        model = models.CustodyEvent

    custody = factory.SubFactory(CustodyFactory)
    to_status = "received"
    officer = factory.SubFactory(UserFactory)


ALL_FACTORIES = [
    FeeProfileFactory,
    CentreRulesFactory,
    OpeningHoursFactory,
    HolidayFactory,
    SlotFactory,
    AppointmentFactory,
    AppointmentChangeFactory,
    TicketFactory,
    TicketChangeFactory,
    ApplicationFactory,
    ApplicantFactory,
    BiometricsFactory,
    CourierBatchFactory,
    CustodyFactory,
    CustodyEventFactory,
]
