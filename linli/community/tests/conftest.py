from __future__ import annotations

from pathlib import Path

import pytest

from linli.community.tests.osm_samples import sample_osm


@pytest.fixture
def sample_file(tmp_path: Path) -> Path:
    return sample_osm(tmp_path)
