"""Receipts and the itinerary of a sale as PDF (typst), in the traveller's language.

The templates use DejaVu Sans and fall back to New Computer Modern (embedded by
typst, with Cyrillic), as the visa centre's receipts do.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import typst
from django.utils import translation
from django.utils.translation import gettext as _

from passage.ledger.choices import EntryKind
from passage.ledger.models import LedgerEntry
from passage.tickets.models import Sale
from passage.vac.pdf import FONT_DIRS, _when

TEMPLATES = Path(__file__).resolve().parent / "documents"

AGENCY = "IOM Mission in the Kyrgyz Republic"


def receipt(sale: Sale, entry: LedgerEntry) -> bytes:
    """The numbered receipt of one payment or refund."""
    with translation.override(sale.language):
        title = _("Refund receipt") if entry.kind == EntryKind.REFUND else _("Receipt")
        rows = [
            [_("Sale"), sale.number],
            [_("Case"), sale.case.file_number],
            [_("Date"), _when(entry.at)],
            [_("Cashier"), entry.cashier.get_full_name() if entry.cashier else ""],
            [_("Method"), str(entry.get_method_display())],
        ]
        lines = [[_("Amount"), f"{entry.amount} {entry.currency}"]]
        if entry.paid_amount is not None:
            lines.append([_("Tendered"), f"{entry.paid_amount} {entry.paid_currency}"])
            lines.append(
                [
                    _("Rate"),
                    f"1 {entry.currency} = {entry.rate} {entry.paid_currency} ({entry.rate_date})",
                ]
            )
        after = _balance_after(sale, entry)
        if after < 0:
            lines.append([_("Credit owed to the traveller"), f"{-after} {entry.currency}"])
        else:
            lines.append([_("Balance due"), f"{after} {entry.currency}"])
        data = {
            "lang": sale.language,
            "centre": AGENCY,
            "title": title,
            "number": entry.receipt_number,
            "rows": rows,
            "lines": lines,
            "note": _(
                "Keep this receipt. Refunds and changes follow the airline agreement's rules."
            ),
        }
    return _compile_here("payment_receipt.typ", data)


def itinerary(sale: Sale, balance: object) -> bytes:
    """The itinerary and what the sale costs, for the travellers."""
    from passage.tickets.actions import _flights

    with translation.override(sale.language):
        legs = [
            [
                f.designator,
                f"{f.origin_code} → {f.destination_code}",
                f.departs_local.strftime("%Y-%m-%d %H:%M"),
                f.arrives_local.strftime("%Y-%m-%d %H:%M"),
            ]
            for f in _flights(sale)
        ]
        agreement = sale.agreement
        people = [
            [
                line.name,
                str(line.get_passenger_type_display()),
                line.ticket_number or "—",
                f"{line.fare}",
                f"{line.service_fee}",
            ]
            for line in sale.active_lines()
        ]
        data = {
            "lang": sale.language,
            "agency": AGENCY,
            "title": _("Itinerary and receipt"),
            "number": sale.number,
            "status": str(sale.get_status_display()),
            "pnr": sale.booking.pnr if sale.booking else "",
            "heads": {
                "flight": _("Flight"),
                "route": _("Route"),
                "departs": _("Departs (local)"),
                "arrives": _("Arrives (local)"),
                "name": _("Traveller"),
                "type": _("Passenger type"),
                "ticket": _("Ticket"),
                "fare": _("Fare"),
                "fee": _("Service fee"),
                "pnr": _("Booking reference"),
                "status": _("Status"),
            },
            "legs": legs,
            "people": people,
            "totals": _totals(sale, balance),
            "baggage": _("Baggage: %(pieces)d × %(kg)d kg per passenger; infants %(infant)d kg.")
            % {
                "pieces": agreement.baggage_pieces,
                "kg": agreement.baggage_kg,
                "infant": agreement.infant_baggage_kg,
            },
            "rules": " ".join(x for x in (agreement.rebooking_rules, agreement.refund_rules) if x),
        }
    return _compile_here("itinerary.typ", data)


def _totals(sale: Sale, balance: object) -> list[list[str]]:
    from passage.tickets.queries import entries_of

    entries = entries_of(sale)
    paid = sum((e.amount for e in entries if e.kind == EntryKind.PAYMENT), Decimal("0.00"))
    back = sum((e.amount for e in entries if e.kind == EntryKind.REFUND), Decimal("0.00"))
    rows = [[_("Total"), f"{sale.total} {sale.currency}"], [_("Paid"), f"{paid} {sale.currency}"]]
    if back:
        rows.append([_("Refunded"), f"{back} {sale.currency}"])
    if isinstance(balance, Decimal) and balance < 0:
        rows.append([_("Credit owed to the traveller"), f"{-balance} {sale.currency}"])
    else:
        rows.append([_("Balance due"), f"{balance} {sale.currency}"])
    return rows


def _balance_after(sale: Sale, entry: LedgerEntry) -> Decimal:
    """The sale's balance right after ``entry`` (negative: owed to the traveller)."""
    from passage.tickets.queries import entries_of

    total = Decimal("0.00")
    for e in entries_of(sale):
        total += -e.amount if e.kind == EntryKind.PAYMENT else e.amount
        if e.pk == entry.pk:
            break
    return total


def _compile_here(template: str, data: Mapping[str, Any]) -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "main.typ").write_bytes((TEMPLATES / template).read_bytes())
        (root / "data.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        pdf = typst.compile(str(root / "main.typ"), root=str(root), font_paths=FONT_DIRS)
    assert isinstance(pdf, bytes)
    return pdf
