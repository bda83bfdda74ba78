"""The fuzz campaign as CI runs it (bench/fuzz.py): a short fixed-seed batch of mutants of Go's own
source, each kind of mutation at least once, with a control finding that must survive."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import ROOT


def test_short_fixed_seed_campaign(tmp_path: Path) -> None:
    r = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "fuzz.py"), "--seed", "1", "--mutants", "30", "--time-limit", "60",
         "--keep", str(tmp_path / "failures")],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert r.returncode == 0, r.stdout + r.stderr
    assert "0 of 1 batches failed" in r.stdout


def test_the_campaign_notices_a_lost_control_finding(tmp_path: Path) -> None:
    """The checker itself: a batch whose control finding is missing fails (with TIM005 deselected)."""
    sys.path.insert(0, str(ROOT / "bench"))
    import fuzz

    (tmp_path / "control").mkdir()
    (tmp_path / "control" / "control.go").write_text(fuzz.CONTROL.replace("defer f.Close()", "f.Close()"))
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "x.go").write_text(fuzz.CONTROL)
    problems = fuzz.check_batch(tmp_path, jobs=1, time_limit=60)
    assert any("control finding" in p for p in problems), problems
