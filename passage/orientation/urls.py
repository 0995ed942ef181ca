from django.urls import path

from passage.orientation import pages, planning, views

app_name = "orientation"

urlpatterns = [
    path("", views.home, name="home"),
    path("courses/new/", views.course_new, name="course_new"),
    path("courses/<int:course_id>/", views.course_detail, name="course"),
    path("courses/<int:course_id>/sessions/add/", views.session_add, name="session_add"),
    path("courses/<int:course_id>/edit/", planning.course_edit, name="course_edit"),
    path("courses/<int:course_id>/enrol/", planning.enrol, name="enrol"),
    path("sessions/<int:session_id>/remove/", planning.session_remove, name="session_remove"),
    path("enrolments/<int:enrolment_id>/move/", planning.waitlist_move, name="waitlist_move"),
    path("courses/<int:course_id>/status/", views.course_status, name="course_status"),
    path(
        "courses/<int:course_id>/certificates.pdf",
        pages.course_certificates,
        name="course_certificates",
    ),
    path("sessions/<int:session_id>/attendance/", views.attendance, name="attendance"),
    path("sessions/<int:session_id>/session.ics", pages.session_ics, name="session_ics"),
    path("enrolments/<int:enrolment_id>/", pages.enrolment_detail, name="enrolment"),
    path("enrolments/<int:enrolment_id>/withdraw/", views.withdraw, name="withdraw"),
    path("enrolments/<int:enrolment_id>/certificate.pdf", pages.certificate, name="certificate"),
    path("cases/<int:case_id>/status/", pages.case_status, name="case_status"),
    path("calendar/", pages.calendar_page, name="calendar"),
    path("feed/<str:secret>.ics", pages.feed, name="feed"),
    path("stats/", pages.stats, name="stats"),
    path("curricula/", pages.curricula, name="curricula"),
    path(
        "curricula/<int:curriculum_id>/new-version/",
        pages.curriculum_new_version,
        name="curriculum_new_version",
    ),
]
