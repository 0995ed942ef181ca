"""Working days and arrival days, from each country's holiday calendar.

A working day is Monday to Friday and not a holiday of that country in the
``Holiday`` table (which administrators edit and ``passage seed_holidays``
fills from the ``holidays`` package).
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from passage.profiles.choices import Weekday
from passage.profiles.models import Holiday

if TYPE_CHECKING:
    from passage.profiles.models import DestinationProfile

WEEKEND = frozenset({6, 7})


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (or earlier), clamped to the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def holidays_between(country: str, start: date, end: date) -> set[date]:
    """Holidays of ``country`` from ``start`` to ``end``, both included."""
    return set(
        Holiday.objects.filter(country=country.upper(), date__gte=start, date__lte=end).values_list(
            "date", flat=True
        )
    )


def is_holiday(country: str, day: date) -> bool:
    return Holiday.objects.filter(country=country.upper(), date=day).exists()


def is_working_day(country: str, day: date) -> bool:
    return day.isoweekday() not in WEEKEND and not is_holiday(country, day)


def working_days_between(country: str, start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end`` (negative if end < start)."""
    if end < start:
        return -working_days_between(country, end, start)
    off = holidays_between(country, start + timedelta(days=1), end)
    count = 0
    day = start + timedelta(days=1)
    while day <= end:
        if day.isoweekday() not in WEEKEND and day not in off:
            count += 1
        day += timedelta(days=1)
    return count


def add_working_days(country: str, day: date, n: int) -> date:
    """The ``n``-th working day after ``day`` (before it when ``n`` is negative).

    ``add_working_days("CA", arrival, -10)`` is the last day a notification due
    10 working days before arrival can go out.
    """
    if n == 0:
        return day
    step = 1 if n > 0 else -1
    # Holidays are sparse: a window of twice the span plus two weeks always suffices.
    span = abs(n) * 2 + 14
    lo, hi = (day, day + timedelta(days=span)) if step > 0 else (day - timedelta(days=span), day)
    off = holidays_between(country, lo, hi)
    remaining = abs(n)
    current = day
    while remaining:
        current += timedelta(days=step)
        if not lo <= current <= hi:
            off |= holidays_between(country, current, current)
        if current.isoweekday() not in WEEKEND and current not in off:
            remaining -= 1
    return current


def arrival_refusal(profile: DestinationProfile, day: date) -> str | None:
    """Why the profile refuses an arrival on ``day``, or None when it is allowed."""
    refused = {int(d) for d in profile.arrival_refused_weekdays or []}
    if day.isoweekday() in refused:
        return _("%(country)s does not accept arrivals on %(weekday)s.") % {
            "country": profile.country,
            "weekday": Weekday(day.isoweekday()).label,
        }
    if profile.arrival_refused_on_holidays:
        holiday = Holiday.objects.filter(country=profile.country, date=day).first()
        if holiday is not None:
            return _("%(date)s is a statutory holiday in %(country)s (%(name)s).") % {
                "date": day.isoformat(),
                "country": profile.country,
                "name": holiday.name,
            }
    return None


def is_arrival_allowed(profile: DestinationProfile, day: date) -> bool:
    """Whether the profile's weekday and holiday limits allow an arrival on ``day``."""
    return arrival_refusal(profile, day) is None
