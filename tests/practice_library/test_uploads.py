import io
import re
import tracemalloc
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from practice_library.models import Attachment, Post
from practice_library.models.post import State
from practice_library.uploads import check_upload
from tests.factories import _pattern_for_kind, make_post

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 17
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 20
GIF = b"GIF89a" + b"\x00" * 20
WEBP = b"RIFF\x10\x00\x00\x00WEBPVP8 " + b"\x00" * 8


def zip_bytes(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


DOCX = zip_bytes({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
XLSX = zip_bytes({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})
ODT = zip_bytes({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"})


def upload(name: str, data: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        ("report.pdf", PDF, "application/pdf"),
        ("photo.PNG", PNG, "image/png"),
        ("photo.jpeg", JPEG, "image/jpeg"),
        ("anim.gif", GIF, "image/gif"),
        ("pic.webp", WEBP, "image/webp"),
        (
            "plan.docx",
            DOCX,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("sheet.xlsx", XLSX, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("notes.odt", ODT, "application/vnd.oasis.opendocument.text"),
        ("notes.txt", "Café notes\n".encode(), "text/plain; charset=utf-8"),
        ("list.csv", b"name,count\nA,1\n", "text/csv; charset=utf-8"),
        ("readme.md", b"# Title\n", "text/markdown; charset=utf-8"),
    ],
)
def test_check_upload_accepts_real_files_with_the_checked_type(name, data, content_type):
    checked = check_upload(upload(name, data, content_type="text/html"))

    assert (checked.original_name, checked.content_type, checked.size) == (
        name,
        content_type,
        len(data),
    )


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("page.pdf", b"<html><script>alert(1)</script></html>", "doesn't look like a real PDF"),
        ("app.png", b"MZ\x90\x00" + b"\x00" * 40, "doesn't look like a real PNG image"),
        ("fake.docx", zip_bytes({"word/document.xml": b"x"}), "real Word document"),
        ("sheet.docx", XLSX, "real Word document"),
        ("fake.odt", zip_bytes({"mimetype": b"application/zip"}), "real OpenDocument text"),
        ("broken.xlsx", b"PK\x03\x04 not really a zip", "real Excel workbook"),
        ("bin.txt", b"hello\x00world", "real text file"),
        ("latin1.csv", "café".encode("latin-1"), "real CSV file"),
        ("empty.pdf", b"", "doesn't look like a real PDF"),
        ("run.exe", b"MZ", "files ending in .exe can't be attached"),
        ("page.html", b"<html></html>", "files ending in .html can't be attached"),
        ("noextension", b"data", "files without an extension can't be attached"),
    ],
)
def test_check_upload_refuses_disguised_or_disallowed_files(name, data, message):
    with pytest.raises(ValidationError) as error:
        check_upload(upload(name, data))

    assert message in error.value.messages[0]


def test_check_upload_refuses_files_over_the_limit(settings):
    settings.LIBRARY_MAX_UPLOAD_BYTES = 1024

    with pytest.raises(ValidationError) as error:
        check_upload(upload("big.pdf", PDF + b"x" * (2048 - len(PDF))))

    assert error.value.messages == ["“big.pdf” is 2.0\xa0KB; files can be at most 1.0\xa0KB."]


def test_check_upload_cleans_the_name():
    checked = check_upload(upload("..\\evil\r\nname.txt", b"hi"))

    assert checked.original_name == "evilname.txt"


# Through the post form


def create(client, files, **data):
    pattern = _pattern_for_kind("asset")
    return client.post(
        reverse("library:post-create", kwargs={"slug": pattern.slug}),
        {"title": "Our toolkit", "attachments": files, **data},
    )


def test_post_create_stores_checked_files_under_generated_names(member_client):
    response = create(member_client, [upload("Toolkit.pdf", PDF), upload("plan.docx", DOCX)])

    post = Post.objects.get()
    pdf, docx = post.attachments.order_by("original_name")
    assert response.status_code == 302
    assert (pdf.original_name, pdf.content_type, pdf.size) == (
        "Toolkit.pdf",
        "application/pdf",
        len(PDF),
    )
    assert docx.content_type.endswith("wordprocessingml.document")
    assert pdf.file.name.startswith("library/")
    assert pdf.file.name.endswith(".pdf")
    assert "Toolkit" not in pdf.file.name
    assert default_storage.open(pdf.file.name).read() == PDF


def test_post_create_with_a_disguised_file_saves_nothing(member_client):
    response = create(member_client, [upload("invoice.pdf", b"<html>hi</html>")])

    assert response.status_code == 400
    assert response.context["form"].errors["attachments"] == [
        "“invoice.pdf” doesn't look like a real PDF. Check the file and try again."
    ]
    assert Post.objects.count() == 0
    assert Attachment.objects.count() == 0


def test_post_create_with_too_many_files_is_refused(member_client):
    response = create(member_client, [upload(f"f{n}.txt", b"hi") for n in range(4)])

    assert response.status_code == 400
    assert response.context["form"].errors["attachments"] == ["A post can carry at most 3 files."]
    assert Attachment.objects.count() == 0


def test_post_create_oversize_file_is_refused(member_client, settings):
    settings.LIBRARY_MAX_UPLOAD_BYTES = 10

    response = create(member_client, [upload("big.pdf", PDF)])

    assert response.status_code == 400
    assert "files can be at most 10\xa0bytes" in response.context["form"].errors["attachments"][0]


def test_post_edit_removes_and_adds_files(member, member_client):
    create(member_client, [upload("old.txt", b"old")])
    post = Post.objects.get()
    old = post.attachments.get()

    response = member_client.post(
        reverse("library:post-edit", kwargs={"code": post.code}),
        {
            "title": "Our toolkit",
            "remove_attachments": [old.pk],
            "attachments": [upload("new.png", PNG)],
        },
    )

    assert response.status_code == 302
    assert list(post.attachments.values_list("original_name", flat=True)) == ["new.png"]


# Downloads


def attach(post, name="Plan (final).pdf", data=PDF, content_type="application/pdf"):
    attachment = Attachment(
        post=post, original_name=name, content_type=content_type, size=len(data)
    )
    attachment.file.save(name, SimpleUploadedFile(name, data), save=True)
    return attachment


def test_attachment_download_is_a_sandboxed_attachment(client):
    attachment = attach(make_post())

    response = client.get(attachment.get_absolute_url())

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="Plan (final).pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"


def test_attachment_download_quotes_awkward_names(client):
    attachment = attach(make_post(), name='Café "notes".txt', data=b"hi", content_type="text/plain")

    response = client.get(attachment.get_absolute_url())

    assert (
        response["Content-Disposition"]
        == "attachment; filename*=utf-8''Caf%C3%A9%20%22notes%22.txt"
    )


def test_attachment_download_members_only_sends_visitors_to_log_in(client, member_client):
    attachment = attach(make_post(members_only=True))

    visitor = client.get(attachment.get_absolute_url())
    member = member_client.get(attachment.get_absolute_url())

    assert visitor.status_code == 302
    assert visitor["Location"].startswith(reverse("account_login"))
    assert member.status_code == 200


def test_attachment_download_of_a_hidden_post_is_404_except_for_organizers(
    member_client, organizer_client
):
    attachment = attach(make_post(state=State.HIDDEN))

    assert member_client.get(attachment.get_absolute_url()).status_code == 404
    assert organizer_client.get(attachment.get_absolute_url()).status_code == 200


def test_post_detail_links_to_the_download(client):
    attachment = attach(make_post())

    page = client.get(attachment.post.get_absolute_url()).content.decode()

    assert f'<a href="{attachment.get_absolute_url()}" download>Plan (final).pdf</a>' in page


# Abuse: bombs, polyglots, hostile names, counts


def test_check_upload_does_not_inflate_a_zip_bomb():
    """An OpenDocument file whose "mimetype" entry inflates to 50 MB is refused after
    reading a few bytes of it."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "mimetype", b"application/vnd.oasis.opendocument.text" + b"\x00" * 50_000_000
        )
    bomb = upload("notes.odt", buffer.getvalue())
    assert bomb.size < 100_000

    tracemalloc.start()
    try:
        with pytest.raises(ValidationError) as error:
            check_upload(bomb)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert error.value.code == "content"
    assert peak < 5_000_000


def test_check_upload_reads_only_the_directory_of_office_files():
    """A Word file is recognised by its zip directory; its entries are never inflated."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("word/document.xml", b"\x00" * 50_000_000)
    document = upload("huge.docx", buffer.getvalue())

    tracemalloc.start()
    try:
        checked = check_upload(document)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert checked.size == len(buffer.getvalue())
    assert peak < 5_000_000


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("photo.png", b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>"),
        ("photo.png", b"<html><script>alert(1)</script></html>"),
        ("report.pdf", b"<svg onload=alert(1)>%PDF-1.4"),
        ("drawing.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>"),
        ("page.htm", b"<html></html>"),
        ("photo.png.html", PNG),
        ("notes.xhtml", b"<html/>"),
    ],
)
def test_check_upload_refuses_markup_dressed_as_a_document(name, data):
    with pytest.raises(ValidationError):
        check_upload(upload(name, data, content_type="image/png"))


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        # Real signatures with markup after them: accepted as what they claim, served
        # as that type, as a download, never sniffed (see the download test below).
        ("polyglot.png", PNG + b"<script>alert(1)</script>", "image/png"),
        ("polyglot.pdf", PDF + b"<html><script>alert(1)</script></html>", "application/pdf"),
        ("page.txt", b"<html><script>alert(1)</script></html>", "text/plain; charset=utf-8"),
    ],
)
def test_polyglots_download_as_their_checked_type_never_as_a_page(
    member_client, client, name, data, content_type
):
    create(member_client, [upload(name, data, content_type="text/html")])
    attachment = Attachment.objects.get()

    response = client.get(attachment.get_absolute_url())

    assert attachment.content_type == content_type
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("../../etc/passwd.txt", "passwd.txt"),
        ("..\\..\\Windows\\notes.txt", "notes.txt"),
        ("/etc/cron.d/notes.txt", "notes.txt"),
        ("report\x00.txt", "report.txt"),
        ("invoice\u202etxt.exe.txt", "invoicetxt.exe.txt"),
        ("\u200b\ufeffnotes.txt", "notes.txt"),
        (f"{'n' * 300}.txt", f"{'n' * 196}.txt"),
    ],
)
def test_hostile_file_names_are_cleaned_and_never_reach_the_disk(member_client, name, shown):
    response = create(member_client, [upload(name, b"hello")])

    attachment = Attachment.objects.get()
    assert response.status_code == 302
    assert attachment.original_name == shown
    assert re.fullmatch(r"library/[0-9a-f]{32}\.txt", attachment.file.name)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("../../etc/passwd", "files without an extension can't be attached"),
        ("\u202egnp.exe", "files ending in .exe can't be attached"),
        ("...", "“file”: files without an extension"),
    ],
)
def test_hostile_file_names_without_a_real_extension_are_refused(member_client, name, message):
    response = create(member_client, [upload(name, b"hello")])

    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors["attachments"])
    assert Post.objects.count() == Attachment.objects.count() == 0


