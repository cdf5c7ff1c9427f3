"""Differential fault harness (issue 11): do call records survive faults?

    .venv/bin/python bench/faults.py [--faults kill5,ami_cut5,...] [--trials N] [--db sqlite|
        postgresql|both] [--calls N] [--rate R] [--seed S] [--parallel K] [--verbose] [--json F]

A control bridge (`cti serve`, never disturbed) and up to K bridges under test (`cti serve`,
each its own database, HTTP port and TCP proxies in front of AMI / PostgreSQL / Redis) watch
the same traffic of the sandbox's simulator (`cti simulate`'s random mix). Each bridge under
test suffers one fault at its own moment (a trial); Asterisk-wide faults (a restart) get rounds
of their own. After the traffic, with Asterisk idle and every bridge settled, each bridge under
test is compared with the control call by call by linkedid (lost, doubled, ghost, wrong: any of
direction, caller, callee, queue, agents_rang, answered_by, disposition, transfers); Asterisk
restarts, which disturb the control too, are judged against the simulator's own SIP-side
ground truth, which also checks the control every round. The faults are listed by --help.

Each round holds /tmp/cti-asterisk.lock (the sandbox's SIP ports) for itself only, unless this
process already holds it (run under `flock`). Exit status 1 when a row fails.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import math
import random
import shlex
import shutil
import signal
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.common.faults_plan import FAULTS, Trial  # noqa: E402
from bench.common.faults_report import build_rows, details, table, write_json  # noqa: E402
from bench.common.faults_round import RoundPlan, RoundResult, run_round  # noqa: E402
from cti.sandbox.lock import sandbox_lock  # noqa: E402
from cti.sandbox.manager import Sandbox  # noqa: E402
from cti.sandbox.settings import SandboxSettings  # noqa: E402

LEAD_SECONDS = 12.0  # traffic before the first fault: calls in every state when it strikes
STAGGER_SECONDS = 5.0  # between the faults of one round
RECOVERY_SECONDS = 25.0  # traffic after the last fault ends (restart, reconnect, watchdog)
TAIL_SECONDS = 20.0  # and then calls that start after recovery
DEFAULT_FAULTS = ",".join(FAULTS)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    faults = "\n".join(
        f"  {name:17} {spec.what} ({spec.default_trials} trials)" for name, spec in FAULTS.items()
    )
    parser = argparse.ArgumentParser(
        description=__doc__,
        epilog=f"faults:\n{faults}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--faults", default=DEFAULT_FAULTS, help="comma-separated fault names")
    parser.add_argument("--trials", type=int, help="trials per fault (default: each fault's own)")
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="sqlite")
    parser.add_argument("--calls", type=int, default=20, help="at least this many calls a round")
    parser.add_argument("--rate", type=float, default=0.5, help="new calls per second")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--parallel", type=int, default=4, help="bridges under test per round")
    parser.add_argument("--verbose", action="store_true", help="every finding, diff per field")
    parser.add_argument("--json", type=Path, help="write rows and findings here")
    parser.add_argument(
        "--keep", action="store_true", help="keep the bridges' logs and databases, and the raw AMI"
    )
    args = parser.parse_args(argv)
    unknown = set(args.faults.split(",")) - set(FAULTS)
    if unknown:
        parser.error(f"unknown faults: {', '.join(sorted(unknown))}; known: {DEFAULT_FAULTS}")
    return args


def plan_trials(args: argparse.Namespace) -> list[Trial]:
    backends = ("sqlite", "postgresql") if args.db == "both" else (args.db,)
    trials = []
    for name in args.faults.split(","):
        count = args.trials if args.trials is not None else FAULTS[name].default_trials
        trials += [Trial(name, backend) for backend in backends for _ in range(count)]
    return trials


def plan_rounds(trials: list[Trial], args: argparse.Namespace) -> list[RoundPlan]:
    """Pack trials into traffic runs: local faults K at a time (one Redis fault per run, as
    Redis pub/sub is shared), Asterisk restarts one of each kind and database per run."""
    rng = random.Random(args.seed)
    # faults of one length share a run: a run lasts as long as its longest fault
    local = sorted((t for t in trials if t.spec.scope == "local"), key=lambda t: -t.spec.seconds)
    restarts = [t for t in trials if t.spec.scope == "asterisk"]
    rounds: list[list[Trial]] = []
    for trial in local:
        fits = [r for r in rounds if len(r) < args.parallel and _compatible(r, trial)]
        (fits[0].append(trial) if fits else rounds.append([trial]))
    local_rounds = len(rounds)
    for trial in restarts:
        fits = [
            r
            for r in rounds[local_rounds:]
            if all(
                (t.fault, t.backend) != (trial.fault, trial.backend)
                and t.spec.crash == trial.spec.crash
                for t in r
            )
        ]
        (fits[0].append(trial) if fits else rounds.append([trial]))
    plans = []
    for number, group in enumerate(rounds):
        restart_at = LEAD_SECONDS if group[0].spec.scope == "asterisk" else None
        for index, trial in enumerate(group):
            trial.at = restart_at or LEAD_SECONDS + index * STAGGER_SECONDS + rng.uniform(0, 4)
        end = max(trial.at + trial.spec.seconds for trial in group) + RECOVERY_SECONDS
        calls = max(args.calls, math.ceil(args.rate * (end + TAIL_SECONDS)))
        # the raw AMI is always recorded: a failed round keeps it beside the bridges' logs
        plan = RoundPlan(group, calls, args.rate, args.seed + number, restart_at, True)
        plans.append(plan)
    return plans


def _verdict(result: RoundResult) -> str:
    bad = [
        f"{row.name}: " + ", ".join(f"{k}={row.counts[k]}" for k in row.counts if row.counts[k])
        for row in build_rows([result])
        if not row.clean
    ]
    return "FAIL " + "; ".join(bad) if bad else "clean"


def _keep_failed(round_dir: Path, kept: Path, result: RoundResult) -> None:
    shutil.copytree(round_dir, kept)
    (kept / "findings.txt").write_text(details(build_rows([result])))
    print(f"  logs, databases, raw AMI and findings kept in {kept}")


def _compatible(group: list[Trial], trial: Trial) -> bool:
    return trial.fault != "redis_down" or all(t.fault != "redis_down" for t in group)


async def run(args: argparse.Namespace) -> int:
    sandbox = Sandbox(SandboxSettings.from_env())
    if not sandbox.status().running:
        print("the sandbox is not running: `cti sandbox up` first", file=sys.stderr)
        return 2
    plans = plan_rounds(plan_trials(args), args)
    print(f"{sum(len(p.trials) for p in plans)} trials in {len(plans)} rounds", flush=True)
    results: list[RoundResult] = []
    failed_dir: Path | None = None
    with tempfile.TemporaryDirectory(prefix="cti-faults-") as tmp:
        workdir = Path(tmp)
        for number, plan in enumerate(plans, 1):
            names = ", ".join(f"{t.fault}@{t.at:.0f}s" for t in plan.trials)
            print(f"round {number}/{len(plans)}: {plan.calls} calls; {names}", flush=True)
            round_dir = workdir / f"round{number}"
            round_dir.mkdir()
            with sandbox_lock():
                # the Asterisk running the repository's current dialplans (restarted if stale)
                await asyncio.to_thread(sandbox.ensure_up, False)
                await asyncio.to_thread(sandbox.cli, "channel request hangup all")
                result = await run_round(plan, round_dir, sandbox)
            results.append(result)
            verdict = _verdict(result)
            print(f"  done in {result.seconds:.0f} s, {len(result.truth)} calls placed;", verdict)
            if verdict != "clean":
                failed_dir = failed_dir or Path(tempfile.mkdtemp(prefix="cti-faults-failed-"))
                _keep_failed(round_dir, failed_dir / round_dir.name, result)
            if args.json is not None:  # after every round: a long run interrupted keeps its rows
                write_json(args.json, build_rows(results), {"partial": True})
            sys.stdout.flush()
        if args.keep:
            kept = Path(tempfile.mkdtemp(prefix="cti-faults-kept-"))
            shutil.copytree(workdir, kept, dirs_exist_ok=True)
            print(f"logs and databases kept in {kept}")
    rows = build_rows(results)
    command = " ".join(shlex.quote(a) for a in sys.argv)
    stamp = datetime.datetime.now().astimezone().isoformat(timespec="seconds")
    print(f"\n{stamp}  {command}\n")
    print(table(rows))
    if args.verbose:
        print(details(rows))
    if args.json is not None:
        write_json(args.json, rows, {"date": stamp, "command": command})
    return 0 if all(row.clean for row in rows) else 1


def _interrupt(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt  # asyncio.run cancels the round: its bridges and proxies are stopped


def main() -> None:
    signal.signal(signal.SIGTERM, _interrupt)
    raise SystemExit(asyncio.run(run(parse_args())))


if __name__ == "__main__":
    main()
