"""Reading and checking an import file of cases and people (CSV or XLSX).

One row is one person. Rows with the same ``unhcr_case_number`` form one case.
The whole file is read and checked first: every problem is reported with its
row and column, and nothing is written unless the file is clean (see
:mod:`passage.registry.imports` for the plan and the write).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from passage.core.errors import ActionError
from passage.registry import people
from passage.registry.actions import check_country
from passage.registry.choices import Priority, Programme, Relationship, Sex, Vulnerability
from passage.registry.people import PersonData

# (column, required, description) — the documented columns, in template order.
COLUMNS: list[tuple[str, bool, str | Promise]] = [
    (
        "unhcr_case_number",
        True,
        gettext_lazy("UNHCR case number; rows with the same number form one case"),
    ),
    (
        "relationship",
        True,
        gettext_lazy(
            "principal, spouse, child, stepchild, parent, sibling, "
            "grandchild, grandparent, in_law, other_relative, other"
        ),
    ),
    (
        "unhcr_individual_number",
        True,
        gettext_lazy("UNHCR individual number; unique, used to match people"),
    ),
    ("given_names", True, gettext_lazy("given names in the person's own script")),
    ("surname", False, gettext_lazy("surname in the person's own script")),
    ("patronymic", False, gettext_lazy("patronymic, where used")),
    ("latin_given_names", False, gettext_lazy("given names as the travel document spells them")),
    ("latin_surname", False, gettext_lazy("surname as the travel document spells it")),
    ("sex", True, gettext_lazy("F, M or X")),
    (
        "date_of_birth",
        False,
        gettext_lazy("YYYY-MM-DD, DD.MM.YYYY, or YYYY alone (then estimated)"),
    ),
    ("date_of_birth_estimated", False, gettext_lazy("yes/no")),
    ("nationality", False, gettext_lazy("ISO 3166 alpha-2 or alpha-3, or XXA, XXB, XXC")),
    ("languages", False, gettext_lazy("ISO 639 codes separated by ;")),
    (
        "phones",
        False,
        gettext_lazy("phone numbers separated by ; (international or Kyrgyz format)"),
    ),
    ("vulnerabilities", False, gettext_lazy("codes separated by ;")),
    ("special_needs", False, gettext_lazy("free text")),
    ("consent_date", True, gettext_lazy("date the consent to data processing was given")),
    ("consent_scope", True, gettext_lazy("what the consent covers")),
    ("programme", True, gettext_lazy("programme code, e.g. usrap_p1, ca_gar, eu_quota")),
    ("destination_country", True, gettext_lazy("ISO 3166 alpha-2")),
    ("priority", False, gettext_lazy("emergency, urgent or normal (default normal)")),
]
COLUMN_NAMES = [c[0] for c in COLUMNS]
REQUIRED = [c[0] for c in COLUMNS if c[1]]
CASE_COLUMNS = ("programme", "destination_country", "priority")
RELATIONSHIPS = frozenset(Relationship.values)
SEXES = frozenset(Sex.values)
PROGRAMMES = frozenset(Programme.values)
PRIORITIES = frozenset([*Priority.values, ""])
VULNERABILITIES = frozenset(Vulnerability.values)
YES = {"yes", "y", "true", "1", "да", "ооба"}
NO = {"", "no", "n", "false", "0", "нет", "жок"}


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def as_dict(self) -> dict[str, object]:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class ImportRow:
    row: int
    case_number: str
    relationship: str
    person: PersonData
    case: dict[str, str]
    blank: frozenset[str] = frozenset()


@dataclass
class ParsedFile:
    rows: list[ImportRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    principals: dict[str, int] = field(default_factory=dict)
    warnings: list[dict[str, object]] = field(default_factory=list)


def _decode(content: bytes) -> str:
    if content.startswith(b"\xef\xbb\xbf"):
        content = content[3:]
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ActionError(
            _("The file is not UTF-8 text (byte %(pos)s). Save it as “CSV UTF-8” and try again.")
            % {"pos": exc.start},
            code="bad_encoding",
            field="file",
        ) from exc


def read_table(name: str, content: bytes) -> list[dict[str, str]]:
    """The file's rows as dicts keyed by lower-case header; refuses what is no spreadsheet."""
    if not content.strip():
        raise ActionError(_("The file is empty."), code="empty_file", field="file")
    if zipfile.is_zipfile(io.BytesIO(content)):
        return _read_xlsx(content)
    if name.lower().endswith((".xlsx", ".xls", ".ods")) or b"\x00" in content[:4096]:
        raise ActionError(
            _("The file is not a CSV or XLSX spreadsheet."), code="not_a_spreadsheet", field="file"
        )
    text = _decode(content)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    table = list(reader)
    return _as_dicts(table)


