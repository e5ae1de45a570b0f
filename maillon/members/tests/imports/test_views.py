"""The member import's pages: upload, mapping, preview, confirmation, progress (in
the request or in the background), and who may see them."""

from __future__ import annotations

import datetime
import time

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import translation
from django_scopes import scope, scopes_disabled

from maillon.core.models import AuditEntry
from maillon.members.imports import parsing, services
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

TODAY = datetime.date(2025, 3, 1)


@pytest.fixture(autouse=True)
def english():
    """Messages asserted below are the English source strings."""
    with translation.override("en"):
        yield


@pytest.fixture
def admin_client(client, admin_user):
    admin_user.language = "en"
    admin_user.save(update_fields=["language"])
    client.force_login(admin_user)
    return client


def read(data: bytes, name: str = "members.csv", max_rows: int = 1000) -> parsing.ParsedTable:
    return parsing.read_table(data, file_name=name, max_rows=max_rows)


def check_all(table, *, existing=(), allowed=(Role.MEMBER, Role.VOLUNTEER), mapping=None):
    validator = parsing.RowValidator(
        headers=table.headers,
        mapping=mapping or table.mapping,
        existing_emails=set(existing),
        allowed_roles=allowed,
        today=TODAY,
    )
    return [validator.check(row["line"], row["cells"]) for row in table.rows]


def people_count(association) -> int:
    with scopes_disabled():
        return Person.objects.filter(association=association).count()


def audit_actions(association) -> list[str]:
    with scopes_disabled():
        return list(
            AuditEntry.objects.filter(association=association).values_list("action", flat=True)
        )


def import_url(association, name, **kwargs) -> str:
    return reverse(f"members:{name}", kwargs={"association_slug": association.slug, **kwargs})


IMPORT_ROUTES = [
    ("import_upload", False, "get"),
    ("import_template", False, "get"),
    ("import_mapping", True, "get"),
    ("import_mapping", True, "post"),
    ("import_preview", True, "get"),
    ("import_confirm", True, "post"),
    ("import_progress", True, "get"),
    ("import_discard", True, "post"),
]


@pytest.fixture
def an_import(association, admin_user):
    with scope(association=association):
        return prepared_import(association, admin_user, csv_bytes(member_file_rows(2)))


