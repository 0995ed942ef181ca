from datetime import date

import pytest

from passage.core.errors import ActionError
from passage.profiles import queries
from passage.profiles.choices import Programme
from passage.profiles.tests.factories import (
    ALL_FACTORIES,
    DestinationProfileFactory,
    HolidayFactory,
)

pytestmark = pytest.mark.django_db


def test_every_factory_builds() -> None:
    for factory in ALL_FACTORIES:
        assert factory.create().pk


@pytest.fixture
def versions():
    """Versions of a country no shipped profile uses (Kazakhstan)."""
    old = DestinationProfileFactory.create(
        country="KZ", effective_from=date(2024, 1, 1), medical_validity_months=6
    )
    new = DestinationProfileFactory.create(
        country="KZ", effective_from=date(2026, 3, 1), medical_validity_months=9
    )
    gar = DestinationProfileFactory.create(
        country="KZ",
        programme=Programme.CA_GAR,
        effective_from=date(2025, 6, 1),
        medical_validity_months=3,
    )
    return old, new, gar


def test_lookup_returns_the_version_in_force_on_the_date(versions) -> None:
    old, new, _gar = versions
    assert queries.profile_for("KZ", None, date(2024, 1, 1)) == old
    assert queries.profile_for("KZ", None, date(2026, 2, 28)) == old
    assert queries.profile_for("kz", "", date(2026, 3, 1)) == new
    assert queries.profile_for("KZ", None, date(2030, 1, 1)) == new


def test_programme_profile_wins_over_the_country_default(versions) -> None:
    old, new, gar = versions
    assert queries.profile_for("KZ", Programme.CA_GAR, date(2025, 5, 31)) == old
    assert queries.profile_for("KZ", Programme.CA_GAR, date(2025, 6, 1)) == gar
    assert queries.profile_for("KZ", Programme.CA_GAR, date(2027, 1, 1)) == gar
    assert queries.profile_for("KZ", Programme.CA_PSR, date(2027, 1, 1)) == new


def test_no_profile_in_force_is_a_clear_error(versions) -> None:
    with pytest.raises(ActionError) as exc:
        queries.profile_for("KZ", None, date(2023, 12, 31))
    assert exc.value.code == "no_profile"
    assert "KZ" in exc.value.message
    with pytest.raises(ActionError):
        queries.profile_for("TJ", Programme.EU_QUOTA, date(2026, 1, 1))


def test_current_profiles_lists_one_row_per_key(versions, personas) -> None:
    _old, new, gar = versions
    rows = [
        p for p in queries.current_profiles(personas.admin, date(2026, 6, 1)) if p.country == "KZ"
    ]
    assert rows == [new, gar]


def test_version_diff_names_changed_fields(versions) -> None:
    old, new, _gar = versions
    assert queries.version_diff(old, new) == {"medical_validity_months": [6, 9]}
    assert queries.version_diff(None, new) == {}


def test_holidays_for_filters_by_year(personas) -> None:
    HolidayFactory.create(country="CA", date=date(2031, 7, 1), name="Canada Day")
    HolidayFactory.create(country="CA", date=date(2032, 7, 1), name="Canada Day")
    rows = queries.holidays_for(personas.admin, "ca", 2031)
    assert [h.date for h in rows] == [date(2031, 7, 1)]
