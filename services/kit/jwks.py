"""The identity provider's signing keys (a JWKS), from the configured place and nowhere else.

``NATVERK_JWKS`` is an https:// (or http://) URL or the path of a JWKS file.  A token names its
key by ``kid``; only RS256 and ES256 signing keys with a ``kid`` count, and the key decides the
algorithm.  A token's ``jku``, ``x5u`` and ``jwk`` headers are never read.

A URL's set is fetched with PyJWT's ``PyJWKClient`` and cached; a ``kid`` it does not know
refreshes the set once, and at most once per cooldown (key rotation without a flood of fetches).
A file is read with ``PyJWKSet``, and read again, at most once per cooldown, when an unknown
``kid`` arrives and the file has changed since.

While the provider cannot be reached, the keys last fetched keep serving for up to
``STALE_KEYS_SECONDS`` (with a warning each time): an outage of the provider when the cache
expires must not lock every member of staff out.  The price, written down in ADR 0015: a key
the provider withdrew during such an outage is honoured until it is reachable again or the
limit passes.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Protocol

from jwt import PyJWK, PyJWKClient, PyJWKSet, PyJWTError
from jwt.exceptions import PyJWKClientConnectionError, PyJWKClientError

from services.kit.logs import get_logger

log = get_logger(__name__)
ALLOWED_ALGORITHMS = frozenset({"RS256", "ES256"})
CACHE_SECONDS = 300
STALE_KEYS_SECONDS = 24 * 3600
FETCH_TIMEOUT_SECONDS = 5
# What a malformed key set can make PyJWT raise besides its own errors.
_BAD_KEY_SET = (PyJWTError, ValueError, TypeError, AttributeError, KeyError, NotImplementedError)


class KeySetUnavailable(Exception):
    """The key set could not be fetched or read; the message says so without any key material."""


class KeySet(Protocol):
    def key(self, kid: str) -> PyJWK | None:
        """The signing key with this ``kid``, or None if the set has none."""


def is_url(location: str) -> bool:
    return location.lower().startswith(("https://", "http://"))


def usable(key: PyJWK) -> bool:
    return (
        bool(key.key_id) and key.public_key_use in ("sig", None) and key.algorithm_name in ALLOWED_ALGORITHMS
    )


def read_key_file(path: Path) -> dict[str, PyJWK]:
    """The usable keys of a JWKS file by ``kid``; ValueError says what is wrong, never the content."""
    try:
        text = path.read_text()
    except OSError:
        raise ValueError("cannot be read") from None
    try:
        keys = {str(key.key_id): key for key in PyJWKSet.from_json(text).keys if usable(key)}
    except _BAD_KEY_SET:
        raise ValueError("is not a JWKS (a JSON object with a 'keys' list of usable keys)") from None
    if not keys:
        raise ValueError("has no RS256 or ES256 signing key with a 'kid'")
    return keys


class FileKeys:
    def __init__(self, path: Path, refresh_cooldown_seconds: float) -> None:
        self._path = path
        self._cooldown = refresh_cooldown_seconds
        self._lock = threading.Lock()
        self._keys = read_key_file(path)
        self._stamp = self._modified()
        self._checked = time.monotonic()

    def _modified(self) -> int | None:
        try:
            return self._path.stat().st_mtime_ns
        except OSError:
            return None

    def key(self, kid: str) -> PyJWK | None:
        with self._lock:
            if kid not in self._keys and time.monotonic() - self._checked >= self._cooldown:
                self._checked = time.monotonic()
                stamp = self._modified()
                if stamp is not None and stamp != self._stamp:
                    try:
                        self._keys, self._stamp = read_key_file(self._path), stamp
                    except ValueError as problem:  # keep the keys we have; the next change may be good
                        log.warning("JWKS file not reloaded", path=str(self._path), problem=str(problem))
            return self._keys.get(kid)


class UrlKeys:
    def __init__(self, url: str, refresh_cooldown_seconds: float) -> None:
        self._client = PyJWKClient(
            url,
            cache_keys=False,
            lifespan=CACHE_SECONDS,
            timeout=FETCH_TIMEOUT_SECONDS,
            cooldown_duration=refresh_cooldown_seconds,
        )
        self._lock = threading.Lock()
        self._known: dict[str, PyJWK] = {}  # the usable keys fetched, by kid
        self._known_at: float | None = None  # a key last came from a set at most CACHE_SECONDS old

    def key(self, kid: str) -> PyJWK | None:
        try:
            key = self._client.get_signing_key(kid)
        except PyJWKClientConnectionError:
            return self._last_known(kid)
        except PyJWKClientError:  # no such kid, even after the one refresh the cooldown allows
            return None
        except _BAD_KEY_SET:
            log.warning("JWKS is not a usable key set", url=self._client.uri)
            raise KeySetUnavailable("the identity provider's key set is not usable") from None
        if not usable(key):
            return None
        with self._lock:
            self._known[kid], self._known_at = key, time.monotonic()
        return key

    def _last_known(self, kid: str) -> PyJWK | None:
        """The key last fetched for ``kid`` while the provider cannot be reached, if recent enough."""
        with self._lock:
            age = None if self._known_at is None else time.monotonic() - self._known_at
            key = self._known.get(kid)
        if age is None or age > STALE_KEYS_SECONDS or key is None:
            log.warning("JWKS could not be fetched", url=self._client.uri)
            raise KeySetUnavailable("the identity provider's key set could not be fetched") from None
        log.warning(
            "JWKS could not be fetched: the keys last fetched serve",
            url=self._client.uri,
            age_seconds=int(age),
        )
        return key


def key_set(location: str, refresh_cooldown_seconds: float) -> KeySet:
    if is_url(location):
        return UrlKeys(location, refresh_cooldown_seconds)
    return FileKeys(Path(location), refresh_cooldown_seconds)
