"""Form posts of the health pages: each calls one action and returns to the record.

A refusal comes back as a message that names the field; nothing is written.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms as djforms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from passage.core import policy
from passage.core.errors import ActionError
from passage.core.models import User
from passage.core.utils import authed_user
from passage.health import actions, forms, records, setup_actions
from passage.health.models import (
    Assessment,
    Clinic,
    Condition,
    MedicalAccessGrant,
    Pregnancy,
    TbTest,
)
from passage.registry.models import Case, Membership, Person


def _label(form: djforms.Form, field: str | None) -> str:
    if field and field in form.fields:
        return str(form.fields[field].label or field)
    return field or ""


def _run(
    request: HttpRequest,
    form_class: type[djforms.Form],
    target: str,
    call: Callable[[User, dict[str, Any]], object],
    done: str,
) -> HttpResponse:
    user = authed_user(request)
    form = form_class(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            for error in errors:
                messages.error(request, f"{_label(form, field)}: {error}".lstrip(": "))
        return HttpResponseRedirect(target)
    try:
        call(user, form.cleaned_data)
    except ActionError as exc:
        label = _label(form, exc.field)
        messages.error(request, f"{label}: {exc.message}" if label else exc.message)
    else:
        messages.success(request, done)
    return HttpResponseRedirect(target)


def _assessment(request: HttpRequest, pk: int) -> Assessment:
    return policy.get_object_for(
        authed_user(request), Assessment.objects.select_related("person"), pk, "health.record"
    )


def _person(request: HttpRequest, pk: int) -> Person:
    user = authed_user(request)
    policy.require(user, "health.record")
    return policy.get_object_for(user, Person, pk)


def _record_url(person_id: int) -> str:
    return reverse("health:record", args=[person_id])


@login_required
@require_POST
def schedule(request: HttpRequest, person_id: int) -> HttpResponse:
    person = _person(request, person_id)
    membership = Membership.objects.filter(person=person, ended_at__isnull=True).first()

    def call(user: User, d: dict[str, Any]) -> object:
        if membership is None:
            raise ActionError(_("This person is in no open case."), field="person")
        case = policy.get_object_for(user, Case, membership.case_id)
        return actions.schedule_assessment(
            actor=user,
            case=case,
            person=person,
            exam_type=d["exam_type"],
            clinic=d["clinic"],
            on=d["on"],
            reexam_of=_held(person),
        )

    return _run(request, forms.ScheduleForm, _record_url(person.pk), call, _("Exam scheduled."))


def _held(person: Person) -> Assessment | None:
    latest = person.assessments.exclude(status="cancelled").order_by("-created_at").first()
    return latest if latest is not None and latest.status == "class_a_hold" else None


@login_required
@require_POST
def exam(request: HttpRequest, pk: int) -> HttpResponse:
    a = _assessment(request, pk)

    def call(user: User, d: dict[str, Any]) -> object:
        return actions.record_exam(
            actor=user,
            assessment=a,
            examined_on=d["examined_on"],
            physician=d["physician"],
            forms=(d["forms_produced"] or "").split(","),
        )

    return _run(request, forms.ExamForm, _record_url(a.person_id), call, _("Exam recorded."))


@login_required
@require_POST
def tb_test(request: HttpRequest, pk: int) -> HttpResponse:
    a = _assessment(request, pk)

    def call(user: User, d: dict[str, Any]) -> object:
        return actions.record_tb_test(
            actor=user,
            assessment=a,
            kind=d["kind"],
            collected_on=d["collected_on"],
            result=d["result"],
            result_on=d["result_on"],
            finding=d["finding"],
            reason=d["reason"],
        )

    return _run(request, forms.TbTestForm, _record_url(a.person_id), call, _("Test recorded."))


@login_required
@require_POST
def test_result(request: HttpRequest, pk: int) -> HttpResponse:
    user = authed_user(request)
    test = policy.get_object_for(
        user, TbTest.objects.select_related("assessment"), pk, "health.record"
    )

    def call(user: User, d: dict[str, Any]) -> object:
        return actions.record_test_result(
            actor=user,
            test=test,
            result=d["result"],
            result_on=d["result_on"],
            finding=d["finding"],
        )

    target = _record_url(test.assessment.person_id)
    return _run(request, forms.ResultForm, target, call, _("Result recorded."))


@login_required
@require_POST
def condition(request: HttpRequest, pk: int) -> HttpResponse:
    a = _assessment(request, pk)

    def call(user: User, d: dict[str, Any]) -> object:
        return actions.add_condition(
            actor=user,
            assessment=a,
            condition_class=d["condition_class"],
            description=d["description"],
        )

    return _run(
        request, forms.ConditionForm, _record_url(a.person_id), call, _("Condition recorded.")
    )


@login_required
@require_POST
def waiver(request: HttpRequest, pk: int) -> HttpResponse:
    user = authed_user(request)
    row = policy.get_object_for(
        user, Condition.objects.select_related("assessment"), pk, "health.record"
    )

    def call(user: User, d: dict[str, Any]) -> object:
        return actions.grant_waiver(actor=user, condition=row, on=d["on"], reference=d["reference"])

    return _run(
        request,
        forms.WaiverForm,
        _record_url(row.assessment.person_id),
        call,
        _("Waiver recorded."),
    )


@login_required
@require_POST
def treatment(request: HttpRequest, pk: int) -> HttpResponse:
    a = _assessment(request, pk)

    def call(user: User, d: dict[str, Any]) -> object:
        return actions.record_treatment(
            actor=user,
            assessment=a,
            regimen=d["regimen"],
            started_on=d["started_on"],
            completed_on=d["completed_on"],
        )

    return _run(
        request, forms.TreatmentForm, _record_url(a.person_id), call, _("Treatment recorded.")
    )


@login_required
@require_POST
def outcome(request: HttpRequest, pk: int) -> HttpResponse:
    a = _assessment(request, pk)

    def call(user: User, d: dict[str, Any]) -> object:
        return actions.decide_outcome(
            actor=user,
            assessment=a,
            outcome=d["outcome"],
            tb_class=d["tb_class"] or "",
            reason=d["reason"],
        )

    return _run(request, forms.OutcomeForm, _record_url(a.person_id), call, _("Outcome recorded."))


@login_required
@require_POST
def status(request: HttpRequest, pk: int) -> HttpResponse:
    a = _assessment(request, pk)
    back = request.POST.get("next") or _record_url(a.person_id)
    if not back.startswith("/"):
        back = _record_url(a.person_id)

    def call(user: User, d: dict[str, Any]) -> object:
        return actions.set_status(actor=user, assessment=a, to=d["to"])

    return _run(request, forms.StatusForm, back, call, _("Status changed."))


@login_required
@require_POST
def remind(request: HttpRequest) -> HttpResponse:
    user = authed_user(request)
    policy.require(user, "health.record")
    ids = [int(i) for i in request.POST.getlist("assessment") if i.isdigit()]
    rows = list(
        policy.visible_to(
            Assessment.objects.filter(pk__in=ids).select_related("person", "clinic"), user
        )
    )
    try:
        sent, missing = actions.send_reminders(actor=user, assessments=rows)
    except ActionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(n)s reminders queued.") % {"n": sent})
        if missing:
            messages.warning(
                request, _("%(n)s people have no phone number: call them.") % {"n": missing}
            )
    return redirect(
        (request.POST.get("next", "").startswith("/") and request.POST["next"])
        or reverse("health:day")
    )


@login_required
@require_POST
def vaccination(request: HttpRequest, person_id: int) -> HttpResponse:
    person = _person(request, person_id)

    def call(user: User, d: dict[str, Any]) -> object:
        return records.record_vaccination(actor=user, person=person, **d)

    return _run(
        request, forms.VaccinationForm, _record_url(person.pk), call, _("Vaccination recorded.")
    )


@login_required
@require_POST
def pregnancy(request: HttpRequest, person_id: int) -> HttpResponse:
    person = _person(request, person_id)

    def call(user: User, d: dict[str, Any]) -> object:
        return records.record_pregnancy(
            actor=user, person=person, expected_delivery=d["expected_delivery"]
        )

    return _run(
        request, forms.PregnancyForm, _record_url(person.pk), call, _("Pregnancy recorded.")
    )


@login_required
@require_POST
def certificate(request: HttpRequest, pregnancy_id: int) -> HttpResponse:
    user = authed_user(request)
    policy.require(user, "health.record")
    pregnancy = policy.get_object_for(user, Pregnancy, pregnancy_id)

    def call(actor: User, d: dict[str, Any]) -> object:
        return records.record_fit_to_fly_certificate(actor=actor, pregnancy=pregnancy, **d)

    return _run(
        request,
        forms.CertificateForm,
        _record_url(pregnancy.person_id),
        call,
        _("Fit-to-fly certificate recorded."),
    )


@login_required
@require_POST
def needs(request: HttpRequest, person_id: int) -> HttpResponse:
    person = _person(request, person_id)

    def call(user: User, d: dict[str, Any]) -> object:
        return records.update_travel_needs(actor=user, person=person, **d)

    return _run(request, forms.NeedsForm, _record_url(person.pk), call, _("Travel needs saved."))


@login_required
@require_POST
def departure_check(request: HttpRequest, person_id: int) -> HttpResponse:
    person = _person(request, person_id)
    membership = Membership.objects.filter(person=person, ended_at__isnull=True).first()

    def call(user: User, d: dict[str, Any]) -> object:
        if membership is None:
            raise ActionError(_("This person is in no open case."), field="person")
        case = policy.get_object_for(user, Case, membership.case_id)
        return records.record_departure_check(actor=user, case=case, person=person, **d)

    return _run(request, forms.CheckForm, _record_url(person.pk), call, _("Check recorded."))


@login_required
@require_POST
def clinic_add(request: HttpRequest) -> HttpResponse:
    policy.require(authed_user(request), "health.manage_clinics")

    def call(user: User, d: dict[str, Any]) -> Clinic:
        return setup_actions.save_clinic(actor=user, **d)

    return _run(request, forms.ClinicForm, reverse("health:clinics"), call, _("Clinic saved."))


@login_required
@require_POST
def rules_add(request: HttpRequest) -> HttpResponse:
    policy.require(authed_user(request), "health.manage_rules")

    def call(user: User, d: dict[str, Any]) -> object:
        keys = ("country", "effective_from", "source_note")
        return setup_actions.create_rules_version(
            actor=user,
            country=d["country"],
            effective_from=d["effective_from"],
            source_note=d["source_note"],
            values={k: v for k, v in d.items() if k not in keys},
        )

    return _run(
        request,
        forms.RulesForm,
        reverse("health:rules"),
        call,
        _("New version of the rules saved."),
    )


@login_required
@require_POST
def grant_add(request: HttpRequest) -> HttpResponse:
    policy.require(authed_user(request), "health.manage_access")

    def call(user: User, d: dict[str, Any]) -> object:
        return setup_actions.grant_medical_access(actor=user, **d)

    return _run(request, forms.GrantForm, reverse("health:access"), call, _("Access granted."))


@login_required
@require_POST
def grant_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    user = authed_user(request)
    grant = policy.get_object_for(user, MedicalAccessGrant, pk, "health.manage_access")
    try:
        setup_actions.revoke_medical_access(actor=user, grant=grant)
    except ActionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Access revoked."))
    return redirect("health:access")
