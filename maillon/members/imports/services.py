"""Member import: upload → column mapping → checked preview → confirmation → run.

The run is all or nothing: either every confirmed row becomes a person (with roles
and this year's fee) or nothing is written and the import is marked failed with a
message. Rows with errors are skipped only when the user confirmed it after seeing
them in the preview.
"""

from __future__ import annotations

import logging
import os
from decimal import Decimal
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from maillon.accounts.models import User
from maillon.associations.models import Association
from maillon.core.audit import audit_log
from maillon.core.tenancy import ensure_same_association

from ..fees.periods import period_containing
from ..fees.selectors import period_rule_of
from ..models import ImportStatus, MemberImport, MembershipPeriod, Person, Role, RoleAssignment
from ..permissions import Perm, check_permission, permissions_for_roles
from ..roles.selectors import my_roles
from . import parsing
from .selectors import existing_emails, existing_people_by_identity
from .tasks import run_member_import

logger = logging.getLogger(__name__)

CHUNK_SIZE = 500
EDITABLE_STATUSES = (ImportStatus.UPLOADED, ImportStatus.PREVIEWED, ImportStatus.FAILED)
STARTED_STATUSES = (ImportStatus.QUEUED, ImportStatus.RUNNING, ImportStatus.DONE)


class ImportRunError(Exception):
    """The import cannot be written; ``message`` tells the user why."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _allowed_roles(*, association: Association, actor: User) -> frozenset[str]:
    """Like ``person_create``: roles beyond member and volunteer need MANAGE_ROLES."""
    permissions = permissions_for_roles(my_roles(association=association, user=actor))
    if Perm.MANAGE_ROLES in permissions:
        return frozenset(Role.values)
    return frozenset({Role.MEMBER, Role.VOLUNTEER})


def _validator(
    *,
    association: Association,
    actor: User,
    member_import: MemberImport,
    rows: list[dict],
    mapping: dict[str, int],
) -> parsing.RowValidator:
    return parsing.RowValidator(
        headers=member_import.headers,
        mapping=mapping,
        existing_emails=existing_emails(
            association=association, emails=parsing.emails_in(rows, mapping)
        ),
        allowed_roles=_allowed_roles(association=association, actor=actor),
        today=timezone.localdate(),
        existing_people=existing_people_by_identity(
            association=association, birth_dates=parsing.birth_dates_in(rows, mapping)
        ),
    )


def _lock_status(member_import: MemberImport) -> str | None:
    """Lock the import row until the end of the transaction; its current status.
    Only the status is read: the stored rows can weigh megabytes."""
    return (
        MemberImport.objects.select_for_update()
        .filter(pk=member_import.pk)
        .values_list("status", flat=True)
        .first()
    )


def member_import_upload(
    *, association: Association, actor: User, uploaded_file: Any
) -> MemberImport:
    """Read the uploaded file and keep its decoded table, with a suggested mapping."""
    check_permission(association=association, actor=actor, permission=Perm.IMPORT_MEMBERS)
    file_name = os.path.basename(getattr(uploaded_file, "name", "") or "")[:255] or "import"
    size = getattr(uploaded_file, "size", None)
    if size is not None and size > parsing.MAX_FILE_BYTES:
        raise parsing.file_too_large_error()
    data = uploaded_file.read(parsing.MAX_FILE_BYTES + 1)
    # Parsing happens before the transaction: no lock is held while reading the file.
    table = parsing.read_table(data, file_name=file_name, max_rows=settings.MEMBER_IMPORT_MAX_ROWS)
    with transaction.atomic():
        member_import = MemberImport(
            association=association,
            created_by=actor,
            file_name=file_name,
            file_format=table.file_format,
            headers=table.headers,
            rows=table.rows,
            encoding=table.encoding,
            delimiter=table.delimiter,
            mapping=table.mapping,
            total_rows=len(table.rows),
        )
        member_import.full_clean(exclude=["association", "created_by", "confirmed_by"])
        member_import.save()
        audit_log(
            association=association,
            actor=actor,
            action="members.import_uploaded",
            obj=member_import,
            data={
                "file_name": file_name,
                "format": table.file_format,
                "encoding": table.encoding,
                "rows": len(table.rows),
            },
        )
    return member_import


def member_import_set_mapping(
    *,
    association: Association,
    actor: User,
    member_import: MemberImport,
    mapping: dict[str, int],
) -> MemberImport:
    """Check every row with the chosen columns and keep the errors for the preview."""
    check_permission(association=association, actor=actor, permission=Perm.IMPORT_MEMBERS)
    ensure_same_association(association, member_import)
    if member_import.status not in EDITABLE_STATUSES:
        raise ValidationError(
            _("This import has already been started; it can no longer be changed.")
        )
    mapping = parsing.clean_mapping(mapping, headers=member_import.headers)
    rows = member_import.rows
    # The stored table never changes after upload, so the (long) check runs before
    # taking the lock; the run checks everything again anyway.
    validator = _validator(
        association=association,
        actor=actor,
        member_import=member_import,
        rows=rows,
        mapping=mapping,
    )
    errors = []
    for row in rows:
        result = validator.check(row["line"], row["cells"])
        if result.errors:
            errors.append({"line": row["line"], "errors": result.errors})
    with transaction.atomic():
        if _lock_status(member_import) not in EDITABLE_STATUSES:
            raise ValidationError(
                _("This import has already been started; it can no longer be changed.")
            )
        member_import.mapping = mapping
        member_import.errors = errors
        member_import.total_rows = len(rows)
        member_import.valid_rows = len(rows) - len(errors)
        member_import.processed_rows = 0
        member_import.status = ImportStatus.PREVIEWED
        member_import.failure_message = ""
        member_import.skip_invalid_rows = False
        member_import.save(
            update_fields=[
                "mapping",
                "errors",
                "total_rows",
                "valid_rows",
                "processed_rows",
                "status",
                "failure_message",
                "skip_invalid_rows",
            ]
        )
    return member_import


def member_import_confirm(
    *,
    association: Association,
    actor: User,
    member_import: MemberImport,
    skip_invalid_rows: bool = False,
) -> MemberImport | None:
    """Start the import of the checked rows. Small imports run now; larger ones go to
    a background task. Confirming again an import already started changes nothing."""
    check_permission(association=association, actor=actor, permission=Perm.IMPORT_MEMBERS)
    ensure_same_association(association, member_import)
    with transaction.atomic():
        status = _lock_status(member_import)
        if status in STARTED_STATUSES:
            member_import.refresh_from_db(fields=["status", "processed_rows", "created_count"])
            return member_import  # a double click or a retried request
        if status != ImportStatus.PREVIEWED:
            raise ValidationError(_("Check the rows again before importing them."))
        member_import.refresh_from_db(fields=["errors", "valid_rows", "total_rows"])
        invalid = len(member_import.errors)
        if member_import.valid_rows == 0:
            raise ValidationError(
                _("No row can be imported: correct the file and upload it again.")
            )
        if invalid and not skip_invalid_rows:
            raise ValidationError(
                ngettext(
                    "%(count)s row has errors. Confirm that it will be skipped, or correct "
                    "the file first.",
                    "%(count)s rows have errors. Confirm that they will be skipped, or "
                    "correct the file first.",
                    invalid,
                )
                % {"count": invalid}
            )
        member_import.status = ImportStatus.QUEUED
        member_import.confirmed_by = actor
        member_import.confirmed_at = timezone.now()
        member_import.skip_invalid_rows = bool(invalid)
        member_import.processed_rows = 0
        member_import.failure_message = ""
        member_import.save(
            update_fields=[
                "status",
                "confirmed_by",
                "confirmed_at",
                "skip_invalid_rows",
                "processed_rows",
                "failure_message",
            ]
        )
        in_background = member_import.valid_rows > settings.MEMBER_IMPORT_SYNC_MAX_ROWS
        if in_background:
            # After commit, so the worker finds the import QUEUED.
            transaction.on_commit(
                partial(_enqueue_run, association, member_import.pk, actor.language)
            )
    if in_background:
        return member_import
    return member_import_run(association=association, import_id=member_import.pk)


def _enqueue_run(association: Association, import_id: int, language: str) -> None:
    try:
        run_member_import.enqueue(
            association_id=association.pk, language=language, import_id=import_id
        )
    except Exception:
        logger.exception("Could not enqueue member import %s", import_id)
        MemberImport.objects.filter(pk=import_id, status=ImportStatus.QUEUED).update(
            status=ImportStatus.FAILED,
            failure_message=_(
                "The import could not be started. Nothing was written; try again in a few minutes."
            ),
            finished_at=timezone.now(),
        )


def member_import_run(*, association: Association, import_id: int) -> MemberImport | None:
    """Write every confirmed row, all or nothing.

    Progress and atomicity: the run has two phases.

    1. *Checking* (outside any transaction): every row is checked again against the
       register as it is now and turned into unsaved objects, chunk by chunk;
       ``processed_rows`` is committed after each chunk, so the progress page (another
       connection) sees it move. Nothing of the register is written in this phase.
    2. *Writing*: one ``transaction.atomic`` block re-checks the emails under the
       transaction, bulk-inserts people, roles and fees in chunks, writes the audit
       entry and marks the import done. Its progress cannot be shown honestly: other
       connections do not see uncommitted rows, and on SQLite a second connection
       cannot write while this one holds the lock. The page shows this phase as
       "saving" with an indeterminate bar.

    Any failure in either phase leaves the register untouched and marks the import
    FAILED with a message; the rows are kept so the user can check them again.
    """
    with transaction.atomic():
        member_import = (
            MemberImport.objects.select_for_update()
            .filter(association=association, pk=import_id)
            .first()
        )
        if member_import is None or member_import.status != ImportStatus.QUEUED:
            return member_import  # already run, running elsewhere, or not confirmed
        member_import.status = ImportStatus.RUNNING
        member_import.processed_rows = 0
        member_import.save(update_fields=["status", "processed_rows"])
    try:
        prepared = _prepare_rows(member_import)
        _write_rows(member_import, prepared)
    except ImportRunError as error:
        return _mark_failed(member_import, error.message)
    except Exception:
        logger.exception("Member import %s failed", import_id)
        return _mark_failed(
            member_import,
            _(
                "An unexpected error stopped the import. Nothing was written; you can check "
                "the rows again and retry."
            ),
        )
    member_import.refresh_from_db(
        fields=["status", "processed_rows", "created_count", "finished_at", "rows"]
    )
    return member_import


def _mark_failed(member_import: MemberImport, message: str) -> MemberImport:
    MemberImport.objects.filter(pk=member_import.pk).update(
        status=ImportStatus.FAILED,
        failure_message=message,
        processed_rows=0,
        finished_at=timezone.now(),
    )
    member_import.refresh_from_db(
        fields=["status", "failure_message", "processed_rows", "finished_at"]
    )
    return member_import


def _confirmer_still_allowed(member_import: MemberImport) -> User:
    """The run acts in the name of the person who confirmed the import: they must
    still be allowed to import members."""
    actor = member_import.confirmed_by
    try:
        if actor is None:
            raise PermissionDenied
        check_permission(
            association=member_import.association, actor=actor, permission=Perm.IMPORT_MEMBERS
        )
    except PermissionDenied:
        raise ImportRunError(
            _(
                "The person who confirmed this import may no longer import members. Nothing "
                "was written."
            )
        ) from None
    return actor


def _prepare_rows(member_import: MemberImport) -> list[tuple[Person, list[str], Decimal | None]]:
    """Phase 1: check again and build the objects, committing progress per chunk."""
    association = member_import.association
    actor = _confirmer_still_allowed(member_import)
    skipped = {entry["line"] for entry in member_import.errors}
    # Rows skipped at confirmation are left out before checking: they must not count
    # as "seen" for the duplicate check of the rows that are imported.
    rows = [row for row in member_import.rows if row["line"] not in skipped]
    if len(rows) != member_import.valid_rows:
        raise ImportRunError(_("The import changed since it was checked. Check it again."))
    validator = _validator(
        association=association,
        actor=actor,
        member_import=member_import,
        rows=rows,
        mapping=member_import.mapping,
    )
    prepared = []
    for start in range(0, len(rows), CHUNK_SIZE):
        for row in rows[start : start + CHUNK_SIZE]:
            result = validator.check(row["line"], row["cells"])
            if result.errors:
                raise ImportRunError(_row_changed_message(result))
            person = Person(association=association, **result.values)
            person.refresh_search_text()
            try:
                person.clean_fields(exclude=["association", "user"])
            except ValidationError as error:
                raise ImportRunError(
                    _("Row %(line)s cannot be imported: %(reason)s Nothing was written.")
                    % {"line": row["line"], "reason": " ".join(error.messages)}
                ) from None
            prepared.append((person, result.roles, result.fee_amount))
        MemberImport.objects.filter(pk=member_import.pk).update(processed_rows=len(prepared))
    return prepared


def _row_changed_message(result: parsing.RowCheck) -> str:
    reasons = " ".join(f"{e['column']}: {e['message']}" for e in result.errors)
    return _(
        "Row %(line)s can no longer be imported (the register changed since the check): "
        "%(reasons)s Nothing was written. Check the rows again."
    ) % {"line": result.line, "reasons": reasons}


def _write_rows(member_import: MemberImport, prepared: list) -> None:
    """Phase 2: one transaction for everything, or nothing."""
    association, actor = member_import.association, member_import.confirmed_by
    today = timezone.localdate()
    with transaction.atomic():
        if _lock_status(member_import) != ImportStatus.RUNNING:
            raise ImportRunError(_("This import was stopped. Nothing was written."))
        emails = {person.email for person, _roles, _fee in prepared if person.email}
        clash = existing_emails(association=association, emails=emails)
        if clash:
            raise ImportRunError(
                ngettext(
                    "%(count)s email address of the file was added to the register while the "
                    "import was running. Nothing was written. Check the rows again.",
                    "%(count)s email addresses of the file were added to the register while "
                    "the import was running. Nothing was written. Check the rows again.",
                    len(clash),
                )
                % {"count": len(clash)}
            )
        people = [person for person, _roles, _fee in prepared]
        Person.objects.bulk_create(people, batch_size=CHUNK_SIZE)
        RoleAssignment.objects.bulk_create(
            [
                RoleAssignment(
                    association=association, person=person, role=role, since=person.joined_on
                )
                for person, roles, _fee in prepared
                for role in roles
            ],
            batch_size=CHUNK_SIZE,
        )
        note = _("Imported from %(file)s") % {"file": member_import.file_name}
        # New people hold no period yet: the fee covers the rule's period of today.
        start, end = period_containing(period_rule_of(association=association), today)
        periods = [
            MembershipPeriod(
                association=association,
                person=person,
                start=start,
                end=end,
                fee_paid=True,
                paid_on=today,
                amount=fee,
                note=note[:255],
            )
            for person, _roles, fee in prepared
            if fee is not None
        ]
        MembershipPeriod.objects.bulk_create(periods, batch_size=CHUNK_SIZE)
        audit_log(
            association=association,
            actor=actor,
            action="members.imported",
            obj=member_import,
            data={
                "file_name": member_import.file_name,
                "created": len(people),
                "skipped": len(member_import.errors),
                "total_rows": member_import.total_rows,
                "fees": len(periods),
            },
        )
        # The file content is personal data: it is deleted once imported (the
        # per-row error messages hold no cell values and stay for the report).
        MemberImport.objects.filter(pk=member_import.pk).update(
            status=ImportStatus.DONE,
            created_count=len(people),
            processed_rows=len(people),
            finished_at=timezone.now(),
            rows=[],
            failure_message="",
        )


@transaction.atomic
def member_import_discard(
    *, association: Association, actor: User, member_import: MemberImport
) -> None:
    """Delete an import and the file content it holds (not the people it created)."""
    check_permission(association=association, actor=actor, permission=Perm.IMPORT_MEMBERS)
    ensure_same_association(association, member_import)
    status = _lock_status(member_import)
    if status in (ImportStatus.QUEUED, ImportStatus.RUNNING):
        raise ValidationError(_("This import is running; wait until it ends."))
    audit_log(
        association=association,
        actor=actor,
        action="members.import_discarded",
        obj=member_import,
        data={"file_name": member_import.file_name, "status": status},
    )
    MemberImport.objects.filter(pk=member_import.pk).delete()
