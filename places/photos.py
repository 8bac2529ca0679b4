"""Photo uploads for action items: checked, resized and re-encoded before anything is stored.

Phones put the GPS position and the device in a photo's EXIF data; architecture §6 says uploads are
re-encoded with EXIF stripped. We never keep the original bytes: the image is decoded, turned
upright (EXIF orientation), scaled to at most MAX_SIDE pixels and written as a fresh JPEG with
no metadata.
"""

import io
import uuid
import warnings

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_UPLOAD_BYTES = 8 * 1024 * 1024
MAX_SIDE = 1600
# A decompression bomb (a tiny file that decodes to gigapixels) is refused before decoding.
MAX_PIXELS = 50_000_000
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF", "BMP", "TIFF", "MPO"}


def decode_image(upload) -> Image.Image:
    """Decode an uploaded image safely, turned upright: only the formats we accept, and a
    decompression bomb (a tiny file that decodes to gigapixels) is refused before decoding.
    Raises ValidationError (code photo_invalid or photo_too_many_pixels)."""
    not_an_image = ValidationError(
        _("This file is not a photo we can read. Upload a JPEG, PNG or WebP image."),
        code="photo_invalid",
    )
    try:
        upload.seek(0)
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(upload)
            if image.format not in ACCEPTED_FORMATS:
                raise not_an_image
            if image.width * image.height > MAX_PIXELS:
                raise ValidationError(
                    _("The photo is too large in pixels; take it again at a lower resolution."),
                    code="photo_too_many_pixels",
                )
            image.load()
            image = ImageOps.exif_transpose(image)
    except ValidationError:
        raise
    except (
        UnidentifiedImageError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
        OSError,
        ValueError,
        SyntaxError,
    ):
        raise not_an_image from None
    return image


def process_photo(upload) -> ContentFile:
    """Validate an uploaded file and return a clean JPEG (ContentFile with a random name)."""
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The photo is %(size)s; the largest photo we accept is %(max)s."),
            code="photo_too_large",
            params={"size": filesizeformat(upload.size), "max": filesizeformat(MAX_UPLOAD_BYTES)},
        )
    image = decode_image(upload)
    if image.mode not in ("RGB", "L"):
        background = Image.new("RGB", image.size, "white")
        rgba = image.convert("RGBA")
        background.paste(rgba, mask=rgba.getchannel("A"))
        image = background
    image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    # No exif=, no icc_profile=: the new file carries pixels only.
    image.save(out, format="JPEG", quality=85, optimize=True)
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.jpg")
