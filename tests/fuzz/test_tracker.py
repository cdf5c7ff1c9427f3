"""Fuzzing the call tracker: random causal calls, interleaved, disordered, cut by AMI gaps."""

from __future__ import annotations

import itertools

from hypothesis import given

from cti.state.tracker import Tracker
from tests.fuzz import perturb
from tests.fuzz.profiles import ci_settings
from tests.fuzz.tracker_checks import Ledger, run

_TAGS = itertools.count()
# One tracker for the module, as in production: each case must leave it empty for the next.
TRACKER, LEDGER = Tracker(), Ledger()


def _check(case: perturb.TrackerCase, closing: bool = False) -> None:
    global TRACKER, LEDGER
    items = perturb.build(case, f"t{next(_TAGS)}")
    problems = run(TRACKER, LEDGER, items, closing=closing)
    if problems:
        TRACKER, LEDGER = Tracker(), Ledger()  # the next (shrunk) example starts clean
    assert problems == []


@ci_settings(150)
@given(perturb.interleaved_calls())
def test_interleaved_calls_all_end_once_every_channel_hung_up(case: perturb.TrackerCase) -> None:
    _check(case)


@ci_settings(150)
@given(perturb.disordered_calls())
def test_duplicated_late_and_made_up_events_leave_nothing_open(case: perturb.TrackerCase) -> None:
    _check(case)


@ci_settings(150)
@given(perturb.calls_with_gaps())
def test_gaps_closed_by_a_resync_leave_nothing_open(case: perturb.TrackerCase) -> None:
    _check(case, closing=case.needs_closing)


@ci_settings(150)
@given(perturb.wild_calls())
def test_made_up_channels_end_at_a_resync_listing_nothing(case: perturb.TrackerCase) -> None:
    _check(case, closing=True)
