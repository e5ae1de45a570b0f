from django.contrib import admin

from maillon.core.admin import StaffAuditedAdmin

from .models import Cause, Department, Region, Sector, Skill


@admin.register(Sector, Skill, Cause)
class BilingualLabelAdmin(StaffAuditedAdmin):
    list_display = ["code", "label_fr", "label_en", "position"]


@admin.register(Region)
class RegionAdmin(StaffAuditedAdmin):
    list_display = ["code", "name"]


@admin.register(Department)
class DepartmentAdmin(StaffAuditedAdmin):
    list_display = ["code", "name", "region"]
    list_select_related = ["region"]
