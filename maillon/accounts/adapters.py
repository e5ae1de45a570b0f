from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.utils import translation


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        # The language chosen while browsing anonymously becomes the profile's.
        language = translation.get_language() or settings.LANGUAGE_CODE
        if language[:2] in dict(settings.LANGUAGES):
            user.language = language[:2]
        return super().save_user(request, user, form, commit=commit)
