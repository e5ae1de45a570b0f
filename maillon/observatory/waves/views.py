"""Pages of the waves: the staff page (open, publish), an association's consent,
an anonymous taker's opt-in."""

from __future__ import annotations

from functools import wraps

from django.contrib import admin, messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from maillon.associations.models import Module
from maillon.core.tenancy import association_required
from maillon.core.views import flash_refusal, run_service
from maillon.members.permissions import Perm
from maillon.strategy.diagnostic.selectors import anonymous_diagnostic_get

from . import selectors, services
from .forms import ConsentForm, OptInForm, WaveOpenForm


def instance_staff_required(view):
    """Instance staff, on the same terms as the admin site (two-factor authentication
    set up): others are sent to log in, or to the admin, which asks for it."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not admin.site.has_permission(request):
            if request.user.is_staff:
                return redirect("admin:index")
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


@instance_staff_required
@require_http_methods(["GET", "POST"])
def manage(request):
    form = WaveOpenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.wave_open(actor=request.user, year=form.cleaned_data["year"])
        except ValidationError as error:
            flash_refusal(request, error)
        else:
            messages.success(request, _("The wave is open: associations can now consent."))
        return redirect("observatory:manage")
    return render(
        request,
        "observatory/manage.html",
        {"form": form, "waves": selectors.waves_for_staff()},
    )


@instance_staff_required
@require_POST
def publish(request, year):
    wave = selectors.open_wave_get(year=year)
    try:
        services.wave_publish(actor=request.user, wave=wave)
    except ValidationError as error:
        flash_refusal(request, error)
        return redirect("observatory:manage")
    messages.success(request, _("The wave is published."))
    return redirect("observatory:wave", year=wave.year)


@association_required(Perm.MANAGE_STRATEGY, module=Module.STRATEGY)
@require_POST
def consent(request, association_slug):
    wave = selectors.open_wave()
    form = ConsentForm(request.POST)
    if wave is None or not form.is_valid():
        messages.error(request, _("No wave of the observatory is open."))
    else:
        consented = form.cleaned_data["consented"]
        run_service(
            request,
            services.wave_consent_set,
            wave=wave,
            consented=consented,
            success=_("Your diagnostic will count in the observatory.")
            if consented
            else _("Your diagnostic will not count in the observatory."),
        )
    back = request.POST.get("next", "")
    if back.startswith(f"/a/{association_slug}/") and "//" not in back:
        return redirect(back)
    return redirect("strategy:home", association_slug=association_slug)


@require_POST
def opt_in(request, token):
    anonymous = anonymous_diagnostic_get(token=token)
    if anonymous.completed_at is None:
        return redirect("diagnostic:summary", token=anonymous.token)
    if request.POST.get("withdraw"):
        services.anonymous_opt_out(token=anonymous.token)
        messages.success(request, _("This diagnostic will not count in the observatory."))
    else:
        form = OptInForm(request.POST)
        region = form.cleaned_data["region"] if form.is_valid() else None
        services.anonymous_opt_in(token=anonymous.token, region=region.code if region else "")
        messages.success(request, _("Thank you: this diagnostic will count in the observatory."))
    return redirect("diagnostic:results", token=anonymous.token)
