import re

import pytest
from django.core import mail
from django.urls import reverse

pytestmark = pytest.mark.django_db

CODE_RE = re.compile(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", re.MULTILINE)


def _code_in(message) -> str:
    match = CODE_RE.search(message.body)
    assert match, message.body
    return match.group(1)


def test_login_by_code_logs_in_without_password(client, member):
    response = client.post(reverse("account_request_login_code"), {"email": member.email})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_confirm_login_code")
    assert mail.outbox[0].to == [member.email]

    response = client.post(
        reverse("account_confirm_login_code"), {"code": _code_in(mail.outbox[0])}
    )

    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == member.pk


def test_login_by_code_rejects_a_wrong_code(client, member):
    client.post(reverse("account_request_login_code"), {"email": member.email})

    response = client.post(reverse("account_confirm_login_code"), {"code": "WRONG1"})

    assert response.status_code == 200
    assert response.context["form"].errors["code"] == ["Incorrect code."]
    assert "_auth_user_id" not in client.session


def test_login_by_code_for_unknown_email_looks_the_same(client, member):
    known = client.post(reverse("account_request_login_code"), {"email": member.email})
    other = type(client)()

    unknown = other.post(reverse("account_request_login_code"), {"email": "nobody@example.com"})

    assert unknown.status_code == known.status_code == 302
    assert unknown["Location"] == known["Location"]
    assert [m.to for m in mail.outbox] == [[member.email], ["nobody@example.com"]]
    assert CODE_RE.search(mail.outbox[1].body) is None
