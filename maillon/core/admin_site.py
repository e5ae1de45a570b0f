"""The admin site runs with scopes disabled: instance staff work across
associations (and every change they make is audited, see core/admin.py).

It has no login form of its own: ``/admin/login/`` sends to allauth's login page
(``next=`` the admin), so staff go through the same two-factor step and the same
lockout as everyone. Where ``ADMIN_REQUIRE_TOTP`` is on (production: every
deployment outside debug), a staff account without a TOTP authenticator is sent to
set one up before it reaches any admin page."""

from functools import wraps

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.apps import AdminConfig
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django_scopes import scopes_disabled


def staff_needs_totp(user) -> bool:
    """A staff account that must still set up two-factor authentication."""
    # allauth's models load after the admin (the first app): imported here.
    from allauth.mfa.models import Authenticator
    from allauth.mfa.utils import is_mfa_enabled

    return (
        getattr(settings, "ADMIN_REQUIRE_TOTP", True)
        and user.is_authenticated
        and user.is_active
        and user.is_staff
        and not is_mfa_enabled(user, [Authenticator.Type.TOTP])
    )


class MaillonAdminSite(admin.AdminSite):
    site_header = "Maillon"
    site_title = "Maillon"

    def has_permission(self, request):
        return super().has_permission(request) and not staff_needs_totp(request.user)

    @method_decorator(never_cache)
    def login(self, request, extra_context=None):
        """No password form here (it would skip the TOTP step and the lockout): the
        visitor is sent to allauth's login, which comes back to the admin."""
        # This module is loaded with the app registry (MaillonAdminConfig): auth's
        # views import models, so they are imported when first needed.
        from django.contrib.auth.views import redirect_to_login

        index = reverse("admin:index", current_app=self.name)
        next_url = request.GET.get(REDIRECT_FIELD_NAME, "")
        if not url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            next_url = index
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(next_url, login_url=reverse("account_login"))
        if staff_needs_totp(user):
            messages.warning(
                request,
                _(
                    "Staff accounts need two-factor authentication to open the administration. "
                    "Please activate it to continue."
                ),
            )
            return redirect("mfa_activate_totp")
        if self.has_permission(request):
            return redirect(next_url)
        messages.error(request, _("Your account has no access to the administration."))
        return redirect("home")

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        @wraps(inner)
        def wrapper(request, *args, **kwargs):
            with scopes_disabled():
                response = inner(request, *args, **kwargs)
                # The admin's pages are TemplateResponses rendered after the view
                # returns: render them here, while the scopes are still disabled.
                if hasattr(response, "render") and not response.is_rendered:
                    response.render()
                return response

        return wrapper


class MaillonAdminConfig(AdminConfig):
    default_site = "maillon.core.admin_site.MaillonAdminSite"
