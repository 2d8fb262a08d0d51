"""Records: classes made at every start of fzlint and used a few times a run (what a rule
pack declares, checker/engine/pack.py; option schemas; the command line's request and the
configuration), without the cost of ``@dataclass``. Classes made thousands of times a run
(Span, Diagnostic, FileResult, Source) are written out instead: a Record's ``__init__`` is
generic and slower."""

from __future__ import annotations


class FrozenInstanceError(AttributeError):
    """A field of a frozen object was set (as ``dataclasses.FrozenInstanceError``, defined here:
    importing dataclasses for it alone cost ~1 ms of every start)."""


class Factory:
    """A field's default made anew for each object (dataclasses' ``default_factory``)."""

    __slots__ = ("make",)

    def __init__(self, make):
        self.make = make


class Value:
    """Equality by the fields named in ``_compared``, ``repr`` of those in ``_shown``, not
    hashable: what ``@dataclass(slots=True)`` gave a mutable class, for classes that write out
    their own ``__init__`` (the model's, a table's cells, a file's result: made thousands of
    times a run, where :class:`Record`'s generic ``__init__`` would cost more)."""

    __slots__ = ()
    _compared: tuple[str, ...] = ()
    _shown: tuple[str, ...] = ()
    __hash__ = None  # type: ignore[assignment]

    def _values(self) -> tuple:
        return tuple(getattr(self, f) for f in self._compared)

    def __eq__(self, other):
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._values() == other._values()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{f}={getattr(self, f)!r}' for f in self._shown)})"


class HashableValue(Value):
    """A :class:`Value` never changed once made, hashed by its compared fields."""

    __slots__ = ()

    def __hash__(self):
        return hash(self._values())


class Record(Value):
    """What ``@dataclass`` gave these classes, without generating code for each: the
    ``__init__`` of the annotated fields (positional or by name, the class's value of a field
    its default), ``__repr__``, ``__eq__``/``__hash__`` by the fields' values, and
    :meth:`replace` for ``dataclasses.replace``. Made with ``frozen=True``, an object refuses
    to have its fields set again; with ``eq=False`` it is compared by identity. Fields named
    in ``uncompared`` take no part in equality, those in ``hidden`` none in ``repr`` either.

    @dataclass builds and execs the source of five methods per class: the eleven classes of
    checker/engine/pack.py cost 8 ms of every start of fzlint, these a tenth of that."""

    __slots__ = ()
    _fields: tuple[str, ...] = ()
    _field_set: frozenset[str] = frozenset()
    _required: frozenset[str] = frozenset()
    _defaults: dict = {}
    _factories: dict = {}
    _frozen = False

    def __init_subclass__(cls, frozen: bool = False, eq: bool = True, uncompared: tuple[str, ...] = (),
                          hidden: tuple[str, ...] = (), **kw):
        super().__init_subclass__(**kw)
        cls._fields = fields = tuple(cls.__dict__.get("__annotations__", {}))
        cls._field_set = frozenset(fields)
        defaults = {f: cls.__dict__[f] for f in fields if f in cls.__dict__}
        cls._factories = {f: d.make for f, d in defaults.items() if isinstance(d, Factory)}
        cls._defaults = {f: d for f, d in defaults.items() if f not in cls._factories}
        cls._required = frozenset(fields) - defaults.keys()
        cls._compared = tuple(f for f in fields if f not in uncompared and f not in hidden)
        cls._shown = tuple(f for f in fields if f not in hidden)
        cls._frozen = frozen
        if not eq:
            cls.__eq__ = object.__eq__
            cls.__hash__ = object.__hash__
        elif not frozen:
            cls.__hash__ = None          # as a dataclass with eq and without frozen: unhashable

    def __init__(self, *args, **kwargs):
        cls = type(self)
        fields = cls._fields
        values = dict(cls._defaults)
        if args:
            if len(args) > len(fields):
                raise TypeError(f"{cls.__name__}() takes {len(fields)} arguments, {len(args)} given")
            values.update(zip(fields, args))
            if not kwargs.keys().isdisjoint(fields[:len(args)]):
                raise TypeError(f"{cls.__name__}() got arguments twice: {', '.join(kwargs.keys() & set(fields))}")
        if not kwargs.keys() <= cls._field_set:
            raise TypeError(f"{cls.__name__}() got unexpected arguments: {', '.join(kwargs.keys() - cls._field_set)}")
        values.update(kwargs)
        for name, make in cls._factories.items():
            if name not in values:
                values[name] = make()
        if not cls._required <= values.keys():
            raise TypeError(f"{cls.__name__}() missing arguments: {', '.join(cls._required - values.keys())}")
        self.__dict__.update(values)

    def __setattr__(self, name, value):
        if self._frozen:
            raise FrozenInstanceError(f"cannot assign to field {name!r}")
        object.__setattr__(self, name, value)

    def __delattr__(self, name):
        if self._frozen:
            raise FrozenInstanceError(f"cannot delete field {name!r}")
        object.__delattr__(self, name)

    def replace(self, **changes):
        """A copy with ``changes`` (``dataclasses.replace``): every other field the same object."""
        return type(self)(**{**{f: getattr(self, f) for f in self._fields}, **changes})

    def __hash__(self):
        return hash(self._values())
