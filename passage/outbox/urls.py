from django.urls import path

from passage.outbox import views

app_name = "outbox"

urlpatterns = [
    path("", views.outbox_list, name="list"),
    path("<int:message_id>/", views.message_detail, name="detail"),
    path("<int:message_id>/requeue/", views.message_requeue, name="requeue"),
    path("<int:message_id>/acknowledge/", views.message_acknowledge, name="acknowledge"),
    path(
        "<int:message_id>/attachments/<int:attachment_id>/",
        views.attachment_download,
        name="attachment",
    ),
]
