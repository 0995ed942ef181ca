"""An ICAO Doc 9303 machine-readable zone checker: TD1, TD2, TD3 and the MRV visas.

:func:`parse_mrz` splits the zone into its fields, checks every check digit and
every field's form, and returns what it read together with each problem, named
by field. Nothing is accepted silently: a wrong check digit, a bad date, an
unknown country code or a malformed line is a :class:`Problem`.

Layouts (Doc 9303 parts 4–7; positions are 0-based slices):

* TD3 (passports), 2 × 44: line 1 code, issuing state, name; line 2 number+check,
  nationality, birth+check, sex, expiry+check, personal number+check, composite.
* TD2, 2 × 36: as TD3 with a 7-character optional field and no personal-number check.
* TD1 (ID cards), 3 × 30: line 1 code, state, number+check, optional data;
  line 2 birth+check, sex, expiry+check, nationality, optional data, composite;
  line 3 the name.
* MRV-A (2 × 44) and MRV-B (2 × 36) visas start with ``V`` and have no composite check.

Check digits: weights 7, 3, 1 repeating, modulo 10; ``<`` counts 0, ``0``–``9``
their value, ``A``–``Z`` 10–35.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

import pycountry
from django.utils import timezone
from django.utils.translation import gettext as _

FILLER = "<"
_ALLOWED = re.compile(r"^[A-Z0-9<]*$")
_WEIGHTS = (7, 3, 1)

# ICAO codes beyond ISO 3166 alpha-3 (Doc 9303 part 3, section 5), with the code the
# registry keeps for nationality (ISO alpha-2, or the ICAO code itself).
ICAO_SPECIAL_CODES: dict[str, str] = {
    "D": "DE",  # Germany writes D<<
    "GBD": "GB",  # British Overseas Territories citizen
    "GBN": "GB",  # British National (Overseas)
    "GBO": "GB",  # British Overseas citizen
    "GBP": "GB",  # British protected person
    "GBS": "GB",  # British subject
    "RKS": "XK",  # Kosovo (UNMIK documents)
    "XXA": "XXA",  # stateless person
    "XXB": "XXB",  # refugee under the 1951 Convention
    "XXC": "XXC",  # other refugee
    "XXX": "",  # unspecified nationality
    "UNO": "",  # United Nations official
    "UNA": "",  # United Nations specialised agency
    "UNK": "",  # UN interim administration in Kosovo
    "XOM": "",  # Sovereign Military Order of Malta
    "XPO": "",  # Interpol
    "XCC": "",  # Caribbean Community
    "XES": "",  # Organisation of Eastern Caribbean States
    "XIM": "",  # African Export-Import Bank
    "XDC": "",  # Southern African Development Community
    "XBA": "",  # African Development Bank
    "EUE": "",  # European Union
    "UTO": "",  # Utopia: ICAO's specimen state
}


def char_value(char: str) -> int:
    if char == FILLER:
        return 0
    if char.isdigit():
        return int(char)
    if "A" <= char <= "Z":
        return ord(char) - ord("A") + 10
    raise ValueError(f"not an MRZ character: {char!r}")


def check_digit(data: str) -> int:
    """The ICAO 9303 check digit of ``data`` (weights 7-3-1, modulo 10)."""
    return sum(char_value(c) * _WEIGHTS[i % 3] for i, c in enumerate(data)) % 10


def country_code(icao: str) -> str | None:
    """The registry's code (ISO alpha-2, or XXA/XXB/XXC) for an ICAO code; None if unknown.

    An empty string means a code ICAO knows that names no country (UTO, UNO, XXX).
    """
    code = icao.strip(FILLER).upper()
    if code in ICAO_SPECIAL_CODES:
        return ICAO_SPECIAL_CODES[code]
    country = pycountry.countries.get(alpha_3=code) if len(code) == 3 else None
    return country.alpha_2 if country is not None else None


def is_known_code(code: str) -> bool:
    """Whether ``code`` is an ISO 3166 alpha-2 or alpha-3 code or an ICAO special code."""
    code = code.strip().upper()
    if code in ICAO_SPECIAL_CODES:
        return True
    if len(code) == 2:
        return pycountry.countries.get(alpha_2=code) is not None
    return len(code) == 3 and pycountry.countries.get(alpha_3=code) is not None


@dataclass(frozen=True)
class Problem:
    field: str
    message: str


@dataclass
class MrzResult:
    """What the zone says, and every problem found in it."""

    format: str = ""
    document_code: str = ""
    issuing_state: str = ""
    document_number: str = ""
    surname: str = ""
    given_names: str = ""
    nationality: str = ""
    birth_date: date | None = None
    sex: str = ""
    expiry_date: date | None = None
    optional_data: str = ""
    optional_data_2: str = ""
    lines: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.problems

    def problem(self, field_name: str, message: str) -> None:
        self.problems.append(Problem(field_name, message))

    def problems_for(self, field_name: str) -> list[str]:
        return [p.message for p in self.problems if p.field == field_name]

    @property
    def is_visa(self) -> bool:
        return self.document_code.startswith("V")


LAYOUTS = {(2, 44): "TD3", (2, 36): "TD2", (3, 30): "TD1"}


def normalise(text: str) -> list[str]:
    """The zone's lines: blank lines and surrounding spaces dropped, letters upper-cased."""
    return [line.strip().upper() for line in text.replace("\r", "\n").split("\n") if line.strip()]


