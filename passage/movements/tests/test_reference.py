"""Airports and airlines, the FRU → BSZ alias, agreements and fares, flights and blocks."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from passage.core.errors import ActionError, ConflictError
from passage.core.models import AuditEvent
from passage.movements import actions, codes
from passage.movements.choices import CodeKind
from passage.movements.models import CodeAlias, Fare
from passage.movements.tests.conftest import latest_manifest
from passage.movements.tests.factories import ALL

pytestmark = pytest.mark.django_db


def test_every_factory_builds(db):
    for factory in ALL:
        assert factory.create().pk


def test_shipped_alias_fru_to_bsz(db, personas):
    alias = CodeAlias.objects.get(kind=CodeKind.AIRPORT, code="FRU")
    assert alias.current == "BSZ" and alias.valid_until == dt.date(2025, 7, 31)
    assert "August 2025" in alias.source_note
    airport = actions.ensure_airport(actor=personas.movement_officer, code="FRU")
    assert airport.iata == "BSZ" and airport.tz == "Asia/Bishkek" and airport.country == "KG"
    assert codes.airport_code_on("BSZ", dt.date(2025, 6, 1)) == "FRU"
    assert codes.airport_code_on("BSZ", dt.date(2025, 8, 1)) == "BSZ"
    assert AuditEvent.objects.filter(action="movements.add_airport").count() == 1
    assert actions.ensure_airport(actor=personas.movement_officer, code="bsz") == airport


def test_flight_keeps_the_code_it_was_published_under(world):
    tz = ZoneInfo("Asia/Bishkek")
    old = actions.schedule_flight(
        actor=world.actor,
        airline=world.airline,
        number="345",
        origin=world.airports["BSZ"],
        destination=world.airports["IST"],
        departs_at=dt.datetime(2025, 7, 1, 7, 40, tzinfo=tz),
        arrives_at=dt.datetime(2025, 7, 1, 10, 30, tzinfo=ZoneInfo("Europe/Istanbul")),
    )
    assert old.origin_code == "FRU" and world.first.origin_code == "BSZ"
    assert str(old).startswith("TK345 FRU–IST 2025-07-01")


def test_unknown_codes_refused(db, personas):
    with pytest.raises(ActionError) as err:
        actions.ensure_airport(actor=personas.movement_officer, code="QQQ")
    assert err.value.code == "unknown_airport"
    with pytest.raises(ActionError) as err:
        actions.ensure_airline(actor=personas.movement_officer, code="ZZ")
    assert err.value.code == "unknown_airline"


def test_alias_rules(db, personas):
    a = personas.admin
    with pytest.raises(ActionError):
        actions.add_alias(
            actor=a,
            kind="airport",
            code="X",
            current="X",
            valid_from=None,
            valid_until=None,
            source_note="n",
        )
    with pytest.raises(ActionError):
        actions.add_alias(
            actor=a,
            kind="airport",
            code="ABC",
            current="BSZ",
            valid_from=None,
            valid_until=None,
            source_note=" ",
        )
    with pytest.raises(ConflictError):
        actions.add_alias(
            actor=a,
            kind="airport",
            code="FRU",
            current="BSZ",
            valid_from=None,
            valid_until=None,
            source_note="again",
        )
    actions.add_alias(
        actor=a,
        kind="airline",
        code="KGA",
        current="QH",
        valid_from=None,
        valid_until=dt.date(2010, 1, 1),
        source_note="test",
    )
    assert codes.current_code(CodeKind.AIRLINE, "kga") == "QH"


def test_flight_times_are_stored_in_utc_and_shown_locally(world):
    f = world.first
    assert f.departs_at.utcoffset() == dt.timedelta(0)
    assert f.departs_at == dt.datetime(2026, 9, 1, 1, 40, tzinfo=dt.UTC)
    assert f.departs_local.strftime("%H:%M %Z") == "07:40 +06"
    assert f.arrives_local.hour == 10
    with pytest.raises(ActionError) as err:
        actions.schedule_flight(
            actor=world.actor,
            airline=world.airline,
            number="5",
            origin=world.airports["BSZ"],
            destination=world.airports["IST"],
            departs_at=dt.datetime(2026, 9, 1, 7),
            arrives_at=dt.datetime(2026, 9, 1, 9),
        )
    assert err.value.field == "departs_at"
    with pytest.raises(ConflictError):
        actions.schedule_flight(
            actor=world.actor,
            airline=world.airline,
            number="345",
            origin=world.airports["BSZ"],
            destination=world.airports["IST"],
            departs_at=f.departs_at,
            arrives_at=f.arrives_at,
        )
    with pytest.raises(ActionError):
        actions.schedule_flight(
            actor=world.actor,
            airline=world.airline,
            number="6",
            origin=world.airports["BSZ"],
            destination=world.airports["IST"],
            departs_at=f.arrives_at,
            arrives_at=f.departs_at,
        )


def test_agreement_and_fare_rules(world):
    a = world.actor
    with pytest.raises(ActionError) as err:
        actions.create_agreement(
            actor=a,
            airline=world.airline,
            reference="X",
            valid_from=dt.date(2026, 1, 1),
            valid_until=dt.date(2026, 2, 1),
            currency="XXY",
            service_fee="10",
        )
    assert err.value.field == "currency"
    with pytest.raises(ActionError) as err:
        actions.create_agreement(
            actor=a,
            airline=world.airline,
            reference="X",
            valid_from=dt.date(2026, 1, 1),
            valid_until=dt.date(2026, 2, 1),
            currency="EUR",
            service_fee=10.5,
        )
    assert err.value.field == "service_fee" and "float" in err.value.message
    with pytest.raises(ActionError):
        actions.create_agreement(
            actor=a,
            airline=world.airline,
            reference="X",
            valid_from=dt.date(2026, 3, 1),
            valid_until=dt.date(2026, 2, 1),
            currency="EUR",
            service_fee="1",
        )
    with pytest.raises(ConflictError):
        actions.create_agreement(
            actor=a,
            airline=world.airline,
            reference="TK-IOM-2026",
            valid_from=dt.date(2026, 1, 1),
            valid_until=dt.date(2026, 2, 1),
            currency="EUR",
            service_fee="1",
        )
    updated = actions.update_agreement(
        actor=a,
        agreement=world.agreement,
        baggage_kg=46,
        medif_validity_days=10,
        service_fee="30.00",
    )
    assert updated.baggage_kg == 46 and updated.service_fee == Decimal("30.00")
    event = AuditEvent.objects.filter(action="movements.update_agreement").get()
    assert event.changes["baggage_kg"] == [23, 46]
    fare = actions.set_fare(
        actor=a,
        agreement=world.agreement,
        origin=world.airports["BSZ"],
        destination=world.airports["JFK"],
        passenger_type="ADT",
        amount="610.50",
    )
    assert Fare.objects.get(pk=fare.pk).amount == Decimal("610.50")
    with pytest.raises(ActionError):
        actions.set_fare(
            actor=a,
            agreement=world.agreement,
            origin=world.airports["BSZ"],
            destination=world.airports["JFK"],
            passenger_type="ADT",
            amount="1.005",
        )


def test_seat_block_rules(world):
    with pytest.raises(ActionError) as err:
        actions.hold_seat_block(
            actor=world.actor,
            flight=world.first,
            agreement=world.agreement,
            seats=0,
            release_at=world.first.departs_at,
        )
    assert err.value.field == "seats"
    with pytest.raises(ActionError):
        actions.hold_seat_block(
            actor=world.actor,
            flight=world.first,
            agreement=world.agreement,
            seats=5,
            release_at=world.first.departs_at + dt.timedelta(hours=1),
        )
    other = actions.create_agreement(
        actor=world.actor,
        airline=world.airline,
        reference="OLD",
        valid_from=dt.date(2025, 1, 1),
        valid_until=dt.date(2025, 12, 31),
        currency="USD",
        service_fee="0",
    )
    with pytest.raises(ActionError) as err:
        actions.hold_seat_block(
            actor=world.actor,
            flight=world.first,
            agreement=other,
            seats=5,
            release_at=world.first.departs_at,
        )
    assert "not on the flight's day" in err.value.message


def test_cancel_flight_with_bookings_refused(world):
    from passage.movements import booking as bk

    bk.book_case(
        actor=world.actor,
        case=world.case(),
        agreement=world.agreement,
        flights=[world.first, world.second],
    )
    with pytest.raises(ConflictError):
        actions.cancel_flight(actor=world.actor, flight=world.first, reason="x")
    spare = world.flight(
        "99",
        "BSZ",
        "IST",
        dt.datetime(2026, 9, 2, 1, 0, tzinfo=dt.UTC),
        dt.datetime(2026, 9, 2, 6, 0, tzinfo=dt.UTC),
    )
    assert actions.cancel_flight(actor=world.actor, flight=spare, reason="x").status == "cancelled"


def test_manifest_files(world):
    from openpyxl import load_workbook

    from passage.movements import booking as bk
    from passage.movements import manifests

    case = world.case(adults=2, infants=1)
    bk.book_case(
        actor=world.actor, case=case, agreement=world.agreement, flights=[world.first, world.second]
    )
    manifest = latest_manifest(world.first)
    assert manifest.version == 1
    pdf = manifests.render_pdf(manifest)
    assert pdf.startswith(b"%PDF-") and len(pdf) > 1000
    book = load_workbook(io.BytesIO(manifests.render_xlsx(manifest)))
    sheet = book.active
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert len(rows) == 3
    surnames = {t.surname for t in case.bookings.get().travellers.all()}
    assert {r[1] for r in rows} == surnames
    assert all(r[11] == "IST → JFK" for r in rows)  # transit point, then final destination
    assert any("INFT" in (r[8] or "") for r in rows)
    assert manifests.filename(manifest, "pdf") == "manifest-TK345-20260901-v1.pdf"
    assert manifests.refresh(world.first, actor=world.actor) is None  # unchanged → no new version
