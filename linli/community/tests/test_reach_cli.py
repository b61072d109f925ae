"""`linli reach`: exit codes and bilingual messages for bad input, JSON schema on Wangjing."""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pytest

from linli.community.reach import ReachError, read_osm
from linli.community.reach.cli import main
from linli.community.tests.osm_synth import OsmBuilder
from linli.core.formats import FORMATS

DATA = Path(__file__).resolve().parents[3] / "data" / "osm"


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    rc = main(
        [*argv, "--no-progress"] if argv and not argv[0].startswith("-") else list(argv),
        stdout=out,
        stderr=err,
    )
    return rc, out.getvalue(), err.getvalue()


def _assert_bilingual_failure(rc: int, err: str, en_fragment: str) -> None:
    assert rc == 2
    assert "错误" in err and "Error:" in err and en_fragment in err
    assert "Traceback" not in err


def test_missing_file(tmp_path: Path) -> None:
    rc, _, err = _run(str(tmp_path / "nope.osm"))
    _assert_bilingual_failure(rc, err, "not found")


def test_empty_file(tmp_path: Path) -> None:
    (tmp_path / "empty.osm").write_bytes(b"")
    rc, _, err = _run(str(tmp_path / "empty.osm"))
    _assert_bilingual_failure(rc, err, "no data")


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("broken.osm", b"<?xml version='1.0'?><osm><node id='1' lat='1' lon="),
        ("junk.osm.pbf", bytes(range(256)) * 40),
        ("text.osm", b"this is not xml at all"),
    ],
)
def test_corrupt_file(tmp_path: Path, name: str, content: bytes) -> None:
    (tmp_path / name).write_bytes(content)
    rc, _, err = _run(str(tmp_path / name))
    assert rc == 2 and "错误" in err and "Traceback" not in err
    with pytest.raises(ReachError) as exc:
        read_osm(tmp_path / name)
    assert exc.value.code in {"osm_unreadable", "osm_empty"}


def test_file_without_walkable_ways(tmp_path: Path) -> None:
    b = OsmBuilder()
    b.building(0, 0)
    b.road((0, 50), (100, 50), highway="motorway")
    rc, _, err = _run(str(b.write(tmp_path / "nowalk.osm")))
    _assert_bilingual_failure(rc, err, "no walkable ways")


def test_bad_arguments(tmp_path: Path) -> None:
    f = str(DATA / "beijing_wangjing.osm")
    for argv in (
        [f, "--minutes", "-3"],
        [f, "--speed-kmh", "0"],
        [f, "--minutes", "abc"],
        [f, "--bogus"],
        [],
    ):
        rc, _, err = _run(*argv)
        _assert_bilingual_failure(rc, err, "Bad argument")


def test_json_schema_on_wangjing(tmp_path: Path) -> None:
    out_file = tmp_path / "wj.json"
    rc, out, err = _run(
        str(DATA / "beijing_wangjing.osm"), "--minutes", "10", "--json", str(out_file)
    )
    assert rc == 0, err
    assert "便利店" in out and "Convenience store" in out
    doc = json.loads(out_file.read_text(encoding="utf-8"))
    slugs = {f.slug for f in FORMATS}
    assert doc["network"]["nodes"] > 900 and doc["network"]["edges"] > 1000
    assert set(doc["coverage"]) == slugs == set(doc["formats"])
    assert {v["class"] for v in doc["formats"].values()} == {"basic", "quality"}
    assert all(set(v) >= {"zh", "en", "class"} for v in doc["formats"].values())
    assert doc["params"]["minutes"] == 10 and doc["params"]["speed_kmh"] == 4.5
    assert len(doc["buildings"]) == 226
    for b in doc["buildings"]:
        assert set(b) >= {"osm_id", "lat", "lon", "residential", "minutes"}
        assert isinstance(b["osm_id"], int) and isinstance(b["residential"], bool)
        assert set(b["minutes"]) == slugs
        assert all(m is None or (isinstance(m, float) and m >= 0) for m in b["minutes"].values())
    # coverage is recomputable from the per-building minutes
    res = [b for b in doc["buildings"] if b["residential"]]
    for slug, share in doc["coverage"].items():
        hits = [b["minutes"][slug] is not None and b["minutes"][slug] <= 10 for b in res]
        assert share == pytest.approx(np.mean(hits), abs=1e-9)
        assert 0.0 <= share <= 1.0
    assert doc["coverage"]["specialty_dining"] > 0.5 and doc["coverage"]["market"] == 0.0


def test_json_to_stdout_keeps_the_table_on_stderr() -> None:
    rc, out, err = _run(str(DATA / "beijing_wangjing.osm"), "--json", "-")
    assert rc == 0
    assert json.loads(out)["network"]["nodes"] > 0
    assert "Convenience store" in err


def test_progress_callback_reports_bytes() -> None:
    seen: list[tuple[int, int]] = []
    read_osm(DATA / "nanjing_xuanwu.osm", on_progress=lambda d, t: seen.append((d, t)))
    size = (DATA / "nanjing_xuanwu.osm").stat().st_size
    assert seen and seen[-1] == (size, size)
    assert all(0 <= d <= t == size for d, t in seen)
