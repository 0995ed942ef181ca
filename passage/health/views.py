"""Pages of migration health.

Medical officers: the clinic day, a person's health record (every open is audited),
pending results, expiring clearances, clinics. Everyone with ``health.view_summary``:
the clearance summary partial that any page (the case page) can embed with htmx.
The forms of the record post to ``passage.health.edit_views``.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from passage.core import policy
from passage.core.utils import authed_user
from passage.health import forms, queries, rules
from passage.health.access import detail_allowed, require_detail
from passage.health.choices import AssessmentStatus, LabResult
from passage.health.models import (
    Clinic,
    FitToFlyCertificate,
    MedicalAccessGrant,
    MedicalTravelRules,
)
from passage.registry.models import Case


def _day(value: str | None) -> date:
    try:
        return date.fromisoformat(value) if value else timezone.localdate()
    except ValueError:
        return timezone.localdate()


@login_required
def day_list(request: HttpRequest) -> HttpResponse:
    user = authed_user(request)
    require_detail(user)
    day = _day(request.GET.get("day"))
    clinic_id = request.GET.get("clinic", "")
    rows = queries.day_list(user, day, int(clinic_id) if clinic_id.isdigit() else None)
    queries.audit_list_read(user, rows, via="page:day")
    clinics = list(policy.visible_to(Clinic.objects.filter(active=True), user))
    booked: dict[int, int] = {}
    for row in rows:
        if row.clinic_id:
            booked[row.clinic_id] = booked.get(row.clinic_id, 0) + 1
    q = request.GET.get("q", "")
    return render(
        request,
        "health/day.html",
        {
            "q": q,
            "found": queries.find_people(user, q) if q else None,
            "day": day,
            "previous": day - timedelta(days=1),
            "next": day + timedelta(days=1),
            "rows": rows,
            "clinics": [(c, booked.get(c.pk, 0)) for c in clinics],
            "clinic_id": clinic_id,
            "to_remind": [
                r
                for r in rows
                if r.status == AssessmentStatus.SCHEDULED and r.reminder_sent_at is None
            ],
        },
    )


@login_required
def person_record(request: HttpRequest, person_id: int) -> HttpResponse:
    user = authed_user(request)
    record = queries.health_record(user, person_id, via="page")
    today = timezone.localdate()
    active = [p for p in record.pregnancies if p.ended_on is None and p.expected_delivery >= today]
    certificates = list(
        policy.visible_to(FitToFlyCertificate.objects.filter(person_id=person_id), user)
    )
    return render(
        request,
        "health/record.html",
        {
            "record": record,
            "active_pregnancy": active[0] if active else None,
            "certificates": certificates,
            "pregnancy_week": rules.pregnancy_week(active[0].expected_delivery, today)
            if active
            else None,
            "S": AssessmentStatus,
            "pending": LabResult.PENDING,
            "forms": {
                "schedule": forms.ScheduleForm(),
                "exam": forms.ExamForm(initial={"examined_on": timezone.localdate()}),
                "test": forms.TbTestForm(initial={"collected_on": timezone.localdate()}),
                "result": forms.ResultForm(initial={"result_on": timezone.localdate()}),
                "condition": forms.ConditionForm(),
                "treatment": forms.TreatmentForm(),
                "outcome": forms.OutcomeForm(),
                "waiver": forms.WaiverForm(initial={"on": timezone.localdate()}),
                "vaccination": forms.VaccinationForm(
                    initial={"given_on": timezone.localdate(), "dose_number": 1}
                ),
                "pregnancy": forms.PregnancyForm(),
                "certificate": forms.CertificateForm(initial={"issued_on": today}),
                "needs": forms.NeedsForm(
                    initial=_needs_initial(record.needs) if record.needs else None
                ),
                "check": forms.CheckForm(),
            },
        },
    )


def _needs_initial(needs: object) -> dict[str, object]:
    names = [
        "ssr_codes",
        "escort_required",
        "oxygen",
        "stretcher",
        "medif_status",
        "medif_date",
        "notes",
    ]
    return {name: getattr(needs, name) for name in names}


@login_required
def pending(request: HttpRequest) -> HttpResponse:
    user = authed_user(request)
    require_detail(user)
    rows = queries.pending_results(user)
    queries.audit_list_read(user, rows, via="page:pending")
    return render(request, "health/pending.html", {"rows": rows})


@login_required
def expiring(request: HttpRequest) -> HttpResponse:
    user = authed_user(request)
    require_detail(user)
    days = 60 if request.GET.get("days") == "60" else 30
    rows = queries.expiring_clearances(user, days)
    queries.audit_list_read(user, rows, via="page:expiring")
    return render(request, "health/expiring.html", {"rows": rows, "days": days})


@login_required
def case_summary(request: HttpRequest, case_id: int) -> HttpResponse:
    """The clearance summary of a case's members: what everyone may know."""
    user = authed_user(request)
    policy.require(user, "health.view_summary")
    case = policy.get_object_for(user, Case, case_id)
    members = list(
        case.memberships.filter(ended_at__isnull=True).select_related("person").order_by("id")
    )
    summaries = queries.clearance_summaries([case])
    rows = [(m.person, summaries.get(m.person_id)) for m in members]
    return render(
        request,
        "health/_clearance_summary.html",
        {
            "case": case,
            "summary_rows": rows,
            "can_detail": detail_allowed(user),
        },
    )


@login_required
def clinics(request: HttpRequest) -> HttpResponse:
    user = authed_user(request)
    policy.require(user, "health.view_clinics")
    return render(
        request,
        "health/clinics.html",
        {
            "rows": policy.visible_to(Clinic.objects.all(), user),
            "form": forms.ClinicForm(),
            "can_manage": policy.has_permission(user, "health.manage_clinics"),
        },
    )


@login_required
def travel_rules(request: HttpRequest) -> HttpResponse:
    user = authed_user(request)
    policy.require(user, "health.view_rules")
    latest = MedicalTravelRules.objects.filter(country="").order_by("-effective_from").first()
    initial = {
        name: getattr(latest or MedicalTravelRules(), name)
        for name in forms.RulesForm.base_fields
        if name not in {"country", "effective_from", "source_note"}
    }
    initial["effective_from"] = timezone.localdate()
    return render(
        request,
        "health/rules.html",
        {
            "rows": policy.visible_to(
                MedicalTravelRules.objects.select_related("created_by"), user
            ),
            "form": forms.RulesForm(initial=initial),
            "can_manage": policy.has_permission(user, "health.manage_rules"),
        },
    )


@login_required
def access_grants(request: HttpRequest) -> HttpResponse:
    """Administrators grant a receiving state's medical staff read access to its cases."""
    user = authed_user(request)
    policy.require(user, "health.manage_access")
    rows = policy.visible_to(
        MedicalAccessGrant.objects.select_related("user__organisation", "granted_by"), user
    )
    return render(request, "health/access.html", {"rows": rows, "form": forms.GrantForm()})
