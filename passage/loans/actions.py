"""Every write of travel loans: open and follow a booking, notes, signatures, handover.

The amount lives in the ledger: a loan is opened with one charge per member's fare
(and the agency's fee where the profile includes it); a rebooking that changes the
total appends one adjustment for the difference, never edits. A changed total
supersedes the notes of the round (they stay, marked) and asks for a new round.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from passage.core import audit
from passage.core.errors import ActionError, ConflictError
from passage.core.models import User
from passage.core.workflow import apply_transition
from passage.documents.actions import check_scan
from passage.documents.choices import SCAN_EXTENSIONS
from passage.ledger import actions as ledger
from passage.ledger.queries import balance
from passage.loans import compute
from passage.loans.choices import LOAN_TRANSITIONS, OPEN, LoanStatus, NoteStatus
from passage.loans.models import Loan, LoanStatusChange, PromissoryNote
from passage.movements.choices import BookingStatus
from passage.movements.models import Booking
from passage.profiles import queries as profiles
from passage.registry.actions import transition_case
from passage.registry.choices import CaseStatus
from passage.registry.models import Case, Person

NOTE_FIELDS = ("loan_id", "person_id", "round", "amount", "currency", "status", "signed_on")


def set_status(*, actor: User | None, loan: Loan, to: str, reason: str = "") -> Loan:
    """Move a loan through its table, with a history row and an audit event."""
    apply_transition(
        loan,
        to,
        table=LOAN_TRANSITIONS,
        choices=LoanStatus,
        history=LoanStatusChange,
        actor=actor,
        action="loans.status",
        reason=reason,
    )
    return loan


def live_loan(case: Case, *, lock: bool = False) -> Loan | None:
    rows = Loan.objects.filter(case=case).exclude(status=LoanStatus.CANCELLED)
    if lock:
        rows = rows.select_for_update()
    return rows.select_related("account", "booking", "profile").first()


def _supersede(loan: Loan) -> int:
    notes = list(loan.notes.filter(round=loan.round).exclude(status=NoteStatus.SUPERSEDED))
    now = timezone.now()
    for note in notes:
        note.status, note.superseded_at = NoteStatus.SUPERSEDED, now
        note.save(update_fields=["status", "superseded_at"])
    return len(notes)


def _open(actor: User | None, booking: Booking) -> Loan:
    case = booking.case
    profile = profiles.profile_for(case.destination_country, case.programme, booking.departure_date)
    lines = compute.loan_lines(booking, profile)
    number = Loan.objects.filter(case=case).count() + 1
    account = ledger.open_account(
        actor=actor,
        code=f"loans.{case.pk}.{number}",
        name=f"Travel loan {case.file_number}",
        currency=booking.agreement.currency,
    )
    loan = Loan.objects.create(
        case=case,
        booking=booking,
        profile=profile,
        account=account,
        currency=account.currency,
        servicer=profile.loan_servicer,
        created_by=actor,
    )
    for line in lines:
        ledger.charge(
            actor=actor,
            account=account,
            amount=line.amount,
            description=line.description,
            kind=line.kind,
            on=timezone.localdate(),
        )
    LoanStatusChange.objects.create(loan=loan, to_status=loan.status, actor=actor)
    audit.record(
        actor=actor,
        action="loans.open",
        obj=loan,
        after={
            "case": case.file_number,
            "booking": booking.pk,
            "amount": str(compute.total(lines)),
            "currency": loan.currency,
        },
    )
    return loan


def _cancel(actor: User | None, loan: Loan, reason: str) -> Loan:
    owed = balance(loan.account)
    if owed != 0:
        ledger.adjust(actor=actor, account=loan.account, amount=-owed, description=reason)  # type: ignore[arg-type]
    _supersede(loan)
    return set_status(actor=actor, loan=loan, to=LoanStatus.CANCELLED, reason=reason)


def _case_back_to_notified(actor: User | None, case: Case) -> None:
    """New notes are needed: a case at the ``loan_signed`` milestone goes back a step."""
    case.refresh_from_db(fields=["status"])
    if case.status == CaseStatus.LOAN_SIGNED:
        transition_case(
            actor=actor, case=case, to=CaseStatus.PARTNERS_NOTIFIED, reason=_("New notes to sign")
        )


@transaction.atomic
def follow_booking(*, actor: User | None, booking: Booking) -> Loan | None:
    """Open the case's loan for a booking, or move it to the booking and correct its amount.

    Only a loan before departure follows a booking. A new total appends an adjustment
    for the difference, supersedes the round's notes and asks for new ones; a booking
    in another currency cancels the loan (its balance adjusted to zero) and opens another.
    """
    case = booking.case
    profile = profiles.profile_for(case.destination_country, case.programme, booking.departure_date)
    loan = live_loan(case, lock=True)
    if loan is None:
        if not profile.travel_loan_required or booking.status != BookingStatus.BOOKED:
            return None
        return _open(actor, booking)
    if loan.status not in OPEN:
        return loan
    if booking.agreement.currency != loan.currency:
        _cancel(actor, loan, f"Rebooked in {booking.agreement.currency}")
        return _open(actor, booking) if profile.travel_loan_required else None
    owed = balance(loan.account)
    new_total = compute.total(compute.loan_lines(booking, profile))
    before = {"booking": loan.booking_id, "amount": str(owed), "round": loan.round}
    loan.booking, loan.profile = booking, profile
    loan.save(update_fields=["booking", "profile"])
    if new_total != owed:
        ledger.adjust(
            actor=actor,  # type: ignore[arg-type]
            account=loan.account,
            amount=new_total - owed,
            description=f"Booking {booking.pk}: total {owed} to {new_total} {loan.currency}",
        )
        superseded = _supersede(loan)
        loan.round += 1
        loan.save(update_fields=["round"])
        if loan.status == LoanStatus.SIGNED:
            set_status(actor=actor, loan=loan, to=LoanStatus.PENDING, reason=_("Amount changed"))
            _case_back_to_notified(actor, case)
        audit.record(
            actor=actor,
            action="loans.amount_change",
            obj=loan,
            before=before,
            after={"booking": booking.pk, "amount": str(new_total), "round": loan.round},
            extra={"superseded_notes": superseded},
        )
    return loan


@transaction.atomic
def sync_loan(*, actor: User, case: Case) -> Loan:
    """Reconcile the case's loan with its open booking (opening it if missing)."""
    booking = (
        Booking.objects.filter(case=case, status=BookingStatus.BOOKED)
        .select_related("agreement", "case")
        .first()
    )
    if booking is None:
        raise ActionError(
            _("Case %(case)s has no open booking to compute a loan from.")
            % {"case": case.file_number},
            field="case",
            code="no_booking",
        )
    loan = follow_booking(actor=actor, booking=booking)
    if loan is None:
        raise ActionError(
            _("The destination profile of case %(case)s asks for no travel loan.")
            % {"case": case.file_number},
            field="case",
            code="no_loan_required",
        )
    return loan


