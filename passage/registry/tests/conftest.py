import datetime as dt

import pytest

from passage.core.choices import OrgKind
from passage.registry import actions, people, requests
from passage.registry.people import PersonData
from passage.testing.factories import OrganisationFactory


def person(given, surname, latin_given="", latin_surname="", sex="M", **kw):
    data = PersonData(
        given_names=given,
        surname=surname,
        latin_given_names=latin_given,
        latin_surname=latin_surname,
        sex=sex,
        consent_date=dt.date(2026, 1, 1),
        consent_scope="resettlement",
        **kw,
    )
    return people.create_person(actor=None, data=data)


@pytest.fixture
def world(personas):
    """A US case referred by UNHCR with a receiving agency, and a Swedish case."""
    unhcr = personas.unhcr.organisation
    agency = OrganisationFactory(name="Ohio Agency", kind=OrgKind.AGENCY, country="US")
    us = actions.open_case(
        actor=None,
        programme="usrap_p1",
        destination_country="US",
        referred_by=unhcr,
        receiving_party=agency,
        case_worker=personas.case_worker,
    )
    se = actions.open_case(actor=None, programme="eu_quota", destination_country="SE")
    pa = person(
        "Мухаммадали",
        "Жумабеков",
        "Mukhammadali",
        "Zhumabekov",
        date_of_birth=dt.date(1984, 3, 12),
        unhcr_individual_number="I-1",
    )
    wife = person("Зарина", "Жумабекова", "Zarina", "Zhumabekova", sex="F")
    other = person("Erik", "Lund", sex="M")
    actions.add_member(actor=None, case=us, person=pa, relationship="principal")
    actions.add_member(actor=None, case=us, person=wife, relationship="spouse")
    actions.add_member(actor=None, case=se, person=other, relationship="principal")
    actions.add_reference(actor=None, case=us, kind="unhcr_case", value="UNHCR-1")
    req = requests.create_embassy_request(
        actor=personas.case_worker,
        embassy=personas.embassy_us.organisation,
        reference="US-1",
        issued_on=dt.date(2026, 1, 5),
        valid_from=dt.date(2026, 1, 5),
        valid_until=dt.date(2026, 6, 30),
        services=["medical", "co"],
        cases=[us],
    )
    agency_user = personas.users["agency"] = type(personas.case_worker).objects.create(
        username="agency", organisation=agency, role="partner"
    )
    return {
        "us": us,
        "se": se,
        "pa": pa,
        "wife": wife,
        "other": other,
        "request": req,
        "agency": agency,
        "agency_user": agency_user,
    }
