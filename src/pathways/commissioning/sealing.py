"""Sealed bids: encryption that no one can undo before the deadline.

Each opportunity has its own X25519 key pair. A submitted bid is sealed to the opportunity's public key
(an ephemeral X25519 exchange, HKDF-SHA256, then AES-256-GCM), so anyone can seal but only the private
key opens. The private key is kept wrapped (AES-256-GCM) under a key derived from ``BID_SEALING_KEY``,
a secret held in the server's environment and never in the database, and the one function that unwraps
it checks the server's clock against the deadline first. A database dump therefore holds public keys
and ciphertext only, and no page, API, export or command can open a bid early: they all come through
``private_key_release``.

Each sealed item is bound to its context (the bid and the part of it) as associated data, so ciphertext
cannot be moved from one bid to another without failing to open.
"""

import hashlib
import os
from dataclasses import dataclass
from datetime import datetime

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.utils import timezone

from pathways.core.errors import DomainError

VERSION = b"\x01"
NONCE_BYTES = 12
KEY_BYTES = 32


class StillSealed(DomainError):
    """Someone tried to open bids before the deadline."""


class SealBroken(Exception):
    """Ciphertext that does not open with this key and context: altered, moved or from elsewhere."""


@dataclass(frozen=True)
class OpportunityKeys:
    public_key: bytes  # raw X25519, 32 bytes
    wrapped_private_key: bytes


def _derive(secret: bytes, *, info: bytes, salt: bytes | None = None) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=salt, info=info).derive(secret)


def _wrapping_key(opportunity_id: str) -> bytes:
    secret = settings.BID_SEALING_KEY.encode()
    return _derive(secret, info=b"pathways bid sealing " + opportunity_id.encode())


def keys_create(*, opportunity_id: str) -> OpportunityKeys:
    """A new key pair for an opportunity, its private half wrapped for storage."""
    private = X25519PrivateKey.generate()
    raw_private = private.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    nonce = os.urandom(NONCE_BYTES)
    wrapped = nonce + AESGCM(_wrapping_key(opportunity_id)).encrypt(nonce, raw_private, opportunity_id.encode())
    public = private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return OpportunityKeys(public_key=public, wrapped_private_key=VERSION + wrapped)


def private_key_release(*, opportunity_id: str, wrapped_private_key: bytes, deadline: datetime) -> X25519PrivateKey:
    """The opportunity's private key, only once the server's clock has passed the deadline."""
    if timezone.now() < deadline:
        raise StillSealed("Bids stay sealed until the deadline has passed.")
    if wrapped_private_key[:1] != VERSION:
        raise SealBroken("Unknown key format")
    nonce, body = wrapped_private_key[1:1 + NONCE_BYTES], wrapped_private_key[1 + NONCE_BYTES:]
    try:
        raw = AESGCM(_wrapping_key(opportunity_id)).decrypt(nonce, body, opportunity_id.encode())
    except InvalidTag as error:
        raise SealBroken("The opportunity's key does not open with this server's sealing key") from error
    return X25519PrivateKey.from_private_bytes(raw)


def seal(*, public_key: bytes, plaintext: bytes, context: str) -> bytes:
    """Encrypt to the opportunity's public key: version, ephemeral public key, nonce, ciphertext."""
    ephemeral = X25519PrivateKey.generate()
    ephemeral_public = ephemeral.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(public_key))
    key = _derive(shared, info=b"pathways sealed bid", salt=ephemeral_public + public_key)
    nonce = os.urandom(NONCE_BYTES)
    return VERSION + ephemeral_public + nonce + AESGCM(key).encrypt(nonce, plaintext, context.encode())


def unseal(*, private_key: X25519PrivateKey, sealed: bytes, context: str) -> bytes:
    if sealed[:1] != VERSION or len(sealed) < 1 + KEY_BYTES + NONCE_BYTES + 16:
        raise SealBroken("Not a sealed item")
    ephemeral_public = sealed[1:1 + KEY_BYTES]
    nonce = sealed[1 + KEY_BYTES:1 + KEY_BYTES + NONCE_BYTES]
    body = sealed[1 + KEY_BYTES + NONCE_BYTES:]
    public_key = private_key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    shared = private_key.exchange(X25519PublicKey.from_public_bytes(ephemeral_public))
    key = _derive(shared, info=b"pathways sealed bid", salt=ephemeral_public + public_key)
    try:
        return AESGCM(key).decrypt(nonce, body, context.encode())
    except InvalidTag as error:
        raise SealBroken("The sealed item was altered or belongs to another bid") from error


def content_hash(data: bytes) -> str:
    """The SHA-256 of what was submitted, as given on the bidder's receipt."""
    return hashlib.sha256(data).hexdigest()
