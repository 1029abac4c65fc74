"""The keys a service takes from configuration: the stores' cipher key and the case store's signing key
(with the public keys of the signing keys it replaced).

Both are checked when settings load, so a bad one stops start-up with the usual one-line refusal
naming the variable (``services.kit.settings_loader.load_settings``), never the key or the file's content.
"""

from __future__ import annotations

import binascii
from base64 import b64decode
from pathlib import Path

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings

AES_KEY_BYTES = (16, 24, 32)


class KeySettings(BaseSettings):
    cipher_key: SecretStr | None = Field(
        None, description="base64 AES key (eventsourcing's AESCipher) to encrypt stored events"
    )
    audit_signing_key_file: Path | None = None  # case store: Ed25519 PEM key checkpoints are signed with
    # case store: PEM public keys of the signing keys rotated out, oldest first (a JSON list; ADR 0030)
    audit_retired_public_key_files: list[Path] = Field(default_factory=list, max_length=100)

    @field_validator("cipher_key")
    @classmethod
    def _aes_key(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value():
            return None  # empty means unset
        try:
            key = b64decode(value.get_secret_value(), validate=True)
        except (binascii.Error, ValueError):
            raise ValueError("is not base64 (make one with AESCipher.create_key(32))") from None
        if len(key) not in AES_KEY_BYTES:
            raise ValueError("must be base64 of a 16, 24 or 32 byte AES key")
        return value

    @field_validator("audit_signing_key_file")
    @classmethod
    def _ed25519_key_file(cls, value: Path | None) -> Path | None:
        if value is not None:
            read_signing_key(value)  # a ValueError says what is wrong with the file
        return value

    @field_validator("audit_retired_public_key_files")
    @classmethod
    def _ed25519_public_key_files(cls, value: list[Path]) -> list[Path]:
        for number, path in enumerate(value, start=1):
            try:
                read_public_key(path)
            except ValueError as problem:
                raise ValueError(f"file {number}: {problem}") from None
        return value


def _pem_of(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        raise ValueError("cannot be read (no such file, or not readable)") from None


def read_public_key(path: Path) -> Ed25519PublicKey:
    """The Ed25519 public key of a PEM file; ValueError says what is wrong, never the content."""
    pem = _pem_of(path)
    try:
        key = serialization.load_pem_public_key(pem)
    except (ValueError, TypeError, UnsupportedAlgorithm):
        raise ValueError("is not a PEM public key (openssl pkey -pubout)") from None
    if isinstance(key, Ed25519PublicKey):
        return key
    raise ValueError("is not an Ed25519 public key")


def read_signing_key(path: Path) -> Ed25519PrivateKey:
    """The Ed25519 private key of a PEM file; ValueError says what is wrong, never the content."""
    pem = _pem_of(path)
    try:
        key = serialization.load_pem_private_key(pem, password=None)
    except (ValueError, TypeError, UnsupportedAlgorithm):
        raise ValueError(
            "is not an unencrypted PEM private key (openssl genpkey -algorithm ed25519)"
        ) from None
    if isinstance(key, Ed25519PrivateKey):
        return key
    raise ValueError("is not an Ed25519 private key (openssl genpkey -algorithm ed25519)")
