"""Attachments of a report: type checked by content, metadata stripped by re-encoding.

The browser's content type and the file name's extension are ignored. A JPEG or PNG must
open and verify with Pillow and is then re-encoded from its pixels alone, which drops EXIF
(GPS position, camera serial, time), XMP, ICC and PNG text chunks. A PDF is recognised by
its ``%PDF-`` header, parsed with pypdf and written anew without its document information
(Author, Creator, Producer, Title...) and without XMP metadata (the document's, its pages'
and its images'); earlier revisions of an incrementally saved file go with the rewrite. An
encrypted PDF, or one carrying JavaScript, a launch action or embedded files, is refused
(nobody can check what it does). The size cap is ``UPLOAD_MAX_BYTES`` (core.uploads refuses a larger body
before it is parsed; each file is checked again here).
"""

import io
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

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


# Keys of a PDF object that carry private data of the author or the tool, removed everywhere.
PDF_PRIVATE_KEYS = ("/Metadata", "/PieceInfo")


def _pdf_objects(root):
    """Every dictionary (and stream) reachable from ``root``, each indirect object once."""
    seen: set[tuple[int, int]] = set()
    stack = [root]
    while stack:
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            key = (obj.idnum, obj.generation)
            if key in seen:
                continue
            seen.add(key)
            obj = obj.get_object()
        if isinstance(obj, DictionaryObject):
            yield obj
            stack.extend(obj.values())
        elif isinstance(obj, ArrayObject):
            stack.extend(obj)


def _pdf_active_content(obj: DictionaryObject) -> bool:
    """JavaScript, a launch action, or an embedded file."""
    if "/JS" in obj or "/JavaScript" in obj or "/EmbeddedFiles" in obj or "/EF" in obj:
        return True
    return (
        obj.get("/S") in ("/JavaScript", "/Launch")
        or obj.get("/Type") == "/EmbeddedFile"
        or obj.get("/Subtype") == "/FileAttachment"
    )


def _pdf_unreadable():
    return ValidationFailed(
        _("The PDF file could not be read. Please send another PDF or a photo."),
        code=AdviceError.ATTACHMENT_UNREADABLE,
    )


def _pdf_clean(raw: bytes) -> bytes:
    try:
        reader = PdfReader(io.BytesIO(raw))
        if reader.is_encrypted:
            raise ValidationFailed(
                _("The PDF file is protected with a password. Please send it without one."),
                code=AdviceError.ATTACHMENT_ENCRYPTED,
            )
        if any(_pdf_active_content(obj) for obj in _pdf_objects(reader.trailer)):
            raise ValidationFailed(
                _(
                    "The PDF file contains scripts or attached files, which we cannot accept. "
                    "Please send a plain PDF or a photo."
                ),
                code=AdviceError.ATTACHMENT_ACTIVE_CONTENT,
            )
        writer = PdfWriter(clone_from=reader)
        writer.metadata = None  # no document information dictionary (Author, Producer...)
        for obj in _pdf_objects(writer.root_object):
            for key in PDF_PRIVATE_KEYS:  # XMP of the document, its pages and its images
                obj.pop(key, None)
        writer.compress_identical_objects()  # drops the now unreferenced XMP streams
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        raise _pdf_unreadable() from None


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
        return CleanFile(_pdf_clean(raw), content_type, "pdf")
    extension = "jpg" if content_type == "image/jpeg" else "png"
    return CleanFile(_reencode(raw, content_type), content_type, extension)
