"""Intake, fees and payments, and the passport's chain of custody."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from passage.core.errors import ActionError, ConflictError, TransitionError
from passage.ledger import actions as ledger
from passage.ledger import queries as ledger_queries
from passage.vac import actions, queries
from passage.vac.choices import ApplicationType, BiometricsOutcome, CustodyStatus
from passage.vac.models import Custody, CustodyEvent
from passage.vac.tests.factories import ApplicantFactory, AppointmentFactory

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 30, 5, 0, tzinfo=dt.UTC)  # 11:00 in Bishkek


def family(personas, people=3, **kw):
    applicants = [
        actions.ApplicantIn(
            given_names=f"Child{i}",
            family_name="Asanov",
            date_of_birth=dt.date(1980 + i, 1, 1),
            passport_number=f"ac 123{i}",
        )
        for i in range(people)
    ]
    return actions.open_application(
        actor=personas.vac_officer,
        applicants=applicants,
        application_type=kw.pop("application_type", ApplicationType.VISITOR),
        family=people > 1,
        email="f@example.org",
        **kw,
    )


@time_machine.travel(NOW)
def test_family_fees_are_capped_and_paid_in_kgs(centre, personas):
    application = family(personas)
    records = actions.assess_fees(actor=personas.vac_officer, application=application)
    assert [r.fee for r in records] == [Decimal("85.00"), Decimal("85.00"), Decimal("0.00")]
    account = actions.account_of(application)
    assert ledger_queries.balance(account) == Decimal("170.00")
    with pytest.raises(ConflictError):
        actions.assess_fees(actor=personas.vac_officer, application=application)
    ledger.record_rate(
        actor=personas.vac_officer,
        base="CAD",
        quote="KGS",
        rate="62.5",
        on=dt.date(2026, 11, 30),
        source="NBKR",
    )
    entry = actions.take_payment(
        actor=personas.vac_officer, application=application, amount="10625", currency="KGS"
    )
    assert entry.amount == Decimal("170.00") and entry.receipt_number == "VAC-2026-000001"
    assert ledger_queries.balance(account) == 0
    report = queries.fees_report(dt.date(2026, 11, 30), dt.date(2026, 11, 30))
    assert report == [(dt.date(2026, 11, 30), {"KGS": Decimal("10625.00")})]


@time_machine.travel(NOW)
def test_intake_from_an_appointment_keeps_its_reference(centre, personas):
    appointment = AppointmentFactory(email="booker@example.org")
    application = family(personas, people=1, appointment=appointment)
    assert application.reference == appointment.reference
    assert application.email == "f@example.org"
    with pytest.raises(ConflictError):
        family(personas, people=1, appointment=appointment)


def test_intake_refusals_name_the_field(centre, personas):
    with pytest.raises(ActionError) as err:
        actions.open_application(
            actor=personas.vac_officer, application_type="visitor", applicants=[], family=False
        )
    assert err.value.field == "applicants"
    bad = actions.ApplicantIn(given_names="A", family_name="B", date_of_birth=dt.date(2999, 1, 1))
    with pytest.raises(ActionError) as err:
        actions.open_application(
            actor=personas.vac_officer, application_type="visitor", applicants=[bad]
        )
    assert err.value.field == "applicants.0.date_of_birth"


@time_machine.travel(NOW)
def test_enrolment_only_for_those_who_enrol(centre, personas):
    application = family(personas, people=1)
    applicant = application.applicants.get()
    with pytest.raises(ActionError):
        actions.record_enrolment(actor=personas.vac_officer, applicant=applicant)
    actions.assess_fees(actor=personas.vac_officer, application=application)
    record = actions.record_enrolment(actor=personas.vac_officer, applicant=applicant)
    assert record.enrolled_by == personas.vac_officer
    refugee = ApplicantFactory(
        resettled_refugee=True, application__application_type=ApplicationType.PERMANENT
    )
    actions.assess_fees(actor=personas.vac_officer, application=refugee.application)
    assert refugee.biometrics.outcome == BiometricsOutcome.EXEMPT_REFUGEE
    with pytest.raises(ActionError):
        actions.record_enrolment(actor=personas.vac_officer, applicant=refugee)


def test_a_passport_through_every_custody_step(centre, personas):
    officer = personas.vac_officer
    applicant = ApplicantFactory(passport_number="AC1234567")
    custody = actions.receive_passport(actor=officer, applicant=applicant)
    assert custody.place == "centre" and custody.code.startswith("VP")
    with pytest.raises(ConflictError):  # one place at a time
        actions.receive_passport(
            actor=officer, applicant=ApplicantFactory(), passport_number="ac 1234567"
        )
    batch = actions.dispatch_batch(
        actor=officer, codes=[custody.code.lower() + " "], waybill="WB-1"
    )
    custody.refresh_from_db()
    assert custody.status == CustodyStatus.FORWARDED and custody.batch == batch
    assert custody.place == "visa_office"
    with pytest.raises(ActionError) as err:
        actions.move_passport(actor=officer, custody=custody, status=CustodyStatus.RETURNED)
    assert err.value.field == "envelope"
    actions.move_passport(
        actor=officer, custody=custody, status=CustodyStatus.RETURNED, envelope="ENV-77"
    )
    actions.move_passport(actor=officer, custody=custody, status=CustodyStatus.READY)
    with pytest.raises(ActionError) as err:
        actions.move_passport(
            actor=officer,
            custody=custody,
            status=CustodyStatus.COLLECTED,
            collected_by="Aigerim Asanova",
        )
    assert err.value.field == "identity_document"
    actions.move_passport(
        actor=officer,
        custody=custody,
        status=CustodyStatus.COLLECTED,
        collected_by="Aigerim Asanova",
        identity_document="ID card AN123",
    )
    custody.refresh_from_db()
    assert custody.place == "applicant"
    steps = list(CustodyEvent.objects.filter(custody=custody).values_list("to_status", "officer"))
    assert [s for s, _ in steps] == ["received", "forwarded", "returned", "ready", "collected"]
    assert {o for _, o in steps} == {officer.pk}
    # Back at the centre on a new application: received again, allowed once collected.
    again = actions.receive_passport(
        actor=officer, applicant=ApplicantFactory(), passport_number="AC1234567"
    )
    assert again.status == CustodyStatus.RECEIVED


def test_batch_is_all_or_nothing(centre, personas):
    officer = personas.vac_officer
    first = actions.receive_passport(actor=officer, applicant=ApplicantFactory())
    with pytest.raises(ActionError) as err:
        actions.dispatch_batch(actor=officer, codes=[first.code, "VP000"], waybill="WB-2")
    assert err.value.code == "unknown_code"
    first.refresh_from_db()
    assert first.status == CustodyStatus.RECEIVED
    with pytest.raises(ActionError):
        actions.move_passport(actor=officer, custody=first, status=CustodyStatus.FORWARDED)


CUSTODY_ORDER = [s.value for s in CustodyStatus]


@pytest.mark.parametrize("source", CUSTODY_ORDER)
@pytest.mark.parametrize("target", CUSTODY_ORDER)
def test_every_custody_move_follows_the_table(centre, personas, source, target):
    from passage.vac.choices import CUSTODY_MOVES

    custody = Custody.objects.create(
        applicant=ApplicantFactory(), passport_number="X1", status=source
    )
    allowed = target in CUSTODY_MOVES[source]

    def call() -> object:
        if target == CustodyStatus.FORWARDED:
            return actions.dispatch_batch(
                actor=personas.vac_officer, codes=[custody.code], waybill=f"W-{source}"
            )
        return actions.move_passport(
            actor=personas.vac_officer,
            custody=custody,
            status=target,
            envelope="E",
            collected_by="P",
            identity_document="ID",
            waybill="W",
        )

    if allowed:
        call()
        custody.refresh_from_db()
        assert custody.status == target
    else:
        with pytest.raises((TransitionError, ConflictError)):
            call()


@time_machine.travel(NOW)
def test_custody_report_flags_passports_held_too_long(centre, personas):
    officer = personas.vac_officer
    with time_machine.travel(NOW - dt.timedelta(days=20)):
        old = actions.receive_passport(actor=officer, applicant=ApplicantFactory())
        actions.dispatch_batch(actor=officer, codes=[old.code], waybill="WB-old")
    with time_machine.travel(NOW - dt.timedelta(days=3)):
        waiting = actions.receive_passport(actor=officer, applicant=ApplicantFactory())
    fresh = actions.receive_passport(actor=officer, applicant=ApplicantFactory())
    rows = {r.custody.pk: r for r in queries.custody_report(officer)}
    assert rows[old.pk].overdue and rows[old.pk].days_held == 20
    assert rows[waiting.pk].overdue  # not sent on within 2 days
    assert not rows[fresh.pk].overdue