def test_the_whole_journey_with_an_excel_fr_file(admin_client, association):
    PersonFactory(association=association, email="deja@example.org")
    rows = [
        FRENCH_HEADERS,
        person_row(1),
        person_row(2, **{"Courriel": "helene.2@@example"}),
        person_row(3, **{"Date de naissance": "31/31/1990"}),
        person_row(4, **{"Courriel": "Helene.1@Example.org"}),
        person_row(5, **{"Courriel": "deja@example.org"}),
        person_row(6),
    ]
    data = excel_fr_csv(rows)
    page = admin_client.get(import_url(association, "import_upload"))
    assert page.status_code == 200
    assert 'enctype="multipart/form-data"' in page.content.decode()

    response = admin_client.post(
        import_url(association, "import_upload"), {"file": uploaded("adhérents.csv", data)}
    )
    with scopes_disabled():
        member_import = MemberImport.objects.get()
    assert response.status_code == 302
    assert response.url == import_url(association, "import_mapping", import_id=member_import.pk)

    page = admin_client.get(response.url).content.decode()
    assert "Windows-1252" in page and "“;”" in page
    assert '<option value="email" selected>' in page
    assert "First values: helene.1@example.org" in page

    response = admin_client.post(
        import_url(association, "import_mapping", import_id=member_import.pk),
        {f"column_{index}": target for target, index in member_import.mapping.items()},
    )
    assert response.url == import_url(association, "import_preview", import_id=member_import.pk)

    page = admin_client.get(response.url).content.decode()
    assert page.count('class="row-error"') == 4
    assert "Error, not imported:" in page
    assert "Courriel: Not a valid email address." in page
    assert "Date de naissance: Not a valid date" in page
    assert "Courriel: Same email address as row 2." in page
    assert "already in the register" in page
    assert "skip the 4 rows with errors (rows 3, 4, 5, 6)" in page
    all_rows = admin_client.get(response.url + "?show=all").content.decode()
    assert all_rows.count("<tr") == 7 and all_rows.count('class="row-error"') == 4

    before = people_count(association)
    confirm_url = import_url(association, "import_confirm", import_id=member_import.pk)
    response = admin_client.post(confirm_url, {}, follow=True)
    assert "Tick the box" in response.content.decode()
    assert people_count(association) == before

    response = admin_client.post(confirm_url, {"skip_invalid_rows": "on"}, follow=True)
    page = response.content.decode()
    assert "Import finished: 2 people added to the register." in page
    assert "4 rows with errors were skipped." in page
    assert people_count(association) == before + 2
    with scopes_disabled():
        assert Person.objects.get(email="helene.1@example.org").first_name == "Hélène1"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (b"\xef\xbb\xbf", "The file is empty."),
        (csv_bytes([FRENCH_HEADERS]), "The file has column names but no member rows."),
        (csv_bytes([["a", "b"], ["1", "2"]]), "No column of this file was recognised."),
        (b"%PDF-1.4\x00\x00\x00", "does not look like a CSV or Excel file"),
    ],
)
def test_a_bad_file_shows_the_upload_page_with_its_error(admin_client, association, data, message):
    response = admin_client.post(
        import_url(association, "import_upload"), {"file": uploaded("x.csv", data)}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    with scopes_disabled():
        assert not MemberImport.objects.exists()


def test_choosing_a_field_for_two_columns_is_refused(admin_client, association, admin_user):
    with scope(association=association):
        member_import = services.member_import_upload(
            association=association,
            actor=admin_user,
            uploaded_file=uploaded("m.csv", csv_bytes(member_file_rows(2))),
        )
    url = import_url(association, "import_mapping", import_id=member_import.pk)
    response = admin_client.post(url, {"column_0": "first_name", "column_1": "first_name"})
    assert response.status_code == 200
    assert "is chosen for several columns" in response.content.decode()
    response = admin_client.post(url, {"column_0": "first_name", "column_2": "email"})
    assert "first name and the last name" in response.content.decode()
    member_import.refresh_from_db()
    assert member_import.status == ImportStatus.UPLOADED


def test_the_example_file_is_recognised_and_all_its_rows_are_valid(admin_client, association):
    response = admin_client.get(import_url(association, "import_template"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    data = response.content
    assert data.startswith(b"\xef\xbb\xbf")
    table = read(data)
    assert table.delimiter == ";"
    assert set(table.mapping) == set(parsing.TARGET_FIELDS)
    assert all(result.is_valid for result in check_all(table))


def test_file_content_is_shown_escaped(admin_client, association, admin_user):
    rows = [["Prénom", "Nom", "<script>alert(1)</script>"], ["<b>Anne</b>", "B", "<img src=x>"]]
    with scope(association=association):
        member_import = prepared_import(association, admin_user, csv_bytes(rows))
    for name in ("import_mapping", "import_preview"):
        page = admin_client.get(
            import_url(association, name, import_id=member_import.pk) + "?show=all"
        ).content.decode()
        assert "<script>alert" not in page and "<b>Anne" not in page and "<img src=x>" not in page
        assert "&lt;b&gt;Anne&lt;/b&gt;" in page


@pytest.mark.slow
def test_ten_thousand_rows_import_in_the_background_with_progress(
    admin_client, association, settings, django_capture_on_commit_callbacks
):
    settings.MEMBER_IMPORT_SYNC_MAX_ROWS = 100
    rows = member_file_rows(10_000)
    rows[5000] = person_row(5000, **{"Courriel": "cassé"})
    data = excel_fr_csv(rows)
    assert len(data) > 1_000_000
    started = time.monotonic()
    before = people_count(association)

    response = admin_client.post(
        import_url(association, "import_upload"), {"file": uploaded("adherents.csv", data)}
    )
    with scopes_disabled():
        member_import = MemberImport.objects.get()
    assert response.url == import_url(association, "import_mapping", import_id=member_import.pk)
    response = admin_client.post(
        response.url,
        {f"column_{index}": target for target, index in member_import.mapping.items()},
    )
    page = admin_client.get(response.url).content.decode()
    assert "skip the 1 row with errors (row 5001)" in page
    assert "runs in the background" in page

    progress_url = import_url(association, "import_progress", import_id=member_import.pk)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = admin_client.post(
            import_url(association, "import_confirm", import_id=member_import.pk),
            {"skip_invalid_rows": "on"},
        )
        assert response.url == progress_url
        # Queued, not run in the request: the page polls until the worker is done.
        partial = admin_client.get(progress_url, HTTP_HX_REQUEST="true").content.decode()
        assert 'hx-trigger="every 1s"' in partial and "Waiting for the import" in partial
        assert people_count(association) == before
    assert len(callbacks) == 1  # the task, enqueued once the confirmation was committed

    partial = admin_client.get(progress_url, HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in partial  # finished: polling stops
    assert "Import finished: 9999 people added to the register." in partial
    assert people_count(association) == before + 9999
    with scopes_disabled():
        assert RoleAssignment.objects.filter(association=association).count() == 9999 + 2
        assert MembershipPeriod.objects.filter(association=association).count() == 5000
        member_import.refresh_from_db()
        assert (member_import.status, member_import.processed_rows, member_import.rows) == (
            ImportStatus.DONE,
            9999,
            [],
        )
    assert audit_actions(association).count("members.imported") == 1
    assert time.monotonic() - started < 60  # about 10 s on SQLite; generous for slow CI


def test_progress_is_committed_while_checking_and_people_are_written_in_one_transaction(
    transactional_db, association, admin_user, settings
):
    """What the progress page of another connection can see: ``processed_rows`` is
    committed chunk by chunk (outside any transaction) while rows are checked, and
    every person is inserted inside a single transaction afterwards."""
    settings.MEMBER_IMPORT_SYNC_MAX_ROWS = 100
    with scope(association=association):
        member_import = prepared_import(association, admin_user, csv_bytes(member_file_rows(1200)))
        progress, person_inserts = [], []

        def observe(execute, sql, params, many, context):
            if sql.startswith('UPDATE "members_memberimport" SET "processed_rows"'):
                progress.append((connection.in_atomic_block, params[0]))
            elif sql.startswith('INSERT INTO "members_person"'):
                person_inserts.append(connection.in_atomic_block)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(observe):
            # Above MEMBER_IMPORT_SYNC_MAX_ROWS: the task runs once the confirmation is
            # committed (here at once, with the immediate backend of the tests).
            services.member_import_confirm(
                association=association, actor=admin_user, member_import=member_import
            )
        member_import.refresh_from_db()
    assert member_import.status == ImportStatus.DONE
    assert progress == [(False, 500), (False, 1000), (False, 1200)]
    assert person_inserts and all(person_inserts)


def test_a_background_import_that_hits_a_conflict_fails_and_writes_nothing(
    admin_client, association, admin_user, settings, django_capture_on_commit_callbacks
):
    settings.MEMBER_IMPORT_SYNC_MAX_ROWS = 2
    with scope(association=association):
        member_import = prepared_import(association, admin_user, csv_bytes(member_file_rows(5)))
    before = people_count(association)
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(import_url(association, "import_confirm", import_id=member_import.pk))
        PersonFactory(association=association, email="helene.4@example.org")
    with scopes_disabled():
        member_import.refresh_from_db()
    assert member_import.status == ImportStatus.FAILED
    assert "Row 5 can no longer be imported" in member_import.failure_message
    assert people_count(association) == before + 1  # only the person added by hand
    page = admin_client.get(
        import_url(association, "import_progress", import_id=member_import.pk)
    ).content.decode()
    assert "The import failed and nothing was written." in page
    assert "Row 5 can no longer be imported" in page


def test_the_progress_page_shows_each_phase(admin_client, association, admin_user):
    with scope(association=association):
        member_import = prepared_import(association, admin_user, csv_bytes(member_file_rows(3)))
    url = import_url(association, "import_progress", import_id=member_import.pk)
    with scopes_disabled():
        MemberImport.objects.filter(pk=member_import.pk).update(
            status=ImportStatus.RUNNING, valid_rows=1000, processed_rows=400
        )
    page = admin_client.get(url).content.decode()
    assert '<meta http-equiv="refresh"' in page  # works without JavaScript too
    assert "<html" in page and 'hx-trigger="every 1s"' in page
    partial = admin_client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial
    assert 'max="1000" value="400"' in partial
    assert "Checking the rows: 400 of 1000 (40 %)" in partial

    with scopes_disabled():
        MemberImport.objects.filter(pk=member_import.pk).update(processed_rows=1000)
    partial = admin_client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "Saving the 1000 people in a single step" in partial
    assert "<progress aria-labelledby" in partial and "value=" not in partial

    with scopes_disabled():
        MemberImport.objects.filter(pk=member_import.pk).update(
            status=ImportStatus.DONE, created_count=1000
        )
    page = admin_client.get(url).content.decode()
    assert 'http-equiv="refresh"' not in page and "hx-trigger" not in page
    assert "Import finished: 1000 people added" in page


def test_discarding_an_import_deletes_the_file_content(admin_client, association, admin_user):
    with scope(association=association):
        member_import = prepared_import(association, admin_user, csv_bytes(member_file_rows(3)))
    response = admin_client.post(
        import_url(association, "import_discard", import_id=member_import.pk)
    )
    assert response.url == import_url(association, "import_upload")
    with scopes_disabled():
        assert not MemberImport.objects.exists()
    assert "members.import_discarded" in audit_actions(association)


@pytest.mark.parametrize(("name", "with_id", "method"), IMPORT_ROUTES)
def test_a_plain_member_is_forbidden(client, association, an_import, name, with_id, method):
    client.force_login(member_with_account(association, [Role.MEMBER]))
    kwargs = {"import_id": an_import.pk} if with_id else {}
    response = getattr(client, method)(import_url(association, name, **kwargs))
    assert response.status_code == 403


@pytest.mark.parametrize(("name", "with_id", "method"), IMPORT_ROUTES)
def test_another_associations_admin_finds_nothing(
    client, association, other_association, other_admin, an_import, name, with_id, method
):
    client.force_login(other_admin)
    kwargs = {"import_id": an_import.pk} if with_id else {}
    # Through this association's address: not a member, so not found.
    response = getattr(client, method)(import_url(association, name, **kwargs))
    assert response.status_code == 404
    if with_id:
        # Through their own association's address, with this import's number: not found.
        response = getattr(client, method)(import_url(other_association, name, **kwargs))
        assert response.status_code == 404
    with scopes_disabled():
        an_import.refresh_from_db()
    assert an_import.status == ImportStatus.PREVIEWED


def test_the_preview_says_which_person_of_the_register_a_row_already_is(
    admin_client, association, admin_user
):
    """Issue 10 item 9: re-importing a file of members without email."""
    rows = [FRENCH_HEADERS, person_row(1, Courriel="")]
    with scope(association=association):
        first = prepared_import(association, admin_user, excel_fr_csv(rows))
        services.member_import_confirm(
            association=association, actor=admin_user, member_import=first
        )
        again = prepared_import(association, admin_user, excel_fr_csv(rows))
    page = admin_client.get(
        import_url(association, "import_preview", import_id=again.pk), {"show": "errors"}
    ).content.decode()
    assert "Already in the register: row 2 → Hélène1 Dupré1." in page
