"""Small real files of each kind, built in memory, for the blob store and material tests."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

from storage.blobs import DOCX, ODP, ODS, ODT, PPTX, XLSX


def pdf(text: str = "Tract") -> bytes:
    """A one-page PDF with a valid cross-reference table."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>",
    ]
    stream = f"BT /F1 12 Tf 20 100 Td ({text}) Tj ET".encode()
    objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


def padded_pdf(size: int) -> bytes:
    """A PDF of exactly `size` bytes (a comment after the end marker fills the rest)."""
    base = pdf()
    assert size >= len(base) + 2
    return base + b"%" + b"x" * (size - len(base) - 2) + b"\n"


def png() -> bytes:
    """A 1×1 grey PNG, chunks and CRCs included."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\x00\x80")) + chunk(b"IEND", b""))


# A 1×1 white baseline JPEG (made once with Pillow, which the tests need not install).
JPEG_BYTES = bytes.fromhex(
    "ffd8ffe000104a46494600010100000100010000ffdb00430050373c463c32504641465a55505f78c88278"
    "6e6e78f5afb991c8ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
    "ffffffffc0000b080001000101011100ffc40014000100000000000000000000000000000004ffc4001410"
    "0100000000000000000000000000000000ffda0008010100003f006bffd9"
)


def jpeg() -> bytes:
    return JPEG_BYTES


_OOXML_PARTS = {
    DOCX: ("word/document.xml",
           "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"),
    XLSX: ("xl/workbook.xml",
           "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"),
    PPTX: ("ppt/presentation.xml",
           "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"),
}


def ooxml(content_type: str = DOCX, *, main_type: str | None = None,
          extra: dict[str, bytes] | None = None) -> bytes:
    """A DOCX, XLSX or PPTX package, as Office writes its skeleton."""
    part, declared = _OOXML_PARTS[content_type]
    manifest = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels"'
        ' ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/{part}" ContentType="{main_type or declared}"/>'
        "</Types>"
    )
    rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        f'relationships/officeDocument" Target="{part}"/></Relationships>'
    )
    files = {"[Content_Types].xml": manifest.encode(), "_rels/.rels": rels.encode(),
             part: b'<?xml version="1.0"?><document/>', **(extra or {})}
    return _zip(files)


def odf(content_type: str = ODT, *, extra: dict[str, bytes] | None = None) -> bytes:
    """An OpenDocument file: `mimetype` first and stored, as the standard requires."""
    assert content_type in (ODT, ODS, ODP)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", content_type, compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", '<?xml version="1.0"?><office:document-content/>',
                         compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", "<manifest/>")
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def jar() -> bytes:
    """A zip that is no document: a Java archive."""
    return _zip({"META-INF/MANIFEST.MF": b"Main-Class: Evil\n", "Evil.class": b"\xca\xfe\xba\xbe"})


# What must never be kept, whatever name or type a platform gives it.
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 50 + (
    b"This program cannot be run in DOS mode.\r\n")
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 56
SHELL = b"#!/bin/sh\nrm -rf ~\n"
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
       b"<circle r='4'/></svg>")
