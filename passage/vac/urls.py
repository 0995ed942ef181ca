from django.urls import path

from passage.vac import views_custody, views_public, views_setup, views_staff

app_name = "vac"

urlpatterns = [
    path("", views_public.home, name="home"),
    path("book/", views_public.book, name="book"),
    path("a/<str:token>/", views_public.manage, name="manage"),
    path("a/<str:token>/reschedule/", views_public.reschedule, name="reschedule"),
    path("a/<str:token>/cancel/", views_public.cancel, name="cancel"),
    path("a/<str:token>/calendar.ics", views_public.ics, name="ics"),
    path("status/", views_public.status, name="status"),
    path("screen/", views_public.screen, name="screen"),
    path("staff/", views_staff.day, name="day"),
    path("staff/missed/", views_staff.day_missed, name="day_missed"),
    path(
        "staff/appointments/<int:appointment_id>/<str:step>/",
        views_staff.appointment_step,
        name="appointment_step",
    ),
    path("staff/queue/", views_staff.queue_page, name="queue"),
    path("staff/tickets/<int:ticket_id>/", views_staff.ticket_step, name="ticket_step"),
    path("staff/applications/", views_staff.application_list, name="applications"),
    path("staff/applications/new/", views_staff.application_new, name="application_new"),
    path(
        "staff/applications/<int:application_id>/",
        views_staff.application_detail,
        name="application",
    ),
    path(
        "staff/applications/<int:application_id>/<str:step>/",
        views_staff.application_step,
        name="application_step",
    ),
    path(
        "staff/applications/<int:application_id>/receipts/<int:entry_id>.pdf",
        views_custody.payment_receipt,
        name="payment_receipt",
    ),
    path(
        "staff/applicants/<int:applicant_id>/<str:step>/",
        views_staff.applicant_step,
        name="applicant_step",
    ),
    path("staff/custody/", views_custody.scan, name="scan"),
    path("staff/custody/batch/", views_custody.batch, name="batch"),
    path("staff/custody/<str:code>/", views_custody.custody_detail, name="custody"),
    path(
        "staff/custody/<str:code>/receipt.pdf",
        views_custody.custody_receipt,
        name="custody_receipt",
    ),
    path("staff/setup/", views_setup.setup, name="setup"),
    path("staff/setup/hours/<int:hours_id>/remove/", views_setup.hours_remove, name="hours_remove"),
    path("staff/rules/", views_setup.rules_page, name="rules"),
    path("staff/reports/", views_setup.reports, name="reports"),
]
