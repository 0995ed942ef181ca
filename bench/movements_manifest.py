"""Manifest of a 300-passenger flight as PDF (typst) and XLSX (openpyxl), against the same
rows written as CSV (the cost of the data alone) and a one-row PDF (typst's fixed cost).
"""

from __future__ import annotations

import argparse
import csv
import io

from bench.common import Table, timed
from bench.movements_booking import book_all, cases, world

PASSENGERS = 300


def run(table: Table, args: argparse.Namespace) -> None:
    from passage.movements import manifests
    from passage.movements.models import Manifest

    w = world("manifest", PASSENGERS)
    book_all(w, cases(PASSENGERS // 3, 3, w["day"], "manifest"), 1)
    flight = w["flights"][0]
    manifest = manifests.latest(flight)
    assert manifest is not None and len(manifest.rows) == PASSENGERS
    rows_ms = timed(lambda: manifests.rows_for(flight)) * 1000
    pdf_ms = min(timed(lambda: manifests.render_pdf(manifest)) for _ in range(3)) * 1000
    xlsx_ms = min(timed(lambda: manifests.render_xlsx(manifest)) for _ in range(3)) * 1000
    one = Manifest(flight=flight, version=1, rows=manifest.rows[:1], created_at=manifest.created_at)
    one_pdf_ms = min(timed(lambda: manifests.render_pdf(one)) for _ in range(3)) * 1000

    def as_csv() -> None:
        out = io.StringIO()
        writer = csv.writer(out)
        for row in manifest.rows:
            writer.writerow([row.get(k, "") for k in manifests.COLUMNS])

    csv_ms = min(timed(as_csv) for _ in range(3)) * 1000
    table.add("movements", f"manifest rows of {PASSENGERS} passengers (query)", rows_ms, "ms")
    table.add(
        "movements",
        f"manifest PDF, {PASSENGERS} passengers",
        pdf_ms,
        "ms",
        baseline=one_pdf_ms,
        baseline_name="1-passenger PDF",
    )
    table.add(
        "movements",
        f"manifest XLSX, {PASSENGERS} passengers",
        xlsx_ms,
        "ms",
        baseline=csv_ms,
        baseline_name="same rows as CSV",
    )
