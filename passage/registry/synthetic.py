"""Synthetic families from the name lists in ``data/``: demo data and benchmarks.

Deterministic for a given ``random.Random``. Families have realistic sizes and
ages; names are in their own script with the Latin spelling of travel
documents; :func:`spelling_variant` makes the other spellings people search with.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from passage.registry.choices import Programme, Relationship
from passage.registry.names import DATA
from passage.registry.people import PersonData

# Who the mission serves, and how often (weights).
POPULATIONS = {"afghan": 40, "uyghur": 12, "uzbek": 14, "tajik": 12, "russian": 12, "kyrgyz": 10}
PROGRAMMES_OF = {
    "afghan": {
        "usrap_p1": 3,
        "usrap_p2": 3,
        "ca_gar": 3,
        "ca_psr": 2,
        "au_humanitarian": 2,
        "eu_quota": 3,
    },
    "uyghur": {"usrap_p1": 2, "ca_gar": 2, "eu_quota": 2},
    "uzbek": {"usrap_p2": 2, "eu_quota": 1, "family_reunification": 2},
    "tajik": {"usrap_p3": 1, "ca_bvor": 1, "eu_quota": 1, "family_reunification": 2},
    "russian": {"family_reunification": 3, "self_paying": 2, "ca_psr": 1},
    "kyrgyz": {"self_paying": 3, "family_reunification": 2},
}
DESTINATIONS_OF = {
    "usrap_p1": ["US"],
    "usrap_p2": ["US"],
    "usrap_p3": ["US"],
    "ca_gar": ["CA"],
    "ca_psr": ["CA"],
    "ca_bvor": ["CA"],
    "au_humanitarian": ["AU"],
    "eu_quota": ["SE", "SE", "NO", "FI", "NL", "DE"],
    "family_reunification": ["DE", "US", "CA", "SE"],
    "self_paying": ["US", "CA"],
}
FAMILY_SIZES = {1: 20, 2: 14, 3: 16, 4: 20, 5: 14, 6: 9, 7: 4, 8: 3}
VARIANT_RULES = [
    ("kh", "h"),
    ("h", "kh"),
    ("zh", "j"),
    ("j", "zh"),
    ("j", "dzh"),
    ("yu", "iu"),
    ("iu", "yu"),
    ("ya", "ia"),
    ("ia", "ya"),
    ("ii", "iy"),
    ("ei", "ey"),
    ("mm", "m"),
    ("dd", "d"),
    ("ss", "s"),
    ("o", "u"),
    ("u", "o"),
    ("e", "i"),
    ("ou", "u"),
    ("q", "k"),
    ("w", "v"),
    ("ph", "f"),
    ("ov", "ev"),
    ("ai", "ay"),
]


@functools.cache
def population(key: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((DATA / f"{key}.json").read_text(encoding="utf-8"))
    return data


def weighted(rng: random.Random, table: dict[Any, int]) -> Any:
    keys = list(table)
    return rng.choices(keys, weights=[table[k] for k in keys])[0]


def spelling_variant(latin: str, rng: random.Random) -> str:
    """Another plausible Latin spelling of ``latin`` (one or two rules applied)."""
    text = latin
    applicable = [(a, b) for a, b in VARIANT_RULES if a in text.lower()]
    rng.shuffle(applicable)
    for a, b in applicable[: rng.choice([1, 1, 2])]:
        text = re.sub(a, b, text, count=1, flags=re.IGNORECASE)
    return text[:1].upper() + text[1:]


def female_surname(native: str, latin: str) -> tuple[str, str]:
    if re.search(r"(ов|ев|ин)$", native):
        return native + "а", latin + "a"
    return native, latin


def patronymic(father: str, female: bool) -> str:
    stem = father[:-1] if father.endswith(("й", "ь")) else father
    if father.endswith(("а", "я")):
        stem = father[:-1]
    return stem + ("овна" if female else "ович")


@dataclass
class Member:
    relationship: str
    data: PersonData


@dataclass
class Family:
    population: str
    programme: str
    destination: str
    members: list[Member] = field(default_factory=list)

    @property
    def principal(self) -> Member:
        return self.members[0]


def _birth(rng: random.Random, today: dt.date, age_from: int, age_to: int) -> tuple[dt.date, bool]:
    age_days = rng.randint(age_from * 365, age_to * 365 + 364)
    date = today - dt.timedelta(days=age_days)
    if rng.random() < 0.2:  # often only the year is known
        return dt.date(date.year, 7, 1), True
    return date, False


def _person(
    rng: random.Random,
    pop: dict[str, Any],
    sex: str,
    surname: tuple[str, str],
    father: str,
    birth: tuple[dt.date, bool],
    today: dt.date,
) -> PersonData:
    given = rng.choice(pop["given_female" if sex == "F" else "given_male"])
    native_surname, latin_surname = surname
    if sex == "F" and pop["script"] == "cyrillic":
        native_surname, latin_surname = female_surname(native_surname, latin_surname)
    return PersonData(
        given_names=given[0],
        latin_given_names=given[1],
        surname=native_surname,
        latin_surname=latin_surname,
        sex=sex,
        date_of_birth=birth[0],
        date_of_birth_estimated=birth[1],
        patronymic=patronymic(father, sex == "F") if pop["patronymic"] and father else "",
        nationality=pop["nationality"],
        languages=list(pop["languages"]),
        consent_date=today - dt.timedelta(days=rng.randint(20, 400)),
        consent_scope="Voluntary movement declaration and authorisation for collection of "
        "personal data",
    )


def family(rng: random.Random, today: dt.date, key: str | None = None) -> Family:
    key = key or weighted(rng, POPULATIONS)
    pop = population(key)
    programme = weighted(rng, PROGRAMMES_OF[key])
    fam = Family(key, programme, rng.choice(DESTINATIONS_OF[programme]))
    size = weighted(rng, FAMILY_SIZES)
    surname = tuple(rng.choice(pop["surnames"]))
    grandfather = rng.choice(pop["given_male"])[0]
    pa_sex = "M" if rng.random() < 0.75 or (size == 1 and rng.random() < 0.5) else "F"
    pa_age = rng.randint(22, 58) if size > 1 else rng.randint(19, 70)
    pa = _person(rng, pop, pa_sex, surname, grandfather, _birth(rng, today, pa_age, pa_age), today)
    fam.members.append(Member(Relationship.PRINCIPAL, pa))
    father = pa.given_names if pa_sex == "M" else rng.choice(pop["given_male"])[0]
    remaining = size - 1
    if remaining and rng.random() < 0.85:
        spouse_age = max(18, pa_age + rng.randint(-8, 3))
        other_surname = (
            tuple(rng.choice(pop["surnames"])) if key in {"afghan", "uyghur"} else surname
        )
        spouse_sex = "F" if pa_sex == "M" else "M"
        fam.members.append(
            Member(
                Relationship.SPOUSE,
                _person(
                    rng,
                    pop,
                    spouse_sex,
                    other_surname,
                    rng.choice(pop["given_male"])[0],
                    _birth(rng, today, spouse_age, spouse_age),
                    today,
                ),
            )
        )
        remaining -= 1
    if remaining and pa_age > 45 and rng.random() < 0.3:
        fam.members.append(
            Member(
                Relationship.PARENT,
                _person(
                    rng,
                    pop,
                    "F",
                    surname,
                    rng.choice(pop["given_male"])[0],
                    _birth(rng, today, pa_age + 20, pa_age + 30),
                    today,
                ),
            )
        )
        remaining -= 1
    oldest = max(0, min(pa_age - 19, 25))
    for _ in range(remaining):
        sex = rng.choice("MF")
        age = rng.randint(0, oldest)
        fam.members.append(
            Member(
                Relationship.CHILD,
                _person(rng, pop, sex, surname, father, _birth(rng, today, age, age), today),
            )
        )
    return fam


def families(seed: int, count: int, today: dt.date) -> Iterator[Family]:
    rng = random.Random(seed)  # noqa: S311 (demo data, not secrets)
    for _ in range(count):
        yield family(rng, today)


__all__ = ["Family", "Member", "Programme", "families", "spelling_variant"]


def import_rows(
    seed: int, people_count: int, today: dt.date, prefix: str = "S"
) -> list[dict[str, str]]:
    """Rows of an import file with about ``people_count`` people in whole families."""
    from passage.registry.importing import COLUMN_NAMES

    rng = random.Random(seed)  # noqa: S311 (demo data, not secrets)
    rows: list[dict[str, str]] = []
    case_no = 0
    while len(rows) < people_count:
        case_no += 1
        fam = family(rng, today)
        case_number = f"{prefix}{seed}-C{case_no:07d}"
        for j, member in enumerate(fam.members, start=1):
            d = member.data
            row = dict.fromkeys(COLUMN_NAMES, "")
            row.update(
                {
                    "unhcr_case_number": case_number,
                    "relationship": member.relationship,
                    "unhcr_individual_number": f"{case_number}-{j:02d}",
                    "given_names": d.given_names,
                    "surname": d.surname,
                    "patronymic": d.patronymic,
                    "latin_given_names": d.latin_given_names,
                    "latin_surname": d.latin_surname,
                    "sex": d.sex,
                    "date_of_birth": str(d.date_of_birth.year)
                    if d.date_of_birth_estimated and d.date_of_birth
                    else (d.date_of_birth.isoformat() if d.date_of_birth else ""),
                    "nationality": d.nationality,
                    "languages": ";".join(d.languages),
                    "consent_date": d.consent_date.isoformat() if d.consent_date else "",
                    "consent_scope": d.consent_scope,
                    "programme": fam.programme,
                    "destination_country": fam.destination,
                    "priority": "normal",
                }
            )
            rows.append(row)
    return rows


def to_csv(rows: list[dict[str, str]]) -> bytes:
    import csv
    import io

    from passage.registry.importing import COLUMN_NAMES

    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMN_NAMES)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")
