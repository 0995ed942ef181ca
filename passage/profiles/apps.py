from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProfilesConfig(AppConfig):
    name = "passage.profiles"
    label = "profiles"
    verbose_name = _("Destination profiles")

    def ready(self) -> None:
        from passage.core import nav
        from passage.profiles import policy

        policy.register()
        nav.register(
            nav.NavItem(
                "profiles", _("Destination profiles"), "profiles:list", "profiles.view", order=800
            )
        )
