"""Registering a walk-in traveller and their family at the counter, by the API.

Routes are added to :data:`passage.tickets.api.router` (imported at its end).
"""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Schema, Status

from passage.core.utils import api_user
from passage.registry.choices import Relationship
from passage.registry.models import Membership
from passage.tickets.api import ErrorOut, router
from passage.tickets.registration import MAX_TRAVELLERS, Traveller, register_travellers

Name = Field("", max_length=150)


class TicketsTravellerIn(Schema):
    relationship: Relationship = Field(..., description="Relationship to the principal applicant")
    person_id: int | None = Field(
        None,
        ge=1,
        le=2**31 - 1,
        description="A person already registered and in no case: the name fields are ignored",
    )
    given_names: str = Field("", max_length=150, description="In the person's own script")
    surname: str = Name
    patronymic: str = Name
    latin_given_names: str = Field(
        "", max_length=150, description="As in the travel document; empty: suggested"
    )
    latin_surname: str = Name
    sex: str = Field("", max_length=1, description="F, M or X")
    date_of_birth: dt.date | None = Field(None, description="Required for a new person")
    date_of_birth_estimated: bool = False
    nationality: str = Field("", max_length=3, description="ISO 3166 or ICAO XXA/XXB/XXC")
    languages: list[str] = Field([], max_length=10, description="ISO 639 codes")
    phones: list[str] = Field([], max_length=5)

    def traveller(self) -> Traveller:
        return Traveller(**self.dict())


class TicketsRegistrationIn(Schema):
    consent_date: dt.date | None = Field(None, description="Required: consent comes first")
    consent_scope: str = Field("", max_length=300)
    destination_country: str = Field(..., max_length=2, description="ISO 3166 alpha-2")
    people: list[TicketsTravellerIn] = Field(..., min_length=1, max_length=MAX_TRAVELLERS)
    confirmed_distinct: list[int] = Field(
        [],
        max_length=100,
        description="Ids of flagged possible duplicates confirmed to be other people",
    )


class TicketsMemberOut(Schema):
    person_id: int
    name: str
    relationship: str


class TicketsRegistrationOut(Schema):
    case_id: int
    file_number: str
    programme: str
    destination_country: str
    status: str
    members: list[TicketsMemberOut]


class TicketsRowErrorOut(Schema):
    row: int | None = None
    field: str = ""
    message: str


class TicketsInvalidOut(Schema):
    code: str
    message: str
    field: str | None = None
    errors: list[TicketsRowErrorOut] = []


class TicketsDuplicateOut(Schema):
    row: int | None = None
    person_id: int | None = None
    name: str = ""
    date_of_birth: str | None = None
    reason: str = ""
    message: str = ""
    case_id: int | None = None
    file_number: str = ""


class TicketsConflictOut(Schema):
    code: str
    message: str
    field: str | None = None
    errors: list[TicketsDuplicateOut] = []


@router.post(
    "/tickets/travellers",
    response={
        201: TicketsRegistrationOut,
        400: ErrorOut,
        403: ErrorOut,
        409: TicketsConflictOut,
        422: TicketsInvalidOut,
    },
    summary="Register a traveller and their family and open their self-paying case",
    description=(
        "Consent once for the family, one entry per traveller (exactly one principal). "
        "All or nothing: 422 lists every problem with its row (1-based) and field; 409 "
        "lists possible duplicates already in the registry (with their current case), to "
        "take that case or person (`person_id`) or to confirm as different people "
        "(`confirmed_distinct`)."
    ),
)
def register(request: HttpRequest, payload: TicketsRegistrationIn) -> Any:
    user = api_user(request)
    case = register_travellers(
        actor=user,
        consent_date=payload.consent_date,
        consent_scope=payload.consent_scope,
        destination_country=payload.destination_country,
        people=[row.traveller() for row in payload.people],
        confirmed_distinct=payload.confirmed_distinct,
    )
    members = Membership.objects.filter(case=case).select_related("person").order_by("pk")
    return Status(
        201,
        {
            "case_id": case.pk,
            "file_number": case.file_number,
            "programme": case.programme,
            "destination_country": case.destination_country,
            "status": case.status,
            "members": [
                {
                    "person_id": m.person_id,
                    "name": m.person.display_name,
                    "relationship": m.relationship,
                }
                for m in members
            ],
        },
    )
