"""Embassy requests and UNHCR referrals: lists and forms."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from passage.core import policy
from passage.core.errors import ActionError
from passage.core.models import User
from passage.core.utils import authed_user
from passage.registry import queries, requests
from passage.registry.forms import EmbassyRequestForm, ReferralForm
from passage.registry.models import Case, EmbassyRequest


@login_required
def request_list(request: HttpRequest) -> HttpResponse:
    user = authed_user(request)
    policy.require(user, "registry.view_request")
    page = Paginator(queries.request_list(user), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "registry/request_list.html",
        {"page": page, "can_edit": policy.has_permission(user, "registry.manage_requests")},
    )


def _cases(user: User, form: EmbassyRequestForm) -> list[Case] | None:
    numbers = form.file_numbers()
    found = {c.file_number: c for c in queries.visible_cases(user).filter(file_number__in=numbers)}
    missing = [n for n in numbers if n not in found]
    if missing:
        form.add_error("cases", _("Unknown cases: %(cases)s") % {"cases": ", ".join(missing)})
        return None
    return [found[n] for n in numbers]


@login_required
def request_edit(request: HttpRequest, request_id: int | None = None) -> HttpResponse:
    user = authed_user(request)
    obj: EmbassyRequest | None = None
    initial: dict[str, Any] = {"cases": request.GET.get("case", "")}
    if request_id is not None:
        obj = policy.get_object_for(user, EmbassyRequest, request_id, "registry.manage_requests")
        initial = {
            "embassy": obj.embassy_id,
            "reference": obj.reference,
            "issued_on": obj.issued_on,
            "valid_from": obj.valid_from,
            "valid_until": obj.valid_until,
            "services": obj.services,
            "notes": obj.notes,
            "cases": " ".join(obj.cases.values_list("file_number", flat=True)),
        }
    else:
        policy.require(user, "registry.manage_requests")
    form = EmbassyRequestForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        cases = _cases(user, form)
        if cases is not None:
            d = form.cleaned_data
            try:
                if obj is None:
                    obj = requests.create_embassy_request(
                        actor=user,
                        embassy=d["embassy"],
                        reference=d["reference"],
                        issued_on=d["issued_on"],
                        valid_from=d["valid_from"],
                        valid_until=d["valid_until"],
                        services=d["services"],
                        cases=cases,
                        notes=d["notes"],
                    )
                else:
                    requests.update_embassy_request(
                        actor=user,
                        request=obj,
                        valid_from=d["valid_from"],
                        valid_until=d["valid_until"],
                        services=d["services"],
                        cases=cases,
                        notes=d["notes"],
                    )
            except ActionError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, _("Embassy request saved."))
                return redirect("registry:requests")
    return render(request, "registry/request_form.html", {"form": form, "obj": obj})


@login_required
def referral_list(request: HttpRequest) -> HttpResponse:
    user = authed_user(request)
    policy.require(user, "registry.view_referral")
    page = Paginator(queries.referral_list(user), 50).get_page(request.GET.get("page"))
    return render(request, "registry/referral_list.html", {"page": page})


@login_required
def referral_new(request: HttpRequest, case_id: int) -> HttpResponse:
    user = authed_user(request)
    case = policy.get_object_for(user, Case, case_id, "registry.manage_referrals")
    form = ReferralForm(request.POST or None, initial={"priority": case.priority})
    if request.method == "POST" and form.is_valid():
        try:
            requests.record_referral(actor=user, case=case, **form.cleaned_data)
        except ActionError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Referral recorded."))
            return redirect("registry:case", case_id=case.pk)
    return render(request, "registry/referral_form.html", {"form": form, "case": case})


@login_required
def numbering(request: HttpRequest) -> HttpResponse:
    """The pattern of mission file numbers (administrators)."""
    from passage.registry import actions
    from passage.registry.forms import NumberingForm
    from passage.registry.models import NumberSequence

    user = authed_user(request)
    policy.require(user, "registry.manage_numbering")
    current = NumberSequence.objects.filter(name=actions.FILE_NUMBER).first()
    pattern = current.pattern if current else actions.DEFAULT_PATTERN
    form = NumberingForm(request.POST or None, initial={"pattern": pattern})
    if request.method == "POST" and form.is_valid():
        try:
            actions.set_number_pattern(actor=user, pattern=form.cleaned_data["pattern"])
        except ActionError as exc:
            form.add_error("pattern", exc.message)
        else:
            messages.success(request, _("Numbering pattern saved."))
            return redirect("registry:numbering")
    return render(request, "registry/numbering.html", {"form": form, "current": current})
