"""Read-only admin views of orientation data (changes go through the app's pages)."""

from django.contrib import admin

from passage.core.admin import PolicyAdmin, site
from passage.orientation.models import Attendance, Course, Curriculum, Enrolment, Session


@admin.register(Curriculum, site=site)
class CurriculumAdmin(PolicyAdmin):
    list_display = ("code", "name", "country", "min_age", "max_age", "required_hours",
                    "effective_from")  # fmt: skip
    list_filter = ("country",)


@admin.register(Course, site=site)
class CourseAdmin(PolicyAdmin):
    list_display = ("title", "curriculum", "language", "capacity", "status")
    list_filter = ("status", "language")
    list_select_related = ("curriculum",)


@admin.register(Session, site=site)
class SessionAdmin(PolicyAdmin):
    list_display = ("course", "starts_at", "ends_at", "venue")
    list_select_related = ("course",)


@admin.register(Enrolment, site=site)
class EnrolmentAdmin(PolicyAdmin):
    list_display = ("course", "person", "status", "hours_attended", "completed_on")
    list_filter = ("status",)
    list_select_related = ("course", "person")


@admin.register(Attendance, site=site)
class AttendanceAdmin(PolicyAdmin):
    list_display = ("session", "enrolment", "hours")
    list_select_related = ("session__course", "enrolment")
