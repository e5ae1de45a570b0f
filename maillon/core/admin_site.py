"""The admin site runs with scopes disabled: instance staff work across
associations (and every change they make is audited, see core/admin.py)."""

from functools import wraps

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django_scopes import scopes_disabled


class MaillonAdminSite(admin.AdminSite):
    site_header = "Maillon"
    site_title = "Maillon"

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        @wraps(inner)
        def wrapper(request, *args, **kwargs):
            with scopes_disabled():
                return inner(request, *args, **kwargs)

        return wrapper


class MaillonAdminConfig(AdminConfig):
    default_site = "maillon.core.admin_site.MaillonAdminSite"
