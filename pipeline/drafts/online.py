"""Online engines through deep-translator: google, deepl, microsoft, libre, mymemory.

API keys come only from environment variables (DEEPL_API_KEY, MICROSOFT_API_KEY,
LIBRE_API_KEY; MYMEMORY_EMAIL optionally). They are handed to the client and nowhere
else: every error message is scrubbed of them and of URL query strings (LibreTranslate
sends the key in the URL) before anyone sees it, and the cache stores only translations.

deep-translator sends one text per request and has no timeout of its own, so this module
adds both: units are joined one per line up to the engine's request size and split back
(count checked, else one request per unit), each request gets a deadline, and 429/5xx,
connection errors and timeouts are retried with exponential backoff before the engine
is declared failed.
"""

from __future__ import annotations

import os
import re
import threading
import time
from dataclasses import dataclass, field
from importlib.metadata import version as package_version
from typing import Any, Callable

import deep_translator
import requests
from deep_translator import constants
from deep_translator.exceptions import AuthorizationException, ServerException, TooManyRequests

from pipeline.config import SOURCE_LANGUAGE, parse_locale
from pipeline.drafts.engine import EngineError, EngineUnavailable


@dataclass(frozen=True)
class Spec:
    client: str  # deep-translator class name
    languages: dict[str, str] | None  # deep-translator's name -> code table (None: codes as BCP 47)
    max_chars: int  # per request
    key_env: str = ""  # environment variable holding the API key
    key_required: bool = False


SPECS = {
    "google": Spec("GoogleTranslator", constants.GOOGLE_LANGUAGES_TO_CODES, 5000),
    "deepl": Spec("DeeplTranslator", constants.DEEPL_LANGUAGE_TO_CODE, 5000, "DEEPL_API_KEY", True),
    "microsoft": Spec("MicrosoftTranslator", None, 5000, "MICROSOFT_API_KEY", True),
    # LibreTranslate gets the text in the URL query: keep requests well under URL limits.
    "libre": Spec("LibreTranslator", constants.LIBRE_LANGUAGES_TO_CODES, 1500, "LIBRE_API_KEY"),
    "mymemory": Spec("MyMemoryTranslator", constants.MY_MEMORY_LANGUAGES_TO_CODES, 500),
}
_STATUS = {message: code for code, message in ServerException.errors.items()}
_RETRY_STATUS = {429, 500, 502, 503, 504}


class _Timeout(Exception):
    pass


def language_code(locale: str, languages: dict[str, str] | None) -> str | None:
    """LOCALE (`es`, `zh_Hans`, `pt_BR`) as the code an engine's language table uses."""
    parsed = parse_locale(locale)
    lang = parsed.language
    candidates = []
    if parsed.script:
        candidates += [f"{lang}-{parsed.script}", f"{lang}-{'CN' if parsed.script == 'Hans' else 'TW'}"]
    if parsed.territory:
        candidates.append(f"{lang}-{parsed.territory}")
    candidates.append(lang)
    if languages is None:
        return candidates[0]
    codes = set(languages.values())
    for candidate in candidates:
        if candidate in codes:
            return candidate
    name = parsed.get_language_name("en").lower()
    return next((code for key, code in languages.items() if key.lower() == name), None)


def redact(message: str, secrets: list[str]) -> str:
    """MESSAGE without secret values and without URL query strings (where keys travel)."""
    for secret in secrets:
        if secret:
            message = message.replace(secret, "[redacted]")
    return re.sub(r"\?[^\s'\"]*", "?[...]", message)


def describe(exc: BaseException) -> str:
    if isinstance(exc, ServerException):
        code = _STATUS.get(str(exc))
        return f"HTTP {code} {exc}" if code else f"server error ({exc})"
    if isinstance(exc, AuthorizationException):
        return "HTTP 403: the API key was refused"
    if isinstance(exc, TooManyRequests):
        return "HTTP 429 too many requests"
    if isinstance(exc, _Timeout):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"


