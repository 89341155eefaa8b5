"""What an uploaded file is, judged by its content, and whether it may be kept as evidence or a source.

The name a browser sends proves nothing, so the first bytes decide: PDF, PNG, JPEG, the Office Open
XML and OpenDocument formats (a zip with the parts those formats must have), and plain text or CSV
(valid UTF-8 with no control bytes and no markup a browser would run). No well-kept library on this
machine does this without a native libmagic, so the few signatures are checked here.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

#: Largest file accepted (bytes); EVIDENCE_MAX_BYTES in the environment changes it.
DEFAULT_MAX_BYTES = 20 * 1024 * 1024

OOXML = {
    "word/": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx"),
    "xl/": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"),
    "ppt/": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", ".pptx"),
}
ODF = {
    b"application/vnd.oasis.opendocument.text": ".odt",
    b"application/vnd.oasis.opendocument.spreadsheet": ".ods",
    b"application/vnd.oasis.opendocument.presentation": ".odp",
}
EXTENSIONS = {
    "application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg", "text/plain": ".txt", "text/csv": ".csv",
    **{kind: ext for kind, ext in OOXML.values()}, **{kind.decode(): ext for kind, ext in ODF.items()},
}
ALLOWED_DESCRIPTION = "PDF, Word, Excel, PowerPoint, OpenDocument, PNG, JPEG, CSV or plain text"
MARKUP = (b"<!doctype", b"<html", b"<script", b"<svg", b"<?xml", b"<body", b"<iframe")


@dataclass(frozen=True)
class Found:
    content_type: str
    size: int


def max_bytes() -> int:
    return getattr(settings, "EVIDENCE_MAX_BYTES", DEFAULT_MAX_BYTES)


def inspect(upload, *, name: str = "") -> Found:
    """The file's type from its content and its size; ValidationError when it is too big or not allowed."""
    size = upload.size
    if size is None:
        raise ValidationError(_("The file could not be read."))
    if size == 0:
        raise ValidationError(_("The file is empty."))
    limit = max_bytes()
    if size > limit:
        raise ValidationError(_("The file is %(size)s MB; the largest accepted is %(limit)s MB.") % {
            "size": round(size / 1024 / 1024, 1), "limit": round(limit / 1024 / 1024, 1)})
    content_type = sniff(upload, name=name)
    if content_type is None:
        raise ValidationError(_("This file's content is not one of the types accepted (%(types)s), "
                                "whatever its name says.") % {"types": ALLOWED_DESCRIPTION})
    return Found(content_type=content_type, size=size)


def sniff(upload, *, name: str = "") -> str | None:
    """The content type the bytes show, or None when they are not an accepted type."""
    upload.seek(0)
    head = upload.read(65536)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"PK\x03\x04"):
        return _office(upload)
    return _text(head, name)


def _office(upload) -> str | None:
    try:
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
            if "mimetype" in names:
                return next((kind.decode() for kind in ODF if archive.read("mimetype").strip() == kind), None)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        return None
    finally:
        upload.seek(0)
    if "[Content_Types].xml" not in names:
        return None
    return next((kind for prefix, (kind, _ext) in OOXML.items() if any(n.startswith(prefix) for n in names)), None)


def _text(head: bytes, name: str) -> str | None:
    if b"\x00" in head:
        return None
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # only a character cut at the end of the sample is forgiven
            return None
        text = head[: exc.start].decode("utf-8")
    if any(ord(c) < 32 and c not in "\t\r\n\f" for c in text):
        return None
    if any(mark in head[:1024].lower().lstrip() for mark in MARKUP):
        return None
    return "text/csv" if name.lower().endswith(".csv") else "text/plain"


def extension_for(content_type: str, filename: str) -> str:
    """The extension a stored file gets: from its checked type, else a harmless one from its name."""
    if content_type in EXTENSIONS:
        return EXTENSIONS[content_type]
    suffix = PurePath(filename or "").suffix.lower()
    return suffix if suffix in EXTENSIONS.values() else ""


def display_name(filename: str) -> str:
    """The name shown and offered on download: the uploaded name without any folders."""
    return PurePath((filename or "").replace("\\", "/")).name[-200:] or "file"
