from django.contrib import admin

from maillon.core.admin import StaffAuditedAdmin

from .models import JoinRequest, Person, RoleAssignment


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 1
    fields = ["role", "since"]


@admin.register(Person)
class PersonAdmin(StaffAuditedAdmin):
    inlines = [RoleAssignmentInline]
    list_display = ["last_name", "first_name", "email", "association", "left_on"]
    search_fields = ["last_name", "first_name", "email"]
    list_select_related = ["association"]
    raw_id_fields = ["association", "user"]

    def save_formset(self, request, form, formset, change):
        # Role rows carry the person's association (tenant column) too.
        for instance in formset.save(commit=False):
            instance.association = form.instance.association
            instance.save()
        for obj in formset.deleted_objects:
            obj.delete()


@admin.register(JoinRequest)
class JoinRequestAdmin(StaffAuditedAdmin):
    list_display = ["email", "association", "status", "created_at"]
    list_select_related = ["association"]
    raw_id_fields = ["association", "user", "person", "decided_by"]
