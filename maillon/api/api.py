"""REST API v1. Same services and selectors as the HTML views, same tenancy: the
association comes from the URL and every object is reached through it."""

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext as _
from django_scopes.exceptions import ScopeError
from ninja import NinjaAPI
from ninja.security import HttpBearer

from maillon.core.idempotency import KeyReused
from maillon.core.outage import is_database_unavailable, unavailable_response

from .errors import document_input_errors, field_errors, refusal_detail
from .routers.associations import router as associations_router
from .routers.events import router as events_router
from .routers.fees import router as fees_router
from .routers.funding import donations as funding_donations
from .routers.governance.assemblies import router as assemblies_router
from .routers.governance.polls import router as polls_router
from .routers.me import router as me_router
from .routers.members import router as members_router
from .routers.network import networks as network_networks
from .routers.network import practices as network_practices
from .routers.observatory import waves as observatory_waves
from .routers.volunteering import applications as volunteering_applications
from .routers.volunteering import hours as volunteering_hours
from .routers.volunteering import missions as volunteering_missions
from .tenancy import user_for_api_call

logger = logging.getLogger(__name__)


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        user = user_for_api_call(request, token)
        if user is not None:
            request.user = user
            # Same rule as the pages: a signed-in person gets the language of their
            # profile (messages of validation errors, labels).
            if user.language:
                translation.activate(user.language)
                request.LANGUAGE_CODE = user.language
        return user


class MaillonAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        return document_input_errors(schema)


api = MaillonAPI(
    title="Maillon API",
    version="1.0.0",
    description="REST API of Maillon. Authenticate with a personal token: "
    "`Authorization: Bearer <token>` (create one in your personal space).\n\n"
    "Start with `GET /me/associations` to find the `slug` of your associations. "
    "An association where you hold no role answers 404, like one that does not exist; "
    "inside your association, an action your roles do not allow answers 403. "
    "Invalid data answers 422 with one entry per problem in `detail`: `loc` is "
    '`["body", "payload", <field>]` for a field of the body (then an index for an '
    "item of a list), `<field>` being `__all__` for a problem with the whole object; "
    '`["query", <parameter>]` for a parameter. A body is a JSON object (a list or a single '
    "value answers 422) with the JSON types its schema gives; a body that is not JSON "
    "answers 400. Text never holds a control character (NUL...): only multi-line fields "
    "(their `pattern` says so) take line breaks and tabs.\n\n"
    "Writes that take an `Idempotency-Key` header answer a retry with the same key and "
    "the same body with the first answer; the same key with another body answers 422 "
    '(`["header", "Idempotency-Key"]`), as the IETF Idempotency-Key draft says.',
    auth=TokenAuth(),
    docs_url="/docs",
)

api.add_router("/me", me_router)
api.add_router("/associations", associations_router)
api.add_router("/associations", members_router)
api.add_router("/associations", fees_router)
api.add_router("/associations", assemblies_router)
api.add_router("/associations", polls_router)
# Volunteering: public /missions and /associations/{slug}/missions, applications, hours.
api.add_router("", volunteering_missions.router)
api.add_router("", volunteering_applications.router)
api.add_router("", volunteering_hours.router)
api.add_router("", events_router)
api.add_router("", observatory_waves.router)
api.add_router("", funding_donations.router)
# Networks: the member table and campaigns for the team; practice sheets.
api.add_router("", network_networks.router)
api.add_router("", network_practices.router)

# Pooled resources, bookings and help requests (maillon/network/pooling, /help).
from .routers.network.pooling import router as pooling_router  # noqa: E402

api.add_router("", pooling_router)

# Writes of resources and bookings, help requests and their suggested helpers.
from .routers.network.help import router as help_router  # noqa: E402
from .routers.network.resources import router as resources_router  # noqa: E402

api.add_router("", resources_router)
api.add_router("", help_router)

# Time sheets of skills sponsorship (maillon/network/help/sponsorship).
from .routers.network.sponsorship import router as sponsorship_router  # noqa: E402

api.add_router("", sponsorship_router)


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError):
    return api.create_response(request, {"detail": field_errors(exc)}, status=422)


@api.exception_handler(KeyReused)
def on_key_reused(request: HttpRequest, exc: KeyReused):
    # The header, not the body, is at fault: the same key came with other data.
    detail = [
        {
            "loc": ["header", "Idempotency-Key"],
            "msg": refusal_detail(exc),
            "type": "idempotency_key_reused",
        }
    ]
    return api.create_response(request, {"detail": detail}, status=422)


@api.exception_handler(PermissionDenied)
def on_permission_denied(request: HttpRequest, exc: PermissionDenied):
    detail = str(exc) or _("Your roles in this association do not allow this.")
    return api.create_response(request, {"detail": detail}, status=403)


def _not_found_after_bug(request: HttpRequest, exc: Exception):
    # A query outside the association's scope, or a service refusing an object of
    # another association, is a bug in an endpoint: log it loudly, but answer like
    # for anything outside the caller's reach.
    logger.error("Tenancy violation in API %s %s", request.method, request.path, exc_info=exc)
    return api.create_response(request, {"detail": "Not Found"}, status=404)


api.add_exception_handler(ScopeError, _not_found_after_bug)
# Services raise ObjectOutsideAssociation (an Http404) when handed an object of another
# association; ninja answers it as 404 like any Http404.


def _database_unavailable(request: HttpRequest, exc: Exception):
    # The database out of reach: 503 with Retry-After, like the pages (core/outage.py);
    # any other database error is a bug and goes up as one.
    if not is_database_unavailable(exc):
        raise exc
    return unavailable_response(request)


api.add_exception_handler(OperationalError, _database_unavailable)
api.add_exception_handler(InterfaceError, _database_unavailable)
