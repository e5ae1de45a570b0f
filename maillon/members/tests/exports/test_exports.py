"""Large exports of the register run as a background task: the secretary asks for the
file, follows its progress, downloads it when ready; small exports stay immediate.
The file sits in the private storage and is deleted after 48 hours."""

import csv
import datetime
import io

import pytest
from django.core.files.storage import storages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled
from openpyxl import load_workbook

from maillon.core.models import AuditEntry
from maillon.core.retention import purge_expired_data
from maillon.members.exports import services
from maillon.members.models import ExportStatus, MemberExport, Person, Role, RoleAssignment
from maillon.members.register import exports as formats
from maillon.members.tests.factories import PersonFactory, ready_member_export

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(admin_user):
    admin_user.language = "en"
    admin_user.save(update_fields=["language"])


def url(name, association, **kwargs):
    return reverse(f"members:{name}", kwargs={"association_slug": association.slug, **kwargs})


def export_url(association, file_format="csv", query=""):
    path = url("export", association, file_format=file_format)
    return f"{path}?{query}" if query else path


def rows_of(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def exports_of(association):
    with scopes_disabled():
        return list(MemberExport.objects.filter(association=association))


@pytest.fixture
def register(association, other_association):
    for n in range(6):
        PersonFactory(association=association, last_name=f"Martin-{n}", first_name="Léa")
    PersonFactory(association=association, last_name="Durand", first_name="Paul")
    PersonFactory(association=other_association, last_name="Voisin")


def test_a_small_register_is_exported_at_once(admin_client, association, register, settings):
    settings.MEMBER_EXPORT_SYNC_MAX_ROWS = 100
    response = admin_client.get(export_url(association))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert len(rows_of(b"".join(response.streaming_content))) == 1 + 8  # admin included
    assert not exports_of(association)


def test_a_large_export_is_prepared_in_the_background_then_downloaded(
    admin_client, association, admin_user, register, settings, django_capture_on_commit_callbacks
):
    settings.MEMBER_EXPORT_SYNC_MAX_ROWS = 3

    page = admin_client.get(export_url(association, query="q=martin"))
    assert page.status_code == 200
    assert b"The export holds 6 people." in page.content
    assert b"prepared in the background" in page.content
    assert not exports_of(association)  # a GET asks for nothing

    with django_capture_on_commit_callbacks(execute=True):
        asked = admin_client.post(export_url(association, query="q=martin"))

    (export,) = exports_of(association)
    assert asked["Location"] == url("export_progress", association, export_id=export.pk)
    assert export.status == ExportStatus.DONE
    assert export.filters == {"search": "martin", "status": "active"}
    progress = admin_client.get(asked["Location"])
    assert b"The file is ready: 6 people." in progress.content
    download = url("export_download", association, export_id=export.pk)
    assert download.encode() in progress.content

    response = admin_client.get(download)
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="{association.slug}-members-{timezone.localdate()}.csv"'
    )
    rows = rows_of(b"".join(response.streaming_content))
    assert rows[0][:3] == ["First name", "Last name", "Email"]
    assert sorted(row[1] for row in rows[1:]) == [f"Martin-{n}" for n in range(6)]
    with scopes_disabled():
        entry = AuditEntry.objects.get(action="members.export_requested")
    assert entry.actor == admin_user
    assert entry.data == {"format": "csv", "filters": {"search": "martin", "status": "active"}}


def test_the_xlsx_file_is_prepared_the_same_way(
    admin_client, association, register, settings, django_capture_on_commit_callbacks
):
    settings.MEMBER_EXPORT_SYNC_MAX_ROWS = 3
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(export_url(association, "xlsx"))
    (export,) = exports_of(association)
    response = admin_client.get(url("export_download", association, export_id=export.pk))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet.max_row == 1 + 8


