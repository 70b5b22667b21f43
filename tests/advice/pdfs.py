"""Small PDFs built with pypdf for the attachment tests."""

import io

from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject, TextStringObject

XMP = (
    b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>'
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
    b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    b'<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/">'
    b"<dc:creator><rdf:Seq><rdf:li>Olena Petrenko (XMP)</rdf:li></rdf:Seq></dc:creator>"
    b"</rdf:Description></rdf:RDF></x:xmpmeta>"
    b'<?xpacket end="w"?>'
)


def _writer(pages: int = 2) -> PdfWriter:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    return writer


def _bytes(writer: PdfWriter) -> bytes:
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_with_metadata() -> bytes:
    """Two pages; the author's name in the document information and in XMP (document and
    first page)."""
    writer = _writer()
    writer.add_metadata(
        {
            "/Author": "Olena Petrenko",
            "/Creator": "Scanner of Voorbeeldstraat 1",
            "/Producer": "PhoneScan 3.2",
            "/Title": "Contract Olena Petrenko",
        }
    )
    for owner in (writer.root_object, writer.pages[0]):
        stream = DecodedStreamObject()
        stream.set_data(XMP)
        stream[NameObject("/Type")] = NameObject("/Metadata")
        stream[NameObject("/Subtype")] = NameObject("/XML")
        owner[NameObject("/Metadata")] = writer._add_object(stream)
    data = _bytes(writer)
    assert b"Olena Petrenko" in data and b"Olena Petrenko (XMP)" in data
    return data


def pdf_encrypted() -> bytes:
    writer = _writer(1)
    writer.encrypt(user_password="secret", algorithm="RC4-128")
    return _bytes(writer)


def pdf_with_javascript() -> bytes:
    writer = _writer(1)
    action = DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("app.alert('hello');"),
        }
    )
    writer.root_object[NameObject("/OpenAction")] = writer._add_object(action)
    return _bytes(writer)


def pdf_with_embedded_file() -> bytes:
    writer = _writer(1)
    writer.add_attachment("payload.exe", b"MZ\x90\x00")
    return _bytes(writer)


def plain_pdf() -> bytes:
    return _bytes(_writer(1))
