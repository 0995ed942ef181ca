from __future__ import annotations

from typing import Any

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from passage.outbox.choices import OutboxStatus
from passage.outbox.models import OutboxMessage
from passage.outbox.tests.factories import OutboxAttachmentFactory, OutboxMessageFactory
from passage.testing.personas import assert_matrix

pytestmark = pytest.mark.django_db

ADMIN_ONLY = {
    "anonymous": 302,
    "outsider": 403,
    "embassy_us": 403,
    "embassy_other": 403,
    "case_worker": 403,
    "movement_officer": 403,
    "admin": 200,
}


@pytest.fixture
def manifest(personas):
    message = OutboxMessageFactory.create(
        created_by=personas.movement_officer,
        status=OutboxStatus.SENT,
        kind="movements.manifest",
        subject="Manifest TK 347",
        related_repr="Case KG-0001",
    )
    OutboxAttachmentFactory.create(message=message, filename="manifest.pdf")
    return message


def test_outbox_page_is_for_administrators(
    personas: Any, manifest: OutboxMessage, django_assert_num_queries: Any
) -> None:
    url = reverse("outbox:list")
    assert_matrix(personas, lambda c: c.get(url), ADMIN_ONLY)
    for n in range(5):
        OutboxMessageFactory.create(created_by=personas.vac_officer, subject=f"VAC {n}")
    client = personas.client("admin")
    client.get(url)
    # session, user, second-factor checks, organisation; count, the page of messages
    with django_assert_num_queries(7):
        response = client.get(url)
    assert response.content.decode().count("VAC ") == 5
    filtered = client.get(url + "?status=sent", headers={"HX-Request": "true"})
    assert b"Manifest TK 347" in filtered.content and b"VAC 1" not in filtered.content
    assert b"<html" not in filtered.content
    assert 'data-nav="outbox"' in client.get("/").content.decode()
    assert 'data-nav="outbox"' not in personas.client("case_worker").get("/").content.decode()


def test_message_page_for_admin_and_the_creating_role(
    personas: Any, manifest: OutboxMessage
) -> None:
    url = reverse("outbox:detail", args=[manifest.pk])
    assert_matrix(
        personas,
        lambda c: c.get(url),
        {
            "anonymous": 302,
            "outsider": 404,
            "embassy_us": 404,
            "embassy_other": 404,
            "case_worker": 404,
            "vac_officer": 404,
            "admin": 200,
            "movement_officer": 200,
        },
    )
    body = personas.client("movement_officer").get(url).content.decode()
    assert "manifest.pdf" in body and "Mark as acknowledged" in body
    attachment = manifest.attachments.get()
    download = reverse("outbox:attachment", args=[manifest.pk, attachment.pk])
    assert personas.client("case_worker").get(download).status_code == 404
    response = personas.client("movement_officer").get(download)
    assert response.status_code == 200 and response.content == b"%PDF"
    assert "manifest.pdf" in response["Content-Disposition"]


def test_acknowledge_and_requeue_buttons(personas: Any, manifest: OutboxMessage) -> None:
    ack = reverse("outbox:acknowledge", args=[manifest.pk])
    assert personas.client("case_worker").post(ack).status_code == 404
    response = personas.client("movement_officer").post(ack, {"note": "ROC confirmed"})
    assert response.status_code == 302
    manifest.refresh_from_db()
    assert manifest.status == OutboxStatus.ACKNOWLEDGED

    dead = OutboxMessageFactory.create(
        created_by=personas.movement_officer, status=OutboxStatus.DEAD, attempts=8
    )
    requeue = reverse("outbox:requeue", args=[dead.pk])
    assert_matrix(
        personas,
        lambda c: c.post(requeue),
        {
            "anonymous": 302,
            "outsider": 404,
            "case_worker": 404,
            "movement_officer": 403,
        },
    )
    assert personas.client("admin").post(requeue).status_code == 302
    dead.refresh_from_db()
    assert dead.status in {OutboxStatus.QUEUED, OutboxStatus.SENT}


def test_messages_for_include(personas: Any, manifest: OutboxMessage) -> None:
    case = personas.case_worker  # any model instance serves as the related object
    manifest.related_type_id = None
    message = OutboxMessageFactory.create(
        created_by=personas.movement_officer,
        status=OutboxStatus.FAILED,
        last_error="SMTPServerDisconnected: down",
        subject="NAT",
    )
    from django.contrib.contenttypes.models import ContentType

    OutboxMessage.objects.filter(pk=message.pk).update(
        related_type=ContentType.objects.get_for_model(type(case)), related_id=str(case.pk)
    )
    template = Template("{% load outbox %}{% outbox_messages_for case %}")
    request = RequestFactory().get("/")
    request.user = personas.movement_officer
    html = template.render(Context({"case": case, "request": request}))
    assert "NAT" in html and "SMTPServerDisconnected" in html
    request.user = personas.case_worker
    assert "NAT" not in template.render(Context({"case": case, "request": request}))


def test_api(personas: Any, manifest: OutboxMessage) -> None:
    assert_matrix(
        personas,
        lambda c: c.get("/api/v1/outbox"),
        {
            "anonymous": 401,
            "outsider": 401,
            "embassy_us": 403,
            "movement_officer": 403,
            "admin": 200,
        },
        api=True,
    )
    listing = personas.api_client("admin").get("/api/v1/outbox?kind=movements").json()
    assert [m["id"] for m in listing["items"]] == [manifest.pk]

    one = f"/api/v1/outbox/{manifest.pk}"
    assert_matrix(
        personas,
        lambda c: c.get(one),
        {
            "anonymous": 401,
            "outsider": 401,
            "embassy_other": 404,
            "case_worker": 404,
            "movement_officer": 200,
            "admin": 200,
        },
        api=True,
    )
    detail = personas.api_client("movement_officer").get(one).json()
    assert detail["attachments"][0]["filename"] == "manifest.pdf"
    assert detail["related_repr"] == "Case KG-0001"

    requeue = f"/api/v1/outbox/{manifest.pk}/requeue"
    assert personas.api_client("movement_officer").post(requeue).status_code == 403
    refused = personas.api_client("admin").post(requeue)
    assert refused.status_code == 409 and refused.json()["code"] == "transition_not_allowed"

    ack = f"/api/v1/outbox/{manifest.pk}/acknowledge"
    response = personas.api_client("movement_officer").post(
        ack, {"note": "ok"}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["status"] == "acknowledged"
