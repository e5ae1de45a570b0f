from django.conf import settings


def maillon(request):
    return {
        "current_association": getattr(request, "association", None),
        "current_person": getattr(request, "person", None),
        "current_permissions": getattr(request, "permissions", frozenset()),
        "SITE_URL": settings.SITE_URL,
    }
