"""Waves: consent, snapshots without any association id, publication."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from maillon.accounts.tests.factories import UserFactory
from maillon.associations.tests.factories import AssociationFactory
from maillon.members.models import Role
from maillon.members.tests.factories import member_with_account
from maillon.observatory.models import Snapshot, SnapshotLink, Wave, WaveStatus
from maillon.observatory.tests.factories import (
    answers_for,
    completed_anonymous,
    completed_diagnostic,
    national_margins,
)
from maillon.observatory.waves.services import (
    anonymous_opt_in,
    wave_consent_set,
    wave_open,
    wave_publish,
)

pytestmark = pytest.mark.django_db


def consent(*, association, **kwargs):
    with scope(association=association):
        return wave_consent_set(association=association, **kwargs)


@pytest.fixture
def staff():
    return UserFactory(is_staff=True)


@pytest.fixture
def wave(staff):
    national_margins()
    return wave_open(actor=staff, year=2026)


def consenting(n, wave, *, start=0, size_band="none"):
    associations = []
    for i in range(start, start + n):
        association = AssociationFactory()
        admin = member_with_account(association, [Role.ADMIN])
        completed_diagnostic(association, answers_for(i, size_band))
        consent(association=association, actor=admin, wave=wave, consented=True)
        associations.append(association)
    return associations


def test_only_staff_open_and_publish(wave, admin_user):
    with pytest.raises(PermissionDenied):
        wave_open(actor=admin_user, year=2027)
    with pytest.raises(PermissionDenied):
        wave_publish(actor=admin_user, wave=wave)


def test_one_wave_per_year_and_one_open_at_a_time(wave, staff):
    with pytest.raises(ValidationError):
        wave_open(actor=staff, year=2027)


def test_consent_defaults_off_and_only_consenting_diagnostics_are_frozen(
    wave, association, admin_user
):
    completed_diagnostic(association, answers_for(1))
    assert Snapshot.objects.filter(wave=wave).count() == 0
    consent(association=association, actor=admin_user, wave=wave, consented=True)
    assert Snapshot.objects.filter(wave=wave).count() == 1
    # Changing one's mind before publication removes the snapshot.
    consent(association=association, actor=admin_user, wave=wave, consented=False)
    assert Snapshot.objects.filter(wave=wave).count() == 0


def test_a_member_cannot_consent_for_the_association(wave, association):
    member = member_with_account(association, [Role.MEMBER])
    with pytest.raises(PermissionDenied):
        consent(association=association, actor=member, wave=wave, consented=True)


def test_latest_diagnostic_of_the_last_twelve_months_counts_once(wave, association, admin_user):
    old = timezone.now() - datetime.timedelta(days=400)
    completed_diagnostic(association, answers_for(1, "50+"), completed_at=old)
    consent(association=association, actor=admin_user, wave=wave, consented=True)
    assert Snapshot.objects.filter(wave=wave).count() == 0  # too old
    completed_diagnostic(association, answers_for(2, "3-9"))
    consent(association=association, actor=admin_user, wave=wave, consented=True)
    newer = completed_diagnostic(association, answers_for(3, "10-49"))
    assert newer
    consent(association=association, actor=admin_user, wave=wave, consented=True)
    snapshots = Snapshot.objects.filter(wave=wave)
    assert [s.size_band for s in snapshots] == ["10-49"]


def test_snapshot_columns_hold_no_association_id(wave, association, admin_user):
    association.name = "Nom Très Reconnaissable"
    association.save()
    completed_diagnostic(association, answers_for(1))
    consent(association=association, actor=admin_user, wave=wave, consented=True)
    fields = Snapshot._meta.get_fields()
    related = [f.name for f in fields if f.is_relation and f.related_model is not Wave]
    assert related == [] or related == ["+"]
    assert not any("association" in f.name for f in fields)
    with connection.cursor() as cursor:
        columns = [
            c.name
            for c in connection.introspection.get_table_description(cursor, Snapshot._meta.db_table)
        ]
        cursor.execute(f"SELECT {', '.join(columns)} FROM {Snapshot._meta.db_table}")  # noqa: S608
        rows = cursor.fetchall()
    assert set(columns) == {
        "id",
        "wave_id",
        "questionnaire_version",
        "size_band",
        "sector",
        "region",
        "budget_band",
        "answers",
        "weight",
    }
    for row in rows:
        for column, value in zip(columns, row, strict=True):
            text = str(value)
            assert association.slug not in text and association.name not in text, column
            if column not in ("wave_id", "questionnaire_version", "weight"):
                assert text != str(association.pk), column
    assert rows[0][columns.index("id")] != str(association.pk)


def test_publication_weights_and_deletes_the_link_table(wave, staff):
    consenting(6, wave, size_band="none")
    consenting(6, wave, start=6, size_band="50+")
    anonymous = completed_anonymous(answers_for(99, "1-2"))
    anonymous_opt_in(token=anonymous.token, region="11")
    assert SnapshotLink.objects.filter(wave=wave).count() == 13
    published = wave_publish(actor=staff, wave=wave)
    assert published.status == WaveStatus.PUBLISHED
    assert SnapshotLink.objects.count() == 0
    report = published.weighting
    assert report["n"] == 13
    assert report["effective_sample_size"] <= 13
    assert report["design_effect"] >= 1
    assert "converged" in report
    weights = list(Snapshot.objects.filter(wave=wave).values_list("weight", flat=True))
    assert sum(weights) == pytest.approx(13)
    website = next(i for i in published.results["indicators"] if i["code"] == "tool_website")
    assert 0 <= website["low"] <= website["share"] <= website["high"] <= 1
    assert website["national"]["edition"] == 2019


def test_consent_closes_with_publication(wave, staff, association, admin_user):
    consenting(6, wave)
    wave_publish(actor=staff, wave=wave)
    with pytest.raises(ValidationError):
        consent(association=association, actor=admin_user, wave=wave, consented=True)


def test_too_few_diagnostics_are_not_published(wave, staff):
    consenting(2, wave)
    with pytest.raises(ValidationError):
        wave_publish(actor=staff, wave=wave)
    assert Wave.objects.get().status == WaveStatus.OPEN


def test_erasing_an_association_after_publication_changes_nothing_published(wave, staff):
    associations = consenting(8, wave)
    published = wave_publish(actor=staff, wave=wave)
    before = (
        published.results,
        published.weighting,
        sorted(Snapshot.objects.values_list("id", "answers", "weight")),
    )
    with scopes_disabled():
        associations[0].delete()
    published.refresh_from_db()
    after = (
        published.results,
        published.weighting,
        sorted(Snapshot.objects.values_list("id", "answers", "weight")),
    )
    assert after == before
