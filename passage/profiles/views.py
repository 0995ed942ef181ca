"""Screens of destination profiles and holiday calendars.

Readers (case workers, medical, movement, CO and finance staff) see the profiles;
administrators add versions and edit the holiday calendars.
"""

from __future__ import annotations

from datetime import date

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from passage.core import policy
from passage.core.errors import ActionError
from passage.core.utils import authed_user
from passage.profiles import actions, queries
from passage.profiles.choices import DocumentCode, Weekday
from passage.profiles.forms import (
    HolidayFilterForm,
    HolidayForm,
    ProfileVersionForm,
    SeedHolidaysForm,
)
from passage.profiles.models import RULE_GROUPS, DestinationProfile, Holiday

GROUP_LABELS = {
    "medical": gettext_lazy("Medical"),
    "vaccination": gettext_lazy("Vaccination"),
    "orientation": gettext_lazy("Cultural orientation"),
    "documents": gettext_lazy("Documents"),
    "movement": gettext_lazy("Movement"),
    "loan": gettext_lazy("Travel loan"),
}


def _form_error(form: forms.BaseForm, exc: ActionError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


def _parse_date(value: str | None) -> date:
    try:
        return date.fromisoformat(value) if value else timezone.localdate()
    except ValueError:
        return timezone.localdate()


@login_required
def profile_list(request: HttpRequest) -> HttpResponse:
    user = authed_user(request)
    policy.require(user, "profiles.view")
    on = _parse_date(request.GET.get("on"))
    rows = queries.current_profiles(user, on)
    return render(
        request,
        "profiles/list.html",
        {
            "rows": rows,
            "on": on,
            "can_manage": policy.has_permission(user, "profiles.manage"),
        },
    )


def _shown(profile: DestinationProfile, name: str) -> str:
    value = getattr(profile, name)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if value is None or value in ("", []):
        return "—"
    if name in ("required_documents", "travel_document_any_of"):
        return ", ".join(str(DocumentCode(v).label) for v in value if v in DocumentCode.values)
    if name == "arrival_refused_weekdays":
        return ", ".join(str(Weekday(v).label) for v in value if v in Weekday.values)
    if name == "co_requirement":
        return str(profile.get_co_requirement_display())
    return str(value)


def _grouped(profile: DestinationProfile) -> list[tuple[str, list[tuple[str, str]]]]:
    meta = DestinationProfile._meta
    return [
        (
            str(GROUP_LABELS[key]),
            [
                (str(getattr(meta.get_field(name), "verbose_name", name)), _shown(profile, name))
                for name in names
            ],
        )
        for key, names in RULE_GROUPS
    ]


@login_required
def profile_detail(request: HttpRequest, profile_id: int) -> HttpResponse:
    user = authed_user(request)
    profile = policy.get_object_for(user, DestinationProfile, profile_id)
    versions = queries.history(user, profile.country, profile.programme)
    changes = []
    for index, version in enumerate(versions):
        older = versions[index + 1] if index + 1 < len(versions) else None
        changes.append((version, queries.version_diff(older, version)))
    today = timezone.localdate()
    return render(
        request,
        "profiles/detail.html",
        {
            "profile": profile,
            "groups": _grouped(profile),
            "documents": [
                str(DocumentCode(c).label) for c in queries.required_document_codes(profile)
            ],
            "history": changes,
            "today": today,
            "can_manage": policy.can(user, "profiles.manage", profile),
        },
    )


@login_required
def profile_new_version(request: HttpRequest, profile_id: int) -> HttpResponse:
    user = authed_user(request)
    base = policy.get_object_for(user, DestinationProfile, profile_id, "profiles.manage")
    form = ProfileVersionForm(request.POST or None, instance=base if not request.POST else None)
    if request.method == "POST" and form.is_valid():
        try:
            profile = actions.create_version(
                actor=user,
                country=base.country,
                programme=base.programme,
                base=base,
                effective_from=form.cleaned_data["effective_from"],
                source_note=form.cleaned_data["source_note"],
                source_url=form.cleaned_data["source_url"],
                unverified_note=form.cleaned_data["unverified_note"],
                change_note=form.cleaned_data["change_note"],
                rules=form.rules(),
            )
        except ActionError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("The new version is saved."))
            return redirect("profiles:detail", profile_id=profile.pk)
    return render(request, "profiles/version_form.html", {"base": base, "form": form})


