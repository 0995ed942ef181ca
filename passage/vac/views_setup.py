"""Staff pages: opening hours, holidays and slots; the rules profiles; reports."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from passage.core import policy
from passage.core.errors import ActionError
from passage.vac import actions, queries
from passage.vac.forms import FeeProfileForm, HolidayForm, OpeningHoursForm, OpenSlotsForm
from passage.vac.models import CentreRules, Holiday, OpeningHours, VacFeeProfile
from passage.vac.rules import centre_rules_on
from passage.vac.staff import form_error, officer, staff_view

RulesForm = forms.modelform_factory(
    CentreRules,
    exclude=[],
    widgets={
        "effective_from": forms.DateInput(attrs={"type": "date"}),
        "release_time": forms.TimeInput(attrs={"type": "time"}),
    },
)


@staff_view("vac.manage_slots")
def setup(request: HttpRequest) -> HttpResponse:
    user = officer(request)
    today = timezone.localdate()
    rules = centre_rules_on(today)
    release = timezone.localtime().replace(
        hour=rules.release_time.hour, minute=rules.release_time.minute, second=0, microsecond=0
    )
    hours_form = OpeningHoursForm(request.POST if "hours" in request.POST else None)
    holiday_form = HolidayForm(request.POST if "holiday" in request.POST else None)
    slots_form = OpenSlotsForm(
        request.POST if "slots" in request.POST else None,
        initial={
            "start": today + timedelta(days=1),
            "end": today + timedelta(days=14),
            "release_at": release.strftime("%Y-%m-%dT%H:%M"),
        },
    )
    done = False
    try:
        if "hours" in request.POST and hours_form.is_valid():
            actions.set_opening_hours(actor=user, **hours_form.cleaned_data)
            done = True
        elif "holiday" in request.POST and holiday_form.is_valid():
            actions.add_holiday(
                actor=user,
                day=holiday_form.cleaned_data["date"],
                name=holiday_form.cleaned_data["name"],
            )
            done = True
        elif "import_holidays" in request.POST:
            added = actions.import_public_holidays(actor=user, year=today.year)
            messages.success(request, _("%(n)s public holidays added.") % {"n": added})
            done = True
        elif "slots" in request.POST and slots_form.is_valid():
            count = actions.open_slots(actor=user, **slots_form.cleaned_data)
            messages.success(request, _("%(n)s slots opened.") % {"n": count})
            done = True
    except ActionError as exc:
        for form in (hours_form, holiday_form, slots_form):
            if form.is_bound:
                form_error(form, exc)
    if done:
        return redirect("vac:setup")
    context = {
        "hours": OpeningHours.objects.all(),
        "hours_form": hours_form,
        "holidays": Holiday.objects.filter(date__gte=today)[:30],
        "holiday_form": holiday_form,
        "slots_form": slots_form,
        "rules": rules,
    }
    return render(request, "vac/staff/setup.html", context)


@staff_view("vac.manage_slots")
@require_POST
def hours_remove(request: HttpRequest, hours_id: int) -> HttpResponse:
    user = officer(request)
    hours = policy.get_object_for(user, OpeningHours, hours_id, "vac.manage_slots")
    actions.remove_opening_hours(actor=user, hours=hours)
    return redirect("vac:setup")


def _profile_initial(profile: VacFeeProfile | None) -> dict[str, Any]:
    if profile is None:
        return {}
    return {f: getattr(profile, f) for f in FeeProfileForm.base_fields}


@staff_view("vac.staff")
def rules_page(request: HttpRequest) -> HttpResponse:
    """The fee profile and centre rules in force; an administrator adds or edits one."""
    user = officer(request)
    can_edit = policy.can(user, "vac.manage_rules")
    current = VacFeeProfile.objects.filter(effective_from__lte=timezone.localdate()).first()
    fee_form = FeeProfileForm(
        request.POST if "fees" in request.POST else None, initial=_profile_initial(current)
    )
    current_rules = CentreRules.objects.filter(effective_from__lte=timezone.localdate()).first()
    rules_form = RulesForm(
        request.POST if "centre" in request.POST else None,
        initial=forms.model_to_dict(current_rules) if current_rules else {},
    )
    if request.method == "POST":
        policy.require(user, "vac.manage_rules")
        try:
            if "fees" in request.POST and fee_form.is_valid():
                actions.save_fee_profile(actor=user, **fee_form.values())
                messages.success(request, _("The fee profile is saved."))
                return redirect("vac:rules")
            if "centre" in request.POST and rules_form.is_valid():
                actions.save_centre_rules(actor=user, **rules_form.cleaned_data)
                messages.success(request, _("The centre rules are saved."))
                return redirect("vac:rules")
        except ActionError as exc:
            form_error(fee_form if "fees" in request.POST else rules_form, exc)
    return render(
        request,
        "vac/staff/rules.html",
        {
            "fee_form": fee_form,
            "rules_form": rules_form,
            "can_edit": can_edit,
            "profiles": VacFeeProfile.objects.all()[:10],
            "all_rules": CentreRules.objects.all()[:10],
        },
    )


@staff_view("vac.reports")
def reports(request: HttpRequest) -> HttpResponse:
    user = officer(request)
    today = timezone.localdate()
    end = parse_date(request.GET.get("end", "")) or today
    start = parse_date(request.GET.get("start", "")) or end - timedelta(days=6)
    if start > end or (end - start).days > 92:
        start = end - timedelta(days=6)
    activity = queries.activity_report(user, start, end)
    totals = {
        k: sum(getattr(d, k) for d in activity)
        for k in ("booked", "kept", "missed", "cancelled", "walk_ins", "people_served")
    }
    rows = queries.custody_report(user)
    return render(
        request,
        "vac/staff/reports.html",
        {
            "start": start,
            "end": end,
            "activity": activity,
            "totals": totals,
            "fees": queries.fees_report(start, end),
            "custody": rows,
            "overdue": [r for r in rows if r.overdue],
        },
    )
