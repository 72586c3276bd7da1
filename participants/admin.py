from django.contrib import admin

from participants.models import Attendance, Enrolment, EnrolmentStatusChange, Participant


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = ["user", "agency", "position", "country", "user__language"]
    list_select_related = ["user", "agency"]
    list_filter = ["country", "user__language"]
    search_fields = ["user__email", "user__first_name", "user__last_name"]


class StatusChangeInline(admin.TabularInline):
    model = EnrolmentStatusChange
    extra = 0
    readonly_fields = ["from_status", "to_status", "changed_by", "changed_at", "note"]


@admin.register(Enrolment)
class EnrolmentAdmin(admin.ModelAdmin):
    list_display = ["participant", "cohort", "status", "status_changed_at"]
    list_select_related = ["participant__user", "cohort"]
    list_filter = ["status", "cohort"]
    inlines = [StatusChangeInline]


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ["enrolment", "session", "status", "recorded_at"]
    list_select_related = ["enrolment__participant__user", "enrolment__cohort", "session"]
    list_filter = ["status"]
