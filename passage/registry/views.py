"""Case pages: the list with filters, the case page and the forms that act on a case."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from passage.core import policy
from passage.core.errors import ActionError
from passage.core.utils import authed_user
from passage.core.workflow import allowed_moves
from passage.registry import actions, members, queries
from passage.registry.choices import CASE_TRANSITIONS, CaseStatus, Relationship
from passage.registry.forms import (
    CaseFilterForm,
    CaseForm,
    EndMemberForm,
    MemberForm,
    MergeForm,
    ReferenceForm,
    RelationshipForm,
    SplitForm,
    TransitionForm,
)
from passage.registry.models import Case, CaseReference, Membership, Person


def _form_error(form: Any, exc: ActionError) -> None:
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, exc.message)


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    user = authed_user(request)
    policy.require(user, "registry.view_case")
    form = CaseFilterForm(request.GET or None)
    filters = queries.CaseFilters()
    if form.is_valid():
        d = form.cleaned_data
        worker = d.get("case_worker")
        filters = queries.CaseFilters(
            status=d["status"],
            programme=d["programme"],
            destination=d["destination"],
            priority=d["priority"],
            case_worker=worker.pk if worker else None,
            q=d["q"],
        )
    page = Paginator(queries.case_list(user, filters), 50).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "query": request.GET.urlencode(),
        "can_edit": policy.has_permission(user, "registry.edit_case"),
    }
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "registry/case_list.html#results", context)
    return render(request, "registry/case_list.html", context)


@login_required
def case_new(request: HttpRequest) -> HttpResponse:
    user = authed_user(request)
    policy.require(user, "registry.edit_case")
    form = CaseForm(request.POST or None, initial={"priority": "normal", "case_worker": user.pk})
    if request.method == "POST" and form.is_valid():
        try:
            case = actions.open_case(actor=user, **form.cleaned_data)
        except ActionError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("Case %(case)s opened.") % {"case": case.file_number})
            return redirect("registry:case", case_id=case.pk)
    return render(request, "registry/case_form.html", {"form": form, "case": None})


@login_required
def case_edit(request: HttpRequest, case_id: int) -> HttpResponse:
    user = authed_user(request)
    case = policy.get_object_for(user, Case, case_id, "registry.edit_case")
    form = CaseForm(request.POST or None, initial=CaseForm.initial_for(case))
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_case(actor=user, case=case, **form.cleaned_data)
        except ActionError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("Case saved."))
            return redirect("registry:case", case_id=case.pk)
    return render(request, "registry/case_form.html", {"form": form, "case": case})


def _case_context(request: HttpRequest, case: Case, **extra: Any) -> dict[str, Any]:
    user = authed_user(request)
    detail = queries.case_detail(case, user)
    moves = sorted(allowed_moves(CASE_TRANSITIONS, case.status))
    return {
        "d": detail,
        "case": case,
        "can_edit": policy.has_permission(user, "registry.edit_case"),
        "can_move": policy.has_permission(user, "registry.change_status"),
        "can_requests": policy.has_permission(user, "registry.manage_requests"),
        "can_referrals": policy.has_permission(user, "registry.manage_referrals"),
        "transition_form": TransitionForm(initial={"to": moves[0] if moves else ""}),
        "moves": [(m, CaseStatus(m).label) for m in moves],
        "reference_form": ReferenceForm(),
        "member_form": MemberForm(),
        "relationship_form": RelationshipForm(),
        **extra,
    }


@login_required
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    user = authed_user(request)
    case = policy.get_object_for(user, queries.case_queryset(), case_id)
    extra = {}
    add = request.GET.get("add", "")
    if add.isdigit() and policy.has_permission(user, "registry.edit_case"):
        # Just recorded for this case: offer to add them with their relationship.
        extra["add_person"] = (
            policy.visible_to(Person.objects.all(), user)
            .filter(pk=int(add))
            .exclude(pk__in=Membership.objects.filter(ended_at__isnull=True).values("person_id"))
            .first()
        )
    return render(request, "registry/case_detail.html", _case_context(request, case, **extra))


def _case_action(
    request: HttpRequest, case_id: int, permission: str, act: Callable[[Case], str]
) -> HttpResponse:
    """Run ``act`` on the case and come back to the case page (or its partial)."""
    user = authed_user(request)
    case = policy.get_object_for(user, queries.case_queryset(), case_id, permission)
    error = ""
    try:
        messages.success(request, act(case))
    except ActionError as exc:
        error = exc.message
        messages.error(request, error)
    if request.htmx:  # type: ignore[attr-defined]
        case.refresh_from_db()
        return render(request, "registry/case_detail.html#main", _case_context(request, case))
    return redirect("registry:case", case_id=case.pk)


@login_required
@require_POST
def case_transition(request: HttpRequest, case_id: int) -> HttpResponse:
    form = TransitionForm(request.POST)

    def act(case: Case) -> str:
        if not form.is_valid():
            raise ActionError(_("Choose the status to move to."), field="to")
        actions.transition_case(
            actor=authed_user(request),
            case=case,
            to=form.cleaned_data["to"],
            reason=form.cleaned_data["reason"],
        )
        return _("Status changed to %(status)s.") % {"status": case.get_status_display()}

    return _case_action(request, case_id, "registry.change_status", act)


@login_required
@require_POST
def case_add_reference(request: HttpRequest, case_id: int) -> HttpResponse:
    form = ReferenceForm(request.POST)

    def act(case: Case) -> str:
        if not form.is_valid():
            raise ActionError(_("Enter the kind and the number."), field="value")
        actions.add_reference(actor=authed_user(request), case=case, **form.cleaned_data)
        return _("Reference added.")

    return _case_action(request, case_id, "registry.edit_case", act)


@login_required
@require_POST
def case_remove_reference(request: HttpRequest, case_id: int, ref_id: int) -> HttpResponse:
    def act(case: Case) -> str:
        ref = CaseReference.objects.filter(case=case, pk=ref_id).first()
        if ref is None:
            raise ActionError(_("No such reference."))
        actions.remove_reference(actor=authed_user(request), reference=ref)
        return _("Reference removed.")

    return _case_action(request, case_id, "registry.edit_case", act)


@login_required
@require_POST
def case_add_member(request: HttpRequest, case_id: int) -> HttpResponse:
    form = MemberForm(request.POST)

    def act(case: Case) -> str:
        if not form.is_valid():
            raise ActionError(_("Choose a person and a relationship."), field="person")
        user = authed_user(request)
        person = policy.get_object_for(user, Person, form.cleaned_data["person"])
        actions.add_member(
            actor=user, case=case, person=person, relationship=form.cleaned_data["relationship"]
        )
        return _("%(person)s added to the case.") % {"person": person.display_name}

    return _case_action(request, case_id, "registry.edit_case", act)


@login_required
@require_POST
def case_member_relationship(request: HttpRequest, case_id: int, member_id: int) -> HttpResponse:
    form = RelationshipForm(request.POST)

    def act(case: Case) -> str:
        member = Membership.objects.filter(case=case, pk=member_id).select_related("person").first()
        if member is None:
            raise ActionError(_("No such member."), field="person")
        if not form.is_valid():
            raise ActionError(_("Choose a relationship."), field="relationship")
        members.change_relationship(
            actor=authed_user(request),
            membership=member,
            relationship=form.cleaned_data["relationship"],
            former_principal_becomes=form.cleaned_data["former_principal_becomes"],
            reason=form.cleaned_data["reason"],
        )
        return _("%(person)s is now recorded as %(relationship)s.") % {
            "person": member.person.display_name,
            "relationship": Relationship(form.cleaned_data["relationship"]).label,
        }

    return _case_action(request, case_id, "registry.edit_case", act)


@login_required
@require_POST
def case_end_member(request: HttpRequest, case_id: int, member_id: int) -> HttpResponse:
    form = EndMemberForm(request.POST)

    def act(case: Case) -> str:
        member = Membership.objects.filter(case=case, pk=member_id).first()
        if member is None or not form.is_valid():
            raise ActionError(_("Give a reason."), field="reason")
        actions.end_membership(
            actor=authed_user(request), membership=member, reason=form.cleaned_data["reason"]
        )
        return _("The person left the case.")

    return _case_action(request, case_id, "registry.edit_case", act)


@login_required
def case_split(request: HttpRequest, case_id: int) -> HttpResponse:
    user = authed_user(request)
    case = policy.get_object_for(user, queries.case_queryset(), case_id, "registry.split_merge")
    members = list(case.memberships.filter(ended_at__isnull=True).select_related("person"))
    form = SplitForm(
        request.POST or None, members=[(m.person_id, m.person.display_name) for m in members]
    )
    if request.method == "POST" and form.is_valid():
        by_id = {str(m.person_id): m.person for m in members}
        try:
            new = actions.split_case(
                actor=user,
                case=case,
                people=[by_id[pk] for pk in form.cleaned_data["people"]],
                principal=by_id[form.cleaned_data["principal"]],
                reason=form.cleaned_data["reason"],
            )
        except ActionError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("Case %(case)s formed.") % {"case": new.file_number})
            return redirect("registry:case", case_id=new.pk)
    return render(
        request, "registry/case_split.html", {"form": form, "case": case, "mode": "split"}
    )


@login_required
def case_merge(request: HttpRequest, case_id: int) -> HttpResponse:
    user = authed_user(request)
    case = policy.get_object_for(user, queries.case_queryset(), case_id, "registry.split_merge")
    form = MergeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        target = (
            queries.visible_cases(user)
            .filter(file_number__iexact=form.cleaned_data["target"].strip())
            .first()
        )
        if target is None:
            form.add_error("target", _("No case with this file number."))
        else:
            try:
                actions.merge_cases(
                    actor=user, source=case, target=target, reason=form.cleaned_data["reason"]
                )
            except ActionError as exc:
                _form_error(form, exc)
            else:
                messages.success(
                    request,
                    _("Case %(a)s merged into %(b)s.")
                    % {"a": case.file_number, "b": target.file_number},
                )
                return redirect("registry:case", case_id=target.pk)
    return render(
        request, "registry/case_split.html", {"form": form, "case": case, "mode": "merge"}
    )
