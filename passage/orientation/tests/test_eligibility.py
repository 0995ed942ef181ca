"""Age bands at their edges, for every shipped curriculum, and destination matching."""

import datetime as dt
from decimal import Decimal

import pytest

from passage.orientation.completion import age_on, applicable, curricula_in_force
from passage.orientation.models import Curriculum

ON = dt.date(2026, 6, 1)


def band(code: str) -> Curriculum:
    return Curriculum.objects.get(code=code)


def born(years: int, days_after: int = 0) -> dt.date:
    """Born so that the person turns ``years`` on ON (or ``days_after`` days later)."""
    return dt.date(ON.year - years, ON.month, ON.day) + dt.timedelta(days=days_after)


def test_age_counts_completed_years():
    assert age_on(dt.date(2013, 6, 1), ON) == 13
    assert age_on(dt.date(2013, 6, 2), ON) == 12
    assert age_on(dt.date(2012, 2, 29), dt.date(2026, 2, 28)) == 13
    assert age_on(dt.date(2012, 2, 29), dt.date(2026, 3, 1)) == 14


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("code", "youngest", "oldest"),
    [
        ("ca-coa", 13, None),
        ("au-ausco", 6, None),
        ("no-child", 8, 15),
        ("no-adult", 16, None),
        ("us-adult", 18, None),
        ("us-youth", 12, 17),
        ("eu-generic", 12, None),
    ],
)
def test_shipped_age_bands_at_their_edges(code, youngest, oldest):
    curriculum = band(code)
    assert curriculum.covers_age(age_on(born(youngest), ON))
    assert not curriculum.covers_age(age_on(born(youngest, days_after=1), ON))
    if oldest is None:
        assert curriculum.covers_age(99)
    else:
        assert curriculum.covers_age(age_on(born(oldest + 1, days_after=1), ON))
        assert not curriculum.covers_age(age_on(born(oldest + 1), ON))


@pytest.mark.django_db
def test_shipped_hours_and_sources():
    hours = {c.code: (c.required_hours, c.days) for c in curricula_in_force(ON)}
    assert hours["ca-coa"] == (Decimal(15), 3)
    assert hours["au-ausco"] == (Decimal(25), 5)
    assert hours["no-child"] == (Decimal(10), 2)
    assert hours["no-adult"] == (Decimal(25), 5)
    us = band("us-adult")
    assert (us.min_hours, us.max_hours) == (Decimal(2), Decimal(30))
    assert 16 <= us.required_hours <= 21
    assert all(c.source_note for c in curricula_in_force(ON))
    assert "IRCC" in band("ca-coa").source_note
    assert "Home Affairs" in band("au-ausco").source_note
    assert "IMDi" in band("no-adult").source_note
    assert "CORE" in us.source_note


@pytest.mark.django_db
def test_country_curricula_win_over_the_generic_european_one():
    curricula = curricula_in_force(ON)
    norway = {c.code for c in applicable(curricula, "NO", "eu_quota")}
    sweden = {c.code for c in applicable(curricula, "SE", "eu_quota")}
    assert norway == {"no-child", "no-adult"}
    assert sweden == {"eu-generic"}
    assert {c.code for c in applicable(curricula, "US", "usrap_p2")} == {"us-adult", "us-youth"}
    assert applicable(curricula, "US", "self_paying") == []
