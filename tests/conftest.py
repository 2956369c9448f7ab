"""Shared test helpers: where ../shared lives, and a skip when it is absent."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


def need_shared(*parts: str) -> Path:
    """Path under ../shared, or skip the test with the reason it cannot run."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"../shared not present ({path} missing): shared corpus and gold are optional")
    return path
