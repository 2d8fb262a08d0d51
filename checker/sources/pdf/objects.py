"""Reading pypdf objects leniently: the helpers every stage uses on the file's dictionaries.

Receives pypdf objects (resolved or indirect, possibly broken or of the wrong type); returns
them resolved, numbers as floats with a default, and keys that identify an object wherever it
is referenced from. :data:`_FATAL` names the errors that are never taken for a broken part of
the file and skipped (running out of memory, a finding already made).
"""

from __future__ import annotations

from pypdf.generic import IndirectObject

from checker.sources import SourceError

_FATAL = (MemoryError, SourceError)   # never taken for a broken part of the file and skipped


def _resolve(obj):
    return obj.get_object() if obj is not None and hasattr(obj, "get_object") else obj


def _get(d, key: str):
    return _resolve(d.get(key)) if hasattr(d, "get") else None


def _number(value, default: float) -> float:
    value = _resolve(value)
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else default


def _ref_key(ref) -> object:
    """A key for an object that is the same wherever it is referenced from."""
    return (ref.idnum, ref.generation) if isinstance(ref, IndirectObject) else id(ref)
