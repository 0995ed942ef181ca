"""Who must complete cultural orientation, who has, and what that means for travel.

Everything here answers a batch of cases in a fixed number of queries: the
readiness board asks about thousands of cases at once.

* A person *must complete CO* when the case's destination profile requires CO
  and a curriculum in force for the destination and programme covers the
  person's age (on the day asked). A person no curriculum covers (a toddler)
  has nothing to complete.
* Where the profile makes CO optional (or does not offer it) nobody must.
* A person *has completed* CO when one of their enrolments has a completion
  date: the hours attended reached the curriculum's required hours.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from passage.core.readiness import Constraint, date_text, raw_rows, some_members_filter
from passage.orientation.choices import EnrolmentStatus
from passage.orientation.models import Curriculum, Enrolment
from passage.profiles.choices import CoRequirement
from passage.profiles.models import DestinationProfile
from passage.registry.models import Case, Membership, Person

# What pages and constraints show of a person; the rest of the row is not loaded.
PERSON_FIELDS = (
    "id", "given_names", "surname", "patronymic", "latin_given_names", "latin_surname",
    "date_of_birth",
)  # fmt: skip


def age_on(date_of_birth: dt.date, day: dt.date) -> int:
    """Completed years on ``day``."""
    before_birthday = (day.month, day.day) < (date_of_birth.month, date_of_birth.day)
    return day.year - date_of_birth.year - int(before_birthday)


def curricula_in_force(on_date: dt.date) -> list[Curriculum]:
    """The version in force of every curriculum code (one query)."""
    latest: dict[str, Curriculum] = {}
    for curriculum in Curriculum.objects.filter(effective_from__lte=on_date).order_by(
        "code", "-effective_from"
    ):
        latest.setdefault(curriculum.code, curriculum)
    return list(latest.values())


def applicable(curricula: Iterable[Curriculum], country: str, programme: str) -> list[Curriculum]:
    """The curricula for a destination: the country's own, else the generic ones."""
    matching = [c for c in curricula if c.applies_to(country, programme)]
    own = [c for c in matching if c.country]
    return own or matching


def curriculum_for_age(
    curricula: Iterable[Curriculum], person: Person, on_date: dt.date
) -> Curriculum | None:
    if person.date_of_birth is None:
        return None
    age = age_on(person.date_of_birth, on_date)
    return next((c for c in curricula if c.covers_age(age)), None)


def profiles_by_key(
    keys: set[tuple[str, str]], on_date: dt.date
) -> dict[tuple[str, str], DestinationProfile]:
    """The profile in force for each (country, programme), programme first (one query)."""
    countries = {country for country, _programme in keys}
    found: dict[tuple[str, str], DestinationProfile] = {}
    rows = DestinationProfile.objects.filter(
        country__in=countries, effective_from__lte=on_date
    ).order_by("-effective_from")
    for profile in rows:
        found.setdefault((profile.country, profile.programme), profile)
    result = {}
    for country, programme in keys:
        chosen = found.get((country, programme)) or found.get((country, ""))
        if chosen is not None:
            result[(country, programme)] = chosen
    return result


@dataclass
class PersonStatus:
    person: Person
    curriculum: Curriculum | None
    must_complete: bool
    completed_on: dt.date | None = None
    statuses: set[str] = field(default_factory=set)

    @property
    def state(self) -> str:
        """One of completed, enrolled, waitlisted, not_enrolled, not_required."""
        if self.completed_on is not None:
            return "completed"
        if EnrolmentStatus.ENROLLED in self.statuses:
            return "enrolled"
        if EnrolmentStatus.WAITLISTED in self.statuses:
            return "waitlisted"
        return "not_enrolled" if self.curriculum is not None else "not_required"


@dataclass
class CaseCO:
    case: Case
    requirement: str  # a CoRequirement value, or "" when no profile is in force
    people: list[PersonStatus]

    @property
    def outstanding(self) -> list[PersonStatus]:
        return [p for p in self.people if p.must_complete and p.completed_on is None]

    @property
    def complete(self) -> bool:
        return any(p.must_complete for p in self.people) and not self.outstanding

    @property
    def attended(self) -> bool:
        """Everyone expected on a course has completed it: the members who must (CO
        required), or else the members who were enrolled (CO optional)."""
        if self.requirement == CoRequirement.REQUIRED:
            return self.complete
        taking = [p for p in self.people if p.statuses or p.completed_on]
        return bool(taking) and all(p.completed_on for p in taking)


def case_statuses(cases: Sequence[Case], on_date: dt.date | None = None) -> dict[int, CaseCO]:
    """The CO status of each case and member (four queries, whatever the batch)."""
    on_date = on_date or timezone.localdate()
    if not cases:
        return {}
    profiles = profiles_by_key({(c.destination_country, c.programme) for c in cases}, on_date)
    curricula = curricula_in_force(on_date)
    members: dict[int, list[Person]] = defaultdict(list)
    memberships = (
        Membership.objects.filter(case__in=[c.pk for c in cases], ended_at__isnull=True)
        .select_related("person")
        .only("case_id", *(f"person__{name}" for name in PERSON_FIELDS))
    )
    for membership in memberships.order_by("case_id", "joined_at", "id"):
        members[membership.case_id].append(membership.person)
    person_ids = [p.pk for people in members.values() for p in people]
    statuses: dict[int, set[str]] = defaultdict(set)
    completions: dict[int, list[dt.date]] = defaultdict(list)
    rows = (
        Enrolment.objects.filter(person__in=person_ids)
        .filter(~Q(status=EnrolmentStatus.WITHDRAWN) | Q(completed_on__isnull=False))
        .values_list("person_id", "status", "completed_on")
    )
    for person_id, status, completed_on in rows:
        if status != EnrolmentStatus.WITHDRAWN:
            statuses[person_id].add(status)
        if completed_on is not None:
            completions[person_id].append(completed_on)
    result = {}
    for case in cases:
        found = profiles.get((case.destination_country, case.programme))
        requirement = found.co_requirement if found is not None else ""
        own = applicable(curricula, case.destination_country, case.programme)
        people = []
        for person in members[case.pk]:
            curriculum = curriculum_for_age(own, person, on_date)
            done = completions[person.pk]
            people.append(
                PersonStatus(
                    person=person,
                    curriculum=curriculum,
                    must_complete=requirement == CoRequirement.REQUIRED and curriculum is not None,
                    completed_on=min(done) if done else None,
                    statuses=statuses[person.pk],
                )
            )
        result[case.pk] = CaseCO(case=case, requirement=requirement, people=people)
    return result


