"""``passage stats departures``: formats, output file, and clear refusals."""

from __future__ import annotations

import datetime as dt
import io

import hxl
import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from passage.profiles.choices import Programme
from passage.stats.tests.helpers import BISHKEK, departed_case

pytestmark = pytest.mark.django_db
PERIOD = ["--from", "2007-01-01", "--to", "2008-12-31"]


@pytest.fixture
def departures(db) -> None:
    departed_case("US", Programme.USRAP_P1, [("M", dt.date(1980, 1, 1))] * 3,
                  dt.datetime(2007, 3, 1, 10, tzinfo=BISHKEK))  # fmt: skip
    departed_case("CA", Programme.SELF_PAYING, [("F", dt.date(2001, 1, 1))],
                  dt.datetime(2008, 11, 1, 10, tzinfo=BISHKEK))  # fmt: skip


def run(capsysbinary: pytest.CaptureFixture[bytes], *args: str) -> bytes:
    call_command("stats", "departures", *args)
    out: bytes = capsysbinary.readouterr().out
    return out


def test_csv_has_one_row_per_group(departures, capsysbinary) -> None:
    out = run(capsysbinary, *PERIOD, "--by", "year,destination,programme,stream,sex,age_band")
    assert out.decode().splitlines() == [
        "year,destination,programme,stream,sex,age_band,persons",
        "2007,US,usrap_p1,resettlement,M,18-59,3",
        "2008,CA,self_paying,assisted_migration,F,5-11,1",
    ]


def test_fiscal_years(departures, capsysbinary) -> None:
    out = run(capsysbinary, *PERIOD, "--by", "year", "--fiscal-year")
    assert out.decode().splitlines()[1:] == ["2007,3", "2009,1"]


def test_hxl_output_validates_with_libhxl(departures, capsysbinary) -> None:
    out = run(capsysbinary, *PERIOD, "--by", "year,destination,stream", "--format", "hxl")
    source = hxl.input.make_input(io.BytesIO(out), hxl.input.InputOptions(allow_local=True))
    data = hxl.data(source).cache()
    assert [c.display_tag for c in data.columns] == [
        "#date+year", "#country+code", "#activity+code+stream", "#reached+ind",
    ]  # fmt: skip
    rows = [(r.get("#date+year"), r.get("#country+code"), r.get("#reached+ind")) for r in data]
    assert rows == [("2007", "US", "3"), ("2008", "CA", "1")]
    canada = data.with_rows("#country+code=CA")
    assert [r.get("#reached+ind") for r in canada] == ["1"]


def test_xlsx_to_a_file(departures, tmp_path, capsys) -> None:
    target = tmp_path / "departures.xlsx"
    call_command("stats", "departures", *PERIOD, "--by", "destination", "--format", "xlsx",
                 "--output", str(target))  # fmt: skip
    sheet = openpyxl.load_workbook(target).active
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [
        ["destination", "persons"], ["CA", 1], ["US", 3],
    ]  # fmt: skip
    assert "2 rows written" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("args", "message", "code"),
    [
        (["--from", "2007-02-30", "--to", "2008-01-01"], "is not a date", 2),
        (["--from", "2007-01-01", "--to", "2008-01-01", "--by", "year,colour"],
         "Unknown grouping key: colour", 2),
        (["--from", "2008-01-01", "--to", "2007-01-01"], "The period is empty", 2),
        (["--from", "1999-01-01", "--to", "1999-12-31"],
         "No departures between 1999-01-01 and 1999-12-31", 3),
    ],
)  # fmt: skip
def test_refusals_say_why_and_exit_non_zero(departures, args, message, code) -> None:
    with pytest.raises(CommandError) as exc:
        call_command("stats", "departures", *args)
    assert message in str(exc.value)
    assert exc.value.returncode == code
