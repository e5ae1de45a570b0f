"""REST API v1. Same services and selectors as the HTML views, same tenancy: the
association comes from the URL and every object is reached through it."""

from django.http import HttpRequest
from ninja import NinjaAPI
from ninja.security import HttpBearer

from maillon.accounts.selectors import user_for_api_token


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        user = user_for_api_token(token)
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(
    title="Maillon API",
    version="1.0.0",
    description="REST API of Maillon. Authenticate with a personal token: "
    "`Authorization: Bearer <token>` (create one in your personal space).",
    auth=TokenAuth(),
    docs_url="/docs",
)
