"""The member import's services: all the confirmed rows or none, checked again
against the register as it is when the import runs, only in its own association."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.utils import timezone, translation
from django_scopes import scope, scopes_disabled

from maillon.core.audit import audit_log
from maillon.core.models import AuditEntry
from maillon.core.tenancy import ObjectOutsideAssociation
from maillon.members.imports import parsing, services
from maillon.members.imports.tasks import run_member_import
from maillon.members.models import (
    ImportStatus,
    MemberImport,
    MembershipPeriod,
    Person,
    Role,
    RoleAssignment,
)
from maillon.members.tests.factories import PersonFactory, member_with_account
from maillon.members.tests.imports.files import (
    FRENCH_HEADERS,
    csv_bytes,
    excel_fr_csv,
    member_file_rows,
    person_row,
    prepared_import,
    uploaded,
)


@pytest.fixture(autouse=True)
def english():
    """Messages asserted below are the English source strings."""
    with translation.override("en"):
        yield


def people_count(association) -> int:
    with scopes_disabled():
        return Person.objects.filter(association=association).count()


def audit_actions(association) -> list[str]:
    with scopes_disabled():
        return list(
            AuditEntry.objects.filter(association=association).values_list("action", flat=True)
        )


def test_a_small_import_runs_at_once_and_creates_people_roles_and_fees(in_scope, admin_user):
    rows = [FRENCH_HEADERS, person_row(1, **{"Rôle(s)": "Membre, Bénévole"}), person_row(2)]
    member_import = prepared_import(in_scope, admin_user, excel_fr_csv(rows))
    assert (member_import.status, member_import.valid_rows, member_import.errors) == (
        ImportStatus.PREVIEWED,
        2,
        [],
    )
    before = people_count(in_scope)

    member_import = services.member_import_confirm(
        association=in_scope, actor=admin_user, member_import=member_import
    )

    assert member_import.status == ImportStatus.DONE
    assert member_import.created_count == 2
    assert people_count(in_scope) == before + 2
    helene = Person.objects.get(email="helene.1@example.org")
    assert (helene.first_name, helene.last_name, helene.city) == ("Hélène1", "Dupré1", "Lyon")
    assert helene.joined_on == datetime.date(2020, 9, 15)
    assert sorted(helene.role_assignments.values_list("role", flat=True)) == ["member", "volunteer"]
    period = MembershipPeriod.objects.get(person=helene)
    year = timezone.localdate().year
    assert (period.start, period.end, period.amount, period.fee_paid) == (
        datetime.date(year, 1, 1),
        datetime.date(year, 12, 31),
        Decimal("20.00"),
        True,
    )
    assert not MembershipPeriod.objects.filter(person__email="helene.2@example.org").exists()
    # The file content is deleted once imported; one audit entry tells what happened.
    assert member_import.rows == []
    entry = AuditEntry.objects.get(action="members.imported")
    assert entry.data == {
        "file_name": "members.csv",
        "created": 2,
        "skipped": 0,
        "total_rows": 2,
        "fees": 1,
    }
    assert entry.actor == admin_user


def test_rows_with_errors_are_skipped_only_when_the_user_agrees(in_scope, admin_user):
    rows = [FRENCH_HEADERS, person_row(1), person_row(2, **{"Courriel": "faux"}), person_row(3)]
    member_import = prepared_import(in_scope, admin_user, csv_bytes(rows))
    assert member_import.valid_rows == 2
    assert [entry["line"] for entry in member_import.errors] == [3]
    before = people_count(in_scope)

    with pytest.raises(ValidationError, match="1 row has errors"):
        services.member_import_confirm(
            association=in_scope, actor=admin_user, member_import=member_import
        )
    assert people_count(in_scope) == before

    member_import = services.member_import_confirm(
        association=in_scope,
        actor=admin_user,
        member_import=member_import,
        skip_invalid_rows=True,
    )
    assert member_import.status == ImportStatus.DONE
    assert people_count(in_scope) == before + 2
    assert not Person.objects.filter(last_name="Dupré2").exists()
    assert AuditEntry.objects.get(action="members.imported").data["skipped"] == 1


def test_confirming_twice_imports_once(in_scope, admin_user):
    member_import = prepared_import(in_scope, admin_user, csv_bytes(member_file_rows(3)))
    before = people_count(in_scope)
    for _attempt in range(3):
        result = services.member_import_confirm(
            association=in_scope, actor=admin_user, member_import=member_import
        )
        assert result.status == ImportStatus.DONE
    assert people_count(in_scope) == before + 3
    assert audit_actions(in_scope).count("members.imported") == 1
    # Running the task again for a finished import does nothing either.
    run_member_import.enqueue(association_id=in_scope.pk, import_id=member_import.pk)
    assert people_count(in_scope) == before + 3


def test_a_row_that_became_a_duplicate_fails_the_whole_import(in_scope, admin_user):
    member_import = prepared_import(in_scope, admin_user, csv_bytes(member_file_rows(3)))
    # Between the preview and the confirmation, someone adds the second person by hand.
    PersonFactory(association=in_scope, email="HELENE.2@EXAMPLE.ORG")
    before = people_count(in_scope)

    member_import = services.member_import_confirm(
        association=in_scope, actor=admin_user, member_import=member_import
    )

    assert member_import.status == ImportStatus.FAILED
    assert "Row 3 can no longer be imported" in member_import.failure_message
    assert "already in the register" in member_import.failure_message
    assert people_count(in_scope) == before  # not even rows 2 and 4
    assert "members.imported" not in audit_actions(in_scope)
    member_import.refresh_from_db()
    assert len(member_import.rows) == 3  # kept, so the user can check again

    # Checking again shows the conflict as a row error; skipping it imports the rest.
    member_import = services.member_import_set_mapping(
        association=in_scope,
        actor=admin_user,
        member_import=member_import,
        mapping=member_import.mapping,
    )
    assert [entry["line"] for entry in member_import.errors] == [3]
    member_import = services.member_import_confirm(
        association=in_scope,
        actor=admin_user,
        member_import=member_import,
        skip_invalid_rows=True,
    )
    assert member_import.status == ImportStatus.DONE
    assert people_count(in_scope) == before + 2


def test_a_failure_while_writing_leaves_the_register_untouched(in_scope, admin_user, monkeypatch):
    member_import = prepared_import(in_scope, admin_user, csv_bytes(member_file_rows(20)))
    counts = (
        people_count(in_scope),
        RoleAssignment.objects.count(),
        MembershipPeriod.objects.count(),
    )

    def failing_audit_log(**kwargs):
        if kwargs["action"] == "members.imported":  # the last write of the transaction
            raise IntegrityError("disk full")
        return audit_log(**kwargs)

    monkeypatch.setattr(services, "audit_log", failing_audit_log)
    member_import = services.member_import_confirm(
        association=in_scope, actor=admin_user, member_import=member_import
    )

    assert member_import.status == ImportStatus.FAILED
    assert "Nothing was written" in member_import.failure_message
    assert (
        people_count(in_scope),
        RoleAssignment.objects.count(),
        MembershipPeriod.objects.count(),
    ) == counts


def test_only_importers_may_import(in_scope, association):
    treasurer = member_with_account(association, [Role.TREASURER])
    with pytest.raises(PermissionDenied):
        services.member_import_upload(
            association=association,
            actor=treasurer,
            uploaded_file=uploaded("m.csv", csv_bytes(member_file_rows(1))),
        )
    assert not MemberImport.objects.exists()


def test_staff_cannot_give_bureau_roles_through_a_file(in_scope, association):
    staff = member_with_account(association, [Role.STAFF])
    rows = [FRENCH_HEADERS, person_row(1, **{"Rôle(s)": "Présidente"}), person_row(2)]
    member_import = prepared_import(association, staff, csv_bytes(rows))
    assert member_import.errors == [
        {
            "line": 2,
            "errors": [
                {
                    "column": "Rôle(s)",
                    "message": "Only someone who manages roles may give the role “President”.",
                }
            ],
        }
    ]


def test_an_import_is_only_handled_in_its_own_association(
    association, admin_user, other_association, other_admin
):
    with scope(association=association):
        member_import = prepared_import(association, admin_user, csv_bytes(member_file_rows(1)))
    with scope(association=other_association), pytest.raises(ObjectOutsideAssociation):
        services.member_import_confirm(
            association=other_association, actor=other_admin, member_import=member_import
        )
    with scopes_disabled():
        assert MemberImport.objects.get(pk=member_import.pk).status == ImportStatus.PREVIEWED


def test_too_many_rows_or_too_big_a_file_stores_nothing(in_scope, admin_user, settings):
    settings.MEMBER_IMPORT_MAX_ROWS = 5
    with pytest.raises(ValidationError, match="can be imported at once is 5 rows"):
        services.member_import_upload(
            association=in_scope,
            actor=admin_user,
            uploaded_file=uploaded("m.csv", csv_bytes(member_file_rows(6))),
        )
    with pytest.raises(ValidationError, match="larger than 5 MB"):
        services.member_import_upload(
            association=in_scope,
            actor=admin_user,
            uploaded_file=uploaded("m.csv", b"Nom;Prenom\r\n" + b"x" * parsing.MAX_FILE_BYTES),
        )
    assert not MemberImport.objects.exists()


def test_reimporting_the_same_file_does_not_duplicate_members_without_email(in_scope, admin_user):
    """Issue 10 item 9: name + date of birth is checked against the register too."""
    rows = [
        FRENCH_HEADERS,
        person_row(1, Courriel=""),
        person_row(2, Courriel=""),
        person_row(3, Courriel="", **{"Date de naissance": ""}),  # no way to tell
    ]
    first = prepared_import(in_scope, admin_user, excel_fr_csv(rows))
    services.member_import_confirm(association=in_scope, actor=admin_user, member_import=first)
    before = people_count(in_scope)

    again = prepared_import(in_scope, admin_user, excel_fr_csv(rows))
    helene = Person.objects.get(first_name="Hélène1")
    assert [(e["line"], e["errors"]) for e in again.errors][:2] == [
        (2, [{"column": "Nom", "message": f"Already in the register: row 2 → {helene}."}]),
        (3, [{"column": "Nom", "message": "Already in the register: row 3 → Hélène2 Dupré2."}]),
    ]
    assert again.valid_rows == 1
    services.member_import_confirm(
        association=in_scope, actor=admin_user, member_import=again, skip_invalid_rows=True
    )
    assert people_count(in_scope) == before + 1  # only the row without a birth date
