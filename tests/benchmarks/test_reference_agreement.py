"""The performance benchmark's two sides agree on a small workload (agreement only, not time)."""

from __future__ import annotations

import subprocess
import sys

from ..conftest import ROOT


def test_journeylang_and_the_handwritten_journey_send_the_same():
    result = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "run.py"), "2000",
                             "--check-only"], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "sends agree: yes" in result.stdout


def test_the_check_speed_benchmark_runs():
    result = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "check_speed.py"),
                             "--lines", "500", "--repeat", "1"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "lines/s" in result.stdout


def test_the_linearity_benchmark_prints_both_sides_at_both_sizes():
    result = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "linearity.py"), "300",
                             "--factor", "2"], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    header, *rows = result.stdout.splitlines()
    assert "N=300" in header and "N=600" in header
    assert [row.split()[0] for row in rows] == ["journeylang", "hand-written"]
    assert all(len(row.split()) == 4 for row in rows)  # two costs and their growth


def test_a_short_fuzzing_campaign_finds_nothing(tmp_path):
    result = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "fuzz.py"), "4",
                             "--out", str(tmp_path)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert " cases tried " in result.stdout and "0 findings" in result.stdout
    assert " reports compared with another path's" in result.stdout
    assert not list(tmp_path.iterdir())


def test_the_shard_locality_benchmark_compares_a_shard_with_a_block_of_its_size():
    sys.path.insert(0, str(ROOT / "benchmarks" / "reference"))
    import generate

    from journeylang.shards import shards_of

    result = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "shard_locality.py"),
                             "2000", "--repeat", "1"], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    rows = [line.rsplit(maxsplit=3) for line in result.stdout.splitlines()[2:5]]
    shard = shards_of((person["id"] for person in generate.profiles(2000, 0)), 2).count(0)
    assert [row[0] for row in rows] == ["contiguous", "block, shard's times", "shard"]
    assert {row[1] for row in rows} == {f"{shard:,}"}  # (the same number of profiles)
    assert "per profile: shard / contiguous " in result.stdout
