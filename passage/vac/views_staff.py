"""Staff pages: the day's appointments, the walk-in queue, applications and fees."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from passage.core import policy
from passage.core.errors import ActionError
from passage.ledger import queries as ledger_queries
from passage.vac import actions, queries
from passage.vac.forms import (
    ApplicantFormSet,
    ApplicationForm,
    CallForm,
    PaymentForm,
    ReceiveForm,
    TicketForm,
)
from passage.vac.models import Applicant, Application, Appointment, Ticket
from passage.vac.staff import form_error, officer, staff_view


def _day(request: HttpRequest) -> date:
    return parse_date(request.GET.get("day", "")) or timezone.localdate()


@staff_view("vac.staff")
def day(request: HttpRequest) -> HttpResponse:
    user = officer(request)
    on = _day(request)
    rows = list(queries.day_schedule(user, on))
    return render(
        request, "vac/staff/day.html", {"day": on, "rows": rows, "today": timezone.localdate()}
    )


@staff_view("vac.run_day")
@require_POST
def appointment_step(request: HttpRequest, appointment_id: int, step: str) -> HttpResponse:
    user = officer(request)
    appointment = policy.get_object_for(user, Appointment, appointment_id, "vac.run_day")
    try:
        if step == "check_in":
            ticket = actions.check_in(actor=user, appointment=appointment)
            messages.success(request, _("Checked in: ticket %(t)s.") % {"t": ticket.label})
        elif step == "missed":
            actions.mark_missed(actor=user, appointment=appointment)
        elif step == "completed":
            actions.complete_appointment(actor=user, appointment=appointment)
        else:
            messages.error(request, _("Unknown step."))
    except ActionError as exc:
        messages.error(request, exc.message)
    day_of = timezone.localtime(appointment.slot.starts_at).date()
    return redirect(f"{reverse('vac:day')}?day={day_of.isoformat()}")


@staff_view("vac.run_day")
@require_POST
def day_missed(request: HttpRequest) -> HttpResponse:
    user = officer(request)
    on = parse_date(request.POST.get("day", "")) or timezone.localdate()
    try:
        count = actions.mark_day_missed(actor=user, day=on)
        messages.success(request, _("%(n)s appointments marked missed.") % {"n": count})
    except ActionError as exc:
        messages.error(request, exc.message)
    return redirect(f"{reverse('vac:day')}?day={on.isoformat()}")


@staff_view("vac.run_day")
def queue_page(request: HttpRequest) -> HttpResponse:
    user = officer(request)
    ticket_form = TicketForm(request.POST if "issue" in request.POST else None)
    call_form = CallForm(
        request.POST if "call" in request.POST else None,
        initial={"desk": request.session.get("vac_desk", "")},
    )
    if request.method == "POST":
        try:
            if "issue" in request.POST and ticket_form.is_valid():
                data = ticket_form.cleaned_data
                ticket = actions.issue_ticket(
                    actor=user, service=data["service"], name=data["name"], people=data["people"]
                )
                messages.success(request, _("Ticket %(t)s issued.") % {"t": ticket.label})
                return redirect("vac:queue")
            if "call" in request.POST and call_form.is_valid():
                request.session["vac_desk"] = call_form.cleaned_data["desk"]
                called = actions.call_next(
                    actor=user,
                    desk=call_form.cleaned_data["desk"],
                    service=call_form.cleaned_data["service"],
                )
                if called is None:
                    messages.warning(request, _("Nobody is waiting."))
                else:
                    messages.success(
                        request,
                        _("Calling %(t)s to desk %(d)s.") % {"t": called.label, "d": called.desk},
                    )
                return redirect("vac:queue")
        except ActionError as exc:
            messages.error(request, exc.message)
    context = {
        "queue": queries.queue(timezone.localdate()),
        "ticket_form": ticket_form,
        "call_form": call_form,
    }
    return render(request, "vac/staff/queue.html", context)


@staff_view("vac.run_day")
@require_POST
def ticket_step(request: HttpRequest, ticket_id: int) -> HttpResponse:
    user = officer(request)
    ticket = policy.get_object_for(user, Ticket, ticket_id, "vac.run_day")
    try:
        actions.move_ticket(actor=user, ticket=ticket, status=request.POST.get("status", ""))
    except ActionError as exc:
        messages.error(request, exc.message)
    return redirect("vac:queue")


@staff_view("vac.staff")
def application_list(request: HttpRequest) -> HttpResponse:
    user = officer(request)
    rows = policy.visible_to(
        Application.objects.select_related("appointment__slot").prefetch_related(
            "applicants__custody"
        ),
        user,
    )
    search = request.GET.get("q", "").strip()
    if search:
        rows = rows.filter(reference__icontains=search) | rows.filter(
            applicants__family_name__icontains=search
        )
        rows = rows.distinct()
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "vac/staff/applications.html", {"page": page, "q": search})


def _applicants(formset: Any) -> list[actions.ApplicantIn]:
    return [actions.ApplicantIn(**form.cleaned_data) for form in formset.forms if form.cleaned_data]


@staff_view("vac.intake")
def application_new(request: HttpRequest) -> HttpResponse:
    user = officer(request)
    appointment = None
    if request.GET.get("appointment"):
        appointment = policy.get_object_for(user, Appointment, request.GET["appointment"])
    initial = (
        {
            "email": appointment.email,
            "phone": appointment.phone,
            "language": appointment.language,
            "family": appointment.people > 1,
        }
        if appointment
        else {}
    )
    form = ApplicationForm(request.POST or None, initial=initial)
    formset = ApplicantFormSet(request.POST or None, prefix="applicants")
    if not request.POST and appointment is not None:
        formset.extra = appointment.people
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            application = actions.open_application(
                actor=user,
                appointment=appointment,
                applicants=_applicants(formset),
                **form.cleaned_data,
            )
        except ActionError as exc:
            form_error(form, exc)
        else:
            return redirect("vac:application", application_id=application.pk)
    return render(
        request,
        "vac/staff/application_new.html",
        {"form": form, "formset": formset, "appointment": appointment},
    )


@staff_view("vac.staff")
def application_detail(request: HttpRequest, application_id: int) -> HttpResponse:
    user = officer(request)
    application = policy.get_object_for(
        user, Application.objects.select_related("appointment__slot"), application_id
    )
    applicants = list(application.applicants.select_related("biometrics", "custody"))
    account = actions.account_of(application)
    context = {
        "application": application,
        "applicants": applicants,
        "account": account,
        "entries": ledger_queries.entries_of(account),
        "balance": ledger_queries.balance(account),
        "payment_form": PaymentForm(initial={"currency": "KGS"}),
        "receive_form": ReceiveForm(),
        "assessed": any(hasattr(a, "biometrics") for a in applicants),
        "can_pay": policy.can(user, "ledger.take_payment"),
        "can_correct": policy.can(user, "ledger.correct"),
    }
    return render(request, "vac/staff/application.html", context)


@staff_view("vac.intake")
@require_POST
def application_step(request: HttpRequest, application_id: int, step: str) -> HttpResponse:
    user = officer(request)
    application = policy.get_object_for(user, Application, application_id, "vac.intake")
    try:
        if step == "assess":
            actions.assess_fees(actor=user, application=application)
            messages.success(request, _("Fees assessed and charged."))
        elif step == "pay":
            policy.require(user, "ledger.take_payment")
            form = PaymentForm(request.POST)
            if not form.is_valid():
                raise ActionError(_("Enter the amount, currency and method."), field="amount")
            entry = actions.take_payment(actor=user, application=application, **form.cleaned_data)
            messages.success(request, _("Paid. Receipt %(r)s.") % {"r": entry.receipt_number})
    except ActionError as exc:
        messages.error(request, exc.message)
    return redirect("vac:application", application_id=application.pk)


@staff_view("vac.intake")
@require_POST
def applicant_step(request: HttpRequest, applicant_id: int, step: str) -> HttpResponse:
    user = officer(request)
    applicant = policy.get_object_for(user, Applicant, applicant_id, "vac.intake")
    try:
        if step == "enrol":
            actions.record_enrolment(actor=user, applicant=applicant)
            messages.success(request, _("Biometrics enrolled."))
        elif step == "receive":
            policy.require(user, "vac.custody")
            form = ReceiveForm(request.POST)
            number = form.data.get("passport_number", "") if form.is_bound else ""
            custody = actions.receive_passport(
                actor=user, applicant=applicant, passport_number=str(number)
            )
            messages.success(request, _("Passport received: %(c)s.") % {"c": custody.code})
    except ActionError as exc:
        messages.error(request, exc.message)
    return redirect("vac:application", application_id=applicant.application_id)
