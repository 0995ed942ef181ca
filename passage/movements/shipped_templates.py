"""The shipped notification texts, per destination and language (editable data afterwards).

Placeholders: {case} {pnr} {itinerary} {departure} {arrival} {travellers} {names};
transit requests add {airport} and {needs}.
"""

from __future__ import annotations

from typing import Any

EUROPE = ["SE", "NL", "DK", "FR", "GB", "CH", "FI", "IE", "BE", "NO", "CZ", "RO"]

_BODY_EN = (
    "Case {case}, {travellers} traveller(s): {names}.\n"
    "Itinerary: {itinerary}.\nDeparture: {departure}. Arrival: {arrival}.\nPNR: {pnr}.\n"
    "The manifest of the case is attached."
)
_BODY_RU = (
    "Дело {case}, пассажиров: {travellers}: {names}.\n"
    "Маршрут: {itinerary}.\nВылет: {departure}. Прибытие: {arrival}.\nPNR: {pnr}.\n"
    "Манифест дела во вложении."
)

TEMPLATES: list[dict[str, Any]] = [
    {
        "kind": "advance_booking",
        "country": "CA",
        "language": "en",
        "subject": "Advance booking notification: case {case}, arriving {arrival}",
        "body": _BODY_EN,
    },
    {
        "kind": "arrival",
        "country": "CA",
        "language": "en",
        "subject": "Notification of arrival: case {case}, arriving {arrival}",
        "body": _BODY_EN,
    },
    {
        "kind": "travel",
        "country": "US",
        "language": "en",
        "subject": "Travel notification: case {case}, arriving {arrival}",
        "body": _BODY_EN,
    },
    *[
        {
            "kind": "booking_letter",
            "country": c,
            "language": "en",
            "subject": "Booking letter: case {case}, arriving {arrival}",
            "body": _BODY_EN,
        }
        for c in EUROPE
    ],
    {
        "kind": "itinerary_change",
        "country": "",
        "language": "en",
        "subject": "Itinerary change: case {case}, now arriving {arrival}",
        "body": _BODY_EN,
    },
    {
        "kind": "itinerary_change",
        "country": "",
        "language": "ru",
        "subject": "Изменение маршрута: дело {case}, прибытие {arrival}",
        "body": _BODY_RU,
    },
    {
        "kind": "transit_assistance",
        "country": "",
        "language": "en",
        "subject": "Transit assistance at {airport}: case {case}",
        "body": "Please meet and assist case {case} ({travellers} traveller(s): {names}) in "
        "transit at {airport}.\nItinerary: {itinerary}.\nNeeds: {needs}.\n"
        "Please confirm by reply.",
    },
]


def install(model: Any) -> int:
    """Create the shipped templates that are missing; returns how many were created."""
    created = 0
    for row in TEMPLATES:
        _obj, new = model.objects.get_or_create(
            kind=row["kind"],
            country=row["country"],
            language=row["language"],
            defaults={"subject": row["subject"], "body": row["body"]},
        )
        created += int(new)
    return created