def _open_loan(loan: Loan) -> None:
    if loan.status not in OPEN:
        raise ConflictError(
            _("The loan is “%(status)s”: its notes can no longer change.")
            % {"status": loan.get_status_display()},
            field="loan",
            code="loan_closed",
        )


def _minor_message(loan: Loan, person: Person, on: dt.date) -> str:
    born = person.date_of_birth
    assert born is not None
    estimated = _(" (estimated date of birth)") if person.date_of_birth_estimated else ""
    return _(
        "%(who)s is %(age)d on %(date)s%(estimated)s: only someone aged %(min)d or over "
        "signs a promissory note."
    ) % {
        "who": person.latin_name or person.display_name,
        "age": compute.age_on(born, on),
        "date": on.isoformat(),
        "estimated": estimated,
        "min": loan.profile.promissory_note_min_age or 18,
    }


@transaction.atomic
def generate_notes(
    *,
    actor: User,
    loan: Loan,
    on: dt.date | None = None,
    people: Sequence[Person] | None = None,
) -> list[PromissoryNote]:
    """The round's notes for every adult traveller on ``on`` (today), or for ``people``.

    Idempotent: an adult who already has a note in this round keeps it. A person
    named who is a minor on ``on``, has no date of birth or does not travel is
    refused, and nothing is written.
    """
    loan = Loan.objects.select_for_update().select_related("profile", "booking").get(pk=loan.pk)
    _open_loan(loan)
    day = on or timezone.localdate()
    travellers = {t.person_id: t for t in compute.members(loan.booking)}
    persons = {p.pk: p for p in Person.objects.filter(pk__in=list(travellers))}
    if people is None:
        chosen = [
            p for p in persons.values() if compute.is_adult(loan.profile, p.date_of_birth, day)
        ]
    else:
        chosen = []
        for person in people:
            if person.pk not in persons:
                raise ActionError(
                    _("%(who)s does not travel on this loan's booking.")
                    % {"who": person.latin_name or person.display_name},
                    field="people",
                )
            chosen.append(persons[person.pk])
    for person in chosen:
        if person.date_of_birth is None:
            raise ActionError(
                _("%(who)s has no date of birth: record it (an estimate will do) first.")
                % {"who": person.latin_name or person.display_name},
                field="people",
                code="no_date_of_birth",
            )
        if not compute.is_adult(loan.profile, person.date_of_birth, day):
            raise ActionError(_minor_message(loan, person, day), field="people", code="minor")
    existing = set(loan.notes.filter(round=loan.round).values_list("person_id", flat=True))
    amount = balance(loan.account)
    made = []
    for person in sorted(chosen, key=lambda p: p.pk):
        if person.pk in existing:
            continue
        assert person.date_of_birth is not None
        note = PromissoryNote.objects.create(
            loan=loan,
            person=person,
            round=loan.round,
            amount=amount,
            currency=loan.currency,
            language=compute.note_language(list(person.languages or [])),
            date_of_birth=person.date_of_birth,
            date_of_birth_estimated=person.date_of_birth_estimated,
            created_by=actor,
        )
        audit.record(
            actor=actor, action="loans.note", obj=note, after=audit.snapshot(note, NOTE_FIELDS)
        )
        made.append(note)
    return made


