from django.urls import path

from passage.core import account_views, user_views, views

app_name = "core"

urlpatterns = [
    path("jobs/", views.job_list, name="jobs"),
    path("jobs/<int:job_id>/", views.job_detail, name="job"),
    path("jobs/<int:job_id>/download/", views.job_download, name="job_download"),
    path("audit/", views.audit_list, name="audit"),
    path("audit/export/", views.audit_export, name="audit_export"),
    path("users/", user_views.user_list, name="users"),
    path("users/new/", user_views.user_edit, name="user_new"),
    path("users/<int:user_id>/", user_views.user_edit, name="user_edit"),
    path("account/", account_views.account, name="account"),
    path("account/tokens/<int:token_id>/revoke/", account_views.revoke_token, name="revoke_token"),
    path("account/totp/setup/", account_views.totp_setup, name="totp_setup"),
    path("account/totp/verify/", account_views.totp_verify, name="totp_verify"),
]
