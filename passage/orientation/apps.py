from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrientationConfig(AppConfig):
    name = "passage.orientation"
    label = "orientation"
    verbose_name = _("Cultural orientation")

    def ready(self) -> None:
        from passage.core import nav, readiness
        from passage.orientation import policy
        from passage.orientation.completion import co_constraints

        policy.register()
        readiness.register_source("orientation", co_constraints)
        nav.register(
            nav.NavItem("orientation", _("Orientation"), "orientation:home", "orientation.view", 40)
        )
        nav.register(
            nav.NavItem(
                "orientation_stats",
                _("CO statistics"),
                "orientation:stats",
                "orientation.stats",
                41,
            )
        )
