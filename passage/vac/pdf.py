"""PDF receipts with typst: a custody receipt with the passport's QR code, a payment receipt.

The templates use DejaVu Sans (Debian's fonts-dejavu-core, found in
/usr/share/fonts) and fall back to New Computer Modern, which typst embeds and
which covers Cyrillic, so Russian and Kyrgyz print on any machine.
"""

from __future__ import annotations

import io
import json
import tempfile
from pathlib import Path
from typing import Any

import segno
import typst
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from passage.ledger.models import LedgerEntry
from passage.vac.models import Application, Custody
from passage.vac.rules import centre_rules_on

TEMPLATES = Path(__file__).resolve().parent / "documents"
FONT_DIRS = [p for p in ("/usr/share/fonts",) if Path(p).is_dir()]


def qr_svg(text: str) -> bytes:
    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="svg", scale=4, border=2)
    return buffer.getvalue()


def _compile(template: str, data: dict[str, Any], files: dict[str, bytes] | None = None) -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "main.typ").write_bytes((TEMPLATES / template).read_bytes())
        (root / "data.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        for name, content in (files or {}).items():
            (root / name).write_bytes(content)
        pdf = typst.compile(str(root / "main.typ"), root=str(root), font_paths=FONT_DIRS)
    assert isinstance(pdf, bytes)
    return pdf


def _when(value: Any) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


def custody_receipt(custody: Custody, language: str) -> bytes:
    applicant = custody.applicant
    first = custody.events.select_related("officer").first()
    with translation.override(language):
        rules = centre_rules_on(timezone.localdate())
        data = {
            "lang": language,
            "centre": rules.centre_name,
            "code": custody.code,
            "title": _("Passport receipt"),
            "rows": [
                [_("Reference"), applicant.application.reference],
                [_("Applicant"), str(applicant)],
                [_("Passport number"), custody.passport_number],
                [_("Received"), _when(custody.received_at)],
                [_("Received by"), first.officer.get_full_name() if first else ""],
            ],
            "note": _(
                "Keep this receipt. Bring it and an identity document to collect the "
                "passport. Track it with the reference and your date of birth."
            ),
        }
    return _compile("custody_receipt.typ", data, {"code.svg": qr_svg(custody.code)})


def payment_receipt(entry: LedgerEntry, application: Application, language: str) -> bytes:
    with translation.override(language):
        rules = centre_rules_on(timezone.localdate())
        rows = [
            [_("Reference"), application.reference],
            [_("Date"), _when(entry.at)],
            [_("Cashier"), entry.cashier.get_full_name() if entry.cashier else ""],
            [_("Method"), str(entry.get_method_display())],
        ]
        lines = [[_("Paid"), f"{entry.amount} {entry.currency}"]]
        if entry.paid_amount is not None:
            lines.append([_("Tendered"), f"{entry.paid_amount} {entry.paid_currency}"])
            lines.append(
                [
                    _("Rate"),
                    f"1 {entry.currency} = {entry.rate} {entry.paid_currency} ({entry.rate_date})",
                ]
            )
        if entry.corrects_id:
            lines.append(
                [_("Corrects receipt"), entry.corrects.receipt_number if entry.corrects else ""]
            )
        data = {
            "lang": language,
            "centre": rules.centre_name,
            "title": _("Receipt"),
            "number": entry.receipt_number,
            "rows": rows,
            "lines": lines,
            "note": _("Fees are not refundable once biometrics are enrolled."),
        }
    return _compile("payment_receipt.typ", data)
