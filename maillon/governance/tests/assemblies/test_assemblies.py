"""Assemblies: lifecycle, convocation, proxies, attendance, quorum, isolation."""

from __future__ import annotations

import datetime
import threading
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from maillon.associations.models import Statutes, VotingEligibility
from maillon.core.models import AuditEntry
from maillon.governance.assemblies import services
from maillon.governance.assemblies.quorum import compute_quorum
from maillon.governance.assemblies.selectors import quorum_status
from maillon.governance.models import (
    Assembly,
    AssemblyMode,
    AssemblyStatus,
    Convocation,
    Proxy,
    RollEntry,
)
from maillon.governance.tests.factories import (
    AgendaItemFactory,
    AssemblyFactory,
    AttendanceFactory,
    ProxyFactory,
    RollEntryFactory,
    convened_assembly,
)
from maillon.members.models import Role
from maillon.members.tests.factories import (
    MembershipPeriodFactory,
    PersonFactory,
    member_with_account,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _statutes(association, **values):
    with scopes_disabled():
        Statutes.objects.filter(association=association).update(**values)


def _audits(association, action):
    with scopes_disabled():
        return AuditEntry.objects.filter(association=association, action=action).count()


def _draft(association, **kwargs):
    assembly = AssemblyFactory(association=association, **kwargs)
    AgendaItemFactory(assembly=assembly, position=1, title="Rapport moral")
    return assembly


# --- quorum (pure) ---------------------------------------------------------------------------


def test_quorum_counts_present_and_represented_and_rounds_up():
    status = compute_quorum(
        eligible_weight=10,
        present_weight=2,
        represented_weight=1,
        fraction=Decimal("0.25"),
        second_convocation_without_quorum=True,
        is_second_convocation=False,
    )
    assert (status.required, status.reached, status.not_required) == (3, True, False)
    short = compute_quorum(
        eligible_weight=10,
        present_weight=2,
        represented_weight=0,
        fraction=Decimal("0.25"),
        second_convocation_without_quorum=True,
        is_second_convocation=False,
    )
    assert not short.reached and short.missing == 1


def test_quorum_uses_weights_and_exact_decimals():
    status = compute_quorum(
        eligible_weight=300,
        present_weight=99,
        represented_weight=0,
        fraction=Decimal("0.333"),
        second_convocation_without_quorum=False,
        is_second_convocation=False,
    )
    assert status.required == 100 and not status.reached


def test_second_convocation_holds_without_quorum_only_if_the_statutes_say_so():
    kwargs = {"eligible_weight": 10, "present_weight": 0, "represented_weight": 0}
    kwargs.update(fraction=Decimal("0.5"), is_second_convocation=True)
    assert compute_quorum(second_convocation_without_quorum=True, **kwargs).not_required
    assert not compute_quorum(second_convocation_without_quorum=False, **kwargs).reached
    assert compute_quorum(
        eligible_weight=5,
        present_weight=0,
        represented_weight=0,
        fraction=Decimal("0"),
        second_convocation_without_quorum=False,
        is_second_convocation=False,
    ).reached


# --- lifecycle ----------------------------------------------------------------------------


def test_lifecycle_goes_step_by_step_with_an_audit_entry_each(association, admin_user, in_scope):
    assembly = services.assembly_create(
        association=association,
        actor=admin_user,
        kind="ordinary",
        mode=AssemblyMode.IN_PERSON,
        title="AG 2025",
        place="Salle",
        starts_at=timezone.now() + datetime.timedelta(days=20),
    )
    with pytest.raises(ValidationError, match="agenda"):
        services.assembly_convene(association=association, actor=admin_user, assembly=assembly)
    AgendaItemFactory(assembly=assembly, position=1)
    with pytest.raises(ValidationError):
        services.assembly_close(association=association, actor=admin_user, assembly=assembly)
    services.assembly_convene(association=association, actor=admin_user, assembly=assembly)
    services.assembly_update(
        association=association, actor=admin_user, assembly=assembly, title="AG 2025 (bis)"
    )
    services.assembly_open(association=association, actor=admin_user, assembly=assembly)
    with pytest.raises(ValidationError):
        services.assembly_update(
            association=association, actor=admin_user, assembly=assembly, title="x"
        )
    services.assembly_close(association=association, actor=admin_user, assembly=assembly)
    with pytest.raises(ValidationError, match="minutes"):
        services.assembly_approve_minutes(
            association=association, actor=admin_user, assembly=assembly
        )
    from maillon.governance.models import Minutes

    Minutes.objects.create(association=association, assembly=assembly, body="PV")
    services.assembly_approve_minutes(association=association, actor=admin_user, assembly=assembly)
    assembly.refresh_from_db()
    assert assembly.status == AssemblyStatus.MINUTES_APPROVED
    for action in ("created", "convened", "updated", "opened", "closed", "minutes_approved"):
        assert _audits(association, f"governance.assembly_{action}") == 1, action


def test_online_assembly_needs_a_link(association, admin_user, in_scope):
    with pytest.raises(ValidationError) as error:
        services.assembly_create(
            association=association,
            actor=admin_user,
            kind="board",
            mode=AssemblyMode.ONLINE,
            title="CA",
            starts_at=timezone.now() + datetime.timedelta(days=3),
        )
    assert "online_link" in error.value.error_dict


# --- convocation --------------------------------------------------------------------------


def test_convene_freezes_the_roll_with_fee_eligibility_and_sends_emails_with_ics(
    association, admin_user, in_scope
):
    MembershipPeriodFactory(person=admin_user.people.get())
    paid = PersonFactory(association=association, first_name="Léa")
    MembershipPeriodFactory(person=paid)
    late = PersonFactory(association=association, first_name="Tom")
    MembershipPeriodFactory(  # paid, but for last year only
        person=late,
        start=timezone.localdate() - datetime.timedelta(days=400),
        end=timezone.localdate() - datetime.timedelta(days=40),
    )
    no_email = PersonFactory(association=association, email="", address="3 rue Haute")
    PersonFactory(association=association, left_on=timezone.localdate())
    assembly = _draft(association, starts_at=timezone.now() + datetime.timedelta(days=30))
    mail.outbox.clear()

    with pytest.MonkeyPatch.context():
        from django.test import TestCase

        with TestCase.captureOnCommitCallbacks(execute=True):
            services.assembly_convene(association=association, actor=admin_user, assembly=assembly)

    roll = {e.person_id: e for e in RollEntry.objects.filter(assembly=assembly)}
    assert len(roll) == 4
    assert roll[paid.pk].may_vote and not roll[late.pk].may_vote
    assert not roll[no_email.pk].may_vote
    assembly.refresh_from_db()
    assert assembly.status == AssemblyStatus.CONVENED and not assembly.late_convocation
    assert Convocation.objects.filter(assembly=assembly, channel="letter").count() == 1
    assert len(mail.outbox) == 3
    message = next(m for m in mail.outbox if m.to == [paid.email])
    name, content, mimetype = message.attachments[0]
    ics = content.decode() if isinstance(content, bytes) else content
    assert name == "assembly.ics" and mimetype.startswith("text/calendar")
    assert "BEGIN:VCALENDAR" in ics and "METHOD:REQUEST" in ics
    assert f"UID:assembly-{association.pk}-{assembly.pk}@" in ics
    assert "DTSTART:" in ics and ics.split("DTSTART:")[1][15] == "Z"
    assert "LOCATION:Salle des f" in ics
    assert "Rapport moral" in message.body


def test_all_members_vote_when_the_statutes_say_so_and_late_convocation_is_flagged(
    association, admin_user, in_scope
):
    _statutes(association, voting_eligibility=VotingEligibility.ALL_MEMBERS, ag_notice_days=15)
    PersonFactory(association=association)
    assembly = _draft(association, starts_at=timezone.now() + datetime.timedelta(days=5))
    services.assembly_convene(association=association, actor=admin_user, assembly=assembly)
    assembly.refresh_from_db()
    assert assembly.late_convocation
    assert not RollEntry.objects.filter(assembly=assembly, may_vote=False).exists()


def test_letters_pdf_for_people_without_email(association, admin_user, admin_client, in_scope):
    PersonFactory(association=association, email="", last_name="Sans-Courriel")
    assembly = _draft(association)
    services.assembly_convene(association=association, actor=admin_user, assembly=assembly)
    response = admin_client.get(
        reverse("governance:assembly_letters", args=[association.slug, assembly.pk])
    )
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


def test_reminder_goes_to_those_not_checked_in(association, admin_user, in_scope):
    present = PersonFactory(association=association)
    assembly = convened_assembly(association)
    AttendanceFactory(entry=RollEntry.objects.get(assembly=assembly, person=present))
    mail.outbox.clear()
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        count = services.assembly_send_reminder(
            association=association, actor=admin_user, assembly=assembly
        )
    assert count == 1 and [m.to for m in mail.outbox] == [[admin_user.email]]


# --- proxies --------------------------------------------------------------------------------


def _member(association, **kwargs):
    user = member_with_account(association, [Role.MEMBER], **kwargs)
    with scopes_disabled():
        return user, user.people.get()


def test_proxy_cap_is_enforced(association, admin_user, in_scope):
    _statutes(association, max_proxies_per_holder=1)
    u1, p1 = _member(association)
    u2, p2 = _member(association)
    holder = PersonFactory(association=association)
    assembly = convened_assembly(association)
    entry = {e.person_id: e for e in RollEntry.objects.filter(assembly=assembly)}
    services.proxy_give(
        association=association,
        actor=u1,
        assembly=assembly,
        giver_entry=entry[p1.pk],
        holder_entry=entry[holder.pk],
    )
    with pytest.raises(ValidationError, match="already holds"):
        services.proxy_give(
            association=association,
            actor=u2,
            assembly=assembly,
            giver_entry=entry[p2.pk],
            holder_entry=entry[holder.pk],
        )
    # No chains: the holder cannot give their proxy, the giver cannot hold one.
    with pytest.raises(PermissionDenied):
        services.proxy_give(
            association=association, actor=u2, assembly=assembly, giver_entry=entry[p1.pk]
        )
    with pytest.raises(ValidationError, match="represented"):
        services.proxy_give(
            association=association,
            actor=u2,
            assembly=assembly,
            giver_entry=entry[p2.pk],
            holder_entry=entry[p1.pk],
        )
    assert _audits(association, "governance.proxy_given") == 1


def test_one_active_proxy_per_giver_is_a_database_rule(association, in_scope):
    from django.db import IntegrityError, transaction

    proxy = ProxyFactory(giver=RollEntryFactory(assembly=convened_assembly(association)))
    with pytest.raises(IntegrityError), transaction.atomic():
        ProxyFactory(giver=proxy.giver, assembly=proxy.assembly)


@pytest.mark.django_db(transaction=True)
def test_concurrent_proxies_to_one_holder_respect_the_cap(association):
    """Two members give their proxy to the same holder at once: one wins."""
    _statutes(association, max_proxies_per_holder=1)
    users = [_member(association) for _ in range(2)]
    holder = PersonFactory(association=association)
    assembly = convened_assembly(association)
    with scopes_disabled():
        entry = {e.person_id: e for e in RollEntry.objects.filter(assembly=assembly)}
    errors, barrier = [], threading.Barrier(2)

    def give(user, person):
        try:
            barrier.wait()
            with scope(association=association):
                services.proxy_give(
                    association=association,
                    actor=user,
                    assembly=assembly,
                    giver_entry=entry[person.pk],
                    holder_entry=entry[holder.pk],
                )
        except Exception as error:  # noqa: BLE001 - collected for the assertion
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=give, args=pair) for pair in users]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with scopes_disabled():
        assert Proxy.objects.filter(holder=entry[holder.pk], revoked_at__isnull=True).count() == 1
    assert len(errors) == 1


