"""Build .docx/.pdf/.html fixtures from the seed reports (used by the format tests)."""
