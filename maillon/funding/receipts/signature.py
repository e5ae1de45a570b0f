"""The signature image printed on the tax receipts: checked and re-encoded at upload
(PNG or JPEG in, PNG out: nothing but the pixels is kept), stored in the private
storage under a name of its own, and read back (cached) when a receipt is drawn."""

from __future__ import annotations

import io
import logging
import uuid
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError
from reportlab.lib.utils import ImageReader

from .selectors import private_storage

logger = logging.getLogger(__name__)

FORMATS = {"PNG", "JPEG"}
MAX_BYTES = 1024 * 1024
MIN_WIDTH, MIN_HEIGHT = 100, 30
MAX_WIDTH, MAX_HEIGHT = 2000, 1000
# The printed block is 60 × 22 mm: 300 dpi is 709 × 260 pixels.
PRINT_PIXELS = (720, 264)


def clean_signature(upload) -> bytes:
    """The uploaded file as a PNG, or a ValidationError saying what is wrong with it."""
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_BYTES:
        raise ValidationError(
            _("The signature image is too large (%(size)s); send a file of at most %(max)s.")
            % {"size": filesizeformat(size), "max": filesizeformat(MAX_BYTES)},
            code="too_large",
        )
    upload.seek(0)
    content = upload.read(MAX_BYTES + 1)
    if len(content) > MAX_BYTES:
        raise ValidationError(
            _("The signature image is too large; send a file of at most %(max)s.")
            % {"max": filesizeformat(MAX_BYTES)},
            code="too_large",
        )
    not_an_image = ValidationError(
        _(
            "This file is not a PNG or JPEG image. Scan or photograph the signature and "
            "send it as PNG or JPEG."
        ),
        code="not_an_image",
    )
    try:
        with Image.open(io.BytesIO(content)) as probe:
            kind, (width, height) = probe.format, probe.size
            probe.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise not_an_image from None
    if kind not in FORMATS:
        raise not_an_image
    if width < MIN_WIDTH or height < MIN_HEIGHT:
        raise ValidationError(
            _(
                "The signature image is too small (%(width)s × %(height)s pixels); it needs at "
                "least %(min_width)s × %(min_height)s pixels to print legibly."
            )
            % {"width": width, "height": height, "min_width": MIN_WIDTH, "min_height": MIN_HEIGHT},
            code="too_small",
        )
    if width > MAX_WIDTH or height > MAX_HEIGHT:
        raise ValidationError(
            _(
                "The signature image is too big (%(width)s × %(height)s pixels); it may have "
                "%(max_width)s × %(max_height)s pixels at most."
            )
            % {"width": width, "height": height, "max_width": MAX_WIDTH, "max_height": MAX_HEIGHT},
            code="too_big",
        )
    try:
        with Image.open(io.BytesIO(content)) as image:
            image.load()
            pixels = image.convert("RGBA" if "A" in image.getbands() else "RGB")
            out = io.BytesIO()
            pixels.save(out, format="PNG", optimize=True)
    except (OSError, ValueError, SyntaxError):
        raise not_an_image from None
    return out.getvalue()


def store_signature(*, association_id: int, png: bytes) -> str:
    """Save a cleaned signature; returns its (new) name in the private storage."""
    name = f"funding/signatures/{association_id}/{uuid.uuid4().hex}.png"
    return private_storage().save(name, ContentFile(png))


def signature_bytes(name: str) -> bytes | None:
    if not name:
        return None
    try:
        with private_storage().open(name, "rb") as stored:
            return stored.read()
    except OSError:
        logger.warning("The signature image %s is missing", name)
        return None


@lru_cache(maxsize=16)
def signature_image(name: str) -> ImageReader | None:
    """The image to draw, prepared once per process (names never change content: each
    upload has its own): flattened on white, at most 300 dpi for its printed size, as
    a JPEG, which the PDF embeds as it is (a PNG would be compressed again in every
    receipt of a year-end batch)."""
    content = signature_bytes(name)
    if content is None:
        return None
    try:
        with Image.open(io.BytesIO(content)) as stored:
            rgba = stored.convert("RGBA")
    except (OSError, ValueError, SyntaxError):
        logger.warning("The signature image %s cannot be read", name)
        return None
    flat = Image.new("RGB", rgba.size, "white")
    flat.paste(rgba, mask=rgba.getchannel("A"))
    flat.thumbnail(PRINT_PIXELS)
    out = io.BytesIO()
    flat.save(out, format="JPEG", quality=90)
    out.seek(0)
    return ImageReader(out)