def test_unnamed_proxies_go_to_the_president_within_the_cap(association, admin_user, in_scope):
    _statutes(association, max_proxies_per_holder=1)
    president = PersonFactory(association=association, roles=[Role.PRESIDENT, Role.MEMBER])
    givers = [_member(association) for _ in range(2)]
    assembly = convened_assembly(association)
    entry = {e.person_id: e for e in RollEntry.objects.filter(assembly=assembly)}
    for user, person in givers:
        services.proxy_give(
            association=association, actor=user, assembly=assembly, giver_entry=entry[person.pk]
        )
    services.assembly_open(association=association, actor=admin_user, assembly=assembly)
    assigned = Proxy.objects.filter(assembly=assembly, holder=entry[president.pk])
    assert assigned.count() == 1
    assert Proxy.objects.filter(assembly=assembly, holder__isnull=True).count() == 1
    with scopes_disabled():
        audit = AuditEntry.objects.get(action="governance.assembly_opened")
    assert audit.data["warning"] and len(audit.data["unnamed_unassigned"]) == 1


def test_revoke_until_the_assembly_opens(association, admin_user, in_scope):
    user, person = _member(association)
    assembly = convened_assembly(association)
    mine = RollEntry.objects.get(assembly=assembly, person=person)
    proxy = services.proxy_give(
        association=association, actor=user, assembly=assembly, giver_entry=mine
    )
    services.proxy_revoke(association=association, actor=user, proxy=proxy)
    proxy = services.proxy_give(
        association=association, actor=user, assembly=assembly, giver_entry=mine
    )
    services.assembly_open(association=association, actor=admin_user, assembly=assembly)
    with pytest.raises(ValidationError):
        services.proxy_revoke(association=association, actor=user, proxy=proxy)