def _store_scan(note: PromissoryNote, scan: UploadedFile) -> None:
    content_type = check_scan(scan)
    name = f"note{note.pk}-{timezone.now():%Y%m%d%H%M%S}.{SCAN_EXTENSIONS[content_type]}"
    note.scan.save(name, scan, save=False)
    note.scan_content_type = content_type
    note.save(update_fields=["scan", "scan_content_type"])


@transaction.atomic
def record_signature(
    *,
    actor: User,
    note: PromissoryNote,
    signed_on: dt.date,
    witness: str = "",
    scan: UploadedFile | None = None,
) -> PromissoryNote:
    """The traveller signed the note on ``signed_on`` (with a scan of the paper, optionally)."""
    loan = Loan.objects.select_for_update().select_related("profile").get(pk=note.loan_id)
    note = PromissoryNote.objects.select_related("person").get(pk=note.pk)
    _open_loan(loan)
    if note.status != NoteStatus.PENDING or note.round != loan.round:
        raise ConflictError(
            _("This note is “%(status)s”: sign the current round's note.")
            % {"status": note.get_status_display()},
            field="note",
            code="note_not_pending",
        )
    if signed_on > timezone.localdate():
        raise ActionError(_("The signing date cannot be in the future."), field="signed_on")
    if signed_on < timezone.localtime(note.created_at).date():
        raise ActionError(
            _("The note was generated on %(date)s; it cannot be signed before.")
            % {"date": timezone.localtime(note.created_at).date().isoformat()},
            field="signed_on",
        )
    if not compute.is_adult(loan.profile, note.date_of_birth, signed_on):
        raise ActionError(
            _minor_message(loan, note.person, signed_on), field="signed_on", code="minor"
        )
    if scan is not None:
        check_scan(scan)
    note.status, note.signed_on, note.witness = NoteStatus.SIGNED, signed_on, witness.strip()[:200]
    note.signature_recorded_by, note.signature_recorded_at = actor, timezone.now()
    note.save(
        update_fields=[
            "status",
            "signed_on",
            "witness",
            "signature_recorded_by",
            "signature_recorded_at",
        ]
    )
    if scan is not None:
        _store_scan(note, scan)
    audit.record(
        actor=actor,
        action="loans.sign",
        obj=note,
        after=audit.snapshot(note, NOTE_FIELDS),
        extra={"witness": note.witness, "scan": bool(scan)},
    )
    _settle(actor, loan)
    return note