@pytest.mark.parametrize("name", ["empty.txt", "empty.png", "empty.docx"])
def test_zero_byte_files_are_refused(member_client, name):
    response = create(member_client, [upload(name, b"")])

    assert response.status_code == 400
    assert response.context["form"].errors["attachments"] == ["The submitted file is empty."]
    assert Attachment.objects.count() == 0


def test_post_edit_counts_the_files_already_attached(member_client):
    create(member_client, [upload(f"f{n}.txt", b"hi") for n in range(3)])
    post = Post.objects.get()
    url = reverse("library:post-edit", kwargs={"code": post.code})

    refused = member_client.post(
        url, {"title": "Our toolkit", "attachments": [upload("one-more.txt", b"hi")]}
    )
    first = post.attachments.order_by("pk").first()
    swapped = member_client.post(
        url,
        {
            "title": "Our toolkit",
            "remove_attachments": [first.pk],
            "attachments": [upload("one-more.txt", b"hi")],
        },
    )

    assert refused.status_code == 400
    assert refused.context["form"].errors["attachments"] == ["A post can carry at most 3 files."]
    assert swapped.status_code == 302
    assert sorted(post.attachments.values_list("original_name", flat=True)) == [
        "f1.txt",
        "f2.txt",
        "one-more.txt",
    ]


def test_a_refused_file_saves_none_of_the_others(member_client):
    response = create(member_client, [upload("good.pdf", PDF), upload("bad.pdf", b"<html></html>")])

    assert response.status_code == 400
    assert Post.objects.count() == Attachment.objects.count() == 0
    assert 'id="id_attachments_error"' in response.content.decode()
