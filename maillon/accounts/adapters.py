from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.urls import reverse
from django.utils import translation


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        # The language chosen while browsing anonymously becomes the profile's.
        language = translation.get_language() or settings.LANGUAGE_CODE
        if language[:2] in dict(settings.LANGUAGES):
            user.language = language[:2]
        return super().save_user(request, user, form, commit=commit)

    def get_login_redirect_url(self, request):
        # Records an association holds under the verified address are offered first.
        from maillon.members.linking.selectors import my_link_offers

        if my_link_offers(user=request.user):
            return reverse("links:offers")
        return super().get_login_redirect_url(request)

    def get_signup_redirect_url(self, request):
        # After the address is confirmed: the records it matches are offered first
        # (the page sends on to the personal space when there are none).
        return reverse("links:offers")