def parse_mrz(text: str, *, today: date | None = None) -> MrzResult:
    """Read a pasted or typed zone. Check ``result.valid`` and ``result.problems``."""
    today = today or timezone.localdate()
    lines = normalise(text)
    result = MrzResult(lines=lines)
    for number, line in enumerate(lines, start=1):
        if not _ALLOWED.match(line):
            bad = "".join(sorted({c for c in line if not _ALLOWED.match(c)}))
            result.problem(
                f"line{number}",
                _("Line %(n)s has characters an MRZ cannot hold: %(chars)s")
                % {"n": number, "chars": bad},
            )
    layout = LAYOUTS.get((len(lines), len(lines[0]) if lines else 0))
    if layout is None or any(len(line) != len(lines[0]) for line in lines):
        shape = ", ".join(str(len(line)) for line in lines) or "0"
        result.problem(
            "format",
            _(
                "Not a machine-readable zone: expected 3 lines of 30 (TD1), 2 of 36 (TD2) "
                "or 2 of 44 (TD3) characters; got %(count)s line(s) of %(shape)s."
            )
            % {"count": len(lines), "shape": shape},
        )
        return result
    if result.problems:
        return result
    result.format = layout
    {"TD1": _parse_td1, "TD2": _parse_td2, "TD3": _parse_td3}[layout](result, lines, today)
    return result


def _checked(result: MrzResult, field_name: str, data: str, digit: str) -> None:
    """Compare a check digit, reporting a mismatch against ``field_name``."""
    expected = check_digit(data)
    if digit == FILLER and set(data) <= {FILLER}:
        return  # an empty optional field may carry a filler for its check digit
    if not digit.isdigit() or int(digit) != expected:
        result.problem(
            field_name,
            _("Check digit of %(field)s is “%(found)s”, but “%(data)s” gives %(expected)s.")
            % {"field": field_name, "found": digit, "data": data, "expected": expected},
        )


def _header(result: MrzResult, code: str, state: str) -> None:
    result.document_code = code.replace(FILLER, "")
    if not result.document_code or result.document_code[0] not in "PIACV":
        result.problem(
            "document_code",
            _("Document code “%(code)s” is not P, I, A, C or V.") % {"code": code},
        )
    result.issuing_state = state.replace(FILLER, "")
    if country_code(state) is None:
        result.problem(
            "issuing_state", _("Unknown issuing state code “%(code)s”.") % {"code": state}
        )


def _name(result: MrzResult, text: str) -> None:
    surname, _sep, given = text.partition("<<")
    result.surname = surname.replace(FILLER, " ").strip()
    result.given_names = given.replace(FILLER, " ").strip()
    if not result.surname:
        result.problem("name", _("The name field has no primary identifier (surname)."))
    if re.search(r"\d", text):
        result.problem("name", _("The name field contains digits."))


def _date(result: MrzResult, field_name: str, text: str, today: date, *, past: bool) -> date | None:
    """A YYMMDD date: a birth date lies in the past, an expiry at most 50 years ahead."""
    value: date | None = None
    if text.isdigit():
        yy, mm, dd = int(text[:2]), int(text[2:4]), int(text[4:])
        for year in (2000 + yy, 1900 + yy):
            try:
                candidate = date(year, mm, dd)
            except ValueError:
                continue
            too_late = candidate > today if past else year > today.year + 50
            if not too_late:
                value = candidate
                break
    if value is None:
        result.problem(field_name, _("“%(text)s” is not a date (YYMMDD).") % {"text": text})
    return value


def _person_fields(
    result: MrzResult, *, birth: str, sex: str, expiry: str, nationality: str, today: date
) -> None:
    result.birth_date = _date(result, "birth_date", birth[:6], today, past=True)
    _checked(result, "birth_date", birth[:6], birth[6])
    result.sex = "" if sex == FILLER else sex
    if sex not in "MFX<" or len(sex) != 1:
        result.problem("sex", _("Sex “%(sex)s” is not M, F, X or <.") % {"sex": sex})
    result.expiry_date = _date(result, "expiry_date", expiry[:6], today, past=False)
    _checked(result, "expiry_date", expiry[:6], expiry[6])
    result.nationality = nationality.replace(FILLER, "")
    if country_code(nationality) is None:
        result.problem(
            "nationality", _("Unknown nationality code “%(code)s”.") % {"code": nationality}
        )


