"""The Flask application of the workspace and its guards: token, CSRF, trusted hosts, headers."""

from __future__ import annotations

import hmac
import ipaddress
import secrets
import socket
from pathlib import Path
from urllib.parse import urlencode

import jinja2
from flask import Flask, Response, abort, current_app, redirect, render_template, request, session
from werkzeug.exceptions import HTTPException
from werkzeug.serving import make_server

from pipeline.errors import MedlocError

TOKEN_COOKIE = "medloc_token"
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "[::1]")
# No scripts at all; frames only from the workspace itself (the preview); forms post only here.
_CSP = ("default-src 'self'; script-src 'none'; object-src 'none'; img-src 'self' https: data:; "
        "frame-ancestors 'self'; form-action 'self'; base-uri 'none'")


def create_app(root: Path, docs: list[str] | None = None, locales: list[str] | None = None,
               token: str | None = None, loopback: bool = True) -> Flask:
    """The workspace over the project in ROOT (DOCS and LOCALES: only these; None: all, read per request).

    TOKEN, if given, is required on every request. LOOPBACK restricts the Host header to
    loopback names, so a web page elsewhere cannot reach the server through DNS rebinding.
    """
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=secrets.token_bytes(32),  # per run: sessions and CSRF tokens die with the server
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
        MAX_CONTENT_LENGTH=256 * 1024,
        MEDLOC_LOOPBACK=loopback,
        MEDLOC_ROOT=Path(root),
        MEDLOC_DOCS=docs,
        MEDLOC_LOCALES=locales,
        MEDLOC_TOKEN=token,
    )
    app.jinja_env.undefined = jinja2.StrictUndefined
    app.jinja_env.globals["csrf_token"] = csrf_token
    app.before_request(_require_loopback_host)
    app.before_request(_require_token)
    app.before_request(_require_csrf)
    app.after_request(_headers)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(MedlocError, _medloc_error)
    from pipeline.web.routes import bp

    app.register_blueprint(bp)
    return app


def csrf_token() -> str:
    """The session's CSRF token, put in every form as a hidden field."""
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


def _require_loopback_host() -> None:
    """Bound to loopback, answer only requests addressed to a loopback name (no DNS rebinding)."""
    if not current_app.config["MEDLOC_LOOPBACK"]:
        return
    host = request.host.lower()
    name = host[: host.index("]") + 1] if host.startswith("[") and "]" in host else host.rsplit(":", 1)[0]
    if name not in LOOPBACK_NAMES:
        abort(400, "This workspace answers only on this computer: open the address `medloc serve` printed.")


def _require_token() -> Response | None:
    expected = current_app.config["MEDLOC_TOKEN"]
    if not expected:
        return None
    given = request.args.get("token") or request.cookies.get(TOKEN_COOKIE, "")
    if not hmac.compare_digest(given.encode(), expected.encode()):
        abort(401, "This workspace needs the token printed by `medloc serve`: open the URL it printed.")
    if "token" in request.args and request.method == "GET":
        # Keep the token out of the address bar, history and links: a cookie carries it from now on.
        query = urlencode([(k, v) for k, v in request.args.items(multi=True) if k != "token"])
        response = redirect(request.path + (f"?{query}" if query else ""), 303)
        response.set_cookie(TOKEN_COOKIE, expected, httponly=True, samesite="Strict")
        return response
    return None


def _require_csrf() -> None:
    if request.method != "POST":
        return
    origin = request.headers.get("Origin")
    if origin and origin.rstrip("/") != request.host_url.rstrip("/"):
        abort(403, "This form came from another site; nothing was changed.")
    given = request.form.get("csrf", "")
    if not given or not hmac.compare_digest(given.encode(), session.get("csrf", "").encode()):
        abort(400, "The form has expired (the server restarted, or the page is old); nothing was changed. "
                   "Reload the page and try again.")


def _headers(response: Response) -> Response:
    response.headers["Content-Security-Policy"] = _CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    return response


def _http_error(error: HTTPException):
    return render_template("error.html", code=error.code, title=error.name, message=error.description), error.code


def _medloc_error(error: MedlocError):
    return render_template("error.html", code=500, title="medloc could not do that", message=str(error)), 500


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def access_token(host: str, given: str | None) -> str | None:
    """The token requests must carry: GIVEN; else a fresh one off loopback; else none."""
    if given or is_loopback(host):
        return given or None
    return secrets.token_urlsafe(24)


def serve(root: Path, docs: list[str] | None, locales: list[str] | None, host: str, port: int,
          token: str | None) -> int:
    """Run the workspace until Ctrl-C. Off loopback a token is required: TOKEN, or a fresh one."""
    loopback = is_loopback(host)
    token = access_token(host, token)
    app = create_app(root, docs, locales, token, loopback)
    try:
        server = make_server(host, port, app, threaded=True)
    except OSError as exc:
        raise MedlocError(f"cannot listen on {host} port {port}: {exc.strerror}; choose another with --port") from None
    shown = socket.gethostname() if host in ("0.0.0.0", "::") else host
    shown = f"[{shown}]" if ":" in shown else shown
    url = f"http://{shown}:{server.server_port}/" + (f"?token={token}" if token else "")
    print(f"medloc serve: review workspace for {Path(root).resolve()}\n  open {url}\n  (Ctrl-C stops it)", flush=True)
    if not loopback:
        print(f"  listening on {host}, not only this computer: anyone with the URL above can edit and approve",
              flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("medloc serve: stopped", flush=True)
    finally:
        server.server_close()
    return 0
