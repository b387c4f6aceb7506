"""The ArgKP-2021 dev split, read once per session for the fidelity tests."""
from __future__ import annotations

import pytest

from rapporteur.fidelity.data import argkp_dir, load_split


@pytest.fixture(scope="session")
def dev():
    if not argkp_dir().exists():
        pytest.fail(f"{argkp_dir()} is missing: CI runs with ../shared beside the repository")
    return load_split("dev")
