import io
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
