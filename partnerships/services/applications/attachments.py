"""Attachments to an application: only PDF, PNG and JPEG (checked by their first bytes), at most
10 MB, images re-encoded so their metadata (GPS positions) is gone, stored under a random name."""

import io
import secrets

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from places.photos import decode_image

from ...models import ApplicationAttachment
from .states import lock, require_editor

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
# Magic bytes → (content type, extension). The name a browser sends is never trusted.
ATTACHMENT_SIGNATURES = [
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
]


def attachment_add(*, application, actor, upload):
    """Store a PDF, PNG or JPEG (checked by its first bytes), at most 10 MB.

    Images are re-encoded, which drops EXIF metadata such as GPS positions (architecture §6). The
    stored name is random, so it says nothing and cannot be guessed.
    """
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError(
            _("The file is larger than %(max)s MB."), params={"max": 10}, code="too_large"
        )
    head = upload.read(16)
    upload.seek(0)
    detected = next(
        ((ctype, ext) for sig, ctype, ext in ATTACHMENT_SIGNATURES if head.startswith(sig)), None
    )
    if detected is None:
        raise ValidationError(_("Only PDF, PNG and JPEG files can be attached."), code="file_type")
    content_type, extension = detected
    content = upload.read()
    if content_type != "application/pdf":
        content = _reencode_image(content, "PNG" if extension == "png" else "JPEG")
    original_name = (upload.name or f"attachment.{extension}").rsplit("/", 1)[-1][:200]
    with transaction.atomic():
        require_editor(actor, lock(application))
        attachment = ApplicationAttachment(
            application=application,
            original_name=original_name,
            content_type=content_type,
            size_bytes=len(content),
            uploaded_by=actor,
        )
        attachment.file.save(f"{secrets.token_urlsafe(16)}.{extension}", ContentFile(content))
    return attachment


def _reencode_image(content: bytes, image_format: str) -> bytes:
    """Decode with the photo checks (format, decompression bombs) and write the pixels again:
    EXIF, GPS and any other metadata are gone."""
    try:
        image = decode_image(ContentFile(content))
        if image_format == "JPEG" and image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        out = io.BytesIO()
        image.save(out, format=image_format)
    except (ValidationError, OSError, ValueError):
        raise ValidationError(
            _("The image could not be read. Save it again as PNG or JPEG and retry."),
            code="bad_image",
        ) from None
    return out.getvalue()


def attachment_delete(*, attachment, actor):
    with transaction.atomic():
        require_editor(actor, lock(attachment.application))
        attachment.delete()
    attachment.file.delete(save=False)
