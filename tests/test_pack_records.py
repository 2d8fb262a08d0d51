"""The pack's records (checker/engine/pack.py) behave as the dataclasses they replace:
made by position or name with defaults, compared and hashed by value, frozen ones refuse
changes, ``replace`` copies with changes, a Pack is compared by identity."""

import pickle

import pytest

from checker.diagnostics import Severity
from checker.engine.pack import Condition, Cue, Init, InitLine, Pack, Rule, SectionKind
from checker.record import FrozenInstanceError


def _rule(**changes):
    fields = dict(id="FZ101", name="a-rule", title="标题", severity=Severity.ERROR, check="title", options={},
                  raw_options={}, citation={}, message="m", rationale="r", tests=[], pack="p", path="x.yaml", line=3)
    return Rule(**{**fields, **changes})


def test_records_are_made_by_position_or_name_with_their_defaults():
    kind = SectionKind("measures", "主要举措", ("举措",))
    assert (kind.kind, kind.label, kind.any, kind.exclude, kind.suggest) == ("measures", "主要举措", ("举措",), (), "")
    assert Cue(("a",), weight=3) == Cue(any=("a",), all=(), year=None, weight=3, max=1)
    assert Init("t", "p").opening == () and InitLine().fill is None
    with pytest.raises(TypeError):
        SectionKind("measures")                      # label missing
    with pytest.raises(TypeError):
        SectionKind("a", "b", (), kind="c")          # kind given twice
    with pytest.raises(TypeError):
        Cue(colour="red")


def test_frozen_records_compare_and_hash_by_value_and_refuse_changes():
    a, b = Cue(("a",), weight=2), Cue(("a",), weight=2)
    assert a == b and hash(a) == hash(b) and a != Cue(("a",), weight=3) and len({a, b}) == 1
    assert a != ("a",) and SectionKind("k", "l", ()) != InitLine()
    with pytest.raises(FrozenInstanceError):
        a.weight = 5
    with pytest.raises(FrozenInstanceError):
        del a.weight
    assert repr(a) == "Cue(any=('a',), all=(), year=None, weight=2, max=1)"
    assert pickle.loads(pickle.dumps(a)) == a


def test_a_conditions_source_is_not_compared_and_its_default_is_its_own():
    assert Condition(("县",), source={"title_any": ["县"]}) == Condition(("县",))
    assert Condition().source == {} and Condition().source is not Condition().source
    assert repr(Condition(("县",), source={"a": 1})) == "Condition(title_any=('县',), title_regex=(), source={'a': 1})"


def test_rules_compare_by_value_are_unhashable_and_replace_copies():
    rule = _rule()
    assert rule == _rule() and rule != _rule(line=4)
    with pytest.raises(TypeError):
        hash(rule)
    other = rule.replace(severity=Severity.INFO)
    assert other.severity is Severity.INFO and rule.severity is Severity.ERROR
    assert other.options is rule.options and other == _rule(severity=Severity.INFO)
    rule.line = 9                                    # not frozen
    assert rule.line == 9


def test_packs_compare_by_identity_and_each_has_its_own_lists():
    def pack():
        return Pack(name="p", path="p.yaml", title="t", applies_to_all=False, default=False, detect=(),
                    section_kinds=[], section_order=[], phrases={})
    a, b = pack(), pack()
    assert a != b and a == a and len({a, b}) == 2
    assert a.rules == [] and a.rules is not b.rules and a.kind_memo is not b.kind_memo
    assert "kind_memo" not in repr(a) and repr(a).startswith("Pack(name='p', path='p.yaml'")
    copy = a.replace(rules=[_rule()])
    assert copy is not a and copy.rules != a.rules and copy.kind_memo is a.kind_memo and copy.name == "p"
