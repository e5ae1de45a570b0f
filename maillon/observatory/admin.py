"""Instance administrators edit the population margins here."""

from django.contrib import admin

from .models import Margin, MarginSet, Wave


class MarginInline(admin.TabularInline):
    model = Margin
    extra = 0


@admin.register(MarginSet)
class MarginSetAdmin(admin.ModelAdmin):
    list_display = ("name", "year")
    inlines = [MarginInline]


@admin.register(Wave)
class WaveAdmin(admin.ModelAdmin):
    list_display = ("year", "status", "published_at")
    readonly_fields = ("status", "published_at", "margins", "weighting", "results")
    fields = ("year", "margin_set", *readonly_fields)

    def has_add_permission(self, request):
        return False  # opened from the observatory's staff page, through its service