def _settle(actor: User | None, loan: Loan) -> None:
    """Signed when every adult travelling has signed this round's note."""
    from passage.loans.queries import all_signed

    if loan.status == LoanStatus.PENDING and all_signed(loan, timezone.localdate()):
        set_status(actor=actor, loan=loan, to=LoanStatus.SIGNED, reason=_("All notes signed"))
        case = Case.objects.get(pk=loan.case_id)
        if case.status == CaseStatus.PARTNERS_NOTIFIED:
            # The case's milestone after the receiving parties are told (registry's table).
            transition_case(
                actor=actor, case=case, to=CaseStatus.LOAN_SIGNED, reason=_("All notes signed")
            )


@transaction.atomic
def attach_scan(*, actor: User, note: PromissoryNote, scan: UploadedFile) -> PromissoryNote:
    """The scan of a signed note (added later, or a clearer copy)."""
    if note.status != NoteStatus.SIGNED:
        raise ConflictError(_("Record the signature first."), field="scan")
    previous = note.scan.name
    _store_scan(note, scan)
    audit.record(
        actor=actor,
        action="loans.note_scan",
        obj=note,
        changes={"scan": [previous, note.scan.name]},
    )
    return note


@transaction.atomic
def cancel_loan(*, actor: User, loan: Loan, reason: str) -> Loan:
    """The case will not travel on this loan: its balance adjusted to zero, notes superseded."""
    if not reason.strip():
        raise ActionError(_("Give the reason."), field="reason")
    loan = Loan.objects.select_for_update().select_related("account").get(pk=loan.pk)
    _open_loan(loan)
    return _cancel(actor, loan, reason.strip())


def on_departed(actor: User | None, booking: Booking) -> None:
    loan = Loan.objects.filter(booking=booking, status=LoanStatus.SIGNED).first()
    if loan is not None:
        set_status(actor=actor, loan=loan, to=LoanStatus.ACTIVE, reason=_("Departed"))


def on_arrived(actor: User | None, booking: Booking) -> None:
    loan = Loan.objects.filter(booking=booking, status=LoanStatus.ACTIVE).first()
    if loan is not None and loan.arrived_on is None:
        loan.arrived_on = booking.arrival_date
        loan.save(update_fields=["arrived_on"])
        audit.record(
            actor=actor,
            action="loans.arrived",
            obj=loan,
            changes={"arrived_on": [None, loan.arrived_on.isoformat()]},
        )


@transaction.atomic
def hand_over(*, actor: User, loan: Loan, servicer: str, on: dt.date, reference: str) -> Loan:
    """Record the handover of a loan to its servicing organisation after arrival."""
    loan = Loan.objects.select_for_update().get(pk=loan.pk)
    if loan.status != LoanStatus.ACTIVE or loan.arrived_on is None:
        raise ConflictError(
            _("A loan is handed over after the case has arrived."), field="loan", code="not_arrived"
        )
    if not servicer.strip():
        raise ActionError(_("Name the servicing organisation."), field="servicer")
    if not reference.strip():
        raise ActionError(_("Give the handover reference."), field="reference")
    if on < loan.arrived_on:
        raise ActionError(
            _("The case arrived on %(date)s; the handover cannot be earlier.")
            % {"date": loan.arrived_on.isoformat()},
            field="on",
        )
    if on > timezone.localdate():
        raise ActionError(_("The handover date cannot be in the future."), field="on")
    loan.servicer, loan.handed_over_on = servicer.strip()[:200], on
    loan.handover_reference, loan.handed_over_by = reference.strip()[:100], actor
    loan.save(update_fields=["servicer", "handed_over_on", "handover_reference", "handed_over_by"])
    audit.record(
        actor=actor,
        action="loans.handover",
        obj=loan,
        after={
            "servicer": loan.servicer,
            "on": on.isoformat(),
            "reference": loan.handover_reference,
            "balance": str(balance(loan.account)),
        },
    )
    return set_status(actor=actor, loan=loan, to=LoanStatus.HANDED_OVER, reason=loan.servicer)


def amount_of(loan: Loan) -> Decimal:
    return balance(loan.account)
