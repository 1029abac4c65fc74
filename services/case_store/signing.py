"""The case store's checkpoint key: Ed25519, from configuration (ADR 0019).

Outside development mode the key is a PEM file named by ``NATVERK_AUDIT_SIGNING_KEY_FILE``
and the case store does not start without it.  In development mode (``make up``, the
tests) a key is generated into the data folder on first use and kept there.

Anyone holding the public key (``GET /api/v1/audit/public-key``, or the PEM file) can
check a checkpoint's signature; ``verify_signature`` is all an offline auditor needs.

A key is rotated by naming the one it replaces in ``NATVERK_AUDIT_RETIRED_PUBLIC_KEY_FILES``
(public keys, oldest first): checkpoints signed with it stay valid, but none signed with it
after one signed with a newer key (``CheckpointKeys``, ADR 0030).
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from services.kit.key_settings import read_public_key, read_signing_key
from services.kit.settings import ServiceSettings
from services.kit.settings_loader import StartupRefused

DEV_KEY_NAME = "case_store-audit-signing-key.pem"


class SigningKeyMissing(StartupRefused):
    pass


def key_id_of(public_key: Ed25519PublicKey) -> str:
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def public_key_pem(public_key: Ed25519PublicKey) -> str:
    pem = public_key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    return pem.decode("ascii")


def load_public_key(pem: bytes) -> Ed25519PublicKey:
    """An Ed25519 public key from PEM; ValueError for anything else."""
    key = serialization.load_pem_public_key(pem)
    if not isinstance(key, Ed25519PublicKey):
        raise TypeError("not an Ed25519 public key")
    return key


def verify_signature(public_key: Ed25519PublicKey, signed_text: bytes, signature: str) -> bool:
    try:
        public_key.verify(base64.b64decode(signature, validate=True), signed_text)
    except (InvalidSignature, ValueError):
        return False
    return True


@dataclass(frozen=True)
class CheckpointKeys:
    """The keys a checkpoint may be signed with: the retired ones, oldest first, then the current one."""

    current: Ed25519PublicKey
    retired: tuple[Ed25519PublicKey, ...] = ()

    LATER_KEY_SIGNED: ClassVar[str] = "signed with a retired key after a checkpoint signed with a newer key"

    def generation(self, key_id: str) -> int | None:
        """Where the key ``key_id`` stands: 0 for the oldest retired one, up to the current one."""
        ids = [key_id_of(key) for key in (*self.retired, self.current)]
        return ids.index(key_id) if key_id in ids else None

    def problem(self, key_id: str, signed_text: bytes, signature: str) -> str | None:
        """Why the signature does not hold (None when it does), read with the key it names."""
        generation = self.generation(key_id)
        if generation is None:
            return f"signed with key {key_id}, which is neither the current key nor a retired one"
        key = (*self.retired, self.current)[generation]
        if not verify_signature(key, signed_text, signature):
            return "signature does not verify with the case store's public key"
        return None


@dataclass(frozen=True)
class CheckpointSigner:
    private_key: Ed25519PrivateKey
    retired: tuple[Ed25519PublicKey, ...] = ()

    @property
    def public_key(self) -> Ed25519PublicKey:
        return self.private_key.public_key()

    @property
    def key_id(self) -> str:
        return key_id_of(self.public_key)

    @property
    def keys(self) -> CheckpointKeys:
        return CheckpointKeys(self.public_key, self.retired)

    def sign(self, signed_text: bytes) -> str:
        return base64.b64encode(self.private_key.sign(signed_text)).decode("ascii")

    @classmethod
    def from_settings(cls, settings: ServiceSettings) -> CheckpointSigner:
        path = settings.audit_signing_key_file
        if path is None:
            if not settings.dev:
                raise SigningKeyMissing(
                    "NATVERK_AUDIT_SIGNING_KEY_FILE: must name the Ed25519 key checkpoints are signed with"
                )
            path = settings.data_dir / DEV_KEY_NAME
            if not path.exists():
                _write_new_key(path)
        # Configured files were checked when settings loaded; this reads them (and the dev key) now.
        try:
            private_key = read_signing_key(path)
        except ValueError as problem:
            raise SigningKeyMissing(f"NATVERK_AUDIT_SIGNING_KEY_FILE: {problem}") from None
        try:
            retired = tuple(read_public_key(file) for file in settings.audit_retired_public_key_files)
        except ValueError as problem:
            raise SigningKeyMissing(f"NATVERK_AUDIT_RETIRED_PUBLIC_KEY_FILES: {problem}") from None
        return cls(private_key, retired)


def _write_new_key(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    path.touch(mode=0o600)
    path.write_bytes(pem)
