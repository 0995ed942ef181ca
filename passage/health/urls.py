from django.urls import path

from passage.health import edit_views, views

app_name = "health"

urlpatterns = [
    path("", views.day_list, name="day"),
    path("pending/", views.pending, name="pending"),
    path("expiring/", views.expiring, name="expiring"),
    path("clinics/", views.clinics, name="clinics"),
    path("clinics/add/", edit_views.clinic_add, name="clinic_add"),
    path("rules/", views.travel_rules, name="rules"),
    path("rules/add/", edit_views.rules_add, name="rules_add"),
    path("access/", views.access_grants, name="access"),
    path("access/add/", edit_views.grant_add, name="grant_add"),
    path("access/<int:pk>/revoke/", edit_views.grant_revoke, name="grant_revoke"),
    path("remind/", edit_views.remind, name="remind"),
    path("cases/<int:case_id>/summary/", views.case_summary, name="case_summary"),
    path("people/<int:person_id>/", views.person_record, name="record"),
    path("people/<int:person_id>/schedule/", edit_views.schedule, name="schedule"),
    path("people/<int:person_id>/vaccinations/", edit_views.vaccination, name="vaccination"),
    path("people/<int:person_id>/pregnancy/", edit_views.pregnancy, name="pregnancy"),
    path(
        "pregnancies/<int:pregnancy_id>/certificates/",
        edit_views.certificate,
        name="certificate",
    ),
    path("people/<int:person_id>/needs/", edit_views.needs, name="needs"),
    path("people/<int:person_id>/checks/", edit_views.departure_check, name="check"),
    path("assessments/<int:pk>/exam/", edit_views.exam, name="exam"),
    path("assessments/<int:pk>/tests/", edit_views.tb_test, name="test"),
    path("assessments/<int:pk>/conditions/", edit_views.condition, name="condition"),
    path("assessments/<int:pk>/treatments/", edit_views.treatment, name="treatment"),
    path("assessments/<int:pk>/outcome/", edit_views.outcome, name="outcome"),
    path("assessments/<int:pk>/status/", edit_views.status, name="status"),
    path("tests/<int:pk>/result/", edit_views.test_result, name="result"),
    path("conditions/<int:pk>/waiver/", edit_views.waiver, name="waiver"),
]
