"""The generated history reaches the mission's published 2005–2010 figures exactly."""

from __future__ import annotations

from collections import Counter
from typing import Any

from passage.profiles.choices import STREAM_OF_PROGRAMME, Programme, Stream
from passage.registry.choices import CaseStatus
from passage.stats import history


def persons_by(key: Any) -> Counter[Any]:
    counts: Counter[Any] = Counter()
    for case in history.generate():
        counts[key(case)] += len(case.members)
    return counts


def test_published_totals() -> None:
    cases = history.generate()

    def total(pred: Any) -> int:
        return sum(len(c.members) for c in cases if pred(c))

    usrap = {Programme.USRAP_P1, Programme.USRAP_P2, Programme.USRAP_P3}
    assert total(lambda c: c.destination == "US" and c.programme in usrap) == 486
    assert total(lambda c: c.destination in history.EUROPE) == 643
    ca_resettled = total(lambda c: c.destination == "CA" and c.programme != Programme.SELF_PAYING)
    assert ca_resettled == 226
    assert total(lambda c: c.destination == "AU") == 62
    tickets = total(lambda c: c.programme == Programme.SELF_PAYING)
    assert tickets == 485
    assert {c.destination for c in cases if c.programme == Programme.SELF_PAYING} == {"CA", "US"}


def test_every_european_country_has_departures() -> None:
    europe = persons_by(lambda c: c.destination)
    assert len(history.EUROPE) == 12
    assert all(europe[country] >= 1 for country in history.EUROPE)


def test_departures_spread_over_the_six_years_with_variation() -> None:
    years = persons_by(lambda c: c.departed.year)
    assert set(years) == set(history.YEARS)
    assert max(years.values()) > min(years.values()) > 150


def test_streams_follow_programmes() -> None:
    streams = persons_by(lambda c: STREAM_OF_PROGRAMME[c.programme])
    assert set(streams) == set(Stream.values)
    assert streams[Stream.ASSISTED_MIGRATION] == 485


def test_families_are_realistic() -> None:
    cases = history.generate()
    sizes = Counter(len(c.members) for c in cases)
    assert min(sizes) == 1 and max(sizes) <= 9
    for case in cases:
        principals = [m for m in case.members if m.relationship == "principal"]
        assert len(principals) == 1
        ages = [(case.departed.date() - m.born).days // 365 for m in case.members]
        assert all(0 <= a <= 90 for a in ages)
        assert ages[0] >= 18 or len(case.members) == 1


def test_history_paths_follow_the_transition_table() -> None:
    for case in history.generate()[:50]:
        path = tuple(s for s, _at in case.statuses)
        assert history.path_is_valid(path)
        assert path[-3:] == (CaseStatus.DEPARTED, CaseStatus.ARRIVED, CaseStatus.CLOSED)
        times = [at for _s, at in case.statuses]
        assert times == sorted(times)
        assert dict(case.statuses)[CaseStatus.DEPARTED] == case.departed


def test_generation_is_deterministic() -> None:
    first, second = history.generate(), history.generate()
    assert [(c.number, c.departed, len(c.members)) for c in first] == [
        (c.number, c.departed, len(c.members)) for c in second
    ]
    assert len({c.number for c in first}) == len(first)
