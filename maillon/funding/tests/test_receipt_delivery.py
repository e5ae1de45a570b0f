"""Receipts reach their donors once: an email with the signed link after a single
receipt or the yearly batch; donors without email in a printable batch of letters,
never printed twice."""

import datetime
import io

import pytest
from django.core import mail
from django.urls import reverse
from django_scopes import scopes_disabled
from pypdf import PdfReader

from maillon.core.models import AuditEntry
from maillon.funding.models import Receipt
from maillon.funding.receipts.delivery import receipts_email
from maillon.funding.receipts.services import receipt_cancel, receipt_issue

from .factories import DonationFactory, DonorFactory, eligible

pytestmark = pytest.mark.django_db
LAST_YEAR = datetime.date.today().year - 1


def batch(treasurer_client, association, capture):
    with capture(execute=True):
        return treasurer_client.post(
            reverse("funding:batch_start", kwargs={"association_slug": association.slug}),
            {"gift_year": LAST_YEAR},
        )


def test_the_yearly_batch_emails_each_donor_their_link_once(
    association, treasurer, treasurer_client, django_capture_on_commit_callbacks, client
):
    eligible(association)
    with_email = [DonorFactory(association=association) for _ in range(2)]
    without = DonorFactory(association=association, email="", last_name="Sanscourriel")
    for donor in [*with_email, without]:
        DonationFactory(donor=donor)
    assert (
        batch(treasurer_client, association, django_capture_on_commit_callbacks).status_code == 302
    )

    assert sorted(m.to[0] for m in mail.outbox) == sorted(d.email for d in with_email)
    message = mail.outbox[0]
    link = next(line for line in message.body.splitlines() if "/receipts/" in line)
    download = client.get(link.split("://", 1)[1].split("/", 1)[1].join(["/", ""]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    with scopes_disabled():
        receipts = list(Receipt.objects.select_related("donor"))
        ids = [r.pk for r in receipts]
    assert all(bool(r.emailed_at) == bool(r.donor.email) for r in receipts)
    # A replayed task sends nothing more.
    assert receipts_email(association=association, receipt_ids=ids) == 0
    assert len(mail.outbox) == 2


def test_a_single_receipt_and_its_cancellation_are_emailed(
    association, treasurer, django_capture_on_commit_callbacks
):
    eligible(association)
    gift = DonationFactory(donor=DonorFactory(association=association, email="lea@example.org"))
    with django_capture_on_commit_callbacks(execute=True):
        receipt = receipt_issue(association=association, actor=treasurer, donation=gift)
    assert len(mail.outbox) == 1 and receipt.number in mail.outbox[0].subject
    with django_capture_on_commit_callbacks(execute=True):
        receipt_cancel(association=association, actor=treasurer, receipt=receipt, reason="Erreur")
    # The cancellation and the replacement, each once.
    assert len(mail.outbox) == 3
    with scopes_disabled():
        assert Receipt.objects.filter(emailed_at__isnull=False).count() == 3


def test_a_failed_email_is_tried_again(association, treasurer, monkeypatch):
    eligible(association)
    gift = DonationFactory(donor=DonorFactory(association=association))
    receipt = receipt_issue(association=association, actor=treasurer, donation=gift)

    def broken(**kwargs):
        raise OSError("SMTP down")

    monkeypatch.setattr("maillon.funding.receipts.delivery.send_mail", broken)
    assert receipts_email(association=association, receipt_ids=[receipt.pk]) == 0
    monkeypatch.undo()
    assert receipts_email(association=association, receipt_ids=[receipt.pk]) == 1
    assert receipts_email(association=association, receipt_ids=[receipt.pk]) == 0
    assert len(mail.outbox) == 1


def test_donors_without_email_are_printed_as_letters_once(
    association, treasurer, treasurer_client, django_capture_on_commit_callbacks
):
    eligible(association)
    donor = DonorFactory(
        association=association, email="", first_name="Hélène", last_name="Sanscourriel"
    )
    DonationFactory(donor=donor)
    DonationFactory(donor=DonorFactory(association=association))  # has an email
    batch(treasurer_client, association, django_capture_on_commit_callbacks)
    url = reverse("funding:receipt_letters", kwargs={"association_slug": association.slug})

    page = treasurer_client.get(url).content.decode()
    assert "Sanscourriel" in page and "1 reçu à poster" in page

    response = treasurer_client.post(url)
    assert response["Content-Type"] == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Hélène Sanscourriel" in text and "12 rue des Lilas" in text
    assert "reçu fiscal n°" in text.lower() or "reçu" in text.lower()
    with scopes_disabled():
        printed = Receipt.objects.get(donor=donor)
        assert printed.letter_printed_at is not None and printed.emailed_at is None
        assert AuditEntry.objects.filter(action="funding.receipt_letters_printed").count() == 1

    # Never twice: the second batch is empty.
    again = treasurer_client.post(url)
    assert again.status_code == 302
    assert "Sanscourriel" not in treasurer_client.get(url).content.decode()


def test_only_the_treasurer_prints_the_letters(association, client):
    from maillon.members.models import Role
    from maillon.members.tests.factories import member_with_account

    client.force_login(member_with_account(association, [Role.MEMBER]))
    url = reverse("funding:receipt_letters", kwargs={"association_slug": association.slug})
    assert client.get(url).status_code in (403, 404)
    assert client.post(url).status_code in (403, 404)


def test_the_treasurer_sends_the_pending_emails(
    association, treasurer, treasurer_client, django_capture_on_commit_callbacks
):
    """A receipt left unsent (a failed email, or issued before the donor gave an
    address) is sent from Receipts to post, once."""
    eligible(association)
    donor = DonorFactory(association=association, email="")
    receipt = receipt_issue(
        association=association, actor=treasurer, donation=DonationFactory(donor=donor)
    )
    with scopes_disabled():
        type(donor).objects.filter(pk=donor.pk).update(email="retrouve@example.org")
    url = reverse("funding:receipt_letters", kwargs={"association_slug": association.slug})
    assert "pas encore été envoyé" in treasurer_client.get(url).content.decode()
    send = reverse("funding:receipt_emails", kwargs={"association_slug": association.slug})
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            assert treasurer_client.post(send).status_code == 302
    assert [m.to for m in mail.outbox] == [["retrouve@example.org"]]
    assert receipt.number in mail.outbox[0].subject
