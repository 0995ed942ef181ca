from django.urls import path

from passage.loans import views

app_name = "loans"

urlpatterns = [
    path("", views.due, name="due"),
]
