"""The shipped profiles (from the data migration) and the rule helpers other apps call."""

from datetime import UTC, date, datetime

import pytest

from passage.profiles import queries
from passage.profiles.choices import CoRequirement, DocumentCode, Programme
from passage.profiles.models import DestinationProfile

pytestmark = pytest.mark.django_db

ON = date(2026, 6, 1)
EUROPE = ["SE", "NL", "DK", "FR", "GB", "CH", "FI", "IE", "BE", "NO", "CZ", "RO"]


def test_profiles_ship_for_every_destination_with_sources() -> None:
    shipped = DestinationProfile.objects.filter(created_by=None)
    countries = set(shipped.values_list("country", flat=True))
    assert countries == {"US", "CA", "AU", *EUROPE}
    for profile in shipped:
        assert profile.source_note
        assert profile.source_url.startswith("https://")
        assert "exit visa" in profile.unverified_note
    assert "cdc.gov" in queries.profile_for("US", Programme.USRAP_P2, ON).source_note
    assert "canada.ca" in queries.profile_for("CA", None, ON).source_note
    au = queries.profile_for("AU", Programme.AU_HUMANITARIAN, ON)
    assert "homeaffairs.gov.au" in au.source_note
    assert "rch.org.au" in au.source_note
    for code in EUROPE:
        assert "unverified" in queries.profile_for(code, Programme.EU_QUOTA, ON).unverified_note


def test_us_medical_and_screening_windows() -> None:
    us = queries.profile_for("US", Programme.USRAP_P1, ON)
    assert queries.medical_valid_until(us, date(2026, 1, 15)) == date(2026, 7, 15)
    assert queries.medical_valid_until(us, date(2026, 1, 15), tb_class_b1=True) == date(2026, 4, 15)
    assert "unverified" in us.unverified_note and "B1" in us.unverified_note
    window = queries.medical_window_for_departure(us, date(2026, 7, 15))
    assert window.contains(date(2026, 1, 15))
    assert not window.contains(date(2026, 1, 14))
    screening = queries.pre_departure_screening_window(us, date(2026, 7, 15))
    assert screening is not None
    assert screening.earliest == date(2026, 6, 24)
    departure = datetime(2026, 7, 15, 6, 0, tzinfo=UTC)
    fit = queries.fit_to_fly_window(us, departure)
    assert fit is not None
    assert fit.earliest == datetime(2026, 7, 12, 6, 0, tzinfo=UTC)
    assert fit.latest == datetime(2026, 7, 14, 6, 0, tzinfo=UTC)
    assert not fit.contains(datetime(2026, 7, 14, 12, 0, tzinfo=UTC))  # 18 h before: too late
    assert us.fit_to_fly_required


def test_us_vaccination_rules() -> None:
    us = queries.profile_for("US", None, ON)
    departure = date(2026, 7, 15)
    assert queries.live_vaccine_allowed(us, date(2026, 6, 17), departure)  # 28 days before
    assert not queries.live_vaccine_allowed(us, date(2026, 6, 18), departure)
    assert queries.live_vaccine_allowed(us, date(2026, 6, 18), departure, outbreak=True)
    dose2 = queries.second_dose_window(us, date(2026, 3, 10))
    assert dose2 is not None
    assert (dose2.earliest, dose2.latest) == (date(2026, 4, 10), date(2026, 5, 10))


def test_us_documents_and_loan() -> None:
    us = queries.profile_for("US", Programme.USRAP_P3, ON)
    assert us.co_requirement == CoRequirement.REQUIRED
    assert queries.required_document_codes(us) == [
        DocumentCode.US_BOARDING_LETTER,
        DocumentCode.EXIT_VISA,
    ]
    assert queries.boarding_letter_valid_until(us, date(2026, 2, 1)) == date(2027, 2, 1)
    assert queries.must_sign_promissory_note(us, date(2008, 6, 1), ON)  # 18 today
    assert not queries.must_sign_promissory_note(us, date(2008, 6, 2), ON)
    assert us.loan_interest_free
    assert queries.loan_repayment_starts(us, date(2026, 7, 15)) == date(2027, 1, 15)


def test_canada_rules() -> None:
    ca = queries.profile_for("CA", Programme.CA_PSR, ON)
    gar = queries.profile_for("CA", Programme.CA_GAR, ON)
    assert ca.programme == "" and gar.programme == Programme.CA_GAR
    assert queries.medical_valid_until(ca, date(2026, 3, 1)) == date(2027, 3, 1)
    assert queries.copr_valid_until(ca, date(2027, 3, 1), date(2026, 12, 31)) == date(2026, 12, 31)
    assert queries.icrc_document_valid_until(ca, date(2026, 1, 10)) == date(2026, 4, 10)
    assert ca.max_refugees_per_flight == 75 and ca.over_cap_notice_working_days == 15
    assert queries.flight_over_cap(ca, 76) and not queries.flight_over_cap(ca, 75)
    assert queries.loan_repayment_starts(ca, date(2026, 7, 15)) == date(2027, 7, 15)
    assert ca.arrival_refused_weekdays == [] and not ca.arrival_refused_on_holidays
    assert gar.arrival_refused_weekdays == [5, 6, 7] and gar.arrival_refused_on_holidays
    assert gar.arrival_notification_working_days == 10


def test_australia_rules() -> None:
    au = queries.profile_for("AU", None, ON)
    window = queries.medical_window_for_departure(au, date(2026, 12, 15))
    assert (window.earliest, window.latest) == (date(2025, 12, 15), date(2026, 9, 15))
    assert not window.contains(date(2026, 10, 1))  # under 3 months before travel
    assert not au.fit_to_fly_required  # the departure health check is voluntary
    fit = queries.fit_to_fly_window(au, datetime(2026, 12, 15, 10, tzinfo=UTC))
    assert fit is not None and fit.earliest == datetime(2026, 12, 12, 10, tzinfo=UTC)
    check = date(2026, 12, 13)
    assert queries.mmr_due_at_departure_check(au, date(2026, 3, 13), check)  # 9 months
    assert not queries.mmr_due_at_departure_check(au, date(2026, 3, 14), check)
    assert queries.mmr_due_at_departure_check(au, date(1971, 12, 14), check)  # 54 years
    assert not queries.mmr_due_at_departure_check(au, date(1971, 12, 13), check)  # 55 today
    assert not queries.must_sign_promissory_note(au, date(1980, 1, 1), check)


def test_profiles_without_a_rule_return_none() -> None:
    se = queries.profile_for("SE", Programme.EU_QUOTA, ON)
    assert queries.latest_arrival_notification(se, ON) is None
    assert queries.pre_departure_screening_window(se, ON) is None
    assert queries.fit_to_fly_window(se, datetime(2026, 6, 1, tzinfo=UTC)) is None
    assert queries.copr_valid_until(se, ON, ON) is None
    assert queries.second_dose_window(se, ON) is None
    assert not queries.flight_over_cap(se, 500)
