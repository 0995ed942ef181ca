"""Promissory notes (the traveller's language, then English) and loan statements (PDF, CSV).

The templates use DejaVu Sans (Debian's fonts-dejavu-core) and fall back to New
Computer Modern, which typst embeds and which covers Cyrillic. A Dari note (its text is
data in ``note_texts``) is set right to left in Noto Naskh Arabic, the font shipped with
orientation (``passage/orientation/fonts``, SIL Open Font License).
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
from pathlib import Path
from typing import Any

import typst
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from passage.loans import compute, note_texts
from passage.loans.models import Loan, PromissoryNote
from passage.loans.queries import LoanSummary, summary

TEMPLATES = Path(__file__).resolve().parent / "documents"
NASKH = Path(__file__).resolve().parents[1] / "orientation" / "fonts"
FONT_DIRS = [str(NASKH), *(p for p in ("/usr/share/fonts",) if Path(p).is_dir())]


def _compile(template: str, data: dict[str, Any]) -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "main.typ").write_bytes((TEMPLATES / template).read_bytes())
        (root / "data.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        pdf = typst.compile(str(root / "main.typ"), root=str(root), font_paths=FONT_DIRS)
    assert isinstance(pdf, bytes)
    return pdf


def note_reference(note: PromissoryNote) -> str:
    return f"LOAN-{note.loan_id}-R{note.round}-P{note.person_id}"


def _note_block(note: PromissoryNote, language: str) -> dict[str, Any]:
    loan, person = note.loan, note.person
    profile = loan.profile
    arrival = loan.arrived_on or loan.booking.arrival_date
    starts = compute.repayment_starts(profile, arrival)
    held = note_texts.LANGUAGES.get(language)

    # A language held as data: the English msgids, looked up in its table.
    def t(text: str) -> str:
        return held.texts[text] if held else text

    def ltr(value: str) -> str:
        """Dates, amounts, codes and Latin names kept left to right inside a right-to-left
        sentence (a Unicode isolate), so 2026-12-08 is not read as 08-12-2026."""
        return f"\u2066{value}\u2069" if held and held.rtl else value

    with translation.override("en" if held else language):
        born = ltr(note.date_of_birth.isoformat())
        if note.date_of_birth_estimated:
            born += " " + t(_("(estimated)"))
        amount = ltr(f"{note.amount} {note.currency}")
        name, case = ltr(person.display_name), ltr(loan.case.file_number)
        paragraphs = [
            t(
                _(
                    "I, %(name)s, promise to repay the travel loan of %(amount)s that paid for "
                    "the travel of my family (case %(case)s) to %(country)s, to %(servicer)s or "
                    "to whoever it names."
                )
            )
            % {
                "name": name,
                "amount": amount,
                "case": case,
                "country": ltr(loan.case.destination_country),
                "servicer": ltr(loan.servicer)
                if loan.servicer
                else t(_("the loan servicing organisation")),
            },
            t(_("The loan is interest-free."))
            if profile.loan_interest_free
            else t(_("Interest is charged as the servicing organisation's terms say.")),
        ]
        if profile.loan_repayment_start_months:
            paragraphs.append(
                t(
                    _(
                        "Repayment starts %(months)d months after arrival: from %(date)s for "
                        "an arrival on %(arrival)s."
                    )
                )
                % {
                    "months": profile.loan_repayment_start_months,
                    "date": ltr(starts.isoformat()) if starts else "",
                    "arrival": ltr(arrival.isoformat()),
                }
            )
        paragraphs.append(
            t(
                _(
                    "Every adult member of the family signs a note for the family's loan. I "
                    "have read this note, or it was read to me in a language I understand."
                )
            )
        )
        return {
            "lang": held.typst_lang if held else language,
            "region": held.typst_region if held else "",
            "rtl": bool(held and held.rtl),
            "title": t(_("Promissory note")),
            "rows": [
                [t(_("Case")), case],
                [t(_("Borrower")), name],
                [t(_("Date of birth")), born],
                [t(_("Amount")), amount],
                [t(_("Destination")), ltr(loan.case.destination_country)],
            ],
            "paragraphs": paragraphs,
            "signature": t(_("Signature")),
            "date": t(_("Date")),
            "witness": t(_("Witness (name and signature)")),
        }


def note_pdf(note: PromissoryNote) -> bytes:
    """The note in the traveller's language, then in English."""
    languages = [note.language] if note.language != "en" else []
    blocks = [_note_block(note, lang) for lang in [*languages, "en"]]
    return _compile("note.typ", {"reference": note_reference(note), "blocks": blocks})


def _statement_rows(s: LoanSummary) -> list[list[str]]:
    loan = s.loan
    return [
        [_("Case"), loan.case.file_number],
        [_("Status"), str(loan.get_status_display())],
        [_("Currency"), loan.currency],
        [_("Departure"), loan.booking.departure_date.isoformat()],
        [_("Arrived on"), loan.arrived_on.isoformat() if loan.arrived_on else "—"],
        [_("Repayment starts"), s.repayment_starts.isoformat() if s.repayment_starts else "—"],
        [_("Interest-free"), _("yes") if loan.profile.loan_interest_free else _("no")],
        [_("Servicing organisation"), loan.servicer or "—"],
        [_("Handed over on"), loan.handed_over_on.isoformat() if loan.handed_over_on else "—"],
        [_("Handover reference"), loan.handover_reference or "—"],
    ]


def statement_pdf(loan: Loan, language: str) -> bytes:
    with translation.override(language):
        s = summary(loan)
        notes = sorted(loan.notes.select_related("person"), key=lambda n: (-n.round, n.person_id))
        data = {
            "lang": language,
            "title": _("Travel loan statement"),
            "rows": _statement_rows(s),
            "entries_title": _("Ledger entries"),
            "entries_head": [_("Day"), _("Kind"), _("Description"), _("Amount")],
            "entries": [
                [
                    e.business_date.isoformat(),
                    str(e.get_kind_display()),
                    e.description,
                    f"{e.amount} {e.currency}",
                ]
                for e in s.entries
            ],
            "balance": _("Balance: %(amount)s %(currency)s")
            % {"amount": s.amount, "currency": loan.currency},
            "notes_title": _("Promissory notes"),
            "notes_head": [_("Signer"), _("Round"), _("Amount"), _("Status"), _("Signed on")],
            "notes": [
                [
                    n.person.latin_name or n.person.display_name,
                    str(n.round),
                    f"{n.amount} {n.currency}",
                    str(n.get_status_display()),
                    n.signed_on.isoformat() if n.signed_on else "—",
                ]
                for n in notes
            ],
            "footer": _("Printed %(when)s.")
            % {"when": timezone.localtime().strftime("%Y-%m-%d %H:%M")},
        }
    return _compile("statement.typ", data)


def statement_csv(loan: Loan) -> str:
    """Entries and balance, one row per ledger entry (machine-readable: English headers)."""
    s = summary(loan)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["case", "loan", "day", "kind", "description", "amount", "currency"])
    for e in s.entries:
        writer.writerow(
            [
                loan.case.file_number,
                loan.pk,
                e.business_date.isoformat(),
                e.kind,
                e.description,
                f"{e.amount}",
                e.currency,
            ]
        )
    writer.writerow(
        [loan.case.file_number, loan.pk, "", "balance", "", f"{s.amount}", loan.currency]
    )
    return out.getvalue()


def filename(loan: Loan, fmt: str) -> str:
    return f"loan-{loan.case.file_number}-{loan.pk}.{fmt}".replace("/", "-")
