"""SHA-256 without loading OpenSSL.

``hashlib`` loads ``_hashlib`` (OpenSSL's libcrypto) when imported: about 3 ms of every
start, for a few digests of small inputs (rule packs, cache keys). CPython's own SHA-256 is
the same function; it is used where the interpreter has it (``_sha2`` since 3.12,
``_sha256`` before), else hashlib's.
"""

from __future__ import annotations

try:
    from _sha2 import sha256
except ImportError:
    try:
        from _sha256 import sha256
    except ImportError:  # pragma: no cover - an interpreter without CPython's modules
        from hashlib import sha256

__all__ = ["sha256"]
