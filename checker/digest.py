"""SHA-256 of small inputs without loading OpenSSL.

``hashlib`` loads ``_hashlib`` (OpenSSL's libcrypto) when imported: about 3 ms of every
start, for a few digests of small inputs (rule packs, cache keys). CPython's own SHA-256 is
the same function; it is used where the interpreter has it (``_sha2`` since 3.12,
``_sha256`` before), else hashlib's.

Bulk hashing stays with hashlib: OpenSSL's code is about 5x faster per byte (36 MB: 26-38
ms against 159 ms on the machine of issue 20, whose CPU has the SHA extensions), which
repays loading it from about 1 MB on. The result cache (checker/resultcache.py) hashes
every file it reads and fzlint's own code, so it uses hashlib; a run without the cache
never loads it.
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
