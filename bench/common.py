"""Shared pieces of the benchmark runner: a results table and timing helpers.

A benchmark measures a figure and its baseline in the same run, on the same machine,
and reports both with their ratio. Nothing here is a test: figures are printed and
recorded in docs/benchmarks.md, never asserted.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Row:
    topic: str
    figure: str
    value: float
    unit: str
    baseline: float | None = None
    baseline_name: str = ""
    note: str = ""

    @property
    def ratio(self) -> str:
        if self.baseline is None or self.baseline == 0:
            return ""
        return f"{self.value / self.baseline:.2f}×"


@dataclass
class Table:
    rows: list[Row] = field(default_factory=list)

    def add(
        self,
        topic: str,
        figure: str,
        value: float,
        unit: str,
        *,
        baseline: float | None = None,
        baseline_name: str = "",
        note: str = "",
    ) -> None:
        row = Row(topic, figure, value, unit, baseline, baseline_name, note)
        self.rows.append(row)
        print(self.format_row(row), flush=True)

    @staticmethod
    def header() -> str:
        return (
            "| topic | figure | value | baseline | baseline value | value ÷ baseline "
            "| note |\n| --- | --- | --- | --- | --- | --- | --- |"
        )

    @staticmethod
    def format_row(row: Row) -> str:
        base = f"{row.baseline:,.2f} {row.unit}" if row.baseline is not None else ""
        return (
            f"| {row.topic} | {row.figure} | {row.value:,.2f} {row.unit} | "
            f"{row.baseline_name} | {base} | {row.ratio} | {row.note} |"
        )


def timed(fn: Callable[[], object]) -> float:
    """Seconds one call of ``fn`` takes."""
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def latencies_ms(fn: Callable[[object], object], inputs: list[object]) -> list[float]:
    out = []
    for item in inputs:
        start = time.perf_counter()
        fn(item)
        out.append((time.perf_counter() - start) * 1000)
    return out


def p50(values: list[float]) -> float:
    return statistics.median(values)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]
