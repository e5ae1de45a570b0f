"""The signature image of the tax receipts: checked at upload (type, pixels, bytes:
a clear message, never a 500), kept in the private storage, drawn on the cerfa 11580
and 16216 above the signatory's name; replaced and removed without changing a receipt
already issued."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django_scopes import scopes_disabled
from PIL import Image
from pypdf import PdfReader

from maillon.funding.models import FundingSettings
from maillon.funding.receipts.selectors import private_storage
from maillon.funding.receipts.services import (
    funding_settings_signature_set,
    receipt_issue,
    render_pdf,
)
from maillon.funding.receipts.signature import MAX_BYTES
from maillon.members.models import Role
from maillon.members.tests.factories import member_with_account

from .factories import CompanyDonorFactory, DonationFactory, DonorFactory, eligible

pytestmark = pytest.mark.django_db


def picture(fmt: str = "PNG", size: tuple[int, int] = (400, 120)) -> bytes:
    image = Image.new("RGB", size, "white")
    for x in range(20, size[0] - 20):  # a stroke, so the image is not blank
        image.putpixel((x, size[1] // 2 + (x % 17) - 8), (10, 20, 120))
    out = io.BytesIO()
    image.save(out, format=fmt)
    return out.getvalue()


def upload(content: bytes, name: str = "signature.png", kind: str = "image/png"):
    return SimpleUploadedFile(name, content, content_type=kind)


def settings_of(association) -> FundingSettings:
    with scopes_disabled():
        return FundingSettings.objects.get(association=association)


def images_in(pdf: bytes) -> int:
    """Image XObjects the PDF's pages draw."""
    count = 0
    for page in PdfReader(io.BytesIO(pdf)).pages:
        xobjects = page["/Resources"].get("/XObject") or {}
        count += sum(1 for ref in xobjects.values() if ref.get_object()["/Subtype"] == "/Image")
    return count


def flat_text(pdf: bytes) -> str:
    return " ".join(
        " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split()
    )


def settings_post(**extra):
    return {
        "receipts_enabled": "on",
        "legal_basis": "general_interest",
        "object": "Aide aux devoirs",
        "address": "3 place Sathonay",
        "signatory_name": "Hélène Dubois",
        "signatory_title": "Trésorière",
        "receipt_mode": "yearly",
        **extra,
    }


def test_a_text_file_renamed_png_is_refused_with_a_message(association, treasurer_client):
    url = reverse("funding:receipt_settings", args=[association.slug])
    response = treasurer_client.post(
        url, settings_post(signature=upload(b"Bonjour, ceci n'est pas une image.\n" * 20))
    )
    assert response.status_code == 200
    # The page is in French by default.
    assert "Ce fichier n’est pas une image PNG ou JPEG" in response.content.decode()
    with scopes_disabled():
        assert (
            not FundingSettings.objects.filter(association=association)
            .exclude(signature_path="")
            .exists()
        )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (picture(size=(60, 20)), "too small (60 × 20 pixels)"),
        (picture(size=(2400, 300)), "too big (2400 × 300 pixels)"),
        (picture("GIF"), "not a PNG or JPEG image"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "not a PNG or JPEG image"),
        (b"x" * (MAX_BYTES + 1), "too large"),
    ],
    ids=["few-pixels", "many-pixels", "gif", "broken-png", "heavy"],
)
def test_bad_signature_images_are_refused_with_what_is_wrong(
    association, treasurer, content, message
):
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        funding_settings_signature_set(
            association=association, actor=treasurer, image=upload(content)
        )
    assert message in " ".join(refused.value.messages)


