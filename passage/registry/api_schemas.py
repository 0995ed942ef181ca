"""Schemas of the registry API."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema

from passage.registry.choices import Priority
from passage.registry.models import Case, EmbassyRequest, Person
from passage.registry.people import PersonData


class MemberOut(Schema):
    person_id: int
    name: str
    relationship: str


class ReferenceOut(Schema):
    kind: str
    value: str
    note: str


class CaseOut(Schema):
    id: int
    file_number: str
    programme: str
    destination_country: str
    priority: str
    status: str
    status_changed_at: dt.datetime
    case_worker: int | None = Field(None, alias="case_worker_id")
    receiving_party: int | None = Field(None, alias="receiving_party_id")
    referred_by: int | None = Field(None, alias="referred_by_id")
    notes: str
    members: list[MemberOut]
    references: list[ReferenceOut]

    @staticmethod
    def resolve_members(obj: Case) -> list[dict[str, Any]]:
        members = getattr(obj, "active_members", None)
        if members is None:
            members = list(obj.memberships.filter(ended_at__isnull=True).select_related("person"))
        return [
            {
                "person_id": m.person_id,
                "name": m.person.display_name,
                "relationship": m.relationship,
            }
            for m in members
        ]

    @staticmethod
    def resolve_references(obj: Case) -> list[dict[str, str]]:
        return [{"kind": r.kind, "value": r.value, "note": r.note} for r in obj.references.all()]


def case_out(case: Case) -> Case:
    """The case itself: CaseOut resolves its members and references."""
    return case


class CaseIn(Schema):
    programme: str
    destination_country: str = Field(..., min_length=2, max_length=2)
    priority: str = Priority.NORMAL.value
    receiving_party: int | None = None
    referred_by: int | None = None
    case_worker: int | None = None
    notes: str = ""


class CasePatch(Schema):
    programme: str | None = None
    destination_country: str | None = None
    priority: str | None = None
    receiving_party: int | None = None
    referred_by: int | None = None
    case_worker: int | None = None
    notes: str | None = None


class TransitionIn(Schema):
    to: str
    reason: str = ""


class MemberIn(Schema):
    person_id: int
    relationship: str


class RelationshipIn(Schema):
    relationship: str = Field(..., description="the member's new relationship to the principal")
    former_principal_becomes: str = Field(
        "", description="when making this member principal: what the current principal becomes"
    )
    reason: str = Field("", max_length=200)


class ReferenceIn(Schema):
    kind: str
    value: str = Field(..., min_length=1, max_length=60)
    note: str = ""


class SplitIn(Schema):
    people: list[int]
    principal: int
    reason: str


class MergeIn(Schema):
    target_id: int
    reason: str


class PersonOut(Schema):
    id: int
    given_names: str
    surname: str
    patronymic: str
    latin_given_names: str
    latin_surname: str
    sex: str
    date_of_birth: dt.date | None
    date_of_birth_estimated: bool
    nationality: str
    languages: list[str]
    phones: list[str]
    unhcr_individual_number: str | None
    vulnerabilities: list[str]
    special_needs: str
    consent_date: dt.date
    consent_scope: str
    spellings: list[str]

    @staticmethod
    def resolve_spellings(obj: Person) -> list[str]:
        return [n.text for n in obj.names.all()]


class PersonIn(Schema):
    consent_date: dt.date | None = Field(None, description="Required: consent comes first")
    consent_scope: str = ""
    given_names: str
    surname: str = ""
    patronymic: str = ""
    latin_given_names: str = Field("", description="Empty: a suggested transliteration is used")
    latin_surname: str = ""
    sex: str
    date_of_birth: dt.date | None = None
    date_of_birth_estimated: bool = False
    nationality: str = ""
    languages: list[str] = []
    phones: list[str] = []
    unhcr_individual_number: str | None = None
    vulnerabilities: list[str] = []
    special_needs: str = ""
    variants: list[str] = Field([], description="Other known spellings of the name")
    confirmed_distinct: list[int] = Field(
        [], description="Ids of flagged possible duplicates confirmed to be other people"
    )

    def to_data(self) -> PersonData:
        values = self.dict(exclude={"confirmed_distinct"})
        return PersonData(**values)


class HitOut(Schema):
    person: PersonOut
    score: float
    matched: str
    reason: str


class RequestOut(Schema):
    id: int
    embassy: int = Field(..., alias="embassy_id")
    embassy_name: str
    reference: str
    issued_on: dt.date
    valid_from: dt.date
    valid_until: dt.date
    services: list[str]
    cases: list[str]
    notes: str

    @staticmethod
    def resolve_embassy_name(obj: EmbassyRequest) -> str:
        return obj.embassy.name

    @staticmethod
    def resolve_cases(obj: EmbassyRequest) -> list[str]:
        return [c.file_number for c in obj.cases.all()]


class RequestIn(Schema):
    embassy: int
    reference: str
    issued_on: dt.date
    valid_from: dt.date
    valid_until: dt.date
    services: list[str]
    cases: list[int]
    notes: str = ""


class ReferralOut(Schema):
    id: int
    case_id: int
    organisation: int = Field(..., alias="organisation_id")
    reference: str
    referred_on: dt.date
    priority: str
    submission_category: str


class ReferralIn(Schema):
    case_id: int
    organisation: int
    reference: str
    referred_on: dt.date
    priority: str
    submission_category: str


class ImportOut(Schema):
    applied: bool
    rows: int
    new_cases: int
    updated_cases: int
    new_people: int
    updated_people: int
    joined_people: int
    unchanged_people: int
    changes: list[dict[str, Any]]
    warnings: list[dict[str, Any]]
