from datetime import date

import pytest
import time_machine

from passage.core.errors import ActionError, ConflictError
from passage.core.models import AuditEvent
from passage.profiles import actions, queries
from passage.profiles.models import DestinationProfile, Holiday

pytestmark = pytest.mark.django_db


@pytest.fixture
def us() -> DestinationProfile:
    return queries.profile_for("US", None, date(2026, 6, 1))


@time_machine.travel("2026-06-01 09:00Z", tick=False)
def test_create_version_copies_the_base_and_is_audited(personas, us) -> None:
    new = actions.create_version(
        actor=personas.admin,
        country="us",
        base=us,
        effective_from=date(2026, 7, 1),
        source_note="CDC TI update",
        change_note="New screening window",
        rules={"pre_departure_screening_days": 14},
    )
    assert new.pk != us.pk
    assert new.medical_validity_months == 6 and new.pre_departure_screening_days == 14
    assert queries.profile_for("US", None, date(2026, 6, 30)) == us
    assert queries.profile_for("US", None, date(2026, 7, 1)) == new
    us.refresh_from_db()
    assert us.pre_departure_screening_days == 21  # the old version is untouched
    event = AuditEvent.objects.get(action="profile.create_version", object_id=str(new.pk))
    assert event.actor == personas.admin
    assert event.changes["pre_departure_screening_days"] == [21, 14]
    assert event.changes["source_note"][1] == "CDC TI update"


@time_machine.travel("2026-06-01 09:00Z", tick=False)
@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"effective_from": date(2026, 5, 31)}, "effective_from"),
        ({"source_note": " "}, "source_note"),
        ({"country": "XX"}, "country"),
        ({"programme": "nope"}, "programme"),
        ({"rules": {"required_documents": ["passport", "bogus"]}}, "required_documents"),
        ({"rules": {"arrival_refused_weekdays": [0]}}, "arrival_refused_weekdays"),
        ({"rules": {"fit_to_fly_min_hours": 80}}, "fit_to_fly_min_hours"),
        ({"rules": {"co_requirement": "maybe"}}, "co_requirement"),
        ({"rules": {"colour": "blue"}}, "colour"),
    ],
)
def test_create_version_refusals_write_nothing(personas, us, kwargs, field) -> None:
    args = {
        "actor": personas.admin,
        "country": "US",
        "base": us,
        "effective_from": date(2026, 7, 1),
        "source_note": "source",
        **kwargs,
    }
    count = DestinationProfile.objects.count()
    with pytest.raises(ActionError) as exc:
        actions.create_version(**args)
    assert exc.value.field == field
    assert DestinationProfile.objects.count() == count
    assert not AuditEvent.objects.filter(action="profile.create_version").exists()


@time_machine.travel("2026-06-01 09:00Z", tick=False)
def test_one_version_a_day(personas, us) -> None:
    actions.create_version(
        actor=personas.admin,
        country="US",
        base=us,
        effective_from=date(2026, 7, 1),
        source_note="a",
    )
    with pytest.raises(ConflictError) as exc:
        actions.create_version(
            actor=personas.admin,
            country="US",
            base=us,
            effective_from=date(2026, 7, 1),
            source_note="b",
        )
    assert exc.value.field == "effective_from"


@time_machine.travel("2026-06-01 09:00Z", tick=False)
def test_withdraw_only_versions_not_in_force(personas, us) -> None:
    future = actions.create_version(
        actor=personas.admin,
        country="US",
        base=us,
        effective_from=date(2026, 6, 2),
        source_note="a",
    )
    with pytest.raises(ConflictError):
        actions.withdraw_version(actor=personas.admin, profile=us)
    actions.withdraw_version(actor=personas.admin, profile=future)
    assert not DestinationProfile.objects.filter(pk=future.pk).exists()
    assert AuditEvent.objects.filter(action="profile.withdraw_version").count() == 1
    today = actions.create_version(
        actor=personas.admin,
        country="US",
        base=us,
        effective_from=date(2026, 6, 1),
        source_note="b",
    )
    with pytest.raises(ConflictError):
        actions.withdraw_version(actor=personas.admin, profile=today)


def test_holidays_add_remove_and_seed(personas) -> None:
    holiday = actions.add_holiday(
        actor=personas.admin,
        country="kg",
        day=date(2031, 3, 21),
        name="Nooruz",
        source="Labour Code",
    )
    assert holiday.country == "KG"
    with pytest.raises(ConflictError):
        actions.add_holiday(actor=personas.admin, country="KG", day=date(2031, 3, 21), name="x")
    with pytest.raises(ActionError):
        actions.add_holiday(actor=personas.admin, country="KG", day=date(2031, 3, 22), name=" ")
    actions.remove_holiday(actor=personas.admin, holiday=holiday)
    assert not Holiday.objects.filter(country="KG").exists()
    assert [e.action for e in AuditEvent.objects.filter(action__startswith="holiday.")] == [
        "holiday.remove",
        "holiday.add",
    ]

    added = actions.seed_holidays(actor=None, countries=["CA"], years=[2026, 2027])
    dates = set(Holiday.objects.filter(country="CA").values_list("date", flat=True))
    assert {date(2026, 7, 1), date(2026, 12, 25), date(2027, 7, 1)} <= dates
    assert added == len(dates)
    assert actions.seed_holidays(actor=None, countries=["CA"], years=[2026, 2027]) == 0
    assert AuditEvent.objects.filter(action="holiday.seed").count() == 1


def test_seed_command(personas) -> None:
    from io import StringIO

    from django.core.management import CommandError, call_command

    out = StringIO()
    call_command("seed_holidays", "--years", "2027", "--country", "CA", stdout=out)
    assert "holidays added" in out.getvalue()
    assert Holiday.objects.filter(country="CA", date=date(2027, 7, 1)).exists()
    with pytest.raises(CommandError):
        call_command("seed_holidays", "--years", "2028-2025")


def test_demo_is_idempotent() -> None:
    from io import StringIO

    from django.core.management.base import OutputWrapper

    from passage.profiles import demo

    assert demo.load(OutputWrapper(StringIO())) > 0
    count = Holiday.objects.count()
    assert demo.load(OutputWrapper(StringIO())) == 0
    assert Holiday.objects.count() == count
