from django.urls import path

from passage.registry import import_views, people_views, request_views, views

app_name = "registry"

urlpatterns = [
    path("cases/", views.case_list, name="cases"),
    path("cases/new/", views.case_new, name="case_new"),
    path("cases/<int:case_id>/", views.case_detail, name="case"),
    path("cases/<int:case_id>/edit/", views.case_edit, name="case_edit"),
    path("cases/<int:case_id>/status/", views.case_transition, name="case_transition"),
    path("cases/<int:case_id>/references/", views.case_add_reference, name="case_add_reference"),
    path(
        "cases/<int:case_id>/references/<int:ref_id>/remove/",
        views.case_remove_reference,
        name="case_remove_reference",
    ),
    path("cases/<int:case_id>/members/", views.case_add_member, name="case_add_member"),
    path(
        "cases/<int:case_id>/members/<int:member_id>/end/",
        views.case_end_member,
        name="case_end_member",
    ),
    path(
        "cases/<int:case_id>/members/<int:member_id>/relationship/",
        views.case_member_relationship,
        name="case_member_relationship",
    ),
    path("cases/<int:case_id>/split/", views.case_split, name="case_split"),
    path("cases/<int:case_id>/merge/", views.case_merge, name="case_merge"),
    path("cases/<int:case_id>/referrals/new/", request_views.referral_new, name="referral_new"),
    path("people/", people_views.person_list, name="people"),
    path("people/new/", people_views.person_new, name="person_new"),
    path("people/check/", people_views.person_check, name="person_check"),
    path("people/transliterate/", people_views.transliterate, name="transliterate"),
    path("people/<int:person_id>/", people_views.person_detail, name="person"),
    path("people/<int:person_id>/edit/", people_views.person_edit, name="person_edit"),
    path(
        "people/<int:person_id>/distinct/<int:other_id>/",
        people_views.person_distinct,
        name="person_distinct",
    ),
    path("requests/", request_views.request_list, name="requests"),
    path("requests/new/", request_views.request_edit, name="request_new"),
    path("requests/<int:request_id>/", request_views.request_edit, name="request_edit"),
    path("referrals/", request_views.referral_list, name="referrals"),
    path("numbering/", request_views.numbering, name="numbering"),
    path("import/", import_views.import_page, name="import"),
    path("import/confirm/", import_views.import_confirm, name="import_confirm"),
    path("import/template.<str:fmt>", import_views.import_template, name="import_template"),
]
