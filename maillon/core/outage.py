"""While the database is out of reach (a restart, a failover, a saturated server) a
request cannot be served, but nothing was half-written either: the transaction was
rolled back with the lost connection. Every page and API call then answers 503 with
``Retry-After``, so people and clients know that trying again is safe, instead of a
500 that says "bug".

Two doors lead here, for the two places a query can fail:

* ``DatabaseUnavailableMiddleware.process_exception``: a view (page or API);
* ``server_error``, the project's ``handler500``: a middleware (loading the session,
  the signed-in user) or the rendering of a response.

Other database errors (a missing table, a violated constraint) stay 500: they are
bugs, and retrying would not help."""

from __future__ import annotations

import json
import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.template import loader
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token

logger = logging.getLogger(__name__)

#: Seconds a client should wait: a PostgreSQL restart takes a few.
RETRY_AFTER_SECONDS = 10

# SQLSTATE classes of PostgreSQL that mean "not now" rather than "wrong": connection
# exception (08), insufficient resources (53, too many connections), operator
# intervention (57: shutting down, starting up), and a transaction rolled back to
# let another through (serialization failure, deadlock) or a lock not obtained.
_UNAVAILABLE_SQLSTATE_CLASSES = ("08", "53", "57")
_UNAVAILABLE_SQLSTATES = ("40001", "40P01", "55P03")
# SQLite: the file is busy (another writer beyond the timeout) or unreachable.
_UNAVAILABLE_SQLITE = ("database is locked", "unable to open database", "disk i/o error")


def is_database_unavailable(error: BaseException) -> bool:
    """The database could not be reached or could not serve now."""
    if isinstance(error, InterfaceError):
        return True  # the connection is already closed
    if not isinstance(error, OperationalError):
        return False
    cause = error.__cause__
    if hasattr(cause, "sqlstate"):  # psycopg's errors carry PostgreSQL's SQLSTATE
        sqlstate = cause.sqlstate
        # No SQLSTATE: the client lost or never got the connection.
        return (
            sqlstate is None
            or sqlstate.startswith(_UNAVAILABLE_SQLSTATE_CLASSES)
            or sqlstate in _UNAVAILABLE_SQLSTATES
        )
    message = str(error).lower()
    return any(text in message for text in _UNAVAILABLE_SQLITE)


def unavailable_response(request: HttpRequest) -> HttpResponse:
    """503 with ``Retry-After``: JSON for the API, a page (rendered without the
    database: no session, no context processor) for everything else."""
    if request.path.startswith("/api/"):
        detail = _(
            "The service is briefly unavailable (the database is not answering). This "
            "request saved nothing; retry in a few seconds."
        )
        body = json.dumps({"detail": str(detail)}, ensure_ascii=False)
        response = HttpResponse(body, status=503, content_type="application/json")
    else:
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if is_database_unavailable(exception):
            logger.warning(
                "Database unavailable during %s %s: %s", request.method, request.path, exception
            )
            return unavailable_response(request)
        return None


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    """``handler500``: the 503 above when the error being handled is the database's
    absence, Django's plain 500 page otherwise."""
    error = sys.exc_info()[1]
    if error is not None and is_database_unavailable(error):
        return unavailable_response(request)
    return HttpResponseServerError(loader.render_to_string("500.html"))
