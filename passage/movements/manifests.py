"""Flight manifests: a new version whenever the passengers of a flight change.

A version keeps the rows as they were (names in Latin as in the travel document,
dates of birth, documents, SSRs, escorts, transit points); the PDF (typst) and
XLSX (openpyxl) are made from those rows, so any version can be produced again.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from passage.core import audit
from passage.core.models import User
from passage.movements.choices import SEAT_HOLDING, TravellerRole
from passage.movements.models import BookingLeg, Flight, Manifest, Traveller

TEMPLATE = Path(__file__).parent / "templates" / "movements" / "typst" / "manifest.typ"
COLUMNS = [
    "surname",
    "given_names",
    "date_of_birth",
    "sex",
    "nationality",
    "type",
    "document",
    "ssr",
    "role",
    "pnr",
    "transit",
]


TRAVELLER_FIELDS = ("id", "booking_id", "booking__case__file_number", "booking__pnr", "surname",
                    "given_names", "date_of_birth", "sex", "nationality", "passenger_type",
                    "document", "ssr_codes", "role", "ticket_number", "on_lap_of_id")  # fmt: skip


def rows_for(flight: Flight) -> list[dict[str, Any]]:
    """The passengers on ``flight`` now, in case order; 2 queries of plain values."""
    travellers = list(
        Traveller.objects.filter(booking__legs__flight=flight, booking__status__in=SEAT_HOLDING)
        .order_by("booking__case__file_number", "booking_id", "id")
        .values(*TRAVELLER_FIELDS)
    )
    legs: dict[int, list[tuple[str, str]]] = {}
    for booking_id, origin, destination in (
        BookingLeg.objects.filter(booking_id__in={t["booking_id"] for t in travellers})
        .order_by("booking_id", "sequence")
        .values_list("booking_id", "flight__origin_code", "flight__destination_code")
    ):
        legs.setdefault(booking_id, []).append((origin, destination))
    by_id = {t["id"]: t for t in travellers}
    on_lap = _("on lap of")
    rows = []
    for t in travellers:
        itinerary = legs.get(t["booking_id"], [])
        transit = [origin for origin, _dest in itinerary[1:]]
        final = itinerary[-1][1] if itinerary else ""
        adult = by_id.get(t["on_lap_of_id"]) if t["on_lap_of_id"] else None
        lap = f" ({on_lap} {adult['surname']} {adult['given_names']})" if adult else ""
        born = t["date_of_birth"]
        rows.append(
            {
                "case": t["booking__case__file_number"],
                "surname": t["surname"],
                "given_names": t["given_names"],
                "date_of_birth": born.isoformat() if born else "",
                "sex": t["sex"],
                "nationality": t["nationality"],
                "type": t["passenger_type"] + lap,
                "document": t["document"],
                "ssr": " ".join(t["ssr_codes"]),
                "role": ""
                if t["role"] == TravellerRole.MEMBER
                else str(TravellerRole(t["role"]).label),
                "pnr": t["booking__pnr"],
                "ticket": t["ticket_number"],
                "transit": " ".join([*transit, "→", final]) if transit else final,
            }
        )
    return rows


def latest(flight: Flight) -> Manifest | None:
    return Manifest.objects.filter(flight=flight).order_by("-version").first()


def refresh(flight: Flight, *, actor: User | None, reason: str = "") -> Manifest | None:
    """A new version when the rows differ from the latest one; None when nothing changed."""
    rows = rows_for(flight)
    current = (
        Manifest.objects.select_for_update().filter(flight=flight).order_by("-version").first()
    )
    if current is not None and current.rows == rows:
        return None
    if current is None and not rows:
        return None
    manifest = Manifest.objects.create(
        flight=flight,
        version=(current.version + 1) if current else 1,
        rows=rows,
        reason=reason[:200],
        created_by=actor,
    )
    audit.record(
        actor=actor,
        action="movements.manifest",
        obj=manifest,
        extra={"version": manifest.version, "passengers": len(rows), "reason": reason},
    )
    return manifest


def refresh_flights(flights: Iterable[Flight], *, actor: User | None, reason: str = "") -> None:
    seen: set[int] = set()
    for flight in flights:
        if flight.pk not in seen:
            seen.add(flight.pk)
            refresh(flight, actor=actor, reason=reason)


def _labels() -> dict[str, Any]:
    return {
        "title": _("Passenger manifest"),
        "version": _("version"),
        "passengers": _("passengers"),
        "generated": _("made"),
        "columns": [
            "#",
            _("Surname"),
            _("Given names"),
            _("Date of birth"),
            _("Sex"),
            _("Nationality"),
            _("Type"),
            _("Travel document"),
            _("SSR"),
            _("Escort"),
            _("PNR"),
            _("Transit"),
        ],
    }


def _document(manifest: Manifest) -> dict[str, Any]:
    flight = manifest.flight
    return {
        "flight": flight.designator,
        "route": f"{flight.origin_code} → {flight.destination_code}",
        "departs": f"{flight.departs_local:%Y-%m-%d %H:%M} ({flight.origin.tz})",
        "version": manifest.version,
        "count": len(manifest.rows),
        "generated": f"{timezone.localtime(manifest.created_at):%Y-%m-%d %H:%M}",
        "labels": _labels(),
        "rows": [{k: str(r.get(k, "")) for k in COLUMNS} for r in manifest.rows],
    }


def render_pdf(manifest: Manifest) -> bytes:
    import typst

    data = json.dumps(_document(manifest), ensure_ascii=False)
    return bytes(typst.compile(str(TEMPLATE), sys_inputs={"data": data}))


def render_xlsx(manifest: Manifest) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    doc = _document(manifest)
    book = Workbook(write_only=False)
    sheet = book.active
    assert sheet is not None
    sheet.title = doc["flight"][:31]
    sheet.append(
        [
            f"{doc['labels']['title']}: {doc['flight']}",
            doc["route"],
            doc["departs"],
            f"{doc['labels']['version']} {doc['version']}",
        ]
    )
    sheet.append(doc["labels"]["columns"])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for index, row in enumerate(manifest.rows, start=1):
        sheet.append([index, *(str(row.get(k, "")) for k in COLUMNS)])
    sheet.freeze_panes = "A3"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def filename(manifest: Manifest, ext: str) -> str:
    flight = manifest.flight
    return f"manifest-{flight.designator}-{flight.departs_local:%Y%m%d}-v{manifest.version}.{ext}"


@transaction.atomic
def record_download(*, actor: User, manifest: Manifest, fmt: str) -> None:
    """Manifests are personal data: every export is audited."""
    audit.record(
        actor=actor, action="movements.manifest_export", obj=manifest, extra={"format": fmt}
    )
