"""Shared test set-up: Sphinx's own pytest fixtures and our test roots."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest_plugins = ("sphinx.testing.fixtures",)
collect_ignore = ["roots"]


@pytest.fixture(scope="session")
def rootdir() -> Path:
    """``@pytest.mark.sphinx(testroot="basic")`` builds ``tests/roots/test-basic``."""
    return Path(__file__).parent.resolve() / "roots"
