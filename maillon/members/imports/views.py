"""Pages of the member import: upload, column mapping, preview, confirmation,
progress. Thin: each reads input, calls a service or selector, renders."""

from __future__ import annotations

import csv
import io

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from maillon.core.forms import add_validation_error
from maillon.core.tenancy import association_required
from maillon.core.views import run_service

from ..models import ImportStatus
from ..permissions import Perm
from . import parsing, services
from .forms import MemberImportConfirmForm, MemberImportMappingForm, MemberImportUploadForm
from .selectors import member_import_get, member_import_recent

PREVIEW_PAGE_SIZE = 100
RUNNING_STATUSES = (ImportStatus.QUEUED, ImportStatus.RUNNING)


def _go(name: str, request, member_import):
    return redirect(
        f"members:{name}", association_slug=request.association.slug, import_id=member_import.pk
    )


@association_required(Perm.IMPORT_MEMBERS)
@require_http_methods(["GET", "POST"])
def upload(request, association_slug):
    form = MemberImportUploadForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            member_import = services.member_import_upload(
                association=request.association,
                actor=request.user,
                uploaded_file=form.cleaned_data["file"],
            )
        except ValidationError as error:
            form.add_error("file", error)
        else:
            # The mapping page says how many rows were read: no flash message twice.
            return _go("import_mapping", request, member_import)
    return render(
        request,
        "members/import_upload.html",
        {"form": form, "recent_imports": member_import_recent(association=request.association)},
    )


@association_required(Perm.IMPORT_MEMBERS)
@require_safe
def example_file(request, association_slug):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerows(parsing.example_rows())
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="maillon-members-example.csv"'
    return response


@association_required(Perm.IMPORT_MEMBERS)
@require_http_methods(["GET", "POST"])
def mapping(request, association_slug, import_id):
    member_import = member_import_get(association=request.association, import_id=import_id)
    if member_import.status not in services.EDITABLE_STATUSES:
        return _go("import_progress", request, member_import)
    form = MemberImportMappingForm(
        request.POST if request.method == "POST" else None,
        headers=member_import.headers,
        rows=member_import.rows,
        mapping=member_import.mapping,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.member_import_set_mapping(
                association=request.association,
                actor=request.user,
                member_import=member_import,
                mapping=form.mapping(),
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            return _go("import_preview", request, member_import)
    return render(
        request,
        "members/import_mapping.html",
        {
            "form": form,
            "member_import": member_import,
            "encoding_label": _ENCODING_LABELS.get(member_import.encoding, member_import.encoding),
            "delimiter_label": _delimiter_label(member_import.delimiter),
        },
    )


_ENCODING_LABELS = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8 (BOM)",
    "utf-16": "UTF-16",
    "cp1252": "Windows-1252",
    "latin-1": "ISO-8859-1",
}


def _delimiter_label(delimiter: str) -> str:
    if delimiter == "\t":
        return _("tab")
    return f"“{delimiter}”"


@association_required(Perm.IMPORT_MEMBERS)
@require_safe
def preview(request, association_slug, import_id):
    member_import = member_import_get(association=request.association, import_id=import_id)
    if member_import.status == ImportStatus.UPLOADED:
        return _go("import_mapping", request, member_import)
    if member_import.status not in services.EDITABLE_STATUSES:
        return _go("import_progress", request, member_import)
    errors_by_line = {entry["line"]: entry["errors"] for entry in member_import.errors}
    invalid_lines = sorted(errors_by_line)
    show = request.GET.get("show")
    if show not in ("errors", "all"):
        show = "errors" if invalid_lines else "all"
    rows = member_import.rows
    if show == "errors":
        rows = [row for row in rows if row["line"] in errors_by_line]
    page = Paginator(rows, PREVIEW_PAGE_SIZE).get_page(request.GET.get("page"))
    columns = sorted(
        ((index, target) for target, index in member_import.mapping.items()),
        key=lambda item: list(parsing.TARGET_FIELDS).index(item[1]),
    )
    table = [
        {
            "line": row["line"],
            "cells": [
                row["cells"][index] if index < len(row["cells"]) else "" for index, _t in columns
            ],
            "errors": errors_by_line.get(row["line"], []),
        }
        for row in page
    ]
    return render(
        request,
        "members/import_preview.html",
        {
            "member_import": member_import,
            "page_obj": page,
            "table": table,
            "show": show,
            "columns": [
                {
                    "label": parsing.TARGET_FIELDS[target],
                    "header": parsing.column_label(member_import.headers, index),
                }
                for index, target in columns
            ],
            "mapping_by_column": {
                f"column_{index}": target for target, index in member_import.mapping.items()
            },
            "invalid_count": len(invalid_lines),
            "confirm_form": MemberImportConfirmForm(
                valid_count=member_import.valid_rows, invalid_lines=invalid_lines
            ),
            "in_background": member_import.valid_rows > settings.MEMBER_IMPORT_SYNC_MAX_ROWS,
        },
    )


@association_required(Perm.IMPORT_MEMBERS)
@require_POST
def confirm(request, association_slug, import_id):
    member_import = member_import_get(
        association=request.association, import_id=import_id, with_data=False
    )
    form = MemberImportConfirmForm(
        request.POST,
        valid_count=member_import.valid_rows,
        invalid_lines=[entry["line"] for entry in member_import.errors]
        if member_import.status == ImportStatus.PREVIEWED
        else [],
    )
    if not form.is_valid():
        for error in form.errors.get("skip_invalid_rows", []):
            messages.error(request, error)
        return _go("import_preview", request, member_import)
    outcome = run_service(
        request,
        services.member_import_confirm,
        member_import=member_import,
        skip_invalid_rows=form.cleaned_data["skip_invalid_rows"],
    )
    if not outcome.ok:
        return _go("import_preview", request, member_import)
    return _go("import_progress", request, outcome.value)


@association_required(Perm.IMPORT_MEMBERS)
@require_safe
def progress(request, association_slug, import_id):
    member_import = member_import_get(
        association=request.association, import_id=import_id, with_data=False
    )
    is_running = member_import.status in RUNNING_STATUSES
    context = {
        "member_import": member_import,
        "is_running": is_running,
        # Phase 2 (the single write transaction) shows no count: see member_import_run.
        "is_writing": member_import.status == ImportStatus.RUNNING
        and member_import.processed_rows >= member_import.valid_rows,
        "skipped_count": member_import.total_rows - member_import.valid_rows,
    }
    template = (
        "members/partials/import_progress.html" if request.htmx else "members/import_progress.html"
    )
    return render(request, template, context)


@association_required(Perm.IMPORT_MEMBERS)
@require_POST
def discard(request, association_slug, import_id):
    member_import = member_import_get(
        association=request.association, import_id=import_id, with_data=False
    )
    outcome = run_service(
        request,
        services.member_import_discard,
        success=_("The import and its file content have been deleted."),
        member_import=member_import,
    )
    if not outcome.ok:
        return _go("import_progress", request, member_import)
    return redirect("members:import_upload", association_slug=association_slug)
