"""The kinds of file a document may be, and how each is recognised from its first bytes.

A file is accepted when its name ends in an extension settings.DOCUMENTS_TYPES allows and its
content looks like that kind of file: the type is decided here, never taken from what the
browser says, and a download is served with the type found here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

_ZIP = b"PK\x03\x04"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97-2003, Excel 97-2003, Outlook .msg


def _text(head: bytes) -> bool:
    """Plain text: UTF-8 (a character cut at the end of HEAD aside) with no NUL byte."""
    if b"\0" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        return error.start >= len(head) - 3
    return True


@dataclass(frozen=True)
class FileType:
    extension: str
    label: str
    content_type: str
    looks_right: Callable[[bytes], bool]


TYPES: dict[str, FileType] = {
    t.extension: t
    for t in [
        FileType("pdf", "PDF", "application/pdf", lambda h: h.startswith(b"%PDF-")),
        FileType(
            "docx",
            "Word document",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            lambda h: h.startswith(_ZIP),
        ),
        FileType(
            "doc", "Word 97-2003 document", "application/msword", lambda h: h.startswith(_OLE2)
        ),
        FileType(
            "xlsx",
            "Excel workbook",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            lambda h: h.startswith(_ZIP),
        ),
        FileType(
            "odt",
            "OpenDocument text",
            "application/vnd.oasis.opendocument.text",
            lambda h: h.startswith(_ZIP),
        ),
        FileType("rtf", "Rich text", "application/rtf", lambda h: h.startswith(b"{\\rtf")),
        FileType("txt", "Plain text", "text/plain; charset=utf-8", _text),
        FileType("csv", "CSV", "text/csv; charset=utf-8", _text),
        FileType(
            "msg", "Outlook e-mail", "application/vnd.ms-outlook", lambda h: h.startswith(_OLE2)
        ),
        FileType("eml", "E-mail", "message/rfc822", _text),
        FileType("png", "PNG image", "image/png", lambda h: h.startswith(b"\x89PNG\r\n\x1a\n")),
        FileType("jpg", "JPEG image", "image/jpeg", lambda h: h.startswith(b"\xff\xd8\xff")),
        FileType("jpeg", "JPEG image", "image/jpeg", lambda h: h.startswith(b"\xff\xd8\xff")),
    ]
}
HEAD_BYTES = 4096


def extension_of(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""