def test_secretary_records_a_paper_proxy(association, admin_user, in_scope):
    offline = PersonFactory(association=association, email="", user=None)
    assembly = convened_assembly(association)
    entry = {e.person_id: e for e in RollEntry.objects.filter(assembly=assembly)}
    holder = entry[admin_user.people.get().pk]
    proxy = services.proxy_record_paper(
        association=association,
        actor=admin_user,
        assembly=assembly,
        giver_entry=entry[offline.pk],
        holder_entry=holder,
    )
    assert proxy.is_paper and proxy.recorded_by == admin_user


# --- attendance ---------------------------------------------------------------------------


def test_checking_in_revokes_ones_own_proxy_and_counts_for_quorum(
    association, admin_user, in_scope
):
    user, person = _member(association)
    assembly = convened_assembly(association, mode=AssemblyMode.HYBRID, online_link="https://x.org")
    entry = {e.person_id: e for e in RollEntry.objects.filter(assembly=assembly)}
    admin_entry = entry[admin_user.people.get().pk]
    services.proxy_give(
        association=association,
        actor=user,
        assembly=assembly,
        giver_entry=entry[person.pk],
        holder_entry=admin_entry,
    )
    services.assembly_open(association=association, actor=admin_user, assembly=assembly)
    services.attendance_record(
        association=association, actor=admin_user, assembly=assembly, entry=admin_entry
    )
    assert (
        quorum_status(assembly=assembly).present,
        quorum_status(assembly=assembly).represented,
    ) == (1, 1)
    services.attendance_check_in(association=association, actor=user, assembly=assembly)
    assert not Proxy.objects.filter(giver=entry[person.pk], revoked_at__isnull=True).exists()
    status = quorum_status(assembly=assembly)
    assert (status.present, status.represented) == (2, 0)
    with pytest.raises(ValidationError, match="already"):
        services.attendance_check_in(association=association, actor=user, assembly=assembly)


