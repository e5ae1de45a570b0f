from django.contrib import admin
from django.db import transaction

from maillon.core.admin import StaffAuditedAdmin

from .models import Association, Statutes


class StatutesInline(admin.StackedInline):
    model = Statutes
    can_delete = False


@admin.register(Association)
class AssociationAdmin(StaffAuditedAdmin):
    list_display = ["name", "slug", "sector", "department", "size_band", "created_at"]
    list_filter = ["sector", "size_band", "is_listed"]
    search_fields = ["name", "slug", "rna", "siren"]
    prepopulated_fields = {"slug": ["name"]}
    list_select_related = ["sector", "department"]
    inlines = [StatutesInline]

    @transaction.atomic
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        Statutes.objects.get_or_create(association=obj)
