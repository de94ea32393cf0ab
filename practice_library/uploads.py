"""Checks on files members attach to posts.

A file is accepted only when its extension is on the list *and* its first bytes (or,
for office documents, its zip directory) say it is that kind of file: an HTML page
renamed `.pdf` or a program renamed `.png` is refused. The content type stored with
the attachment comes from this check, never from what the browser claimed, and
downloads are served as attachments in a sandbox (see views/files.py).
"""

import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

MAX_FILES_PER_POST = 3
DEFAULT_MAX_UPLOAD_BYTES = 10 * 1024 * 1024

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
ZIP_SIGNATURE = b"PK\x03\x04"
OPENDOCUMENT_MIMETYPES = {
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
}
# The folder every real Office Open XML file of that kind has.
OFFICE_MAIN_FOLDERS = {"docx": "word/", "xlsx": "xl/", "pptx": "ppt/"}


def max_upload_bytes() -> int:
    return getattr(settings, "LIBRARY_MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES)


@dataclass(frozen=True)
class CheckedUpload:
    """An uploaded file that passed every check, with what the checks established."""

    file: UploadedFile
    original_name: str
    content_type: str
    size: int


def _head(file: IO[bytes], length: int = 16) -> bytes:
    file.seek(0)
    data = file.read(length)
    file.seek(0)
    return data


def _is_pdf(file: IO[bytes]) -> bool:
    return _head(file, 5) == b"%PDF-"


def _is_png(file: IO[bytes]) -> bool:
    return _head(file, 8) == PNG_SIGNATURE


def _is_jpeg(file: IO[bytes]) -> bool:
    return _head(file, 3) == b"\xff\xd8\xff"


def _is_gif(file: IO[bytes]) -> bool:
    return _head(file, 6) in (b"GIF87a", b"GIF89a")


def _is_webp(file: IO[bytes]) -> bool:
    head = _head(file, 12)
    return head[:4] == b"RIFF" and head[8:12] == b"WEBP"


def _zip_names(file: IO[bytes]) -> set[str] | None:
    """The entry names of a zip file, or None when it isn't a readable zip."""
    if _head(file, 4) != ZIP_SIGNATURE:
        return None
    try:
        with zipfile.ZipFile(file) as archive:
            return set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        file.seek(0)


def _office_check(extension: str) -> Callable[[IO[bytes]], bool]:
    def check(file: IO[bytes]) -> bool:
        names = _zip_names(file)
        if names is None or "[Content_Types].xml" not in names:
            return False
        folder = OFFICE_MAIN_FOLDERS[extension]
        return any(name.startswith(folder) for name in names)

    return check


def _opendocument_check(extension: str) -> Callable[[IO[bytes]], bool]:
    def check(file: IO[bytes]) -> bool:
        names = _zip_names(file)
        if names is None or "mimetype" not in names:
            return False
        try:
            with zipfile.ZipFile(file) as archive, archive.open("mimetype") as entry:
                # The entry is a few dozen bytes; reading a little more is enough to
                # refuse a padded one without inflating a zip bomb.
                mimetype = entry.read(100)
        except (zipfile.BadZipFile, OSError, ValueError, KeyError):
            return False
        finally:
            file.seek(0)
        return mimetype.strip() == OPENDOCUMENT_MIMETYPES[extension].encode()

    return check


def _is_utf8_text(file: IO[bytes]) -> bool:
    file.seek(0)
    data = file.read(max_upload_bytes() + 1)
    file.seek(0)
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


@dataclass(frozen=True)
class FileKind:
    label: str
    content_type: str
    check: Callable[[IO[bytes]], bool]


TEXT_UTF8 = "; charset=utf-8"
OOXML = "application/vnd.openxmlformats-officedocument."
ALLOWED: dict[str, FileKind] = {
    "pdf": FileKind("PDF", "application/pdf", _is_pdf),
    "png": FileKind(gettext_lazy("PNG image"), "image/png", _is_png),
    "jpg": FileKind(gettext_lazy("JPEG image"), "image/jpeg", _is_jpeg),
    "jpeg": FileKind(gettext_lazy("JPEG image"), "image/jpeg", _is_jpeg),
    "gif": FileKind(gettext_lazy("GIF image"), "image/gif", _is_gif),
    "webp": FileKind(gettext_lazy("WebP image"), "image/webp", _is_webp),
    "docx": FileKind(
        gettext_lazy("Word document"), OOXML + "wordprocessingml.document", _office_check("docx")
    ),
    "xlsx": FileKind(
        gettext_lazy("Excel workbook"), OOXML + "spreadsheetml.sheet", _office_check("xlsx")
    ),
    "pptx": FileKind(
        gettext_lazy("PowerPoint presentation"),
        OOXML + "presentationml.presentation",
        _office_check("pptx"),
    ),
    "odt": FileKind(
        gettext_lazy("OpenDocument text"), OPENDOCUMENT_MIMETYPES["odt"], _opendocument_check("odt")
    ),
    "ods": FileKind(
        gettext_lazy("OpenDocument spreadsheet"),
        OPENDOCUMENT_MIMETYPES["ods"],
        _opendocument_check("ods"),
    ),
    "odp": FileKind(
        gettext_lazy("OpenDocument presentation"),
        OPENDOCUMENT_MIMETYPES["odp"],
        _opendocument_check("odp"),
    ),
    "txt": FileKind(gettext_lazy("text file"), "text/plain" + TEXT_UTF8, _is_utf8_text),
    "csv": FileKind(gettext_lazy("CSV file"), "text/csv" + TEXT_UTF8, _is_utf8_text),
    "md": FileKind(gettext_lazy("Markdown file"), "text/markdown" + TEXT_UTF8, _is_utf8_text),
}
ALLOWED_LIST = ", ".join(f".{extension}" for extension in ALLOWED)
# The allowed kinds as people name them, for the sentence under the file picker (a test
# holds this to ALLOWED, so a new kind can't be left unsaid).
KINDS_IN_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("PDF", ("pdf",)),
    ("Word", ("docx",)),
    ("Excel", ("xlsx",)),
    ("PowerPoint", ("pptx",)),
    ("OpenDocument", ("odt", "ods", "odp")),
    (gettext_lazy("images"), ("png", "jpg", "jpeg", "gif", "webp")),
    (gettext_lazy("text files"), ("txt", "csv", "md")),
)


