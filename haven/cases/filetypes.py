"""Which files a case may hold: PDF, images, office documents and plain text, recognized by their content (the
first bytes, the parts of an office archive, text that decodes and is not a web page) and not by their name
alone. The name's extension must also be one of the recognized type's, so that a PDF named `.exe` or a web page
named `.txt` is refused. Pure Python on purpose: no libmagic to install, and the rules are readable here."""
from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

REFUSED = _("Haven keeps PDF files, images (JPEG, PNG, GIF, WebP, TIFF, HEIC), office documents (Word, Excel, "
            "PowerPoint, OpenDocument, RTF) and plain text. The content of “%(name)s” is none of these, or does not "
            "match its name's extension.")


@dataclass(frozen=True)
class FileType:
    content_type: str
    extensions: frozenset[str]


def _type(content_type: str, *extensions: str) -> FileType:
    return FileType(content_type, frozenset(extensions))


PDF = _type("application/pdf", "pdf")
JPEG = _type("image/jpeg", "jpg", "jpeg")
PNG = _type("image/png", "png")
GIF = _type("image/gif", "gif")
WEBP = _type("image/webp", "webp")
TIFF = _type("image/tiff", "tif", "tiff")
HEIC = _type("image/heic", "heic", "heif")
RTF = _type("application/rtf", "rtf")
LEGACY_OFFICE = _type("application/x-ole-storage", "doc", "xls", "ppt")
TEXT = _type("text/plain", "txt", "text", "csv", "tsv", "md", "log")
OOXML = {  # the folder an Office Open XML archive keeps its main part in
    "word/": _type("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    "xl/": _type("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "ppt/": _type("application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx"),
}
OPENDOCUMENT = {
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.presentation": "odp",
}
SIGNATURES = (
    (b"%PDF-", PDF), (b"\xff\xd8\xff", JPEG), (b"\x89PNG\r\n\x1a\n", PNG), (b"GIF87a", GIF), (b"GIF89a", GIF),
    (b"II*\x00", TIFF), (b"MM\x00*", TIFF), (b"{\\rtf", RTF),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", LEGACY_OFFICE),  # Word, Excel and PowerPoint 97-2003
)
HEIC_BRANDS = (b"heic", b"heix", b"hevc", b"hevx", b"mif1", b"msf1")
# Text that a browser would run or render as a page: never kept as "plain text".
MARKUP = (b"<!doctype", b"<html", b"<script", b"<svg", b"<?xml", b"<iframe", b"<body", b"<head")


def _archive_type(content: bytes) -> FileType | None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        names = set(archive.namelist())
        if "mimetype" in names:
            kind = archive.read("mimetype").decode("ascii", "replace").strip()
            if kind in OPENDOCUMENT:
                return _type(kind, OPENDOCUMENT[kind])
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, NotImplementedError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    for folder, filetype in OOXML.items():
        if any(name.startswith(folder) for name in names):
            return filetype
    return None


def _is_plain_text(content: bytes) -> bool:
    for encoding in ("utf-8-sig", "utf-16"):
        if encoding == "utf-16" and not content.startswith((b"\xff\xfe", b"\xfe\xff")):
            continue
        try:
            text = content.decode(encoding)
        except UnicodeDecodeError:
            continue
        if any(ord(char) < 32 and char not in "\t\n\r\f" for char in text):
            return False
        head = text[:1024].lstrip().lower().encode("utf-8", "replace")
        return not any(marker in head for marker in MARKUP)
    return False


def detect(content: bytes) -> FileType | None:
    """The allowed type `content` is, or None."""
    for signature, filetype in SIGNATURES:
        if content.startswith(signature):
            return filetype
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return WEBP
    if content[4:8] == b"ftyp" and content[8:12] in HEIC_BRANDS:
        return HEIC
    if content.startswith(b"PK\x03\x04"):
        return _archive_type(content)
    return TEXT if _is_plain_text(content) else None


def check_allowed_file(*, filename: str, content: bytes, field: str = "file") -> str:
    """The content type to store for an allowed file (what its content is, not what the browser said);
    ValidationError keyed by `field` otherwise."""
    filetype = detect(content)
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if filetype is None or extension not in filetype.extensions:
        raise ValidationError({field: ValidationError(REFUSED, code="file_type", params={"name": filename[:80]})})
    return filetype.content_type
