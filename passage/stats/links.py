"""Links from the records behind a figure to the registry's case and person pages.

A link is shown only when the registry's policy lets the user open the page:
the same :func:`passage.core.policy.visible_to` that ``registry:case`` and
``registry:person`` use, asked once per page for all the rows (one query each).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse

from passage.core import policy
from passage.core.policy import AnyUser
from passage.registry.models import Case, Person


def visible_case_ids(user: AnyUser, ids: Iterable[int]) -> set[int]:
    wanted = set(ids)
    if not wanted or not policy.has_permission(user, "registry.view_case"):
        return set()
    rows = policy.visible_to(Case.objects.filter(pk__in=wanted), user)
    return set(rows.values_list("pk", flat=True))


def visible_people(user: AnyUser, ids: Iterable[int]) -> dict[int, str]:
    """The people among ``ids`` the user may open, with their display names."""
    wanted = set(ids)
    if not wanted or not policy.has_permission(user, "registry.view_person"):
        return {}
    rows = policy.visible_to(Person.objects.filter(pk__in=wanted), user).distinct()
    return {p.pk: p.display_name for p in rows}


def case_url(case_id: int) -> str:
    return reverse("registry:case", args=[case_id])


def person_url(person_id: int) -> str:
    return reverse("registry:person", args=[person_id])
