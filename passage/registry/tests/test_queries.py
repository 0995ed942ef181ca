"""The case list and the case page issue a fixed number of queries."""

import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from passage.registry import actions, requests
from passage.registry.tests.conftest import person

_counter = itertools.count(1)


def unique_word() -> str:
    """A made-up name no other one folds to: consonant-vowel syllables from a counter."""
    n, syllables = next(_counter), list[str]()
    while n:
        n, r = divmod(n, 15)
        syllables.append("бвгдзклмнпрстфш"[r] + "аоу"[len(syllables) % 3])
    return ("Ка" + "".join(syllables)).capitalize()


def grow(personas, cases, members):
    import datetime as dt

    made = []
    for i in range(cases):
        case = actions.open_case(
            actor=None,
            programme="usrap_p1",
            destination_country="US",
            case_worker=personas.case_worker,
        )
        for j in range(members):
            p = person(unique_word(), unique_word(), unhcr_individual_number=f"N{i}-{j}-{case.pk}")
            actions.add_member(
                actor=None, case=case, person=p, relationship="principal" if j == 0 else "child"
            )
        actions.add_reference(actor=None, case=case, kind="us_case", value=f"US{case.pk}")
        actions.transition_case(actor=personas.case_worker, case=case, to="interview_scheduled")
        made.append(case)
    requests.create_embassy_request(
        actor=personas.case_worker,
        embassy=personas.embassy_us.organisation,
        reference=f"R{len(made)}-{made[0].pk}",
        issued_on=dt.date(2026, 1, 1),
        valid_from=dt.date(2026, 1, 1),
        valid_until=dt.date(2026, 12, 31),
        services=["medical"],
        cases=made,
    )
    return made


def count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["case_worker", "embassy_us"])
def test_case_list_queries_do_not_grow(personas, persona):
    client = personas.client(persona)
    grow(personas, 2, 2)
    small = count(client, reverse("registry:cases"))
    grow(personas, 8, 4)
    assert count(client, reverse("registry:cases")) == small
    assert count(client, "/api/v1/cases") == count(client, "/api/v1/cases?limit=3")


@pytest.mark.django_db
def test_case_page_queries_do_not_grow(personas, django_assert_num_queries):
    client = personas.client("case_worker")
    small = grow(personas, 1, 1)[0]
    baseline = count(client, reverse("registry:case", args=[small.pk]))
    big = grow(personas, 1, 8)[0]
    actions.add_reference(actor=None, case=big, kind="other", value="X1")
    actions.add_reference(actor=None, case=big, kind="other", value="X2")
    for status in ("interviewed", "approved", "medical_scheduled"):
        actions.transition_case(actor=personas.case_worker, case=big, to=status)
    assert count(client, reverse("registry:case", args=[big.pk])) == baseline


@pytest.mark.django_db
def test_people_list_queries_do_not_grow(personas):
    client = personas.client("case_worker")
    grow(personas, 2, 2)
    small = count(client, reverse("registry:people"))
    grow(personas, 5, 4)
    assert count(client, reverse("registry:people")) == small
