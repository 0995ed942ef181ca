"""Screens of a case's documents, scans, applications, the MRZ check and document types."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from passage.core import audit, policy
from passage.core.errors import ActionError
from passage.core.utils import authed_user
from passage.documents import actions, queries
from passage.documents.forms import (
    ApplicationForm,
    CancelForm,
    DocumentForm,
    DocumentTypeForm,
    MoveApplicationForm,
    MrzForm,
    ScanForm,
)
from passage.documents.models import DocumentApplication, DocumentType, TravelDocument
from passage.documents.mrz import compare_with_record, parse_mrz
from passage.registry.models import Case, Person


def _form_error(form: forms.BaseForm, exc: ActionError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)
    for extra in exc.errors[1:]:
        form.add_error(None, f"{extra.get('field')}: {extra.get('message')}")


def _people(case: Case) -> list[tuple[int, str]]:
    return [
        (m.person_id, str(m.person))
        for m in case.memberships.filter(ended_at__isnull=True).select_related("person")
    ]


@login_required
def case_documents(request: HttpRequest, case_id: int) -> HttpResponse:
    """The documents and applications of a case: a page, or a partial for the case page."""
    user = authed_user(request)
    case = policy.get_object_for(user, Case, case_id, "documents.view")
    context = {
        "data": queries.case_documents(user, case),
        "case": case,
        "can_manage": policy.can(user, "documents.manage", case),
        "can_scan": policy.has_permission(user, "documents.view_scan"),
    }
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "documents/case_documents.html#documents", context)
    return render(request, "documents/case_documents.html", context)


def _document_values(form: DocumentForm) -> dict[str, Any]:
    data = dict(form.cleaned_data)
    data.pop("person")
    data.pop("scan", None)
    return data


@login_required
def document_new(request: HttpRequest, case_id: int) -> HttpResponse:
    user = authed_user(request)
    case = policy.get_object_for(user, Case, case_id, "documents.manage")
    people = _people(case)
    initial = {"person": request.GET.get("person")}
    form = DocumentForm(request.POST or None, request.FILES or None, people=people, initial=initial)
    if request.method == "POST" and form.is_valid():
        person = Person.objects.get(pk=form.cleaned_data["person"])
        values = _document_values(form)
        doc_type: DocumentType = values["doc_type"]
        try:
            actions.record_document(
                actor=user,
                person=person,
                case=case if doc_type.per_family else None,
                scan=form.cleaned_data.get("scan"),
                **values,
            )
        except ActionError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("The document is recorded."))
            return redirect("documents:case", case_id=case.pk)
    return render(request, "documents/document_form.html", {"form": form, "case": case})


@login_required
def document_detail(request: HttpRequest, document_id: int) -> HttpResponse:
    user = authed_user(request)
    document = policy.get_object_for(
        user, TravelDocument.objects.select_related("person", "doc_type", "case"), document_id
    )
    can_manage = policy.can(user, "documents.manage", document)
    cancel_form, scan_form = CancelForm(), ScanForm()
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied("documents.manage")
        try:
            if "reason" in request.POST:
                cancel_form = CancelForm(request.POST)
                if cancel_form.is_valid():
                    actions.cancel_document(
                        actor=user, document=document, reason=cancel_form.cleaned_data["reason"]
                    )
                    messages.success(request, _("The document is cancelled."))
                    return redirect("documents:document", document_id=document.pk)
            else:
                scan_form = ScanForm(request.POST, request.FILES)
                if scan_form.is_valid():
                    actions.attach_scan(
                        actor=user, document=document, scan=scan_form.cleaned_data["scan"]
                    )
                    messages.success(request, _("The scan is attached."))
                    return redirect("documents:document", document_id=document.pk)
        except ActionError as exc:
            _form_error(cancel_form if "reason" in request.POST else scan_form, exc)
    context = {
        "document": document,
        "can_manage": can_manage,
        "cancel_form": cancel_form,
        "scan_form": scan_form,
        "can_scan": policy.has_permission(user, "documents.view_scan"),
    }
    return render(request, "documents/document_detail.html", context)


@login_required
def document_scan(request: HttpRequest, document_id: int) -> FileResponse:
    """The scan, to those who may see scans; every read is audited."""
    user = authed_user(request)
    document = policy.get_object_for(user, TravelDocument, document_id, "documents.view_scan")
    if not document.scan:
        raise Http404("no scan")
    audit.record(
        actor=user, action="documents.view_scan", obj=document, extra={"file": document.scan.name}
    )
    response = FileResponse(document.scan.open("rb"), content_type=document.scan_content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = "inline"
    return response


@login_required
def application_new(request: HttpRequest, case_id: int) -> HttpResponse:
    user = authed_user(request)
    case = policy.get_object_for(user, Case, case_id, "documents.manage")
    form = ApplicationForm(request.POST or None, people=_people(case))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        person_id = data.pop("person")
        person = Person.objects.get(pk=person_id) if person_id else None
        try:
            actions.open_application(actor=user, case=case, person=person, **data)
        except ActionError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("The application is recorded."))
            return redirect("documents:case", case_id=case.pk)
    return render(request, "documents/application_form.html", {"form": form, "case": case})


@login_required
@require_POST
def application_move(request: HttpRequest, application_id: int) -> HttpResponse:
    user = authed_user(request)
    app = policy.get_object_for(user, DocumentApplication, application_id, "documents.manage")
    form = MoveApplicationForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        document = None
        if data.get("document"):
            document = policy.get_object_for(user, TravelDocument, data["document"])
        try:
            actions.move_application(
                actor=user,
                application=app,
                to=data["to"],
                on=data.get("on"),
                expected_on=data.get("expected_on"),
                document=document,
                note=data.get("note") or "",
            )
            messages.success(request, _("The application is updated."))
        except ActionError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, _("Check the new status and dates."))
    return redirect("documents:case", case_id=app.case_id)


@login_required
def mrz_check(request: HttpRequest) -> HttpResponse:
    """Paste a zone: every field, every check digit, and each mismatch with the record."""
    user = authed_user(request)
    policy.require(user, "documents.manage")
    form = MrzForm(request.POST or request.GET or None)
    context: dict[str, Any] = {"form": form}
    if form.is_bound and form.is_valid():
        result = parse_mrz(form.cleaned_data["mrz"])
        context["result"] = result
        person_id = form.cleaned_data.get("person")
        if person_id and result.format:
            person = policy.get_object_for(user, Person, person_id)
            context["person"] = person
            context["mismatches"] = compare_with_record(
                result,
                surname=person.latin_surname or person.surname,
                given_names=person.latin_given_names or person.given_names,
                birth_date=person.date_of_birth,
                birth_date_estimated=person.date_of_birth_estimated,
                sex=person.sex,
                nationality=person.nationality,
            )
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "documents/mrz.html#result", context)
    return render(request, "documents/mrz.html", context)


@login_required
def document_types(request: HttpRequest) -> HttpResponse:
    user = authed_user(request)
    policy.require(user, "documents.view")
    can_manage = policy.has_permission(user, "documents.manage_types")
    form = DocumentTypeForm(request.POST or None)
    if request.method == "POST":
        policy.require(user, "documents.manage_types")
        if form.is_valid():
            try:
                actions.add_document_type(actor=user, **form.cleaned_data)
            except ActionError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, _("The document type is added."))
                return redirect("documents:types")
    rows = policy.visible_to(DocumentType.objects.all(), user)
    context = {"rows": rows, "form": form, "can_manage": can_manage}
    return render(request, "documents/types.html", context)
