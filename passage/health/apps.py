from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HealthConfig(AppConfig):
    name = "passage.health"
    label = "health"
    verbose_name = _("Migration health")

    def ready(self) -> None:
        from passage.core import nav, readiness
        from passage.health import admin, policy
        from passage.health.readiness import health_constraints

        policy.register()
        admin.register()
        readiness.register_source("health", health_constraints)
        nav.register(
            nav.NavItem(
                "health_access", _("Medical access"), "health:access", "health.manage_access", 21
            )
        )
        nav.register(nav.NavItem("health", _("Health"), "health:day", "health.record", 20))