def test_the_progress_page_shows_how_far_the_file_is(admin_client, association):
    with scopes_disabled():
        export = MemberExport.objects.create(
            association=association,
            file_format="csv",
            status=ExportStatus.RUNNING,
            total_rows=50000,
            processed_rows=12000,
        )
    path = url("export_progress", association, export_id=export.pk)
    page = admin_client.get(path).content.decode()
    assert "Writing the file: 12000 of 50000 people (24 %)." in page
    assert 'hx-trigger="every 1s"' in page  # htmx asks again until it is done
    assert '<meta http-equiv="refresh" content="3">' in page  # and without JavaScript
    partial = admin_client.get(path, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in partial and "12000 of 50000" in partial


def test_a_failure_is_shown_and_leaves_no_file(
    admin_client, association, register, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.MEMBER_EXPORT_SYNC_MAX_ROWS = 3

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(formats, "write_csv", broken)
    with django_capture_on_commit_callbacks(execute=True):
        asked = admin_client.post(export_url(association))
    (export,) = exports_of(association)
    assert export.status == ExportStatus.FAILED and not export.file_path
    assert b"The export failed." in admin_client.get(asked["Location"]).content
    assert (
        admin_client.get(url("export_download", association, export_id=export.pk)).status_code
        == 404
    )


def test_an_unknown_format_is_not_found(admin_client, association):
    assert admin_client.get(export_url(association, "pdf")).status_code == 404
    assert admin_client.post(export_url(association, "pdf")).status_code == 404


def test_the_file_is_deleted_48_hours_after_it_is_ready(admin_client, association, admin_user):
    export = ready_member_export(association, admin_user)
    storage = storages["private"]
    assert storage.exists(export.file_path)
    ready_at = export.finished_at

    purge_expired_data(now=ready_at + datetime.timedelta(hours=47))
    assert storage.exists(export.file_path)

    report = purge_expired_data(now=ready_at + datetime.timedelta(hours=49))
    assert report["member_export_files_deleted"] == 1
    assert not storage.exists(export.file_path)
    page = admin_client.get(url("export_progress", association, export_id=export.pk))
    assert b"This file has been deleted" in page.content
    download = admin_client.get(url("export_download", association, export_id=export.pk))
    assert download.status_code == 404

    purge_expired_data(now=export.created_at + datetime.timedelta(days=31))
    assert not exports_of(association)


def test_an_export_no_worker_finishes_is_marked_failed(association):
    with scopes_disabled():
        export = MemberExport.objects.create(
            association=association, file_format="csv", status=ExportStatus.QUEUED
        )
    purge_expired_data(now=export.created_at + datetime.timedelta(hours=7))
    export.refresh_from_db()
    assert export.status == ExportStatus.FAILED
    assert export.failure_message


def test_building_costs_the_same_queries_for_n_and_2n_people(association, admin_user):
    def queries_for(count: int) -> int:
        with scopes_disabled():
            Person.objects.filter(association=association).exclude(user=admin_user).delete()
        for _n in range(count):
            PersonFactory(association=association, roles=[Role.MEMBER, Role.VOLUNTEER])
        with scope(association=association):
            export = services.member_export_request(
                association=association, actor=admin_user, file_format="csv", filters={}
            )
            with CaptureQueriesContext(connection) as queries:
                services.member_export_build(association=association, export_id=export.pk)
        return len(queries)

    assert queries_for(5) == queries_for(10)


@pytest.mark.slow
def test_fifty_thousand_people_are_exported_in_the_background(
    admin_client, association, settings, django_capture_on_commit_callbacks, monkeypatch
):
    """The path of the issue: 50,000 members (bulk-created), the export runs as a task
    with its progress recorded, and the file holds every one of them."""
    total = 50_000
    today = timezone.localdate()
    people = [
        Person(
            association=association,
            first_name="Prénom",
            last_name=f"Nom-{n:05d}",
            email=f"personne{n}@example.org",
            joined_on=today,
        )
        for n in range(total)
    ]
    with scopes_disabled():
        Person.objects.bulk_create(people, batch_size=5000)
        created = Person.objects.filter(association=association, last_name__startswith="Nom-")
        RoleAssignment.objects.bulk_create(
            (
                RoleAssignment(association=association, person_id=pk, role=Role.MEMBER)
                for pk in created.values_list("pk", flat=True)
            ),
            batch_size=5000,
        )
    assert total > settings.MEMBER_EXPORT_SYNC_MAX_ROWS
    reported = []
    counted = formats._counted

    def recording(rows, progress):
        def record(done):
            reported.append(done)
            progress(done)

        return counted(rows, record)

    monkeypatch.setattr(formats, "PROGRESS_EVERY", 10_000)
    monkeypatch.setattr(formats, "_counted", recording)

    page = admin_client.get(export_url(association))
    assert b"The export holds 50001 people." in page.content  # and the administrator

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(export_url(association))

    (export,) = exports_of(association)
    assert export.status == ExportStatus.DONE
    assert (export.total_rows, export.processed_rows) == (total + 1, total + 1)
    assert reported == [10_000, 20_000, 30_000, 40_000, 50_000, total + 1]
    response = admin_client.get(url("export_download", association, export_id=export.pk))
    rows = rows_of(b"".join(response.streaming_content))
    assert len(rows) == 1 + total + 1
    assert {row[10] for row in rows[1:] if row[1].startswith("Nom-")} == {"Member"}
