"""Attachments of a report: type checked by content, metadata stripped by re-encoding.

The browser's content type and the file name's extension are ignored. A JPEG or PNG must
open and verify with Pillow and is then re-encoded from its pixels alone, which drops EXIF
(GPS position, camera serial, time), XMP, ICC and PNG text chunks. A PDF is recognised by
its ``%PDF-`` header and kept as is (its document metadata is not rewritten; documented in
docs/advice.md). The size cap is ``UPLOAD_MAX_BYTES`` (core.uploads refuses a larger body
before it is parsed; each file is checked again here).
"""

import io
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from advice.errors import AdviceError
from core.exceptions import TooLarge, ValidationFailed

Image.MAX_IMAGE_PIXELS = 40_000_000  # a decompression bomb is refused, not decoded


@dataclass(frozen=True)
class CleanFile:
    content: bytes
    content_type: str
    extension: str


def _sniff(head: bytes) -> str | None:
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    return None


def _reencode(raw: bytes, content_type: str) -> bytes:
    try:
        with Image.open(io.BytesIO(raw)) as probe:
            probe.verify()
        with Image.open(io.BytesIO(raw)) as image:
            image.load()
            # Apply the EXIF orientation to the pixels, so the picture stays upright without it.
            image = ImageOps.exif_transpose(image)
            out = io.BytesIO()
            if content_type == "image/jpeg":
                mode, target = ("L" if image.mode == "L" else "RGB"), "JPEG"
            else:
                mode, target = ("RGBA" if "A" in image.mode or image.mode == "P" else "RGB"), "PNG"
            image = image.convert(mode)
            # A new image from the pixels alone: no EXIF, XMP, ICC profile or text chunks.
            clean = Image.frombytes(mode, image.size, image.tobytes())
            if target == "JPEG":
                clean.save(out, format="JPEG", quality=90)
            else:
                clean.save(out, format="PNG")
            return out.getvalue()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationFailed(
            _("The image could not be read. Please send a JPEG or PNG photo or a PDF."),
            code=AdviceError.ATTACHMENT_UNREADABLE,
        ) from None


def attachment_clean(uploaded) -> CleanFile:
    """Check one uploaded file and return its cleaned content, or raise a translated error."""
    if uploaded.size > settings.UPLOAD_MAX_BYTES:
        raise TooLarge(
            _("The file is larger than %(mb).1f MB.")
            % {"mb": settings.UPLOAD_MAX_BYTES / 1024 / 1024}
        )
    raw = uploaded.read()
    content_type = _sniff(raw[:16])
    if content_type is None:
        raise ValidationFailed(
            _("Only photos (JPEG, PNG) and PDF files can be attached."),
            code=AdviceError.ATTACHMENT_TYPE,
        )
    if content_type == "application/pdf":
        return CleanFile(raw, content_type, "pdf")
    extension = "jpg" if content_type == "image/jpeg" else "png"
    return CleanFile(_reencode(raw, content_type), content_type, extension)
