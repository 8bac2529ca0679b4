"""Photo uploads are size- and type-checked, resized and re-encoded without EXIF/GPS."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from places.photos import MAX_UPLOAD_BYTES, process_photo
from tests.places.conftest import image_bytes


def upload(data: bytes, name="photo.jpg"):
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def test_a_phone_photo_is_resized_and_stripped_of_gps():
    result = process_photo(upload(image_bytes(size=(4000, 3000), exif_gps=True)))
    with Image.open(io.BytesIO(result.read())) as image:
        assert image.format == "JPEG"
        assert image.size == (1600, 1200)
        assert not image.getexif()
    assert result.name.endswith(".jpg")


def test_an_upright_photo_keeps_its_orientation():
    source = Image.new("RGB", (300, 200), "white")
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90° clockwise to display"
    out = io.BytesIO()
    source.save(out, format="JPEG", exif=exif)
    with Image.open(io.BytesIO(process_photo(upload(out.getvalue())).read())) as image:
        assert image.size == (200, 300)


def test_a_small_png_with_transparency_becomes_a_jpeg():
    out = io.BytesIO()
    Image.new("RGBA", (40, 30), (10, 20, 30, 0)).save(out, format="PNG")
    with Image.open(io.BytesIO(process_photo(upload(out.getvalue(), "a.png")).read())) as image:
        assert image.format == "JPEG" and image.size == (40, 30) and image.mode == "RGB"


@pytest.mark.parametrize(
    "data",
    [b"", b"hello", b"%PDF-1.7\n...", b"\xff\xd8\xff\xe0" + b"\x00" * 40, b"GIF89a" + b"\x00" * 10],
)
def test_files_that_are_not_images_are_refused(data):
    with pytest.raises(ValidationError) as error:
        process_photo(upload(data))
    assert error.value.code == "photo_invalid"


def test_an_svg_is_refused():
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    with pytest.raises(ValidationError):
        process_photo(upload(svg, "x.svg"))


def test_an_oversized_file_is_refused_before_decoding():
    big = upload(b"\xff" * (MAX_UPLOAD_BYTES + 1))
    with pytest.raises(ValidationError) as error:
        process_photo(big)
    assert error.value.code == "photo_too_large"
    assert "det största foto vi tar emot är 8,0\xa0MB" in error.value.messages[0]


def test_a_decompression_bomb_is_refused():
    out = io.BytesIO()
    Image.new("1", (12000, 12000)).save(out, format="PNG")  # tiny file, 144 Mpx
    with pytest.raises(ValidationError) as error:
        process_photo(upload(out.getvalue(), "bomb.png"))
    assert error.value.code in ("photo_too_many_pixels", "photo_invalid")