def co_constraints(cases: Sequence[Any], on: dt.date | None = None) -> list[Constraint]:
    """The readiness source: a blocker for each person who must complete CO and has not,
    under the profile and curricula in force on ``on`` (the departure date; today by
    default), with ages on that day.

    Cases with their members (``active_members``, as readiness gives them) are answered
    from those members: the profiles, the curricula and the members' enrolments in three
    queries, and only the cases whose profile requires CO are looked at person by person.
    """
    batch = cases  # the board's rows remember their query (``some_members_filter``)
    cases = list(cases)
    if not cases:
        return []
    if not all(hasattr(c, "active_members") for c in cases):
        return _constraints(case_statuses(cases, on).values())
    on = on or timezone.localdate()
    profiles = profiles_by_key({(c.destination_country, c.programme) for c in cases}, on)
    required = {
        key for key, profile in profiles.items() if profile.co_requirement == CoRequirement.REQUIRED
    }
    taking = [c for c in cases if (c.destination_country, c.programme) in required]
    if not taking:
        return []
    curricula = curricula_in_force(on)
    statuses, completed = _enrolments(batch, taking)
    labels = state_labels()
    label = _("Cultural orientation")
    blocker = _("%(name)s has not completed cultural orientation (%(state)s).")
    resolve = _("Enrol %(name)s on a %(curriculum)s course and record attendance.")
    own_by_key: dict[tuple[str, str], list[Curriculum]] = {}
    constraints = []
    for case in taking:
        key = (case.destination_country, case.programme)
        own = own_by_key.get(key)
        if own is None:
            own = own_by_key[key] = applicable(curricula, *key)
        for member in case.active_members:
            person = member.person
            if person.pk in completed:
                continue
            curriculum = curriculum_for_age(own, person, on)
            if curriculum is None:
                continue
            found = statuses.get(person.pk, ())
            state = (
                "enrolled"
                if EnrolmentStatus.ENROLLED in found
                else "waitlisted"
                if EnrolmentStatus.WAITLISTED in found
                else "not_enrolled"
            )
            name = person.display_name
            constraints.append(
                Constraint(
                    source="orientation",
                    code="co_not_completed",
                    case_id=case.id,
                    person_id=person.pk,
                    person_name=name,
                    label=label,
                    blocker=blocker % {"name": name, "state": labels[state]},
                    resolve=resolve % {"name": name, "curriculum": curriculum.name},
                    details={"state": state},
                )
            )
    return constraints


def _enrolments(
    cases: Sequence[Any], taking: Sequence[Any]
) -> tuple[dict[int, set[str]], set[int]]:
    """The enrolment statuses (withdrawn left out) of the members of ``taking`` (some of
    ``cases``), and who of them has completed CO."""
    people = {m.person_id for c in taking for m in c.active_members}
    statuses: dict[int, set[str]] = defaultdict(set)
    completed: set[int] = set()
    keys = {(c.destination_country, c.programme) for c in taking}
    taking_cases = Q()
    for country, programme in sorted(keys):
        taking_cases |= Q(case__destination_country=country, case__programme=programme)
    rows = (
        Enrolment.objects.filter(some_members_filter(cases, people, taking_cases))
        .filter(~Q(status=EnrolmentStatus.WITHDRAWN) | Q(completed_on__isnull=False))
        .order_by()
        .values_list("person_id", "status", date_text("completed_on"))
    )
    for person_id, status, completed_on in raw_rows(rows):
        if person_id not in people:
            continue
        if status != EnrolmentStatus.WITHDRAWN:
            statuses[person_id].add(status)
        if completed_on is not None:
            completed.add(person_id)
    return statuses, completed


def _constraints(statuses: Iterable[CaseCO]) -> list[Constraint]:
    constraints = []
    labels = state_labels()
    label = _("Cultural orientation")
    blocker = _("%(name)s has not completed cultural orientation (%(state)s).")
    resolve = _("Enrol %(name)s on a %(curriculum)s course and record attendance.")
    for status in statuses:
        for person in status.outstanding:
            name = person.person.display_name
            curriculum = getattr(person.curriculum, "name", "")
            constraints.append(
                Constraint(
                    source="orientation",
                    code="co_not_completed",
                    case_id=status.case.pk,
                    person_id=person.person.pk,
                    person_name=name,
                    label=label,
                    blocker=blocker % {"name": name, "state": labels[person.state]},
                    resolve=resolve % {"name": name, "curriculum": curriculum},
                    details={"state": person.state},
                )
            )
    return constraints


def state_labels() -> dict[str, str]:
    return {
        "completed": _("completed"),
        "enrolled": _("enrolled"),
        "waitlisted": _("on a waiting list"),
        "not_enrolled": _("not enrolled"),
        "not_required": _("not required at this age"),
    }