@login_required
@require_POST
def profile_withdraw(request: HttpRequest, profile_id: int) -> HttpResponse:
    user = authed_user(request)
    profile = policy.get_object_for(user, DestinationProfile, profile_id, "profiles.manage")
    versions = queries.history(user, profile.country, profile.programme)
    try:
        actions.withdraw_version(actor=user, profile=profile)
    except ActionError as exc:
        messages.error(request, exc.message)
        return redirect("profiles:detail", profile_id=profile.pk)
    messages.success(request, _("The version is withdrawn."))
    remaining = [v for v in versions if v.pk != profile_id]
    if remaining:
        return redirect("profiles:detail", profile_id=remaining[0].pk)
    return redirect("profiles:list")


@login_required
def holiday_list(request: HttpRequest) -> HttpResponse:
    user = authed_user(request)
    policy.require(user, "profiles.view")
    today = timezone.localdate()
    params = request.GET.copy()
    params.setdefault("country", "CA")
    params.setdefault("year", str(today.year))
    filters = HolidayFilterForm(params)
    country, year = "CA", today.year
    if filters.is_valid():
        country = (filters.cleaned_data["country"] or "CA").upper()
        year = filters.cleaned_data["year"] or today.year
    can_manage = policy.has_permission(user, "profiles.manage")
    context = {
        "filters": filters,
        "country": country,
        "year": year,
        "rows": queries.holidays_for(user, country, year).select_related("created_by"),
        "can_manage": can_manage,
        "add_form": HolidayForm(initial={"country": country}) if can_manage else None,
        "seed_form": (
            SeedHolidaysForm(
                initial={"country": country, "first_year": year, "last_year": year + 2}
            )
            if can_manage
            else None
        ),
    }
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "profiles/holidays.html#results", context)
    return render(request, "profiles/holidays.html", context)


def _back_to_holidays(country: str, year: int) -> HttpResponse:
    from django.urls import reverse

    return redirect(f"{reverse('profiles:holidays')}?country={country}&year={year}")


@login_required
@require_POST
def holiday_add(request: HttpRequest) -> HttpResponse:
    user = authed_user(request)
    policy.require(user, "profiles.manage")
    form = HolidayForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            holiday = actions.add_holiday(
                actor=user,
                country=data["country"],
                day=data["date"],
                name=data["name"],
                source=data["source"],
            )
        except ActionError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Holiday added."))
            return _back_to_holidays(holiday.country, holiday.date.year)
    else:
        messages.error(request, _("Give a country, a date and a name."))
    return _back_to_holidays(
        str(request.POST.get("country", "CA")).upper(), timezone.localdate().year
    )


@login_required
@require_POST
def holiday_remove(request: HttpRequest, holiday_id: int) -> HttpResponse:
    user = authed_user(request)
    holiday = policy.get_object_for(user, Holiday, holiday_id, "profiles.manage")
    country, year = holiday.country, holiday.date.year
    actions.remove_holiday(actor=user, holiday=holiday)
    messages.success(request, _("Holiday removed."))
    return _back_to_holidays(country, year)


@login_required
@require_POST
def holiday_seed(request: HttpRequest) -> HttpResponse:
    user = authed_user(request)
    policy.require(user, "profiles.manage")
    form = SeedHolidaysForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            " ".join(str(e) for e in form.non_field_errors()) or _("Give a country and the years."),
        )
        return _back_to_holidays(
            str(request.POST.get("country", "CA")).upper(), timezone.localdate().year
        )
    data = form.cleaned_data
    try:
        added = actions.seed_holidays(
            actor=user,
            countries=[data["country"]],
            years=range(data["first_year"], data["last_year"] + 1),
        )
    except ActionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(count)d holidays added.") % {"count": added})
    return _back_to_holidays(data["country"].upper(), data["first_year"])
