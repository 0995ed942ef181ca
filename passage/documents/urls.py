from django.urls import path

from passage.documents import doc_views, views

app_name = "documents"

urlpatterns = [
    path("readiness/", views.board, name="board"),
    path("readiness/export/", views.board_export, name="board_export"),
    path("readiness/sync/", views.board_sync, name="board_sync"),
    path("cases/<int:case_id>/", doc_views.case_documents, name="case"),
    path("cases/<int:case_id>/readiness/", views.case_readiness, name="case_readiness"),
    path("cases/<int:case_id>/status/", views.case_status, name="case_status"),
    path("cases/<int:case_id>/documents/new/", doc_views.document_new, name="document_new"),
    path(
        "cases/<int:case_id>/applications/new/", doc_views.application_new, name="application_new"
    ),
    path(
        "applications/<int:application_id>/move/",
        doc_views.application_move,
        name="application_move",
    ),
    path("<int:document_id>/", doc_views.document_detail, name="document"),
    path("<int:document_id>/scan/", doc_views.document_scan, name="scan"),
    path("mrz/", doc_views.mrz_check, name="mrz"),
    path("types/", doc_views.document_types, name="types"),
]