def test_online_check_in_is_refused_before_the_day(association, in_scope):
    user, _person = _member(association)
    assembly = convened_assembly(association, mode=AssemblyMode.ONLINE, online_link="https://x.org")
    with pytest.raises(ValidationError, match="day"):
        services.attendance_check_in(association=association, actor=user, assembly=assembly)


def test_attendance_sheet_pdf(association, admin_user, admin_client, in_scope):
    assembly = convened_assembly(association)
    AttendanceFactory(entry=RollEntry.objects.get(assembly=assembly, person__user=admin_user))
    response = admin_client.get(
        reverse("governance:assembly_attendance_pdf", args=[association.slug, assembly.pk])
    )
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


# --- pages, permissions, isolation ------------------------------------------------------------


def test_plain_member_gives_a_proxy_on_the_page_but_cannot_convene(association, client, in_scope):
    user, person = _member(association)
    assembly = convened_assembly(association)
    draft = _draft(association)
    client.force_login(user)
    page = reverse("governance:assembly", args=[association.slug, assembly.pk])
    response = client.get(page)
    assert response.status_code == 200 and b"My participation" in response.content
    response = client.post(
        reverse("governance:proxy_give", args=[association.slug, assembly.pk]),
        {"holder": "unnamed"},
    )
    assert response.status_code == 302
    assert Proxy.objects.filter(giver__person=person, is_unnamed=True).exists()
    convene = reverse("governance:assembly_convene", args=[association.slug, draft.pk])
    assert client.post(convene).status_code == 403
    # Drafts are the bureau's work in progress.
    assert (
        client.get(reverse("governance:assembly", args=[association.slug, draft.pk])).status_code
        == 404
    )


