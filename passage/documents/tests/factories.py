"""Factories of the documents models; ALL lists them so one test builds each."""

from __future__ import annotations

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from passage.documents.choices import ApplicationStatus, DocumentCategory
from passage.documents.models import (
    ApplicationStatusChange,
    DocumentApplication,
    DocumentType,
    TravelDocument,
)
from passage.registry.tests.factories import CaseFactory, PersonFactory


def doc_type(code: str) -> DocumentType:
    """A shipped document type (migration 0002), by its code."""
    return DocumentType.objects.get(code=code)


class DocumentTypeFactory(DjangoModelFactory):
    class Meta:
        model = DocumentType
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"other_{n}")
    name = factory.Sequence(lambda n: f"Other document {n}")
    category = DocumentCategory.OTHER


class TravelDocumentFactory(DjangoModelFactory):
    class Meta:
        model = TravelDocument

    person = factory.SubFactory(PersonFactory)
    doc_type = factory.LazyFunction(lambda: doc_type("passport"))
    number = factory.Sequence(lambda n: f"P{n:07d}")
    issuing_state = "AFG"
    issued_on = dt.date(2024, 1, 1)
    expires_on = dt.date(2034, 1, 1)


class DocumentApplicationFactory(DjangoModelFactory):
    class Meta:
        model = DocumentApplication

    case = factory.SubFactory(CaseFactory)
    person = None
    doc_type = factory.LazyFunction(lambda: doc_type("us_boarding_letter"))
    authority = "US Embassy, Bishkek"
    status = ApplicationStatus.PREPARING


class ApplicationStatusChangeFactory(DjangoModelFactory):
    class Meta:
        model = ApplicationStatusChange

    application = factory.SubFactory(DocumentApplicationFactory)
    to_status = ApplicationStatus.PREPARING


ALL: list[type[DjangoModelFactory]] = [
    DocumentTypeFactory,
    TravelDocumentFactory,
    DocumentApplicationFactory,
    ApplicationStatusChangeFactory,
]
