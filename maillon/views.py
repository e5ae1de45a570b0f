"""Pages of the platform as a whole, above every module (like ``maillon/urls.py``)."""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from maillon.associations.selectors import association_directory
from maillon.members.roles.selectors import my_associations


@require_safe
def home(request):
    context = {"recent_associations": association_directory().order_by("-created_at")[:6]}
    if request.user.is_authenticated:
        context["my_associations"] = my_associations(user=request.user)
    return render(request, "core/home.html", context)
