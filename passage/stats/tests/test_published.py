"""The command line, the API and the page give the published 2005–2010 figures."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.core.management import call_command

from passage.core.models import AuditEvent
from passage.registry.models import Case, CaseStatusChange, Membership, Person
from passage.stats import actions, demo

pytestmark = pytest.mark.django_db
PERIOD = ["--from", "2005-01-01", "--to", "2010-12-31"]
TICKETS = "assisted_migration"
EUROPE = {"SE", "NL", "DK", "FR", "GB", "CH", "FI", "IE", "BE", "NO", "CZ", "RO"}


def published(rows: list[dict[str, Any]]) -> dict[str, int]:
    """The mission's five published figures, from rows by destination and stream."""

    def total(pred: Any) -> int:
        return sum(int(r["persons"]) for r in rows if pred(r))

    return {
        "usrap": total(lambda r: r["destination"] == "US" and r["stream"] == "resettlement"),
        "europe": total(lambda r: r["destination"] in EUROPE and r["stream"] != TICKETS),
        "canada": total(lambda r: r["destination"] == "CA" and r["stream"] != TICKETS),
        "australia": total(lambda r: r["destination"] == "AU"),
        "tickets": total(lambda r: r["destination"] in {"CA", "US"} and r["stream"] == TICKETS),
    }  # fmt: skip


EXPECTED = {"usrap": 486, "europe": 643, "canada": 226, "australia": 62, "tickets": 485}


@pytest.fixture
def history(personas: Any) -> dict[str, Any]:
    return actions.load_history(actor=personas.admin)


def test_command_page_and_api_give_the_published_figures(history, personas, capsysbinary) -> None:
    call_command("stats", "departures", *PERIOD, "--by", "destination,stream", "--format", "csv")
    out = capsysbinary.readouterr().out.decode()
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == ["destination", "stream", "persons"]
    assert published(rows) == EXPECTED
    assert {r["destination"] for r in rows} >= EUROPE
    assert all(sum(int(r["persons"]) for r in rows if r["destination"] == c) >= 1 for c in EUROPE)

    api = personas.api_client("stats_reader").get(
        "/api/v1/stats/departures", {"start": "2005-01-01", "end": "2010-12-31",
                                     "by": "destination,stream"})  # fmt: skip
    assert api.status_code == 200
    assert published(api.json()["rows"]) == EXPECTED
    assert api.json()["total"] == sum(EXPECTED.values())

    page = personas.client("stats_reader").get(
        "/stats/", {"start": "2005-01-01", "end": "2010-12-31"}
    )
    assert page.status_code == 200
    by_stream = {row["value"]: row["persons"] for row in page.context["breakdowns"][1][1]["rows"]}
    destinations = {r["value"]: r["persons"] for r in page.context["destinations"]["rows"]}
    assert destinations["AU"] == 62
    assert sum(destinations[c] for c in EUROPE) == 643
    assert by_stream["assisted_migration"] == 485
    assert page.context["years"]["total"] == sum(EXPECTED.values())


def test_history_is_loaded_once_through_the_registry_models(history, personas) -> None:
    assert history["people"] == sum(EXPECTED.values())
    people = Person.objects.count()
    assert Membership.objects.count() == people
    assert Person.objects.filter(consent_scope="").count() == 0
    assert Person.objects.filter(names__isnull=True).count() == 0  # search index written
    assert CaseStatusChange.objects.filter(to_status="departed").count() == Case.objects.count()
    events = AuditEvent.objects.filter(action="stats.load_history")
    assert events.count() == 1 and events.get().extra["people"] == people
    again = actions.load_history(actor=personas.admin)
    assert again["loaded"] is False
    assert Person.objects.count() == people
    assert AuditEvent.objects.filter(action="stats.load_history").count() == 1


def test_demo_load_is_idempotent(db) -> None:
    out = io.StringIO()
    from django.core.management.base import OutputWrapper

    first = demo.load(OutputWrapper(out))
    second = demo.load(OutputWrapper(out))
    assert first["loaded"] and not second["loaded"]
    assert "already loaded" in out.getvalue()
