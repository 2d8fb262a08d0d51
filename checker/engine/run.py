"""Run the rules over one report model and turn findings into diagnostics."""

from __future__ import annotations

from weakref import WeakKeyDictionary

from checker.diagnostics import Diagnostic
from checker.engine.context import Context
from checker.engine.registry import Registry, Rule
from checker.skeleton.model import Report
from checker.skeleton.parser import paused_gc

# A rule reports at most this many findings in one file. A flood (a generated file of a million
# misnumbered headings gave 750,000 FZ403) helps no reader and costs time and memory in every
# output format; real reports stay far below (at most 11 of one rule in one file over the
# seeds, tests/data and the 500 reports of the bench corpus). The last finding kept says so.
MAX_PER_RULE = 100
MORE = "（同类问题过多，只列出前 {n} 处）"


def diagnostic(path: str, rule: Rule, span, params: dict) -> Diagnostic:
    return Diagnostic(path, span, rule.id, rule.name, rule.severity, rule.message.format_map(params))


# registry -> {(pack id, selection): (gates, others)}; dropped with the registry
_PLANS: WeakKeyDictionary = WeakKeyDictionary()


def _plan(registry: Registry, pack, enabled: frozenset[str] | None):
    """(gates, others): the enabled rules of ``pack`` and the packs that apply to all, each
    with its check function and whether it has a condition; computed once per registry, pack
    and selection."""
    key = (id(pack), enabled)
    plans = _PLANS.get(registry)
    if plans is None:
        plans = _PLANS[registry] = {}
    plan = plans.get(key)
    if plan is None:
        # a check type that never looks at a report (file_problem: the lint driver raises
        # those findings when reading fails) is not run on one
        rules = [rule for p in registry.packs_for(pack) for rule in p.rules
                 if (enabled is None or rule.id in enabled) and getattr(rule.module, "CHECKS_REPORTS", True)]
        gates = [(rule, rule.module.check, rule.conditional) for rule in rules if getattr(rule.module, "GATE", False)]
        others = [(rule, rule.module.check, rule.conditional) for rule in rules
                  if not getattr(rule.module, "GATE", False)]
        plan = plans[key] = (gates, others)
    return plan


def run(report: Report, registry: Registry, path: str, enabled: frozenset[str] | None, pack,
        unclassified: list) -> list[Diagnostic]:
    """All findings of the enabled rules (None: all) for one report whose sections the
    recognition stage has classified (engine/recognize.py: ``pack`` is the report's kind,
    ``unclassified`` the top-level sections it left open). The engine reads the model and
    never changes it."""
    with paused_gc():
        return _run(report, registry, path, enabled, pack, unclassified)


def _run(report: Report, registry: Registry, path: str, enabled: frozenset[str] | None, pack,
         unclassified: list) -> list[Diagnostic]:
    ctx = Context(report, pack, unclassified, registry.screen)
    gates, others = _plan(registry, pack, enabled)
    # Gate rules (e.g. "this is not a report at all") run first; when one fires, the file's
    # other rules would only add noise, so they are skipped.
    out: list[Diagnostic] = []
    title = report.title
    for rule, check, conditional in gates:
        if not conditional or rule.applies(title):
            _findings(out, path, rule, check(rule, ctx))
    if not out:
        for rule, check, conditional in others:
            # a rule with a `when` condition runs only on the reports it names (pack.Condition)
            if not conditional or rule.applies(title):
                _findings(out, path, rule, check(rule, ctx))
    out.sort(key=Diagnostic.sort_key)
    return out


def _findings(out: list[Diagnostic], path: str, rule: Rule, findings) -> None:
    """Add a rule's findings to ``out``, at most MAX_PER_RULE (the check is not asked for more)."""
    count = 0
    for f in findings:
        if count == MAX_PER_RULE:
            out[-1] = out[-1].replace(message=out[-1].message + MORE.format(n=MAX_PER_RULE))
            return
        out.append(diagnostic(path, rule, f.span, f.params))
        count += 1