def retryable(exc: BaseException) -> bool:
    if isinstance(exc, ServerException):
        code = _STATUS.get(str(exc))
        return code is None or code in _RETRY_STATUS
    return isinstance(exc, (TooManyRequests, _Timeout, requests.ConnectionError, requests.Timeout))


def call_with_deadline(function: Callable[[], Any], seconds: float) -> Any:
    """FUNCTION() or _Timeout after SECONDS; a hung request is left to finish in a daemon thread."""
    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["value"] = function()
        except BaseException as exc:  # handed to the caller below
            box["error"] = exc

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        raise _Timeout(f"no answer within {seconds:g} s")
    if "error" in box:
        raise box["error"]
    return box["value"]


@dataclass
class OnlineEngine:
    name: str
    client: Any
    pair: str
    max_units: int
    max_chars: int
    timeout: float
    retries: int
    backoff: float
    server: str = ""
    secrets: list[str] = field(default_factory=list, repr=False)
    calls: int = 0
    sleep: Callable[[float], None] = time.sleep

    @property
    def origin(self) -> str:
        # Short on purpose: polib wraps comment lines longer than 78 characters.
        return f"{self.name} (deep-translator {package_version('deep-translator')})"

    @property
    def cache_key(self) -> str:
        return f"{self.name} {self.server}".strip()

    def translate(self, texts: list[str]) -> list[str]:
        if len(texts) > 1 and not any("\n" in text for text in texts):
            parts = self._request("\n".join(texts)).split("\n")
            if len(parts) == len(texts):
                return [part.strip() for part in parts]
        return [self._request(text).strip() for text in texts]

    def _request(self, text: str) -> str:
        for attempt in range(self.retries + 1):
            self.calls += 1
            try:
                answer = call_with_deadline(lambda: self.client.translate(text), self.timeout)
                if not isinstance(answer, str):
                    raise EngineError(f"{self.name} answered {type(answer).__name__}, not text")
                return answer
            except EngineError:
                raise
            except Exception as exc:
                reason = redact(describe(exc), self.secrets)
                if not retryable(exc) or attempt == self.retries:
                    tries = f" after {attempt + 1} attempts" if attempt else ""
                    raise EngineError(f"{self.name} failed{tries}: {reason}") from None
                self.sleep(self.backoff * 2**attempt)
        raise AssertionError("unreachable")


def create(name: str, locale: str, settings: dict) -> OnlineEngine:
    spec = SPECS[name]
    key = os.environ.get(spec.key_env, "") if spec.key_env else ""
    if spec.key_required and not key:
        raise EngineUnavailable(f"{name} needs an API key in the environment variable {spec.key_env}")
    source = language_code(SOURCE_LANGUAGE, spec.languages)
    target = language_code(locale, spec.languages)
    if source is None or target is None:
        raise EngineUnavailable(f"{name} does not translate English into {locale}")
    kwargs: dict[str, Any] = {"source": source, "target": target}
    server = ""
    if name == "deepl":
        kwargs.update(api_key=key, use_free_api=settings["deepl_free"])
    elif name == "microsoft":
        kwargs.update(api_key=key, region=settings["microsoft_region"] or None)
    elif name == "libre":
        # deep-translator insists on a key; servers without keys ignore this one.
        kwargs.update(api_key=key or "no-key")
        if settings["libre_url"]:
            server = settings["libre_url"].rstrip("/") + "/"
            kwargs.update(custom_url=server)
    elif name == "mymemory" and os.environ.get("MYMEMORY_EMAIL"):
        kwargs.update(email=os.environ["MYMEMORY_EMAIL"])
    secrets = [key, os.environ.get("MYMEMORY_EMAIL", "")]
    try:
        client = getattr(deep_translator, spec.client)(**kwargs)
    except Exception as exc:
        raise EngineUnavailable(f"{name}: {redact(describe(exc), secrets)}") from None
    return OnlineEngine(
        name, client, f"{source}-{target}", settings["batch_units"], spec.max_chars,
        settings["timeout"], settings["retries"], settings["backoff"], server, secrets,
    )
