"""A partner's webhook receiver, for the tests: a real HTTP server on 127.0.0.1 in a thread.

It does what docs/api.md asks of a receiver: it verifies ``Readmit-Signature`` (refusing a
bad one with 401), dedupes by event id (a repeat is acknowledged, not processed again), and
records the order in which it processed each case's events. It can be told to fail: answer
500 to the next requests, or process an event and drop the connection before answering (a
delivery that fails half-way, as when the network or the sending worker dies).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from readmit.events.signing import verify


@dataclass
class Receiver:
    url: str = ""
    secret: str = ""
    fail_next: int = 0  # answer 500 to this many requests
    drop_next: int = 0  # process, then close the connection without an answer
    redirect_next: int = 0  # answer 302 to a URL of its own
    requests: list[dict[str, Any]] = field(default_factory=list)  # every request, as received
    processed: dict[str, dict[str, Any]] = field(default_factory=dict)  # by event id, once
    order: list[str] = field(default_factory=list)  # event ids in the order processed
    duplicates: list[str] = field(default_factory=list)
    bad_signatures: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def case_order(self, case_id: str) -> list[str]:
        return [e for e in self.order if self.processed[e]["case_id"] == case_id]

    def handle(self, headers: dict[str, str], body: bytes) -> int | None:
        """The status to answer, or None to drop the connection."""
        with self.lock:
            signature = headers.get("readmit-signature", "")
            if not verify(self.secret, signature, body, now=int(time.time())):
                self.bad_signatures += 1
                return 401
            event = json.loads(body)
            self.requests.append({"headers": headers, "event": event})
            if headers.get("idempotency-key") != event["id"]:
                return 400
            if self.fail_next:
                self.fail_next -= 1
                return 500
            if self.redirect_next:
                self.redirect_next -= 1
                return 302
            if event["id"] in self.processed:
                self.duplicates.append(event["id"])
                return 200
            self.processed[event["id"]] = event
            self.order.append(event["id"])
            if self.drop_next:
                self.drop_next -= 1
                return None
            return 204


@contextmanager
def running_receiver() -> Iterator[Receiver]:
    receiver = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            headers = {k.lower(): v for k, v in self.headers.items()}
            status = receiver.handle(headers, body)
            if status is None:
                self.close_connection = True
                return
            self.send_response(status)
            if status == 302:
                self.send_header("Location", receiver.url + "/elsewhere")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/readmit"
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()
