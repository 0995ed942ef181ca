"""Every write of the visa application centre, by concern."""

from passage.vac.actions.booking import (
    book_appointment,
    cancel_appointment,
    check_in,
    complete_appointment,
    import_appointment,
    mark_day_missed,
    mark_missed,
    reschedule_appointment,
)
from passage.vac.actions.centre import (
    add_holiday,
    close_slot,
    import_public_holidays,
    open_slots,
    remove_opening_hours,
    save_centre_rules,
    save_fee_profile,
    set_opening_hours,
)
from passage.vac.actions.custody import dispatch_batch, find, move_passport, receive_passport
from passage.vac.actions.intake import (
    ApplicantIn,
    account_of,
    assess_fees,
    open_application,
    record_enrolment,
    take_payment,
)
from passage.vac.actions.queue import call_next, issue_ticket, move_ticket

__all__ = [
    "ApplicantIn",
    "account_of",
    "add_holiday",
    "assess_fees",
    "book_appointment",
    "call_next",
    "cancel_appointment",
    "check_in",
    "close_slot",
    "complete_appointment",
    "dispatch_batch",
    "find",
    "import_appointment",
    "import_public_holidays",
    "issue_ticket",
    "mark_day_missed",
    "mark_missed",
    "move_passport",
    "move_ticket",
    "open_application",
    "open_slots",
    "receive_passport",
    "record_enrolment",
    "remove_opening_hours",
    "reschedule_appointment",
    "save_centre_rules",
    "save_fee_profile",
    "set_opening_hours",
    "take_payment",
]
