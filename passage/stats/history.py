"""The mission's departures of 2005–2010, generated as records (deterministic, seeded).

The published figures of the mission for 1 January 2005 – 31 December 2010 are
the totals the generator must reach exactly (``domain.md``, "Scale"):

* 486 refugees to the USA under USRAP;
* 643 refugees and migrants to twelve European countries (EU quota and family
  reunification), each country with at least one;
* 226 to Canada (GAR, PSR and family reunification) and 62 to Australia;
* 485 migrants to Canada and the USA on tickets under the airline agreements
  (programme ``self_paying``, stream assisted migration).

Each (destination, programme) total is spread over the six years with seeded
year weights, then cut into families of 1–9 people with a realistic age and sex
structure. :func:`generate` returns plain data; the one write is
:func:`passage.stats.actions.load_history`.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from dataclasses import dataclass, field

from passage.profiles.choices import Programme
from passage.registry import synthetic
from passage.registry.choices import CASE_TRANSITIONS, CaseStatus, Relationship

SEED = 20052010
YEARS = tuple(range(2005, 2011))
CONSENT_SCOPE = "Voluntary movement declaration and authorisation for collection of personal data"

P = Programme
# (destination, programme, persons departed 2005–2010)
TARGETS: tuple[tuple[str, str, int], ...] = (
    ("US", P.USRAP_P1, 380),
    ("US", P.USRAP_P2, 30),
    ("US", P.USRAP_P3, 76),
    ("SE", P.EU_QUOTA, 118), ("SE", P.FAMILY_REUNIFICATION, 32),
    ("NL", P.EU_QUOTA, 76), ("NL", P.FAMILY_REUNIFICATION, 19),
    ("DK", P.EU_QUOTA, 45), ("DK", P.FAMILY_REUNIFICATION, 15),
    ("FR", P.EU_QUOTA, 12), ("FR", P.FAMILY_REUNIFICATION, 33),
    ("GB", P.EU_QUOTA, 18), ("GB", P.FAMILY_REUNIFICATION, 22),
    ("CH", P.EU_QUOTA, 10), ("CH", P.FAMILY_REUNIFICATION, 25),
    ("FI", P.EU_QUOTA, 58), ("FI", P.FAMILY_REUNIFICATION, 12),
    ("IE", P.EU_QUOTA, 21), ("IE", P.FAMILY_REUNIFICATION, 4),
    ("BE", P.EU_QUOTA, 6), ("BE", P.FAMILY_REUNIFICATION, 14),
    ("NO", P.EU_QUOTA, 74), ("NO", P.FAMILY_REUNIFICATION, 16),
    ("CZ", P.EU_QUOTA, 8),
    ("RO", P.EU_QUOTA, 5),
    ("CA", P.CA_GAR, 121), ("CA", P.CA_PSR, 69), ("CA", P.FAMILY_REUNIFICATION, 36),
    ("AU", P.AU_HUMANITARIAN, 62),
    ("CA", P.SELF_PAYING, 268),
    ("US", P.SELF_PAYING, 217),
)  # fmt: skip

EUROPE = ("SE", "NL", "DK", "FR", "GB", "CH", "FI", "IE", "BE", "NO", "CZ", "RO")

# Family size weights (1..9): refugee families are larger than ticket migrants' or reunions.
FAMILY_WEIGHTS = {
    "refugee": (18, 14, 16, 17, 14, 10, 6, 3, 2),
    "reunification": (40, 30, 18, 8, 4, 0, 0, 0, 0),
    "migrant": (55, 22, 12, 7, 3, 1, 0, 0, 0),
}

_REFUGEE_PATH = (
    CaseStatus.REFERRED, CaseStatus.OPENED, CaseStatus.INTERVIEW_SCHEDULED,
    CaseStatus.INTERVIEWED, CaseStatus.APPROVED, CaseStatus.MEDICAL_SCHEDULED,
    CaseStatus.MEDICAL_EXAMINED, CaseStatus.MEDICAL_CLEARED, CaseStatus.CO_SCHEDULED,
    CaseStatus.CO_ATTENDED, CaseStatus.DOCUMENTS_IN_PROCESS, CaseStatus.TRAVEL_READY,
    CaseStatus.BOOKING_REQUESTED, CaseStatus.BOOKED, CaseStatus.FIT_TO_TRAVEL,
    CaseStatus.DEPARTED, CaseStatus.ARRIVED, CaseStatus.CLOSED,
)  # fmt: skip
_MIGRANT_PATH = (
    CaseStatus.OPENED, CaseStatus.DOCUMENTS_IN_PROCESS, CaseStatus.TRAVEL_READY,
    CaseStatus.BOOKING_REQUESTED, CaseStatus.BOOKED, CaseStatus.FIT_TO_TRAVEL,
    CaseStatus.DEPARTED, CaseStatus.ARRIVED, CaseStatus.CLOSED,
)  # fmt: skip


def path_is_valid(path: tuple[str, ...]) -> bool:
    """Every step of a path is a move the registry's transition table allows."""
    return all(b in CASE_TRANSITIONS[a] for a, b in itertools.pairwise(path))


