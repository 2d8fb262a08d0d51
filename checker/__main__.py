"""The ``fzlint`` command (``[project.scripts]``) and ``python -m checker``."""

from checker import startup


def entry(argv: list[str] | None = None):
    startup.begin()           # before the imports: see checker/startup.py
    from checker.cli import main

    return main(argv)


if __name__ == "__main__":  # pragma: no cover
    entry()
