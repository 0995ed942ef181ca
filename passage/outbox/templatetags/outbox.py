"""``{% load outbox %}{% outbox_messages_for case %}``: the messages about an object."""

from __future__ import annotations

from typing import Any

from django import template
from django.db import models

from passage.outbox.queries import messages_for

register = template.Library()


@register.inclusion_tag("outbox/_messages_for.html", takes_context=True)
def outbox_messages_for(context: template.Context, obj: models.Model) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    rows = messages_for(obj, user) if user is not None else messages_for(obj).none()
    return {"outbox_messages": rows, "request": request}
