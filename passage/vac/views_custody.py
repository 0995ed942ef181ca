"""Staff pages for passports: scan, one passport's steps, batches, receipts."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from passage.core import audit, policy
from passage.core.errors import ActionError
from passage.ledger.models import LedgerEntry
from passage.vac import actions, pdf, queries
from passage.vac.choices import CUSTODY_MOVES, CustodyStatus
from passage.vac.forms import BatchForm, ScanForm, StepForm
from passage.vac.models import Application, Custody, CustodyEvent
from passage.vac.staff import form_error, officer, staff_view


@staff_view("vac.custody")
def scan(request: HttpRequest) -> HttpResponse:
    """A scanner types the code and Enter; the chosen step stays for the next scan."""
    user = officer(request)
    form = ScanForm(request.POST or None, initial={"step": request.session.get("vac_step", "")})
    if request.method == "POST" and form.is_valid():
        step = form.cleaned_data["step"]
        request.session["vac_step"] = step
        try:
            custody = actions.find(form.cleaned_data["code"])
            policy.get_object_for(user, Custody, custody.pk, "vac.custody")
            if not step:
                return redirect("vac:custody", code=custody.code)
            actions.move_passport(
                actor=user, custody=custody, status=step, envelope=form.cleaned_data["envelope"]
            )
        except ActionError as exc:
            form_error(form, exc)
        else:
            messages.success(
                request,
                _("%(code)s: %(status)s.")
                % {"code": custody.code, "status": CustodyStatus(step).label},
            )
            return redirect("vac:scan")
    rows = queries.custody_report(user)
    return render(
        request,
        "vac/staff/scan.html",
        {
            "form": form,
            "rows": rows,
            "counts": [
                (CustodyStatus(s).label, n) for s, n in queries.custody_counts(user).items()
            ],
            "overdue": sum(1 for r in rows if r.overdue),
        },
    )


@staff_view("vac.custody")
def custody_detail(request: HttpRequest, code: str) -> HttpResponse:
    user = officer(request)
    custody = policy.get_object_for(
        user,
        Custody.objects.select_related("applicant__application", "batch"),
        Custody.objects.filter(code=code).values_list("pk", flat=True).first() or 0,
    )
    form = StepForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        status = data.pop("status")
        try:
            actions.move_passport(actor=user, custody=custody, status=status, **data)
        except ActionError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Step recorded."))
            return redirect("vac:custody", code=custody.code)
    events = CustodyEvent.objects.filter(custody=custody).select_related("officer", "batch")
    moves = sorted(CUSTODY_MOVES[custody.status] - {CustodyStatus.FORWARDED})
    return render(
        request,
        "vac/staff/custody.html",
        {
            "custody": custody,
            "events": events,
            "form": form,
            "moves": [(m, CustodyStatus(m).label) for m in moves],
        },
    )


@staff_view("vac.custody")
def batch(request: HttpRequest) -> HttpResponse:
    user = officer(request)
    form = BatchForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            sent = actions.dispatch_batch(
                actor=user, codes=form.code_list(), waybill=form.cleaned_data["waybill"]
            )
        except ActionError as exc:
            form_error(form, exc)
        else:
            messages.success(
                request,
                _("%(n)s passports sent under waybill %(w)s.")
                % {"n": sent.passports.count(), "w": sent.waybill},
            )
            return redirect("vac:scan")
    waiting = policy.visible_to(
        Custody.objects.filter(status=CustodyStatus.RECEIVED).select_related(
            "applicant__application"
        ),
        user,
    )
    return render(request, "vac/staff/batch.html", {"form": form, "waiting": waiting})


def _pdf(body: bytes, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@staff_view("vac.custody")
def custody_receipt(request: HttpRequest, code: str) -> HttpResponse:
    user = officer(request)
    custody = policy.get_object_for(
        user,
        Custody.objects.select_related("applicant__application"),
        Custody.objects.filter(code=code).values_list("pk", flat=True).first() or 0,
    )
    language = request.GET.get("lang") or custody.applicant.application.language
    audit.record(actor=user, action="vac.custody_receipt", obj=custody)
    return _pdf(pdf.custody_receipt(custody, language), f"{custody.code}.pdf")


@staff_view("vac.staff")
def payment_receipt(request: HttpRequest, application_id: int, entry_id: int) -> HttpResponse:
    user = officer(request)
    application = policy.get_object_for(user, Application, application_id)
    policy.require(user, "ledger.view")
    entry = (
        LedgerEntry.objects.select_related("cashier", "corrects")
        .filter(pk=entry_id, account__code=f"vac.application.{application.pk}")
        .exclude(receipt_number="")
        .first()
    )
    if entry is None:
        raise Http404
    language = request.GET.get("lang") or application.language
    audit.record(
        actor=user,
        action="vac.payment_receipt",
        obj=application,
        extra={"receipt": entry.receipt_number},
    )
    return _pdf(pdf.payment_receipt(entry, application, language), f"{entry.receipt_number}.pdf")
