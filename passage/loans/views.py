"""Pages of travel loans: due for signing, by status, one loan, the case panel, files."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from passage.core import audit, policy
from passage.core.errors import ActionError
from passage.core.utils import authed_user
from passage.loans import actions, pdf, queries
from passage.loans.choices import OPEN, LoanStatus, NoteStatus
from passage.loans.forms import CancelForm, GenerateForm, HandoverForm, ScanForm, SignatureForm
from passage.loans.models import Loan, PromissoryNote
from passage.registry.models import Case


def _days(value: str | None) -> int:
    try:
        return max(1, min(int(value or 30), 365))
    except ValueError:
        return 30


@login_required
def due(request: HttpRequest) -> HttpResponse:
    """Loans whose notes are not all signed, departing soon (finance's first page)."""
    user = authed_user(request)
    policy.require(user, "loans.view")
    days = _days(request.GET.get("days"))
    return render(
        request,
        "loans/due.html",
        {
            "rows": queries.due_for_signing(user, days),
            "days": days,
            "counts": queries.status_counts(user),
            "statuses": LoanStatus.choices,
        },
    )


@login_required
def loan_list(request: HttpRequest) -> HttpResponse:
    user = authed_user(request)
    policy.require(user, "loans.view")
    status = request.GET.get("status", "")
    page = Paginator(queries.by_status(user, status), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "loans/list.html",
        {
            "page": page,
            "rows": queries.rows_for(list(page.object_list)),
            "status": status,
            "statuses": LoanStatus.choices,
            "counts": queries.status_counts(user),
        },
    )


def _loan(request: HttpRequest, loan_id: int, permission: str | None = None) -> Loan:
    return policy.get_object_for(
        authed_user(request),
        Loan.objects.select_related(*queries.LIST_RELATED),
        loan_id,
        permission,
    )


@login_required
def loan_detail(request: HttpRequest, loan_id: int) -> HttpResponse:
    user = authed_user(request)
    loan = _loan(request, loan_id)
    can_manage = policy.can(user, "loans.manage")
    open_ = loan.status in OPEN
    return render(
        request,
        "loans/loan.html",
        {
            "loan": loan,
            "s": queries.summary(loan),
            "can_manage": can_manage,
            "open": open_,
            "generate_form": GenerateForm() if can_manage and open_ else None,
            "sign_form": SignatureForm() if can_manage and open_ else None,
            "scan_form": ScanForm() if can_manage else None,
            "handover_form": HandoverForm(initial={"servicer": loan.servicer})
            if can_manage and loan.status == LoanStatus.ACTIVE and loan.arrived_on
            else None,
            "cancel_form": CancelForm() if can_manage and open_ else None,
            "pending": NoteStatus.PENDING,
            "signed": NoteStatus.SIGNED,
        },
    )


@login_required
def case_panel(request: HttpRequest, case_id: int) -> HttpResponse:
    """The loan of a case, for the case page (empty for those who may not see loans)."""
    user = authed_user(request)
    case = policy.get_object_for(user, Case, case_id)
    if not policy.has_permission(user, "loans.view"):
        return HttpResponse("")
    loan = queries.live_loan(case)
    return render(
        request,
        "loans/_case_panel.html",
        {
            "case": case,
            "loan": loan,
            "s": queries.summary(loan) if loan else None,
            "can_manage": policy.can(user, "loans.manage"),
        },
    )


def _act(request: HttpRequest, loan: Loan, act: Callable[[], Any], done: str) -> HttpResponse:
    try:
        act()
    except ActionError as exc:
        field = f" ({exc.field})" if exc.field else ""
        messages.error(request, f"{exc.message}{field}")
    else:
        messages.success(request, done)
    return redirect("loans:loan", loan.pk)


@login_required
@require_POST
def generate(request: HttpRequest, loan_id: int) -> HttpResponse:
    user = authed_user(request)
    loan = _loan(request, loan_id, "loans.manage")
    form = GenerateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the signing date."))
        return redirect("loans:loan", loan.pk)
    return _act(
        request,
        loan,
        lambda: actions.generate_notes(actor=user, loan=loan, on=form.cleaned_data["on"]),
        _("Notes generated."),
    )


def _note(request: HttpRequest, note_id: int, permission: str | None = None) -> PromissoryNote:
    return policy.get_object_for(
        authed_user(request),
        PromissoryNote.objects.select_related(
            "loan__case", "loan__booking", "loan__profile", "person"
        ),
        note_id,
        permission,
    )


@login_required
@require_POST
def sign(request: HttpRequest, note_id: int) -> HttpResponse:
    user = authed_user(request)
    note = _note(request, note_id, "loans.manage")
    form = SignatureForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Give the signing date."))
        return redirect("loans:loan", note.loan_id)
    d = form.cleaned_data
    return _act(
        request,
        note.loan,
        lambda: actions.record_signature(
            actor=user, note=note, signed_on=d["signed_on"], witness=d["witness"], scan=d["scan"]
        ),
        _("Signature of %(who)s recorded.") % {"who": note.person.display_name},
    )


@login_required
@require_POST
def upload_scan(request: HttpRequest, note_id: int) -> HttpResponse:
    user = authed_user(request)
    note = _note(request, note_id, "loans.manage")
    form = ScanForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose the scan file."))
        return redirect("loans:loan", note.loan_id)
    return _act(
        request,
        note.loan,
        lambda: actions.attach_scan(actor=user, note=note, scan=form.cleaned_data["scan"]),
        _("Scan attached."),
    )


@login_required
@require_POST
def handover(request: HttpRequest, loan_id: int) -> HttpResponse:
    user = authed_user(request)
    loan = _loan(request, loan_id, "loans.manage")
    form = HandoverForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the organisation, the date and the reference."))
        return redirect("loans:loan", loan.pk)
    d = form.cleaned_data
    return _act(
        request,
        loan,
        lambda: actions.hand_over(
            actor=user, loan=loan, servicer=d["servicer"], on=d["on"], reference=d["reference"]
        ),
        _("Loan handed over."),
    )


@login_required
@require_POST
def cancel(request: HttpRequest, loan_id: int) -> HttpResponse:
    user = authed_user(request)
    loan = _loan(request, loan_id, "loans.manage")
    form = CancelForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _act(
        request,
        loan,
        lambda: actions.cancel_loan(actor=user, loan=loan, reason=reason),
        _("Loan cancelled."),
    )


@login_required
@require_POST
def sync(request: HttpRequest, case_id: int) -> HttpResponse:
    """Compute (or recompute) the case's loan from its open booking."""
    user = authed_user(request)
    case = policy.get_object_for(user, Case, case_id)
    policy.require(user, "loans.manage")
    try:
        loan = actions.sync_loan(actor=user, case=case)
    except ActionError as exc:
        messages.error(request, exc.message)
        return redirect("registry:case", case.pk)
    messages.success(request, _("Loan computed from the booking."))
    return redirect("loans:loan", loan.pk)


@login_required
def note_pdf(request: HttpRequest, note_id: int) -> HttpResponse:
    user = authed_user(request)
    note = _note(request, note_id, "loans.manage")
    audit.record(actor=user, action="loans.note_download", obj=note)
    response = HttpResponse(pdf.note_pdf(note), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{pdf.note_reference(note)}.pdf"'
    return response


@login_required
def note_scan(request: HttpRequest, note_id: int) -> HttpResponseBase:
    note = _note(request, note_id, "loans.manage")
    if not note.scan:
        raise Http404("no scan")
    return FileResponse(note.scan.open("rb"), content_type=note.scan_content_type)


@login_required
def statement(request: HttpRequest, loan_id: int, fmt: str) -> HttpResponse:
    user = authed_user(request)
    loan = _loan(request, loan_id, "loans.manage")
    if fmt not in ("pdf", "csv"):
        raise Http404("format")
    audit.record(actor=user, action="loans.statement", obj=loan, extra={"format": fmt})
    if fmt == "pdf":
        response = HttpResponse(
            pdf.statement_pdf(loan, get_language() or "en"), content_type="application/pdf"
        )
    else:
        response = HttpResponse(pdf.statement_csv(loan), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{pdf.filename(loan, fmt)}"'
    return response
