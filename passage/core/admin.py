"""The Django admin, read-only and behind the same policy as pages and the API.

Writes go through actions on Passage's own pages; the admin is for looking. Its
lists are narrowed with ``policy.visible_to`` and each model needs its view
permission, so a model that holds medical detail shows only to those who may
read it.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from passage.core import policy
from passage.core.models import ApiToken, AuditEvent, Job, Organisation, RoleSecurity, User


class PassageAdminSite(admin.AdminSite):
    site_header = "Passage"
    site_title = "Passage"
    index_title = _("Records (read-only)")

    def has_permission(self, request: HttpRequest) -> bool:
        return policy.has_permission(request.user, "core.admin_site")

    def login(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        if request.user.is_authenticated:
            raise PermissionDenied  # signed in, but not an administrator: no redirect loop
        target = request.GET.get("next", reverse("admin:index"))
        return HttpResponseRedirect(f"{reverse('login')}?{urlencode({'next': target})}")


site = PassageAdminSite(name="admin")


class PolicyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Read-only admin whose rows and access come from the policy."""

    def get_queryset(self, request: HttpRequest) -> models.QuerySet[Any]:
        return policy.visible_to(super().get_queryset(request), request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        view = policy.rule_for(self.model).view
        if obj is None:
            return policy.has_permission(request.user, view)
        return policy.can(request.user, view, obj)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEvent, site=site)
class AuditEventAdmin(PolicyAdmin):
    list_display = ("at", "actor_repr", "action", "object_type", "object_id", "ip")
    list_filter = ("action", "object_type")
    search_fields = ("actor_repr", "object_id", "object_repr")
    date_hierarchy = "at"


@admin.register(User, site=site)
class UserAdmin(PolicyAdmin):
    list_display = ("username", "first_name", "last_name", "organisation", "role", "is_active")
    list_filter = ("role", "organisation")
    search_fields = ("username", "first_name", "last_name", "email")
    exclude = ("password",)
    list_select_related = ("organisation",)


@admin.register(Organisation, site=site)
class OrganisationAdmin(PolicyAdmin):
    list_display = ("name", "kind", "country", "active")
    list_filter = ("kind",)


@admin.register(Job, site=site)
class JobAdmin(PolicyAdmin):
    list_display = ("title", "kind", "status", "done", "total", "created_by", "created_at")
    list_filter = ("status", "kind")


@admin.register(ApiToken, site=site)
class ApiTokenAdmin(PolicyAdmin):
    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "revoked_at")
    exclude = ("key_hash",)


policy.register_model(RoleSecurity, view="core.manage_security")


@admin.register(RoleSecurity, site=site)
class RoleSecurityAdmin(PolicyAdmin):
    list_display = ("role", "require_totp")
