from pathlib import Path

import pytest

from checker.engine.registry import load_registry

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


@pytest.fixture(scope="session")
def registry():
    return load_registry()
