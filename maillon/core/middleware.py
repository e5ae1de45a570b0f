from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import patch_vary_headers

from .text import forbidden_character_in, forbidden_character_message


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


class ControlCharactersMiddleware:
    """Refuses, before any page's view runs, text that holds a control character: NUL
    (which PostgreSQL refuses outright, so the view would answer 500) and the other C0
    controls, which no keyboard types (see ``maillon.core.text``).

    - a query-string or form field (name or value): 400, a page naming the field; tabs
      and line breaks are allowed here (a textarea keeps them);
    - a value in the path (a token in an email link): 404, no such page.

    The one check for every page and form, the ones to come included; the API has its
    own, answering 422 with the field's location (``api.schemas.common.InputSchema``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path_info.startswith(API_PATH_PREFIX):
            return None
        if forbidden_character_in([*view_args, *view_kwargs.values()]) is not None:
            raise Http404
        problems = [
            (name, forbidden_character_message(character))
            for name, values in _fields(request)
            for character in [forbidden_character_in([name, *values])]
            if character is not None
        ]
        if not problems:
            return None
        return render(request, "core/bad_input.html", {"problems": problems}, status=400)


API_PATH_PREFIX = "/api/"


def _fields(request):
    """(name, values) of the query string, and of the form of a POST (files aside)."""
    yield from request.GET.lists()
    if request.method == "POST":
        yield from request.POST.lists()
