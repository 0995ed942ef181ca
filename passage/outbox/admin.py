"""Outbox messages in the read-only admin (requeue and acknowledge on the outbox pages)."""

from django.contrib import admin

from passage.core.admin import PolicyAdmin, site
from passage.outbox.models import OutboxMessage


@admin.register(OutboxMessage, site=site)
class OutboxMessageAdmin(PolicyAdmin):
    list_display = ("created_at", "channel", "kind", "status", "attempts", "next_attempt_at")
    list_filter = ("status", "channel", "kind")
    exclude = ("body", "html")
    date_hierarchy = "created_at"
