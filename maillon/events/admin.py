from django.contrib import admin

from maillon.core.admin import StaffAuditedAdmin

from .models import Campaign


@admin.register(Campaign)
class CampaignAdmin(StaffAuditedAdmin):
    """Network-wide campaigns are created by the network operator (instance staff)."""

    list_display = ["title", "slug", "starts_on", "ends_on"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "starts_on"
