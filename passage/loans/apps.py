from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LoansConfig(AppConfig):
    name = "passage.loans"
    label = "loans"
    verbose_name = _("Travel loans")

    def ready(self) -> None:
        from passage.core import nav
        from passage.loans import hooks, policy

        policy.register()
        hooks.register()
        nav.register(nav.NavItem("loans", _("Travel loans"), "loans:due", "loans.view", order=560))
