from django.contrib import admin

from maillon.core.admin import StaffAuditedAdmin

from .models import JoinRequest, Person


@admin.register(Person)
class PersonAdmin(StaffAuditedAdmin):
    list_display = ["last_name", "first_name", "email", "association", "left_on"]
    search_fields = ["last_name", "first_name", "email"]
    list_select_related = ["association"]
    raw_id_fields = ["association", "user"]


@admin.register(JoinRequest)
class JoinRequestAdmin(StaffAuditedAdmin):
    list_display = ["email", "association", "status", "created_at"]
    list_select_related = ["association"]
    raw_id_fields = ["association", "user", "person", "decided_by"]
