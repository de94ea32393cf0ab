"""A real SMTP server for tests and benchmarks (aiosmtpd), on a free local port.

It keeps every message it accepts, and can be told to misbehave the way mail servers
do: refuse for now (451) or for good (550), hang past the client's timeout, or hang up
in the middle of a message; for one message in a series (`script`), or slowly (`delay`).
"""

import asyncio
import email
import socket
import threading
import time
from dataclasses import dataclass, field
from email.message import Message

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

ACCEPT = "accept"
REFUSE_FOR_NOW = "451"  # "try again later"
REFUSE_FOR_GOOD = "550"  # "no such mailbox"
HANG = "hang"  # say nothing until the client gives up
HANG_UP = "hang up"  # drop the connection instead of answering DATA


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Handler:
    mode: str = ACCEPT
    # Modes for the next messages, one each, before `mode` applies again: [ACCEPT,
    # HANG_UP] takes one message and drops the connection during the second.
    script: list[str] = field(default_factory=list)
    # Seconds to wait before answering each message (a slow server).
    delay: float = 0.0
    # Addresses refused for good whatever the mode (a bouncing mailbox).
    bouncing: set[str] = field(default_factory=set)
    messages: list[Message] = field(default_factory=list)
    connections: int = 0
    # Messages offered (DATA commands), whatever the answer.
    offered: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.bouncing:
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        with self.lock:
            self.offered += 1
            mode = self.script.pop(0) if self.script else self.mode
        if self.delay:
            await asyncio.sleep(self.delay)
        if mode == REFUSE_FOR_NOW:
            return "451 4.3.0 Try again later"
        if mode == REFUSE_FOR_GOOD:
            return "550 5.7.1 Refused"
        if mode == HANG:
            await asyncio.sleep(3600)
        if mode == HANG_UP:
            server.transport.close()
            return "421 Closing"
        with self.lock:
            self.messages.append(email.message_from_bytes(envelope.content))
        return "250 Message accepted"


class Sink(Controller):
    """Usage: `with Sink() as sink: ...` then point EMAIL_HOST/EMAIL_PORT at it."""

    def __init__(self, port: int | None = None) -> None:
        self.state = Handler()
        super().__init__(self.state, hostname="127.0.0.1", port=port or free_port())

    def factory(self) -> SMTP:
        self.state.connections += 1
        return SMTP(self.handler, hostname="sink.test")

    def __enter__(self) -> "Sink":
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def messages(self) -> list[Message]:
        with self.state.lock:
            return list(self.state.messages)

    def message_ids(self) -> list[str]:
        return [str(message["Message-ID"]) for message in self.messages]

    def wait_for(self, count: int, timeout: float = 30.0) -> list[Message]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(self.messages) >= count:
                return self.messages
            time.sleep(0.05)
        raise AssertionError(f"Waited for {count} messages; the sink has {len(self.messages)}.")
