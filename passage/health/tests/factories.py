"""Factories of the health models; ALL lists them so one test builds each."""

from __future__ import annotations

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from passage.health import models as m
from passage.health.choices import (
    AssessmentStatus,
    CheckKind,
    CheckOutcome,
    ConditionClass,
    ExamType,
    LabResult,
    TbTestKind,
)
from passage.registry.tests.factories import CaseFactory, PersonFactory


class ClinicFactory(DjangoModelFactory):
    class Meta:
        model = m.Clinic
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Clinic {n}")
    daily_capacity = 10


class RulesFactory(DjangoModelFactory):
    class Meta:
        model = m.MedicalTravelRules

    country = "US"
    effective_from = dt.date(2026, 1, 1)
    source_note = "test rules"


class AssessmentFactory(DjangoModelFactory):
    class Meta:
        model = m.Assessment

    person = factory.SubFactory(PersonFactory)
    case = factory.SubFactory(CaseFactory)
    programme = factory.LazyAttribute(lambda a: a.case.programme)
    destination_country = factory.LazyAttribute(lambda a: a.case.destination_country)
    exam_type = ExamType.US_PANEL
    status = AssessmentStatus.SCHEDULED
    clinic = factory.SubFactory(ClinicFactory)
    scheduled_for = dt.date(2026, 3, 2)


class StatusChangeFactory(DjangoModelFactory):
    class Meta:
        model = m.AssessmentStatusChange

    assessment = factory.SubFactory(AssessmentFactory)
    to_status = AssessmentStatus.SCHEDULED


class TbTestFactory(DjangoModelFactory):
    class Meta:
        model = m.TbTest

    assessment = factory.SubFactory(AssessmentFactory)
    kind = TbTestKind.XRAY
    collected_on = dt.date(2026, 3, 2)
    result = LabResult.NORMAL
    result_on = dt.date(2026, 3, 2)


class ConditionFactory(DjangoModelFactory):
    class Meta:
        model = m.Condition

    assessment = factory.SubFactory(AssessmentFactory)
    condition_class = ConditionClass.B
    description = "Hansen's disease, treated"


class TreatmentFactory(DjangoModelFactory):
    class Meta:
        model = m.Treatment

    assessment = factory.SubFactory(AssessmentFactory)
    regimen = "2HRZE/4HR"
    started_on = dt.date(2026, 3, 10)


class VaccinationFactory(DjangoModelFactory):
    class Meta:
        model = m.Vaccination

    person = factory.SubFactory(PersonFactory)
    antigen = "MMR"
    dose_number = 1
    given_on = dt.date(2026, 3, 2)


class PregnancyFactory(DjangoModelFactory):
    class Meta:
        model = m.Pregnancy

    person = factory.SubFactory(PersonFactory)
    expected_delivery = dt.date(2026, 9, 1)
    recorded_on = dt.date(2026, 3, 2)


class TravelNeedsFactory(DjangoModelFactory):
    class Meta:
        model = m.TravelNeeds

    person = factory.SubFactory(PersonFactory)
    ssr_codes = factory.LazyFunction(lambda: ["WCHR"])


class DepartureCheckFactory(DjangoModelFactory):
    class Meta:
        model = m.DepartureCheck

    person = factory.SubFactory(PersonFactory)
    case = factory.SubFactory(CaseFactory)
    kind = CheckKind.FIT_TO_FLY
    checked_at = dt.datetime(2026, 5, 1, 8, tzinfo=dt.UTC)
    departure_at = dt.datetime(2026, 5, 2, 8, tzinfo=dt.UTC)
    outcome = CheckOutcome.FIT


ALL = [
    ClinicFactory, RulesFactory, AssessmentFactory, StatusChangeFactory, TbTestFactory,
    ConditionFactory, TreatmentFactory, VaccinationFactory, PregnancyFactory,
    TravelNeedsFactory, DepartureCheckFactory,
]  # fmt: skip