@dataclass
class GenPerson:
    given: str
    surname: str
    patronymic: str
    latin_given: str
    latin_surname: str
    sex: str
    born: dt.date
    born_estimated: bool
    nationality: str
    languages: list[str]
    relationship: str


@dataclass
class GenCase:
    number: str
    destination: str
    programme: str
    opened: dt.datetime
    departed: dt.datetime
    statuses: list[tuple[str, dt.datetime]]
    members: list[GenPerson] = field(default_factory=list)

    @property
    def status(self) -> str:
        return self.statuses[-1][0]


def kind_of(programme: str) -> str:
    if programme == P.SELF_PAYING:
        return "migrant"
    if programme == P.FAMILY_REUNIFICATION:
        return "reunification"
    return "refugee"


def split_over_years(total: int, rng: random.Random) -> dict[int, int]:
    """``total`` spread over :data:`YEARS` with seeded weights (largest remainder)."""
    weights = [rng.uniform(0.5, 1.6) for _ in YEARS]
    scale = total / sum(weights)
    raw = [w * scale for w in weights]
    counts = [int(r) for r in raw]
    order = sorted(range(len(YEARS)), key=lambda i: raw[i] - counts[i], reverse=True)
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return dict(zip(YEARS, counts, strict=True))


def family_sizes(total: int, kind: str, rng: random.Random) -> list[int]:
    """Family sizes of 1–9 that add up to ``total`` exactly."""
    sizes: list[int] = []
    left = total
    while left > 0:
        size = rng.choices(range(1, 10), weights=FAMILY_WEIGHTS[kind])[0]
        sizes.append(min(size, left))
        left -= sizes[-1]
    return sizes


def _nationality(kind: str, destination: str, rng: random.Random) -> str:
    if kind == "migrant":
        return "KG"
    if kind == "reunification":
        return rng.choices(["KG", "AF", "UZ"], weights=[5, 3, 2])[0]
    return rng.choices(["AF", "UZ", "TJ", "RU", "CN"], weights=[55, 25, 8, 7, 5])[0]


# The registry's name lists (passage/registry/data/<population>.json), by nationality.
POPULATION = {"AF": "afghan", "UZ": "uzbek", "TJ": "tajik", "RU": "russian", "CN": "uyghur",
              "KG": "kyrgyz"}  # fmt: skip


class Namer:
    """Names from the registry's lists: (native, Latin) pairs, surnames by sex, patronymics."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def family(self, nationality: str) -> tuple[str, str, str, str]:
        """(surname male, surname female, Latin male, Latin female) of a family."""
        native, latin = self.rng.choice(synthetic.population(POPULATION[nationality])["surnames"])
        native_f, latin_f = synthetic.female_surname(native, latin)
        return native, native_f, latin, latin_f

    def given(self, nationality: str, sex: str) -> tuple[str, str]:
        key = "given_male" if sex == "M" else "given_female"
        native, latin = self.rng.choice(synthetic.population(POPULATION[nationality])[key])
        return str(native), str(latin)

    @staticmethod
    def languages(nationality: str) -> list[str]:
        return list(synthetic.population(POPULATION[nationality])["languages"])

    @staticmethod
    def patronymic(father: str, sex: str, nationality: str, relationship: str) -> str:
        """The children's patronymic, where the population uses them."""
        uses = synthetic.population(POPULATION[nationality])["patronymic"]
        if not uses or not father or relationship != Relationship.CHILD:
            return ""
        return synthetic.patronymic(father, sex == "F")


def _birth(departure: dt.date, age: int, rng: random.Random) -> tuple[dt.date, bool]:
    born = departure - dt.timedelta(days=age * 365 + rng.randrange(1, 360))
    if rng.random() < 0.3:  # only the year is known
        return dt.date(born.year, 1, 1), True
    return born, False


