from collections.abc import Iterator

import pytest

from tests.smtp_sink import Sink, free_port


def _send_to(settings, port: int) -> None:
    """Django's real SMTP backend, at a local port, giving up on a silent server after 1 s."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_TIMEOUT = 1
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""


@pytest.fixture
def sink(settings) -> Iterator[Sink]:
    """A mail server on a free local port, which this process sends to (workers are told
    its port themselves)."""
    with Sink() as sink:
        _send_to(settings, sink.port)
        yield sink


@pytest.fixture
def mail_server_down(settings) -> int:
    """This process sends to a port where nothing listens; returns the port (start a
    `Sink(port=...)` there to bring the server back)."""
    port = free_port()
    _send_to(settings, port)
    return port


@pytest.fixture
def database_queue(settings) -> None:
    """This process enqueues tasks in the database, as production does without Redis:
    the suite's own backend would run them inside the request."""
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
