"""Demo documents and applications, consistent with each demo case's step.

Runs after the registry's demo (``PASSAGE_APPS`` order) on every case that has no
documents yet, so running it twice adds nothing:

* before assurance (interview, medical, orientation): passports only, for some people;
* assurance received or documents in process: the travel documents, and the
  destination's required documents except the exit visa of the last member, which is
  applied for (submitted, decision expected in 10 days, or overdue for every third case);
  a family document (the US boarding letter) is still being prepared;
* travel-ready and later: every required document, valid; the exit visa of every
  fourth case ends within two weeks (an expiring-soon warning);
* withdrawn cases: nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import OutputWrapper
from django.utils import timezone

from passage.core.errors import ActionError
from passage.documents import actions
from passage.documents.choices import ApplicationStatus
from passage.documents.models import DocumentApplication, DocumentType, TravelDocument
from passage.documents.mrz import ICAO_SPECIAL_CODES
from passage.profiles import queries as profile_queries
from passage.registry.choices import CaseStatus
from passage.registry.models import Case

S = CaseStatus
EARLY = frozenset(
    {
        S.REFERRED,
        S.OPENED,
        S.INTERVIEW_SCHEDULED,
        S.INTERVIEWED,
        S.CONDITIONALLY_APPROVED,
        S.APPROVED,
        S.MEDICAL_SCHEDULED,
        S.MEDICAL_EXAMINED,
        S.MEDICAL_PENDING,
        S.MEDICAL_HELD,
        S.MEDICAL_CLEARED,
        S.MEDICAL_FOLLOW_UP,
        S.CO_SCHEDULED,
        S.CO_ATTENDED,
    }
)
IN_PROCESS = frozenset({S.ASSURANCE_RECEIVED, S.DOCUMENTS_IN_PROCESS})
NOTHING = frozenset({S.WITHDRAWN})
# (issued days ago, valid days ahead or None) by document code
DATES = {
    "passport": (700, 1800),
    "ctd": (300, 700),
    "exit_visa": (20, 90),
    "visa": (30, 180),
    "copr": (30, 300),
    "us_boarding_letter": (60, None),
    "transit_visa": (20, 90),
}


def _issuer(nationality: str) -> str:
    if nationality in ICAO_SPECIAL_CODES or not nationality:
        return "KGZ"
    import pycountry

    country = pycountry.countries.get(alpha_2=nationality)
    return country.alpha_3 if country is not None else "KGZ"


class Loader:
    def __init__(self, today: dt.date) -> None:
        self.today = today
        self.types = {t.code: t for t in DocumentType.objects.all()}
        self.documents = 0
        self.applications = 0

    def record(self, person: Any, code: str, case: Case | None = None, **kw: Any) -> None:
        issued, ahead = DATES.get(code, (30, 180))
        values: dict[str, Any] = {
            "issued_on": self.today - dt.timedelta(days=issued),
            "expires_on": self.today + dt.timedelta(days=ahead) if ahead else None,
            "number": f"{code[:2].upper()}{person.pk:06d}",
            "issuing_state": _issuer(person.nationality) if code in ("passport",) else "KGZ",
        }
        values.update(kw)
        actions.record_document(
            actor=None, person=person, doc_type=self.types[code], case=case, **values
        )
        self.documents += 1

    def apply(self, case: Case, person: Any, code: str, *, overdue: bool) -> None:
        app = actions.open_application(
            actor=None,
            case=case,
            person=person,
            doc_type=self.types[code],
            authority="State Migration Service, Bishkek"
            if code == "exit_visa"
            else f"Embassy of {case.destination_country}",
            valid_for_country=case.destination_country if code != "exit_visa" else "",
        )
        self.applications += 1
        if person is None:
            return  # a family document still being prepared
        expected = self.today + dt.timedelta(days=-5 if overdue else 10)
        actions.move_application(
            actor=None,
            application=app,
            to=ApplicationStatus.SUBMITTED,
            on=self.today - dt.timedelta(days=20),
            expected_on=expected,
        )

    def case(self, case: Case) -> None:
        members = list(case.memberships.filter(ended_at__isnull=True).select_related("person"))
        if case.status in NOTHING or not members:
            return
        try:
            profile = profile_queries.profile_for(case.destination_country, case.programme)
        except ActionError:
            return
        travel = "passport"
        if case.status in EARLY:
            for m in members[::2]:
                self.record(m.person, travel)
            return
        for m in members:
            code = "ctd" if m.person.nationality in ("XXA", "XXB", "XXC") else travel
            if profile.travel_document_any_of or code == "ctd":
                self.record(m.person, code)
        pending = case.status in IN_PROCESS
        for code in profile_queries.required_document_codes(profile):
            doc_type = self.types.get(code)
            if doc_type is None:
                continue
            if doc_type.per_family:
                if pending:
                    self.apply(case, None, code, overdue=False)
                else:
                    self.record(members[0].person, code, case=case)
                continue
            for index, m in enumerate(members):
                last = index == len(members) - 1
                if pending and code == "exit_visa" and last:
                    self.apply(case, m.person, code, overdue=case.pk % 3 == 0)
                    continue
                extra: dict[str, Any] = {}
                if doc_type.valid_for_destination:
                    extra["valid_for_country"] = case.destination_country
                if code == "exit_visa" and not pending and case.pk % 4 == 0:
                    extra["expires_on"] = self.today + dt.timedelta(days=10)
                self.record(m.person, code, **extra)


def load(stdout: OutputWrapper) -> dict[str, int]:
    loader = Loader(timezone.localdate())
    has_documents = TravelDocument.objects.filter(
        person__memberships__case_id__isnull=False
    ).values("person__memberships__case_id")
    has_applications = DocumentApplication.objects.values("case_id")
    cases = (
        Case.objects.exclude(pk__in=has_documents).exclude(pk__in=has_applications).order_by("pk")
    )
    for case in cases:
        loader.case(case)
    stdout.write(f"  documents added: {loader.documents}, applications: {loader.applications}")
    return {"documents": loader.documents, "applications": loader.applications}
