from django.contrib import admin

from maillon.core.admin import StaffAuditedAdmin

from .models import Department, Region, Sector


@admin.register(Sector)
class SectorAdmin(StaffAuditedAdmin):
    list_display = ["code", "label_fr", "label_en", "position"]


@admin.register(Region)
class RegionAdmin(StaffAuditedAdmin):
    list_display = ["code", "name"]


@admin.register(Department)
class DepartmentAdmin(StaffAuditedAdmin):
    list_display = ["code", "name", "region"]
    list_select_related = ["region"]
