from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "passage.core"
    label = "core"
    verbose_name = _("Passage core")

    def ready(self) -> None:
        from passage.core import exports, jobs, nav, permissions

        permissions.register()
        jobs.register("core.audit_export", exports.export_audit)
        nav.register(nav.NavItem("home", _("Home"), "home", "core.home", order=0))
        nav.register(nav.NavItem("jobs", _("Jobs"), "core:jobs", "core.view_jobs", order=900))
        nav.register(nav.NavItem("audit", _("Audit log"), "core:audit", "core.view_audit", 910))
        nav.register(nav.NavItem("users", _("Users"), "core:users", "core.manage_users", 920))
