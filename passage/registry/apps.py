from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "passage.registry"
    label = "registry"
    verbose_name = _("Case registry")

    def ready(self) -> None:
        from passage.core import nav
        from passage.registry import imports, policy

        policy.register()
        imports.register_jobs()
        nav.register(nav.NavItem("cases", _("Cases"), "registry:cases", "registry.view_case", 10))
        nav.register(
            nav.NavItem("people", _("People"), "registry:people", "registry.view_person", 11)
        )
        nav.register(nav.NavItem("import", _("Import"), "registry:import", "registry.import", 12))
        nav.register(
            nav.NavItem(
                "numbering", _("Numbering"), "registry:numbering", "registry.manage_numbering", 930
            )
        )
