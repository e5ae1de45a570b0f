"""Instance administrators create networks and check the proposed ones here."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from maillon.core.admin import StaffAuditedAdmin

from .models import Network, NetworkRole, NetworkStatus
from .networks.services import network_check


class NetworkRoleInline(admin.TabularInline):
    model = NetworkRole
    extra = 1
    raw_id_fields = ["user"]


@admin.register(Network)
class NetworkAdmin(StaffAuditedAdmin):
    list_display = ["name", "kind", "status", "created_at"]
    list_filter = ["status", "kind"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["departments"]
    inlines = [NetworkRoleInline]
    actions = ["approve", "refuse"]

    def save_model(self, request, obj, form, change):
        if not change and not obj.status:
            obj.status = NetworkStatus.ACTIVE
        super().save_model(request, obj, form, change)

    def _check(self, request, queryset, approve: bool):
        for network in queryset.filter(status=NetworkStatus.PENDING):
            network_check(actor=request.user, network=network, approve=approve)
        messages.success(request, _("Done."))

    @admin.action(description=_("Accept the selected networks"))
    def approve(self, request, queryset):
        self._check(request, queryset, True)

    @admin.action(description=_("Refuse the selected networks"))
    def refuse(self, request, queryset):
        self._check(request, queryset, False)
