"""The ``fzlint`` command (``[project.scripts]``) and ``python -m checker``."""

from checker import startup


def entry(argv: list[str] | None = None, fast_exit: bool = True):
    """Run the command line ``argv`` (default: sys.argv) and exit with its code; see
    checker/startup.py for what happens before and after (``fast_exit=False``: leave by
    SystemExit, as checker.cli.main does)."""
    startup.begin()           # before the imports
    from checker.cli import main

    try:
        main(argv)
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 0 if exc.code is None else 1
        if not fast_exit:
            raise
    startup.finish(code)


if __name__ == "__main__":  # pragma: no cover
    entry()