def _number(result: MrzResult, number: str, digit: str, overflow: str) -> None:
    """The document number; over 9 characters it continues in the optional data."""
    if digit == FILLER and overflow.strip(FILLER):
        extra = overflow.split(FILLER, 1)[0]
        full, digit = number + extra[:-1], extra[-1:]
        result.document_number = full.replace(FILLER, "")
        _checked(result, "document_number", full, digit)
        return
    result.document_number = number.replace(FILLER, "")
    _checked(result, "document_number", number, digit)
    if not result.document_number:
        result.problem("document_number", _("The document number is empty."))


def _parse_td3(result: MrzResult, lines: list[str], today: date) -> None:
    one, two = lines
    _header(result, one[0:2], one[2:5])
    _name(result, one[5:44])
    result.document_number = two[0:9].replace(FILLER, "")
    _checked(result, "document_number", two[0:9], two[9])
    _person_fields(
        result,
        birth=two[13:20],
        sex=two[20],
        expiry=two[21:28],
        nationality=two[10:13],
        today=today,
    )
    if result.is_visa:  # MRV-A: optional data to the end, no composite
        result.optional_data = two[28:44].strip(FILLER)
        return
    result.optional_data = two[28:42].strip(FILLER)
    _checked(result, "personal_number", two[28:42], two[42])
    _checked(result, "composite", two[0:10] + two[13:20] + two[21:43], two[43])


def _parse_td2(result: MrzResult, lines: list[str], today: date) -> None:
    one, two = lines
    _header(result, one[0:2], one[2:5])
    _name(result, one[5:36])
    _person_fields(
        result,
        birth=two[13:20],
        sex=two[20],
        expiry=two[21:28],
        nationality=two[10:13],
        today=today,
    )
    if result.is_visa:  # MRV-B
        result.document_number = two[0:9].replace(FILLER, "")
        _checked(result, "document_number", two[0:9], two[9])
        result.optional_data = two[28:36].strip(FILLER)
        return
    _number(result, two[0:9], two[9], two[28:35])
    result.optional_data = two[28:35].strip(FILLER)
    _checked(result, "composite", two[0:10] + two[13:20] + two[21:35], two[35])


def _parse_td1(result: MrzResult, lines: list[str], today: date) -> None:
    one, two, three = lines
    _header(result, one[0:2], one[2:5])
    _number(result, one[5:14], one[14], one[15:30])
    result.optional_data = one[15:30].strip(FILLER)
    _person_fields(
        result, birth=two[0:7], sex=two[7], expiry=two[8:15], nationality=two[15:18], today=today
    )
    result.optional_data_2 = two[18:29].strip(FILLER)
    _checked(result, "composite", one[5:30] + two[0:7] + two[8:15] + two[18:29], two[29])
    _name(result, three)


# ---- comparison with the person's record ------------------------------------------------


def fold_name(text: str) -> str:
    """A name as the MRZ writes it: Latin capitals, every other character a single space."""
    from anyascii import anyascii

    return " ".join(re.sub(r"[^A-Z]+", " ", anyascii(text or "").upper()).split())


@dataclass(frozen=True)
class Mismatch:
    field: str
    mrz: str
    record: str
    message: str


def _name_matches(mrz_value: str, record_value: str) -> bool:
    mrz_folded, record_folded = fold_name(mrz_value), fold_name(record_value)
    if mrz_folded == record_folded:
        return True
    # A name too long for the zone is truncated: the zone's text is then a prefix.
    return bool(mrz_folded) and record_folded.startswith(mrz_folded) and len(mrz_folded) >= 20


def compare_with_record(
    result: MrzResult,
    *,
    surname: str,
    given_names: str,
    birth_date: date | None,
    birth_date_estimated: bool,
    sex: str,
    nationality: str,
) -> list[Mismatch]:
    """Each field where the zone and the person's record disagree."""
    found: list[Mismatch] = []

    def add(name: str, mrz_value: str, record_value: str, message: str) -> None:
        found.append(Mismatch(name, mrz_value, record_value, message))

    if not _name_matches(result.surname, surname):
        add("surname", result.surname, surname, _("The surname is spelt differently."))
    if not _name_matches(result.given_names, given_names):
        add("given_names", result.given_names, given_names, _("The given names differ."))
    if result.birth_date and birth_date and result.birth_date != birth_date:
        shown = result.birth_date.isoformat()
        if birth_date_estimated and result.birth_date.year == birth_date.year:
            add(
                "date_of_birth",
                shown,
                birth_date.isoformat(),
                _("The record's date of birth is estimated; the document gives the exact day."),
            )
        else:
            add("date_of_birth", shown, birth_date.isoformat(), _("The date of birth differs."))
    if result.sex and sex and result.sex != sex:
        add("sex", result.sex, sex, _("The sex differs."))
    mrz_nationality = country_code(result.nationality) or ""
    if mrz_nationality and nationality and mrz_nationality != nationality.upper():
        add("nationality", result.nationality, nationality, _("The nationality differs."))
    return found
