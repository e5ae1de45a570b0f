"""Instance staff administration. Staff act outside any association scope, so the
admin runs with scopes disabled — and every change made there is written to the
audit log as a staff action, in the association's log when the object has one."""

from django.contrib import admin

from .audit import audit_log
from .models import AuditEntry

TENANT_MODEL = "associations.association"


def _association_of(obj):
    if obj._meta.label_lower == TENANT_MODEL:
        return obj
    return getattr(obj, "association", None)


class StaffAuditedAdmin(admin.ModelAdmin):
    """Writes an audit entry for every add, change and delete done by staff."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit_log(
            association=_association_of(obj),
            actor=request.user,
            action=f"staff.{obj._meta.model_name}_{'changed' if change else 'added'}",
            obj=obj,
            data={"fields": sorted(form.changed_data)} if change else {},
            is_staff_action=True,
        )

    def delete_model(self, request, obj):
        audit_log(
            association=_association_of(obj),
            actor=request.user,
            action=f"staff.{obj._meta.model_name}_deleted",
            obj=obj,
            is_staff_action=True,
        )
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "association",
        "actor_label",
        "action",
        "object_repr",
        "is_staff_action",
    ]
    list_filter = ["is_staff_action", "action"]
    search_fields = ["action", "actor_label", "object_repr"]
    list_select_related = ["association"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
