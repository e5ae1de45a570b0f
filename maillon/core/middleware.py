from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers


class LanguageMiddleware:
    """French unless the person chose otherwise: the language of a signed-in person's
    profile, else the language cookie set by the switcher, else LANGUAGE_CODE. The
    browser's Accept-Language is deliberately not followed: Maillon is French first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        available = dict(settings.LANGUAGES)
        user = getattr(request, "user", None)
        language = None
        if user is not None and user.is_authenticated and user.language in available:
            language = user.language
        if language is None:
            cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
            language = cookie if cookie in available else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ["Cookie"])
        response.headers.setdefault("Content-Language", language)
        return response
