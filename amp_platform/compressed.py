"""Pages whose big part is cached, sent gzip-compressed without compressing that part again.

A cached page body (the dashboard's, the overview's, a report's) is stored with its own
compressed form: a raw deflate stream ended by a *sync flush*, so it is a run of whole deflate
blocks that may sit anywhere in a longer stream. A response then compresses only the small page
shell around it (the header, navigation and footer, rendered per request) and splices:

    gzip header | deflate(shell before) + sync flush | cached body blocks |
    deflate(shell after), final block | CRC-32 and length of the whole page

which is one valid gzip stream (RFC 1951/1952): each part was compressed by a fresh compressor,
so no back-reference crosses a seam. Compressing the 150 KB body on every request would cost
more than the rest of a warm request together.

BREACH: like Django's GZipMiddleware (which this mirrors), the gzip header carries a file name
of random length ("Heal the Breach"), so the compressed length does not reveal a secret through
reflected input. These pages hold no secret besides Django's CSRF token, which is masked afresh
for every response; their only reflected input is a period that was validated or rejected.
"""

import secrets
import string
import zlib

from django.http import HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.regex_helper import _lazy_re_compile

MARKER = "<!--amp:cached-body-->"
_ACCEPTS_GZIP = _lazy_re_compile(r"\bgzip\b")
_LETTERS = string.ascii_letters.encode()
MAX_RANDOM_BYTES = 100
# Level 3, not zlib's default 6: the dashboard's 215 KB body compresses in 1.7 ms instead of
# 3.8 (part of every cold request) to 30 KB instead of 27 – still well under 40 KB (issue #20).
LEVEL = 3


def _deflate(data: bytes, final: bool) -> bytes:
    compressor = zlib.compressobj(LEVEL, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush(
        zlib.Z_FINISH if final else zlib.Z_SYNC_FLUSH
    )


def segment(html: str) -> dict:
    """A rendered body as the cache keeps it: its bytes and their deflate blocks."""
    data = html.encode()
    return {"bytes": data, "deflate": _deflate(data, final=False)}


def _gzip_header() -> bytes:
    # ID1 ID2 CM=deflate FLG=FNAME MTIME=0 XFL=0 OS=unknown, then a random file name.
    name = bytes(secrets.choice(_LETTERS) for _i in range(secrets.randbelow(MAX_RANDOM_BYTES) + 1))
    return b"\x1f\x8b\x08\x08\x00\x00\x00\x00\x00\xff" + name + b"\x00"


def spliced_response(request, shell: str, body: dict) -> HttpResponse:
    """The page `shell` with `body` (from `segment`) in place of MARKER, gzip-compressed when
    the client accepts it, plain otherwise."""
    before, _marker, after = shell.partition(MARKER)
    before, after = before.encode(), after.encode()
    if not _ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")):
        response = HttpResponse(before + body["bytes"] + after)
    else:
        crc = zlib.crc32(after, zlib.crc32(body["bytes"], zlib.crc32(before)))
        size = (len(before) + len(body["bytes"]) + len(after)) & 0xFFFFFFFF
        response = HttpResponse(
            b"".join(
                (
                    _gzip_header(),
                    _deflate(before, final=False) if before else b"",
                    body["deflate"],
                    _deflate(after, final=True),
                    crc.to_bytes(4, "little"),
                    size.to_bytes(4, "little"),
                )
            )
        )
        response.headers["Content-Encoding"] = "gzip"
    patch_vary_headers(response, ("Accept-Encoding",))
    return response
