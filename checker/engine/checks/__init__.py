"""Check types: one small module each.

A module declares ``OPTIONS`` (its option schema), ``PARAMS`` (the placeholders a rule's
message may use), ``prepare(options, pack)`` (cross-checks and compiles options once at load)
and ``check(rule, ctx)`` (yields :class:`~checker.engine.context.Finding`). A module with
``GATE = True`` runs first, and when it fires the file's other rules are skipped.
"""

from checker.engine.checks import (
    closing,
    duplicate_sentence,
    file_problem,
    forbidden_text,
    min_content,
    misnomer,
    not_a_report,
    numbering,
    order,
    promised_parts,
    prose_figures,
    report_year,
    required_content,
    required_section,
    skeleton_problem,
    table_labels,
    table_present,
    table_sum,
    title,
)

CHECK_TYPES = {
    "required_section": required_section,
    "required_content": required_content,
    "order": order,
    "forbidden_text": forbidden_text,
    "min_content": min_content,
    "skeleton_problem": skeleton_problem,
    "file_problem": file_problem,
    "title": title,
    "report_year": report_year,
    "closing": closing,
    "numbering": numbering,
    "misnomer": misnomer,
    "duplicate_sentence": duplicate_sentence,
    "not_a_report": not_a_report,
    "table_labels": table_labels,
    "table_present": table_present,
    "table_sum": table_sum,
    "promised_parts": promised_parts,
    "prose_figures": prose_figures,
}
