"""Fixtures of the comparison tests (helpers in ``helpers.py``)."""

import pytest

from .helpers import load_h2020


@pytest.fixture(scope="session")
def h2020_package():
    return load_h2020()
