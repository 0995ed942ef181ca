"""The outbox page for administrators, one message's page, and its buttons."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from passage.core import audit, policy
from passage.core.errors import ActionError
from passage.core.utils import authed_user
from passage.outbox import actions, queries
from passage.outbox.choices import OutboxStatus
from passage.outbox.forms import AcknowledgeForm, OutboxFilterForm
from passage.outbox.models import OutboxMessage


@login_required
def outbox_list(request: HttpRequest) -> HttpResponse:
    user = authed_user(request)
    policy.require(user, "outbox.manage")
    form = OutboxFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = queries.outbox_list(
        user, status=filters.get("status"), kind=filters.get("kind"), channel=filters.get("channel")
    )
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "query": request.GET.urlencode()}
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "outbox/list.html#results", context)
    return render(request, "outbox/list.html", context)


@login_required
def message_detail(request: HttpRequest, message_id: int) -> HttpResponse:
    user = authed_user(request)
    message = policy.get_object_for(user, queries.messages_visible(user), message_id)
    return render(
        request,
        "outbox/detail.html",
        {
            "message": message,
            "attachments": message.attachments.defer("content"),
            "events": message.events.select_related("actor"),
            "can_requeue": policy.has_permission(user, "outbox.manage")
            and message.status in {OutboxStatus.FAILED, OutboxStatus.DEAD},
            "can_acknowledge": policy.has_permission(user, "outbox.acknowledge")
            and message.status == OutboxStatus.SENT,
            "ack_form": AcknowledgeForm(),
        },
    )


@login_required
@require_POST
def message_requeue(request: HttpRequest, message_id: int) -> HttpResponse:
    user = authed_user(request)
    message = policy.get_object_for(user, OutboxMessage, message_id, "outbox.manage")
    try:
        actions.requeue(actor=user, message=message)
    except ActionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The message is queued again."))
    return redirect("outbox:detail", message_id=message.pk)


@login_required
@require_POST
def message_acknowledge(request: HttpRequest, message_id: int) -> HttpResponse:
    user = authed_user(request)
    message = policy.get_object_for(user, OutboxMessage, message_id, "outbox.acknowledge")
    form = AcknowledgeForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        actions.mark_acknowledged(actor=user, message=message, note=note)
    except ActionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Marked as acknowledged."))
    target = str(request.POST.get("next", ""))
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("outbox:detail", message_id=message.pk)


@login_required
def attachment_download(request: HttpRequest, message_id: int, attachment_id: int) -> HttpResponse:
    user = authed_user(request)
    message = policy.get_object_for(user, OutboxMessage, message_id)
    attachment = get_object_or_404(message.attachments, pk=attachment_id)
    audit.record(
        actor=user,
        action="outbox.download_attachment",
        obj=message,
        extra={"attachment": attachment.filename},
    )
    response = HttpResponse(bytes(attachment.content), content_type=attachment.content_type)
    response["Content-Disposition"] = content_disposition_header(True, attachment.filename) or ""
    return response
