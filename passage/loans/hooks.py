"""How loans hear of bookings and answer the departure check (registered in AppConfig.ready).

* ``movements.sources.register_booking_listener``: every booking made (book, rebook)
  opens the case's loan or moves it to the new booking and corrects the amount; a
  departure makes a signed loan repayable; an arrival dates it.
* ``movements.sources.register_loan_provider``: ``loan_notes_signed(case)`` for
  ``departure.loan_refusal``.
"""

from __future__ import annotations

from typing import Any

from passage.movements import sources
from passage.movements.choices import BookingStatus


def booking_changed(booking: Any, actor: Any) -> None:
    from passage.loans import actions

    if booking.status == BookingStatus.BOOKED:
        actions.follow_booking(actor=actor, booking=booking)
    elif booking.status == BookingStatus.DEPARTED:
        actions.on_departed(actor, booking)
    elif booking.status == BookingStatus.ARRIVED:
        actions.on_arrived(actor, booking)


def loan_notes_signed(case: Any) -> bool | None:
    from passage.loans import queries

    return queries.notes_signed(case)


def register() -> None:
    sources.register_booking_listener("loans", booking_changed)
    sources.register_loan_provider(loan_notes_signed)