def test_the_signature_is_uploaded_shown_and_drawn_on_both_cerfas(
    association, treasurer, treasurer_client, django_capture_on_commit_callbacks
):
    eligible(association)
    url = reverse("funding:receipt_settings", args=[association.slug])
    response = treasurer_client.post(
        url, settings_post(signature=upload(picture("JPEG"), "scan.jpg", "image/jpeg"))
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    name = settings_of(association).signature_path
    assert name.startswith(f"funding/signatures/{association.pk}/") and name.endswith(".png")
    assert private_storage().exists(name)
    # Its preview, for who manages the receipts only.
    page = treasurer_client.get(url).content.decode()
    preview = reverse("funding:receipt_signature", args=[association.slug])
    assert f'src="{preview}"' in page
    shown = treasurer_client.get(preview)
    assert shown["Content-Type"] == "image/png"
    assert Image.open(io.BytesIO(shown.content)).size == (400, 120)

    person = DonationFactory(donor=DonorFactory(association=association), amount=Decimal("150"))
    company = DonationFactory(
        donor=CompanyDonorFactory(association=association), amount=Decimal("900")
    )
    with django_capture_on_commit_callbacks(execute=True):
        receipts = [
            receipt_issue(association=association, actor=treasurer, donation=gift)
            for gift in (person, company)
        ]
    assert [r.cerfa for r in receipts] == ["11580", "16216"]
    for receipt in receipts:
        pdf = render_pdf(receipt)
        assert images_in(pdf) == 1
        assert "Signature : Hélène Dubois, Trésorière" in flat_text(pdf)
        with private_storage().open(receipt.file_path, "rb") as stored:
            assert images_in(stored.read()) == 1


def test_without_an_image_the_signature_block_stays_text(association, treasurer):
    eligible(association)
    gift = DonationFactory(donor=DonorFactory(association=association))
    receipt = receipt_issue(association=association, actor=treasurer, donation=gift)
    pdf = render_pdf(receipt)
    assert images_in(pdf) == 0
    assert "Signature : Hélène Dubois, Trésorière" in flat_text(pdf)


def test_replacing_keeps_the_image_a_receipt_printed_and_removing_drops_it(
    association, treasurer, django_capture_on_commit_callbacks
):
    eligible(association)
    with django_capture_on_commit_callbacks(execute=True):
        funding_settings_signature_set(
            association=association, actor=treasurer, image=upload(picture())
        )
    unused = settings_of(association).signature_path
    with django_capture_on_commit_callbacks(execute=True):
        funding_settings_signature_set(
            association=association, actor=treasurer, image=upload(picture(size=(300, 90)))
        )
    printed = settings_of(association).signature_path
    assert printed != unused
    assert not private_storage().exists(unused)  # no receipt printed it: gone
    receipt = receipt_issue(
        association=association,
        actor=treasurer,
        donation=DonationFactory(donor=DonorFactory(association=association)),
    )
    with django_capture_on_commit_callbacks(execute=True):
        funding_settings_signature_set(association=association, actor=treasurer, image=None)
    assert settings_of(association).signature_path == ""
    # The issued receipt reads as it was issued: with its signature.
    assert private_storage().exists(printed)
    assert images_in(render_pdf(receipt)) == 1
    later = receipt_issue(
        association=association,
        actor=treasurer,
        donation=DonationFactory(donor=DonorFactory(association=association)),
    )
    assert images_in(render_pdf(later)) == 0


def test_the_remove_box_of_the_settings_page(
    association, treasurer, treasurer_client, django_capture_on_commit_callbacks
):
    eligible(association)
    funding_settings_signature_set(
        association=association, actor=treasurer, image=upload(picture())
    )
    url = reverse("funding:receipt_settings", args=[association.slug])
    assert 'name="remove_signature"' in treasurer_client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = treasurer_client.post(url, settings_post(remove_signature="on"))
    assert response.status_code == 302
    assert settings_of(association).signature_path == ""
    assert 'name="remove_signature"' not in treasurer_client.get(url).content.decode()
    preview = reverse("funding:receipt_signature", args=[association.slug])
    assert treasurer_client.get(preview).status_code == 404


def test_another_association_and_a_member_never_see_the_signature(
    association, other_association, treasurer, client
):
    eligible(association)
    funding_settings_signature_set(
        association=association, actor=treasurer, image=upload(picture())
    )
    preview = reverse("funding:receipt_signature", args=[association.slug])
    outsider = member_with_account(other_association, [Role.TREASURER, Role.MEMBER])
    client.force_login(outsider)
    assert client.get(preview).status_code == 404
    member = member_with_account(association, [Role.MEMBER])
    client.force_login(member)
    assert client.get(preview).status_code in (403, 404)


def test_a_transparent_signature_prints_on_white_at_print_resolution(association):
    from maillon.funding.receipts.signature import (
        PRINT_PIXELS,
        signature_image,
        store_signature,
    )

    image = Image.new("RGBA", (1800, 600), (0, 0, 0, 0))  # transparent, large
    for x in range(100, 1700):
        image.putpixel((x, 300), (0, 0, 0, 255))
    out = io.BytesIO()
    image.save(out, format="PNG")
    name = store_signature(association_id=association.pk, png=out.getvalue())
    reader = signature_image(name)
    width, height = reader.getSize()
    assert width <= PRINT_PIXELS[0] and height <= PRINT_PIXELS[1]
    assert reader.getRGBData()[:3] == b"\xff\xff\xff"  # the transparent corner: white
