"""A LibreTranslate server on 127.0.0.1 for tests: the real deep-translator client talks to it.

It speaks `POST /translate` the way deep-translator's LibreTranslator calls it (q, source,
target, format and api_key as URL query parameters; JSON `{"translatedText": ...}` back).
The "translation" of each line is `[target] line`, so tests can predict it from the input.
`plan` scripts the next responses: "ok", an HTTP status code, ("slow", seconds), or
("damage", function of the line) to return broken placeholders.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


def fake_translation(line: str, target: str) -> str:
    return f"[{target}] {line}"


@dataclass
class FakeLibre:
    plan: list = field(default_factory=list)  # consumed one per request; then `default`
    default: object = "ok"
    requests: list[dict[str, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    url: str = ""

    def next_action(self, params: dict[str, str]) -> object:
        with self.lock:
            self.requests.append(params)
            return self.plan.pop(0) if self.plan else self.default

    @property
    def texts(self) -> list[str]:
        return [request["q"] for request in self.requests]


def _handler(fake: FakeLibre) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:  # keep test output clean
            pass

        def _send(self, status: int, body: dict) -> None:
            data = json.dumps(body).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            split = urlsplit(self.path)
            if split.path != "/translate":
                self._send(404, {"error": "Not Found"})
                return
            params = {key: values[0] for key, values in parse_qs(split.query, keep_blank_values=True).items()}
            action = fake.next_action(params)
            if isinstance(action, int):
                self._send(action, {"error": f"status {action}"})
                return
            translate = lambda line: fake_translation(line, params["target"])  # noqa: E731
            if isinstance(action, tuple) and action[0] == "slow":
                time.sleep(action[1])
            elif isinstance(action, tuple) and action[0] == "damage":
                damage = action[1]
                translate = lambda line: damage(fake_translation(line, params["target"]))  # noqa: E731
            lines = params.get("q", "").split("\n")
            self._send(200, {"translatedText": "\n".join(translate(line) for line in lines)})

    return Handler


def start(fake: FakeLibre) -> tuple[ThreadingHTTPServer, threading.Thread]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    server.daemon_threads = True
    fake.url = f"http://127.0.0.1:{server.server_address[1]}/"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, thread
