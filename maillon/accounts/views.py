import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from maillon.core.forms import add_validation_error
from maillon.members.linking.selectors import my_link_offers
from maillon.members.roles.selectors import my_associations, my_associations_where_sole_admin
from maillon.members.your_turn import my_turn

from . import services
from .export import my_data_export
from .forms import EraseForm, LanguageForm, TokenForm
from .models import ApiToken
from .selectors import user_has_totp


@login_required
@require_safe
def home(request):
    return render(
        request,
        "accounts/home.html",
        {
            "my_associations": my_associations(user=request.user),
            "has_totp": user_has_totp(request.user),
            "turn_items": my_turn(user=request.user),
            "link_offers": my_link_offers(user=request.user),
        },
    )


@require_POST
def language(request):
    """Language switcher: stored on the profile of a signed-in person, in a cookie
    for everybody."""
    form = LanguageForm(request.POST)
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = "/"
    response = redirect(next_url)
    if form.is_valid():
        code = form.cleaned_data["language"]
        if request.user.is_authenticated:
            services.user_set_language(user=request.user, language=code)
        translation.activate(code)
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            code,
            max_age=365 * 24 * 3600,
            samesite="Lax",
            secure=request.is_secure(),
        )
    return response


@login_required
@require_safe
def my_data(request):
    return render(request, "accounts/data.html", {"data": my_data_export(user=request.user)})


@login_required
@require_safe
def data_export(request):
    data = my_data_export(user=request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="maillon-my-data-{stamp}.json"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def erase(request):
    form = EraseForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        try:
            services.my_account_erase(user=user)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            logout(request)
            messages.success(request, _("Your account has been deleted and your data erased."))
            return redirect("home")
    return render(
        request,
        "accounts/erase.html",
        {"form": form, "admin_of": my_associations_where_sole_admin(user=request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def tokens(request):
    form = TokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        _token, new_token = services.api_token_create(
            user=request.user, name=form.cleaned_data["name"]
        )
        form = TokenForm()
    return render(
        request,
        "accounts/tokens.html",
        {"form": form, "tokens": request.user.api_tokens.all(), "new_token": new_token},
    )


@login_required
@require_POST
def token_revoke(request, token_id):
    token = ApiToken.objects.filter(user=request.user, pk=token_id).first()
    if token is None:
        raise Http404
    services.api_token_revoke(user=request.user, token=token)
    messages.success(request, _("The token has been revoked."))
    return redirect("me:tokens")
