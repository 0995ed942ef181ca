from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "passage.documents"
    label = "documents"
    verbose_name = _("Travel documents and readiness")

    def ready(self) -> None:
        from passage.core import jobs, nav, readiness
        from passage.documents import exports, policy, sources, status

        policy.register()
        readiness.register_source("documents", sources.document_constraints)
        jobs.register("documents.board_export", exports.export_board)
        jobs.register(status.SYNC_KIND, status.sync_statuses)
        nav.register(
            nav.NavItem(
                "readiness", _("Travel readiness"), "documents:board", "documents.board", 40
            )
        )
