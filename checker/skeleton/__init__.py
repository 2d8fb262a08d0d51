"""Skeleton stage: normalise lines, classify them, parse the report structure."""