def test_admin_pages_render(association, admin_user, admin_client, in_scope):
    assembly = convened_assembly(association)
    AgendaItemFactory(assembly=assembly, position=1)
    for name in (
        "assembly",
        "assembly_roll",
        "proxies",
        "attendance",
        "assembly_quorum",
        "assembly_edit",
    ):
        url = reverse(f"governance:{name}", args=[association.slug, assembly.pk])
        assert admin_client.get(url).status_code == 200, name
    assert (
        admin_client.get(reverse("governance:assemblies", args=[association.slug])).status_code
        == 200
    )
    assert (
        admin_client.get(reverse("governance:assembly_create", args=[association.slug])).status_code
        == 200
    )


def test_document_upload_checks_type_and_size(association, admin_user, admin_client, in_scope):
    from django.core.files.uploadedfile import SimpleUploadedFile

    assembly = _draft(association)
    url = reverse("governance:document_upload", args=[association.slug, assembly.pk])
    bad = admin_client.post(
        url,
        {"title": "Virus", "file": SimpleUploadedFile("x.exe", b"MZ", "application/octet-stream")},
    )
    assert bad.status_code == 200 and b"not accepted" in bad.content
    good = admin_client.post(
        url,
        {
            "title": "Comptes",
            "file": SimpleUploadedFile("comptes.pdf", b"%PDF-1.4", "application/pdf"),
        },
    )
    assert good.status_code == 302
    document = assembly.documents.get()
    download = admin_client.get(
        reverse("governance:document_download", args=[association.slug, assembly.pk, document.pk])
    )
    assert download.status_code == 200


def test_another_associations_admin_gets_404(association, other_association, other_admin, client):
    PersonFactory(association=association)
    assembly = convened_assembly(association)
    item = AgendaItemFactory(assembly=assembly, position=1)
    with scopes_disabled():
        entry = RollEntry.objects.filter(assembly=assembly).first()
    proxy = ProxyFactory(giver=entry, holder=None, is_unnamed=True)
    own = convened_assembly(other_association)
    client.force_login(other_admin)
    ids = {"assembly_id": assembly.pk}
    names = {
        "assembly": ids, "assembly_edit": ids, "assembly_convene": ids, "assembly_open": ids,
        "assembly_quorum": ids, "assembly_roll": ids, "assembly_letters": ids,
        "assembly_attendance_pdf": ids, "attendance": ids, "proxies": ids,
        "agenda_item_edit": {**ids, "item_id": item.pk},
        "proxy_revoke": ids,
        "proxy_revoke_for_member": {**ids, "proxy_id": proxy.pk},
    }  # fmt: skip
    for name, kwargs in names.items():
        for slug in (association.slug, other_association.slug):
            url = reverse(f"governance:{name}", kwargs={"association_slug": slug, **kwargs})
            answers = {client.get(url).status_code, client.post(url).status_code}
            # The method the view does not take answers 405; the other one 404.
            assert 404 in answers and answers <= {404, 405}, (name, slug, answers)
    # Own assembly with the victim's item id.
    url = reverse(
        "governance:agenda_item_edit",
        kwargs={
            "association_slug": other_association.slug,
            "assembly_id": own.pk,
            "item_id": item.pk,
        },
    )
    assert client.get(url).status_code == 404


def _populate(assembly, n):
    for _ in range(n):
        giver = RollEntryFactory(assembly=assembly)
        holder = RollEntryFactory(assembly=assembly)
        ProxyFactory(giver=giver, holder=holder)
        AttendanceFactory(entry=holder)
        AgendaItemFactory(assembly=assembly)


def test_detail_page_query_count_does_not_grow(association, admin_user, admin_client, in_scope):
    assembly = convened_assembly(association)
    url = reverse("governance:assembly", args=[association.slug, assembly.pk])
    counts = []
    for n in (3, 3):
        _populate(assembly, n)
        with CaptureQueriesContext(connection) as queries:
            assert admin_client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_assembly_model_is_scoped(association):
    from django_scopes.exceptions import ScopeError

    with pytest.raises(ScopeError):
        list(Assembly.objects.all())
