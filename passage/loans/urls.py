from django.urls import path

from passage.loans import views

app_name = "loans"

urlpatterns = [
    path("", views.due, name="due"),
    path("all/", views.loan_list, name="list"),
    path("<int:loan_id>/", views.loan_detail, name="loan"),
    path("<int:loan_id>/notes/", views.generate, name="generate"),
    path("<int:loan_id>/handover/", views.handover, name="handover"),
    path("<int:loan_id>/cancel/", views.cancel, name="cancel"),
    path("<int:loan_id>/statement.<str:fmt>", views.statement, name="statement"),
    path("notes/<int:note_id>/sign/", views.sign, name="sign"),
    path("notes/<int:note_id>/scan/", views.upload_scan, name="upload_scan"),
    path("notes/<int:note_id>/scan/file", views.note_scan, name="note_scan"),
    path("notes/<int:note_id>/pdf", views.note_pdf, name="note_pdf"),
    path("cases/<int:case_id>/", views.case_panel, name="case_panel"),
    path("cases/<int:case_id>/compute/", views.sync, name="sync"),
]
