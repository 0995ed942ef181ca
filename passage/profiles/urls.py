from django.urls import path

from passage.profiles import views

app_name = "profiles"

urlpatterns = [
    path("", views.profile_list, name="list"),
    path("<int:profile_id>/", views.profile_detail, name="detail"),
    path("<int:profile_id>/new-version/", views.profile_new_version, name="new_version"),
    path("<int:profile_id>/withdraw/", views.profile_withdraw, name="withdraw"),
    path("holidays/", views.holiday_list, name="holidays"),
    path("holidays/add/", views.holiday_add, name="holiday_add"),
    path("holidays/seed/", views.holiday_seed, name="holiday_seed"),
    path("holidays/<int:holiday_id>/remove/", views.holiday_remove, name="holiday_remove"),
]
