"""The encrypted container of a backup: one file, encrypted and authenticated with a key derived from a passphrase.

Layout: MAGIC, a two-byte length and a JSON header (scrypt parameters and salt, a nonce prefix, and a verifier of
the derived key), then chunks of at most CHUNK_SIZE plaintext bytes, each a four-byte length and its AES-256-GCM
ciphertext. A chunk's nonce is the prefix, the chunk's number and a flag set on the last chunk only, and every
chunk authenticates the header: a wrong passphrase is told apart by the verifier before anything is decrypted, and
a changed, reordered, removed or truncated chunk fails authentication (`DamagedArchive`) instead of decrypting to
something else. Written and read as a stream, so a large backup never sits in memory."""
from __future__ import annotations

import base64
import hashlib
import hmac
import io
import json
import os
import struct
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

MAGIC = b"HAVEN-BACKUP\x00\x01"
CHUNK_SIZE = 1024 * 1024
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2 ** 15, 8, 1


class ArchiveError(Exception):
    """The archive cannot be read."""


class WrongPassphrase(ArchiveError):
    """The passphrase does not derive the key the archive was written with (its verifier differs)."""


class DamagedArchive(ArchiveError):
    """A chunk fails authentication, or the archive ends before its last chunk: changed, reordered or cut."""


def _derive(passphrase: str, salt: bytes, n: int, r: int, p: int) -> tuple[bytes, str]:
    if not passphrase:
        raise ArchiveError("the backup passphrase is empty")
    derived = Scrypt(salt=salt, length=64, n=n, r=r, p=p).derive(passphrase.encode("utf-8"))
    return derived[:32], hashlib.sha256(derived[32:]).hexdigest()


def _nonce(prefix: bytes, number: int, last: bool) -> bytes:
    return prefix + struct.pack(">IB", number, 1 if last else 0)


class EncryptedWriter(io.RawIOBase):
    """A binary file to write the plaintext to; `close()` writes the last chunk."""

    def __init__(self, target: BinaryIO, passphrase: str):
        super().__init__()
        salt, self._prefix = os.urandom(16), os.urandom(7)
        key, verifier = _derive(passphrase, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
        header = json.dumps({"kdf": "scrypt", "n": SCRYPT_N, "r": SCRYPT_R, "p": SCRYPT_P,
                             "salt": base64.b64encode(salt).decode(), "nonce": base64.b64encode(self._prefix).decode(),
                             "verifier": verifier, "cipher": "AES-256-GCM", "chunk": CHUNK_SIZE}).encode()
        target.write(MAGIC + struct.pack(">H", len(header)) + header)
        self._target, self._aead, self._aad = target, AESGCM(key), header
        self._buffer, self._number = bytearray(), 0

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self._buffer += data
        while len(self._buffer) > CHUNK_SIZE:  # keep at least one byte back: the last chunk is written on close
            self._emit(bytes(self._buffer[:CHUNK_SIZE]), last=False)
            del self._buffer[:CHUNK_SIZE]
        return len(data)

    def _emit(self, plaintext: bytes, *, last: bool) -> None:
        sealed = self._aead.encrypt(_nonce(self._prefix, self._number, last), plaintext, self._aad)
        self._target.write(struct.pack(">I", len(sealed)) + sealed)
        self._number += 1

    def close(self) -> None:
        if not self.closed:
            self._emit(bytes(self._buffer), last=True)
            self._target.flush()
        super().close()


class EncryptedReader(io.RawIOBase):
    """A binary file reading the plaintext back; raises WrongPassphrase or DamagedArchive."""

    def __init__(self, source: BinaryIO, passphrase: str):
        super().__init__()
        if source.read(len(MAGIC)) != MAGIC:
            raise DamagedArchive("this is not a Haven backup (or its beginning is damaged)")
        try:
            (length,) = struct.unpack(">H", source.read(2))
            header = source.read(length)
            fields = json.loads(header)
            salt, self._prefix = base64.b64decode(fields["salt"]), base64.b64decode(fields["nonce"])
            key, verifier = _derive(passphrase, salt, int(fields["n"]), int(fields["r"]), int(fields["p"]))
        except (struct.error, ValueError, KeyError, TypeError) as exc:
            raise DamagedArchive("the backup's header is damaged") from exc
        if not hmac.compare_digest(verifier, str(fields["verifier"])):
            raise WrongPassphrase("wrong passphrase: this backup was encrypted with another one")
        self._source, self._aead, self._aad = source, AESGCM(key), header
        self._plain, self._number, self._done = b"", 0, False

    def readable(self) -> bool:
        return True

    def _next_chunk(self) -> bytes:
        size = self._source.read(4)
        if len(size) < 4:
            raise DamagedArchive(f"the backup is truncated: chunk {self._number} and its end are missing")
        sealed = self._source.read(struct.unpack(">I", size)[0])
        for last in (False, True):
            try:
                plaintext = self._aead.decrypt(_nonce(self._prefix, self._number, last), sealed, self._aad)
            except InvalidTag:
                continue
            self._number += 1
            if last:
                self._done = True
                if self._source.read(1):
                    raise DamagedArchive("the backup has bytes after its last chunk")
            return plaintext
        raise DamagedArchive(f"the backup is damaged: chunk {self._number} fails authentication")

    def readinto(self, buffer) -> int:
        while not self._plain and not self._done:
            self._plain = self._next_chunk()
        count = min(len(buffer), len(self._plain))
        buffer[:count] = self._plain[:count]
        self._plain = self._plain[count:]
        return count
