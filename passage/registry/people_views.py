"""People pages: search, the person page, and the form with duplicate check and spelling help."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from passage.core import audit, policy
from passage.core.errors import ActionError
from passage.core.utils import authed_user
from passage.registry import names, people, queries
from passage.registry.duplicates import find_duplicates
from passage.registry.forms import MemberForm, PersonForm
from passage.registry.models import Case, Person
from passage.registry.search import search_people


@login_required
def person_list(request: HttpRequest) -> HttpResponse:
    user = authed_user(request)
    policy.require(user, "registry.view_person")
    q = request.GET.get("q", "").strip()
    pick = request.GET.get("pick", "")
    context: dict[str, Any] = {
        "q": q,
        "pick": pick,
        "member_form": MemberForm(),
        "can_edit": policy.has_permission(user, "registry.edit_person"),
    }
    if q:
        context["hits"] = search_people(queries.people_list(user), q, limit=50)
    else:
        context["page"] = Paginator(queries.people_list(user), 50).get_page(request.GET.get("page"))
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "registry/person_list.html#results", context)
    return render(request, "registry/person_list.html", context)


@login_required
def person_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    user = authed_user(request)
    person = policy.get_object_for(user, Person, person_id)
    memberships = list(person.memberships.select_related("case").order_by("-joined_at"))
    visible_cases = set(
        queries.visible_cases(user)
        .filter(pk__in=[m.case_id for m in memberships])
        .values_list("pk", flat=True)
    )
    audit.record(actor=user, action="person.view", obj=person)
    return render(
        request,
        "registry/person_detail.html",
        {
            "person": person,
            "names": list(person.names.all()),
            "memberships": [m for m in memberships if m.case_id in visible_cases],
            "can_edit": policy.has_permission(user, "registry.edit_person"),
        },
    )


def _save(request: HttpRequest, form: PersonForm, person: Person | None) -> Person | None:
    user = authed_user(request)
    confirmed = [int(x) for x in request.POST.getlist("confirm_distinct") if x.isdigit()]
    try:
        if person is None:
            return people.create_person(
                actor=user, data=form.to_data(), confirmed_distinct=confirmed
            )
        saved = people.update_person(actor=user, person=person, data=form.to_data())
        for pk in confirmed:
            other = Person.objects.filter(pk=pk).first()
            if other is not None:
                people.confirm_distinct(actor=user, person=saved, other=other)
        return saved
    except ActionError as exc:
        if exc.code == "possible_duplicates":
            form.duplicates = exc.errors  # type: ignore[attr-defined]
        field = exc.field if exc.field in form.fields else None
        form.add_error(field, exc.message)
        return None


@login_required
def person_new(request: HttpRequest) -> HttpResponse:
    user = authed_user(request)
    policy.require(user, "registry.edit_person")
    case = None
    if request.GET.get("case"):
        case = policy.get_object_for(user, Case, request.GET["case"], "registry.edit_case")
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person = _save(request, form, None)
        if person is not None:
            messages.success(request, _("%(person)s recorded.") % {"person": person.display_name})
            if case is not None:
                return redirect(f"{_case_url(case)}?add={person.pk}")
            return redirect("registry:person", person_id=person.pk)
    return render(
        request, "registry/person_form.html", {"form": form, "person": None, "case": case}
    )


def _case_url(case: Case) -> str:
    from django.urls import reverse

    return reverse("registry:case", args=[case.pk])


@login_required
def person_edit(request: HttpRequest, person_id: int) -> HttpResponse:
    user = authed_user(request)
    person = policy.get_object_for(user, Person, person_id, "registry.edit_person")
    form = PersonForm(request.POST or None, initial=PersonForm.initial_for(person))
    if request.method == "POST" and form.is_valid() and _save(request, form, person) is not None:
        messages.success(request, _("Saved."))
        return redirect("registry:person", person_id=person.pk)
    return render(request, "registry/person_form.html", {"form": form, "person": person})


@login_required
@require_POST
def person_check(request: HttpRequest) -> HttpResponse:
    """htmx: the suggested Latin spelling and the possible duplicates, before saving."""
    user = authed_user(request)
    policy.require(user, "registry.edit_person")
    post = request.POST
    given, surname = post.get("given_names", ""), post.get("surname", "")
    data = people.PersonData(
        given_names=given,
        surname=surname,
        sex=post.get("sex", ""),
        consent_date=None,
        latin_given_names=post.get("latin_given_names", "") or names.suggest_latin(given),
        latin_surname=post.get("latin_surname", "") or names.suggest_latin(surname),
        unhcr_individual_number=post.get("unhcr_individual_number") or None,
    )
    exclude = int(post["person_id"]) if post.get("person_id", "").isdigit() else None
    duplicates = [d.as_dict() for d in find_duplicates(data, exclude=exclude)] if given else []
    return render(
        request,
        "registry/person_form.html#check",
        {
            "suggested_given": names.suggest_latin(given) if given else "",
            "suggested_surname": names.suggest_latin(surname) if surname else "",
            "duplicates": duplicates,
        },
    )


@login_required
def transliterate(request: HttpRequest) -> JsonResponse:
    policy.require(authed_user(request), "registry.edit_person")
    return JsonResponse({"latin": names.suggest_latin(request.GET.get("text", ""))})


@login_required
@require_POST
def person_distinct(request: HttpRequest, person_id: int, other_id: int) -> HttpResponse:
    user = authed_user(request)
    person = policy.get_object_for(user, Person, person_id, "registry.edit_person")
    other = policy.get_object_for(user, Person, other_id, "registry.edit_person")
    try:
        people.confirm_distinct(actor=user, person=person, other=other)
        messages.success(request, _("Recorded: these are different people."))
    except ActionError as exc:
        messages.error(request, exc.message)
    return redirect("registry:person", person_id=person.pk)