def size_in_words(size: int) -> str:
    """ "10 MB" for 10 MiB, as people say it; filesizeformat would say "10.0 MB"."""
    megabytes = size / (1024 * 1024)
    if megabytes >= 1:
        return f"{megabytes:.0f} MB" if megabytes == int(megabytes) else f"{megabytes:.1f} MB"
    return f"{max(size // 1024, 1)} KB"


def limits_in_words() -> str:
    """What may be attached, in one sentence: "PDF, Word, …; up to 10 MB each, at most 3
    files." The size comes from the settings, so it says what the check enforces."""
    names = [str(name) for name, _kinds in KINDS_IN_WORDS]
    return ngettext(
        "%(kinds)s or %(last)s; up to %(size)s each, at most %(limit)s file.",
        "%(kinds)s or %(last)s; up to %(size)s each, at most %(limit)s files.",
        MAX_FILES_PER_POST,
    ) % {
        "kinds": ", ".join(names[:-1]),
        "last": names[-1],
        "size": size_in_words(max_upload_bytes()),
        "limit": MAX_FILES_PER_POST,
    }


def safe_name(name: str, *, max_length: int = 200) -> str:
    """The uploader's file name as shown and offered back on download: no folders, no
    control characters, not too long (the extension is kept)."""
    name = PurePosixPath(name.replace("\\", "/")).name
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip(" .")
    if len(name) > max_length:
        path = PurePosixPath(name)
        suffix = path.suffix[:10]
        name = path.stem[: max_length - len(suffix)] + suffix
    return name or "file"


def check_upload(file: UploadedFile) -> CheckedUpload:
    """Accept the file or raise ValidationError with a message for the person uploading."""
    name = safe_name(file.name or "")
    extension = PurePosixPath(name).suffix.lower().lstrip(".")
    limit = max_upload_bytes()
    if file.size is None or file.size > limit:
        raise ValidationError(
            _("“%(name)s” is %(size)s; files can be at most %(limit)s.")
            % {
                "name": name,
                "size": filesizeformat(file.size or 0),
                "limit": filesizeformat(limit),
            },
            code="too_large",
        )
    kind = ALLOWED.get(extension)
    if kind is None:
        if extension:
            message = _(
                "“%(name)s”: files ending in .%(extension)s can't be attached. "
                "Allowed: %(allowed)s."
            )
        else:
            message = _(
                "“%(name)s”: files without an extension can't be attached. Allowed: %(allowed)s."
            )
        raise ValidationError(
            message % {"name": name, "extension": extension, "allowed": ALLOWED_LIST},
            code="extension",
        )
    if file.size == 0 or not kind.check(file):
        raise ValidationError(
            _("“%(name)s” doesn't look like a real %(kind)s. Check the file and try again.")
            % {"name": name, "kind": kind.label},
            code="content",
        )
    return CheckedUpload(
        file=file, original_name=name, content_type=kind.content_type, size=file.size
    )
