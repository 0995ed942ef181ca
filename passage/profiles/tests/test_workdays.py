"""Working days and arrival days, on Canada's calendar in July 2026.

July 2026: Wed 1 is Canada Day; Fri 3, Sat 4, Sun 5; Mon 6.
"""

from datetime import date

import pytest

from passage.profiles.choices import Programme
from passage.profiles.tests.factories import DestinationProfileFactory, HolidayFactory
from passage.profiles.workdays import (
    add_months,
    add_working_days,
    arrival_refusal,
    is_arrival_allowed,
    is_working_day,
    working_days_between,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def canada_day():
    HolidayFactory.create(country="CA", date=date(2026, 7, 1), name="Canada Day")
    HolidayFactory.create(country="CA", date=date(2026, 8, 3), name="Civic Holiday")


@pytest.fixture
def gar(canada_day):
    return DestinationProfileFactory.create(
        country="CA",
        programme=Programme.CA_GAR,
        effective_from=date(2019, 1, 1),
        arrival_refused_weekdays=[5, 6, 7],
        arrival_refused_on_holidays=True,
        arrival_notification_working_days=10,
    )


def test_working_days_skip_weekends_and_holidays(canada_day) -> None:
    assert not is_working_day("CA", date(2026, 7, 1))
    assert not is_working_day("CA", date(2026, 7, 4))
    assert is_working_day("CA", date(2026, 7, 2))
    # Tue 30 Jun -> Mon 6 Jul: Thu 2, Fri 3, Mon 6 (Canada Day and the weekend skipped)
    assert working_days_between("CA", date(2026, 6, 30), date(2026, 7, 6)) == 3
    assert working_days_between("CA", date(2026, 7, 6), date(2026, 6, 30)) == -3
    assert working_days_between("CA", date(2026, 7, 6), date(2026, 7, 6)) == 0
    # The same span elsewhere has no Canada Day: four working days.
    assert working_days_between("US", date(2026, 6, 30), date(2026, 7, 6)) == 4


def test_add_working_days_forward_and_back(canada_day) -> None:
    assert add_working_days("CA", date(2026, 6, 30), 1) == date(2026, 7, 2)
    assert add_working_days("CA", date(2026, 7, 2), 2) == date(2026, 7, 6)
    assert add_working_days("CA", date(2026, 7, 6), -3) == date(2026, 6, 30)
    assert add_working_days("CA", date(2026, 7, 6), 0) == date(2026, 7, 6)
    # Ten working days before Mon 6 Jul, Canada Day skipped: Fri 19 Jun.
    assert add_working_days("CA", date(2026, 7, 6), -10) == date(2026, 6, 19)
    # Long spans reach holidays beyond the first window.
    assert add_working_days("CA", date(2026, 6, 1), 45) == date(2026, 8, 5)


@pytest.mark.parametrize(
    ("day", "allowed"),
    [
        (date(2026, 7, 9), True),  # Thursday
        (date(2026, 7, 10), False),  # Friday
        (date(2026, 7, 11), False),  # Saturday
        (date(2026, 7, 12), False),  # Sunday
        (date(2026, 7, 13), True),  # Monday
        (date(2026, 7, 1), False),  # Wednesday, Canada Day
        (date(2026, 8, 3), False),  # Monday, Civic Holiday
    ],
)
def test_gar_arrival_days(gar, day, allowed) -> None:
    assert is_arrival_allowed(gar, day) is allowed
    assert (arrival_refusal(gar, day) is None) is allowed


def test_refusal_names_the_reason(gar) -> None:
    assert "Friday" in str(arrival_refusal(gar, date(2026, 7, 10)))
    assert "Canada Day" in str(arrival_refusal(gar, date(2026, 7, 1)))


def test_a_default_profile_without_limits_allows_any_day(canada_day) -> None:
    profile = DestinationProfileFactory.create(country="CA", effective_from=date(2019, 1, 1))
    assert is_arrival_allowed(profile, date(2026, 7, 1))
    assert is_arrival_allowed(profile, date(2026, 7, 11))


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2026, 3, 15), -6, date(2025, 9, 15)),
        (date(2026, 12, 1), 12, date(2027, 12, 1)),
        (date(2026, 1, 1), -1, date(2025, 12, 1)),
    ],
)
def test_add_months(start, months, expected) -> None:
    assert add_months(start, months) == expected