def _ages(size: int, kind: str, rng: random.Random) -> list[tuple[str, str, int]]:
    """(relationship, sex, age) of each member; the principal applicant first."""
    if size == 1:
        age = rng.randint(19, 45) if kind != "reunification" else rng.randint(3, 70)
        return [(str(Relationship.PRINCIPAL), rng.choice("MMMF"), age)]
    pa_sex = "M" if rng.random() < 0.8 else "F"
    pa_age = rng.randint(24, 52)
    members: list[tuple[str, str, int]] = [(str(Relationship.PRINCIPAL), pa_sex, pa_age)]
    if rng.random() < 0.85:
        spouse_age = max(18, pa_age + rng.randint(-8, 3))
        members.append((str(Relationship.SPOUSE), "F" if pa_sex == "M" else "M", spouse_age))
    if size >= 6 and rng.random() < 0.5:
        members.append((str(Relationship.PARENT), rng.choice("MF"), rng.randint(60, 78)))
    children = size - len(members)
    # The youngest is 0–11; older siblings follow every 1–3 years, born to parents over 18.
    age = rng.randint(0, 11)
    ages = []
    for _ in range(children):
        ages.append(min(age, pa_age - 19))
        age += rng.randint(1, 3)
    members += [(str(Relationship.CHILD), rng.choice("MF"), max(0, a)) for a in reversed(ages)]
    return members[:size]


def _statuses(programme: str, opened: dt.datetime, departed: dt.datetime,
              rng: random.Random) -> list[tuple[str, dt.datetime]]:  # fmt: skip
    path = (
        _MIGRANT_PATH
        if kind_of(programme) == "migrant" or programme == P.FAMILY_REUNIFICATION
        else _REFUGEE_PATH
    )
    before = path[: path.index(CaseStatus.DEPARTED)]
    span = (departed - opened).total_seconds()
    times = sorted(opened + dt.timedelta(seconds=rng.uniform(0, span)) for _ in before[1:])
    out = [(str(before[0]), opened)]
    out += [(str(s), t) for s, t in zip(before[1:], times, strict=True)]
    arrived = departed + dt.timedelta(hours=rng.randint(10, 30))
    out += [(str(CaseStatus.DEPARTED), departed), (str(CaseStatus.ARRIVED), arrived)]
    out.append((str(CaseStatus.CLOSED), arrived + dt.timedelta(days=rng.randint(20, 90))))
    return out


def generate(seed: int = SEED) -> list[GenCase]:
    """Every historic case, with its members and status history, in departure order."""
    rng = random.Random(seed)  # noqa: S311 (demo data, not secrets)
    namer = Namer(rng)
    cases: list[GenCase] = []
    tz = dt.timezone(dt.timedelta(hours=6))  # Bishkek; times are stored in UTC
    for destination, programme, total in TARGETS:
        kind = kind_of(programme)
        for year, persons in split_over_years(total, rng).items():
            for size in family_sizes(persons, kind, rng):
                day = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365))
                departed = dt.datetime.combine(
                    day, dt.time(rng.randint(2, 22), 5 * rng.randrange(12)), tzinfo=tz
                )
                opened = departed - dt.timedelta(days=rng.randint(90, 540), hours=rng.randint(0, 8))
                case = GenCase("", destination, programme, opened, departed, [])
                case.statuses = _statuses(programme, opened, departed, rng)
                nationality = _nationality(kind, destination, rng)
                sur_m, sur_f, lat_m, lat_f = namer.family(nationality)
                father = ""
                for relationship, sex, age in _ages(size, kind, rng):
                    given, latin_given = namer.given(nationality, sex)
                    if relationship == Relationship.PRINCIPAL and sex == "M":
                        father = given
                    born, estimated = _birth(day, age, rng)
                    case.members.append(GenPerson(
                        given=given, surname=sur_m if sex == "M" else sur_f,
                        patronymic=namer.patronymic(father, sex, nationality, relationship),
                        latin_given=latin_given, latin_surname=lat_m if sex == "M" else lat_f,
                        sex=sex, born=born, born_estimated=estimated, nationality=nationality,
                        languages=namer.languages(nationality), relationship=relationship,
                    ))  # fmt: skip
                cases.append(case)
    cases.sort(key=lambda c: c.departed)
    counters: dict[int, int] = {}
    for case in cases:
        year = case.opened.year
        counters[year] = counters.get(year, 0) + 1
        case.number = f"KGZ-{year}-H{counters[year]:04d}"
    return cases
