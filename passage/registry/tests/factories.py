"""Factories of the registry models; ALL lists them so one test builds each."""

from __future__ import annotations

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from passage.core.choices import OrgKind
from passage.registry.choices import (
    CaseStatus,
    Priority,
    Programme,
    ReferenceKind,
    Relationship,
    Sex,
    SubmissionCategory,
)
from passage.registry.models import (
    Case,
    CaseReference,
    CaseStatusChange,
    EmbassyRequest,
    Membership,
    NumberSequence,
    Person,
    Referral,
)
from passage.testing.factories import OrganisationFactory


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    given_names = factory.Iterator(["Азамат", "Гульнара", "Мухаммадали", "Зарина"])
    surname = factory.Sequence(lambda n: f"Тестов{n}")
    latin_given_names = factory.Iterator(["Azamat", "Gulnara", "Mukhammadali", "Zarina"])
    latin_surname = factory.Sequence(lambda n: f"Testov{n}")
    sex = Sex.MALE
    date_of_birth = dt.date(1990, 1, 1)
    nationality = "AF"
    consent_date = dt.date(2026, 1, 10)
    consent_scope = "resettlement processing"


class CaseFactory(DjangoModelFactory):
    class Meta:
        model = Case

    file_number = factory.Sequence(lambda n: f"KGZ-2026-{n:05d}")
    programme = Programme.USRAP_P1
    destination_country = "US"
    priority = Priority.NORMAL
    status = CaseStatus.OPENED


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    case = factory.SubFactory(CaseFactory)
    person = factory.SubFactory(PersonFactory)
    relationship = Relationship.PRINCIPAL


class CaseReferenceFactory(DjangoModelFactory):
    class Meta:
        model = CaseReference

    case = factory.SubFactory(CaseFactory)
    kind = ReferenceKind.UNHCR_CASE
    value = factory.Sequence(lambda n: f"KGZ-{n:06d}")


class CaseStatusChangeFactory(DjangoModelFactory):
    class Meta:
        model = CaseStatusChange

    case = factory.SubFactory(CaseFactory)
    from_status = CaseStatus.REFERRED
    to_status = CaseStatus.OPENED


class EmbassyRequestFactory(DjangoModelFactory):
    class Meta:
        model = EmbassyRequest

    embassy = factory.SubFactory(
        OrganisationFactory, name="US Embassy", kind=OrgKind.EMBASSY, country="US"
    )
    reference = factory.Sequence(lambda n: f"REQ-{n}")
    issued_on = dt.date(2026, 1, 5)
    valid_from = dt.date(2026, 1, 5)
    valid_until = dt.date(2026, 12, 31)
    medical = True
    co = True
    movement = True


class ReferralFactory(DjangoModelFactory):
    class Meta:
        model = Referral

    case = factory.SubFactory(CaseFactory)
    organisation = factory.SubFactory(
        OrganisationFactory, name="UNHCR Office", kind=OrgKind.UNHCR, country="KG"
    )
    reference = factory.Sequence(lambda n: f"RRF-{n}")
    referred_on = dt.date(2026, 1, 2)
    priority = Priority.NORMAL
    submission_category = SubmissionCategory.LEGAL_PHYSICAL_PROTECTION


class NumberSequenceFactory(DjangoModelFactory):
    class Meta:
        model = NumberSequence
        django_get_or_create = ("name",)

    name = "case_file"


ALL = [
    PersonFactory,
    CaseFactory,
    MembershipFactory,
    CaseReferenceFactory,
    CaseStatusChangeFactory,
    EmbassyRequestFactory,
    ReferralFactory,
    NumberSequenceFactory,
]