def _read_xlsx(content: bytes) -> list[dict[str, str]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:
        raise ActionError(
            _("The file is not a CSV or XLSX spreadsheet."), code="not_a_spreadsheet", field="file"
        ) from exc
    sheet = book.worksheets[0]
    table = []
    for values in sheet.iter_rows(values_only=True):
        table.append([_cell(v) for v in values])
    book.close()
    return _as_dicts(table)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _as_dicts(table: list[list[str]]) -> list[dict[str, str]]:
    if not table or not any(c.strip() for c in table[0]):
        raise ActionError(_("The file has no header row."), code="no_header", field="file")
    header = [h.strip().lower().lstrip("\ufeff") for h in table[0]]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise ActionError(
            _("Missing columns: %(columns)s") % {"columns": ", ".join(missing)},
            code="missing_columns",
            field="file",
            errors=[{"row": 1, "column": c, "message": _("missing column")} for c in missing],
        )
    rows: list[dict[str, str]] = []
    width = len(header)
    padding = [""] * width
    for values in table[1:]:
        cells = list(map(str.strip, map(str, values[:width])))
        if not any(cells):
            rows.append({})
            continue
        if len(cells) < width:
            cells += padding[len(cells) :]
        rows.append(dict(zip(header, cells, strict=True)))
    return rows


def parse_date(value: str) -> tuple[dt.date | None, bool]:
    """A date and whether only the year was given."""
    value = value.strip()
    if not value:
        return None, False
    if len(value) == 4 and value.isdigit():
        return dt.date(int(value), 7, 1), True
    if len(value) == 10 and value[4] == "-":
        try:
            return dt.date.fromisoformat(value), False
        except ValueError:
            pass
    for fmt in ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(value, fmt).date(), False
        except ValueError:
            continue
    raise ValueError(value)


def _split(value: str) -> list[str]:
    if not value:
        return []
    return [v.strip() for v in value.replace(",", ";").split(";") if v.strip()]


def _bool(value: str) -> bool:
    value = value.strip().lower()
    if value in YES:
        return True
    if value in NO:
        return False
    raise ValueError(value)


CODE_CHECKS = (
    ("relationship", RELATIONSHIPS),
    ("sex", SEXES),
    ("programme", PROGRAMMES),
    ("priority", PRIORITIES),
)
EMPTY_ROW = dict.fromkeys(COLUMN_NAMES, "")


def _check_codes(raw: dict[str, str], n: int, errors: list[RowError]) -> None:
    for column, allowed in CODE_CHECKS:
        if raw[column] not in allowed:
            errors.append(RowError(n, column, _("unknown code “%(code)s”") % {"code": raw[column]}))
    if raw["vulnerabilities"]:
        bad = [v for v in _split(raw["vulnerabilities"]) if v not in VULNERABILITIES]
        if bad:
            errors.append(
                RowError(n, "vulnerabilities", _("unknown code “%(code)s”") % {"code": bad[0]})
            )


def parse_row(
    raw: dict[str, str], n: int, today: dt.date
) -> tuple[ImportRow | None, list[RowError]]:
    if not raw.keys() >= EMPTY_ROW.keys():
        raw = {**EMPTY_ROW, **raw}
    errors: list[RowError] = []
    for column in REQUIRED:
        if column != "priority" and (not raw[column] or raw[column].isspace()):
            errors.append(RowError(n, column, _("required")))
    _check_codes(raw, n, errors)
    birth = consent = None
    estimated = False
    try:
        birth, estimated = parse_date(raw["date_of_birth"])
    except ValueError:
        errors.append(
            RowError(
                n, "date_of_birth", _("not a date: “%(value)s”") % {"value": raw["date_of_birth"]}
            )
        )
    try:
        consent, _year_only = parse_date(raw["consent_date"])
    except ValueError:
        errors.append(
            RowError(
                n, "consent_date", _("not a date: “%(value)s”") % {"value": raw["consent_date"]}
            )
        )
    try:
        estimated = _bool(raw["date_of_birth_estimated"]) or estimated
    except ValueError:
        errors.append(RowError(n, "date_of_birth_estimated", _("write yes or no")))
    if errors:
        return None, errors
    data = PersonData(
        given_names=raw["given_names"],
        surname=raw["surname"],
        patronymic=raw["patronymic"],
        latin_given_names=raw["latin_given_names"],
        latin_surname=raw["latin_surname"],
        sex=raw["sex"],
        date_of_birth=birth,
        date_of_birth_estimated=estimated,
        nationality=raw["nationality"],
        languages=_split(raw["languages"]),
        phones=_split(raw["phones"]),
        unhcr_individual_number=raw["unhcr_individual_number"],
        vulnerabilities=_split(raw["vulnerabilities"]),
        special_needs=raw["special_needs"],
        consent_date=consent,
        consent_scope=raw["consent_scope"],
    )
    try:
        people.clean(data, today)
    except ActionError as exc:
        return None, [RowError(n, exc.field or "", exc.message)]
    case = {c: raw[c].strip() for c in CASE_COLUMNS}
    case["priority"] = case["priority"] or Priority.NORMAL
    try:
        case["destination_country"] = check_country(case["destination_country"])
    except ActionError as exc:
        return None, [RowError(n, "destination_country", exc.message)]
    blank = frozenset(c for c in COLUMN_NAMES if not raw[c] or raw[c].isspace())
    row = ImportRow(n, raw["unhcr_case_number"].strip(), raw["relationship"], data, case, blank)
    return row, []


def parse_file(table: list[dict[str, str]], today: dt.date) -> ParsedFile:
    """Check every row, then the rows against each other (people twice, cases that disagree)."""
    result = ParsedFile()
    seen: dict[str, int] = {}
    seen_names: dict[tuple[str, str, str], int] = {}
    cases: dict[str, ImportRow] = {}
    principals: dict[str, int] = {}
    for index, raw in enumerate(table, start=2):
        if not raw:
            continue
        row, errors = parse_row(raw, index, today)
        result.errors.extend(errors)
        if row is None:
            continue
        number = row.person.unhcr_individual_number or ""
        if number in seen:
            result.errors.append(
                RowError(
                    index,
                    "unhcr_individual_number",
                    _("this person is also on row %(row)s") % {"row": seen[number]},
                )
            )
        seen.setdefault(number, index)
        name = (
            row.person.latin_given_names.lower(),
            row.person.latin_surname.lower(),
            str(row.person.date_of_birth),
        )
        # Another number with the same name and exact birth date may be the same
        # person twice, or a namesake: a warning to check, not a refusal.
        exact = row.person.date_of_birth and not row.person.date_of_birth_estimated
        if exact and name in seen_names:
            result.warnings.append(
                {
                    "row": index,
                    "column": "given_names",
                    "message": _("the same name and birth date are also on row %(row)s")
                    % {"row": seen_names[name]},
                }
            )
        seen_names.setdefault(name, index)
        first = cases.setdefault(row.case_number, row)
        for column in CASE_COLUMNS:
            if row.case[column] != first.case[column]:
                result.errors.append(
                    RowError(
                        index,
                        column,
                        _("differs from row %(row)s of the same case") % {"row": first.row},
                    )
                )
        if row.relationship == Relationship.PRINCIPAL:
            if row.case_number in principals:
                result.errors.append(
                    RowError(
                        index,
                        "relationship",
                        _("the case already has a principal applicant on row %(row)s")
                        % {"row": principals[row.case_number]},
                    )
                )
            principals.setdefault(row.case_number, index)
        result.rows.append(row)
    result.principals = principals
    if not table or not any(table):
        result.errors.append(RowError(2, "", _("the file has no data rows")))
    return result


TEMPLATE_EXAMPLE = {
    "unhcr_case_number": "KGZ-26C00001",
    "relationship": "principal",
    "unhcr_individual_number": "KGZ-26I00001",
    "given_names": "Мухаммадали",
    "surname": "Жумабеков",
    "patronymic": "Абдуллаевич",
    "latin_given_names": "Mukhammadali",
    "latin_surname": "Zhumabekov",
    "sex": "M",
    "date_of_birth": "1984-03-12",
    "date_of_birth_estimated": "no",
    "nationality": "AF",
    "languages": "prs;ru",
    "phones": "+996 555 123 456",
    "vulnerabilities": "",
    "special_needs": "",
    "consent_date": "2026-01-15",
    "consent_scope": "resettlement processing",
    "programme": "usrap_p2",
    "destination_country": "US",
    "priority": "normal",
}


def template_csv() -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMN_NAMES)
    writer.writerow([TEMPLATE_EXAMPLE[c] for c in COLUMN_NAMES])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def template_xlsx() -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "people"
    sheet.append(COLUMN_NAMES)
    sheet.append([TEMPLATE_EXAMPLE[c] for c in COLUMN_NAMES])
    notes = book.create_sheet("columns")
    notes.append(["column", "required", "meaning"])
    for name, required, meaning in COLUMNS:
        notes.append([name, "yes" if required else "no", str(meaning)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
