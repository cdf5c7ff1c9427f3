"""bench/faults.py at its smallest: one traffic run in which one bridge under test is SIGKILLed
and restarted after 5 s and another has its AMI connection cut for 5 s, while an undisturbed
control bridge watches the same calls. Every record of each bridge under test must equal the
control's (by linkedid), and the control must agree with the simulator's own ground truth.

About two minutes. Run the full harness (`bench/faults.py`) for the figures.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.common.faults_compare import Comparison
from bench.common.faults_plan import Trial
from bench.common.faults_round import RoundPlan, run_round
from cti.sandbox.manager import ConnectionInfo, Sandbox

pytestmark = pytest.mark.asterisk

BARS = ("lost", "doubled", "ghost", "wrong")


async def test_sigkill_and_ami_cut_lose_nothing(
    asterisk: ConnectionInfo, sandbox: Sandbox, tmp_path: Path
) -> None:
    trials = [Trial("kill5", "sqlite", at=8.0), Trial("ami_cut5", "sqlite", at=13.0)]
    plan = RoundPlan(trials, calls=24, rate=0.5, seed=11)
    result = await run_round(plan, tmp_path, sandbox)

    assert len(result.truth) == plan.calls
    control = result.control_vs_truth
    assert control.clean, "the control disagrees with the ground truth:\n" + _lines(control)
    for trial_result in result.trials:
        judged = trial_result.versus_control
        assert judged is not None
        counts = {kind: judged.count(kind) for kind in BARS}
        assert counts == dict.fromkeys(BARS, 0), f"{trial_result.trial.row}:\n" + _lines(judged)


def _lines(comparison: Comparison) -> str:
    return "\n".join(finding.describe() for finding in comparison.findings)
