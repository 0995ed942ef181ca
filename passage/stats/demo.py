"""Demo data of the statistics app: the mission's departures of 2005–2010."""

from __future__ import annotations

import time

from django.core.management.base import OutputWrapper

from passage.stats import actions


def load(stdout: OutputWrapper) -> dict[str, object]:
    """Load the generated history once (idempotent: a second run writes nothing)."""
    started = time.perf_counter()
    result = actions.load_history(actor=None)
    if result["loaded"]:
        stdout.write(
            f"History 2005–2010: {result['cases']} cases, {result['people']} people "
            f"({time.perf_counter() - started:.1f} s)"
        )
    else:
        stdout.write("History 2005–2010: already loaded")
    return result
