#!/usr/bin/env python3
"""Generate samples/history.jsonl: the sample declarations with the outcomes of their control.

The history is the input of `daliz backtest` and `daliz diff` (docs/backtest.md): each line is
a line of samples/declarations.jsonl, byte for byte, with an "outcome" object added at its end:

    {"controlled": true, "violation": true, "measure": "customs_examination",
     "additional_duties": "12500.00"}

It plays the past: the sample profiles (compiled with seed 0, as in samples/README.md) decided
each declaration, customs controlled what they selected, and the controls found violations at
rates that differ by profile. So the generator needs the decisions of the sample bundle:

    python3 samples/generate_history.py --daliz build/daliz          # compiles and runs the samples
    python3 samples/generate_history.py --decisions /tmp/decisions.jsonl
    python3 samples/generate_history.py --daliz build/daliz --out /tmp/h.jsonl

Deterministic: random.Random(2026) and fixed quotas, no other source of randomness, so the same
decisions give the same bytes. Only the Python standard library is used.

How an outcome is made (see docs/backtest.md, "The sample history"):
- yellow and red declarations are always controlled; blue ones get their post-release audit
  85% of the time; a green declaration is audited after release 3% of the time (a tip-off or a
  plan outside the risk profiles), and such an audit finds a violation 35% of the time;
- the hit that leads the control is the strongest one (highest level, then most severe
  corridor, then profile id); each leading profile finds violations at its own rate
  (VIOLATION_RATE), given as a quota over its controls in history order, so the rates come out
  exactly rather than by chance;
- a violation names the leading hit's first measure as the measure that found it (95% of the
  time; otherwise the measure is left out) and carries additional duties of 3%-25% of the
  declaration's customs value (80% of the time; licensing and prohibition violations carry none);
- a line that is not JSON (cut off on purpose in declarations.jsonl) is copied unchanged.
"""
from __future__ import annotations

import argparse
import glob
import json
import os
import random
import subprocess
import sys
import tempfile
from decimal import ROUND_HALF_EVEN, Decimal

HERE = os.path.dirname(os.path.abspath(__file__))
SEED = 2026

LEVEL = {"low": 0, "medium": 1, "high": 2}
CORRIDOR = {"green": 0, "blue": 1, "yellow": 2, "red": 3}

# Share of the controls led by a profile that find a violation. Profiles not listed: DEFAULT_RATE.
DEFAULT_RATE = Decimal("0.30")
VIOLATION_RATE = {
    # valuation: under-valuation is the main source of additional duties
    "KZ-2025-0101": Decimal("0.45"), "KZ-2025-0102": Decimal("0.70"), "KZ-2025-0103": Decimal("0.50"),
    "KZ-2025-0104": Decimal("0.40"), "KZ-2025-0105": Decimal("0.35"), "KZ-2025-0106": Decimal("0.50"),
    "KZ-2025-0107": Decimal("0.15"), "KZ-2025-0108": Decimal("0.55"), "KZ-2025-0110": Decimal("0.50"),
    # origin and preferences
    "KZ-2025-0201": Decimal("0.50"), "KZ-2025-0202": Decimal("0.50"), "KZ-2025-0203": Decimal("0.50"),
    "KZ-2025-0204": Decimal("0.50"), "KZ-2025-0205": Decimal("0.34"), "KZ-2025-0206": Decimal("0.34"),
    "KZ-2025-0207": Decimal("0.00"),
    # classification
    "KZ-2025-0301": Decimal("0.50"), "KZ-2025-0302": Decimal("0.50"), "KZ-2025-0303": Decimal("0.50"),
    "KZ-2025-0304": Decimal("1.00"), "KZ-2025-0305": Decimal("1.00"), "KZ-2025-0306": Decimal("1.00"),
    "KZ-2025-0307": Decimal("0.00"), "KZ-2025-0308": Decimal("0.50"),
    # prohibitions and licensing
    "KZ-2025-0401": Decimal("1.00"), "KZ-2025-0402": Decimal("1.00"), "KZ-2025-0403": Decimal("1.00"),
    "KZ-2025-0404": Decimal("1.00"), "KZ-2025-0405": Decimal("1.00"), "KZ-2025-0406": Decimal("1.00"),
    "KZ-2025-0407": Decimal("1.00"), "KZ-2025-0408": Decimal("0.50"),
    # participants
    "KZ-2025-0501": Decimal("0.25"), "KZ-2025-0502": Decimal("0.40"), "KZ-2025-0503": Decimal("0.15"),
    "KZ-2025-0504": Decimal("0.25"), "KZ-2025-0505": Decimal("0.20"),
    # post-release audits of low-risk participants: rarely find anything (0601 is the example of an
    # ineffective profile in docs/backtest.md)
    "KZ-2025-0601": Decimal("0.03"), "KZ-2025-0602": Decimal("0.00"), "KZ-2025-0603": Decimal("0.20"),
    "KZ-2025-0604": Decimal("0.20"), "KZ-2025-0605": Decimal("0.12"),
    # random selection: the compliance of the population the targeted profiles do not see
    "KZ-2025-0701": Decimal("0.10"), "KZ-2025-0702": Decimal("0.10"), "KZ-2025-0703": Decimal("0.10"),
    "KZ-2025-0704": Decimal("0.10"), "KZ-2025-0705": Decimal("0.10"),
}
NO_DUTIES_AREAS = ("KZ-2025-04",)  # licensing and prohibitions: fines, not duties

BLUE_AUDITED = 0.85
GREEN_AUDITED = 0.03
GREEN_VIOLATION = 0.35


def sample_decisions(daliz: str) -> list[str]:
    """Compiles samples/*.dlz (seed 0) and runs declarations.jsonl; returns the decision lines."""
    sources = sorted(glob.glob(os.path.join(HERE, "*.dlz")))
    with tempfile.TemporaryDirectory() as tmp:
        bundle = os.path.join(tmp, "samples.bundle")
        out = os.path.join(tmp, "decisions.jsonl")
        subprocess.run([daliz, "compile", *sources, "--ref", HERE, "-o", bundle], check=True)
        r = subprocess.run([daliz, "run", bundle, "--in", os.path.join(HERE, "declarations.jsonl"), "--out", out,
                            "--threads", "1"])
        if r.returncode not in (0, 2):
            sys.exit(f"daliz run failed with exit code {r.returncode}")
        with open(out, encoding="utf-8") as f:
            return f.read().splitlines()


def money(d: Decimal) -> str:
    return str(d.quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN))


class Quota:
    """Violations found by a leading profile: the n-th control finds one when the running share
    floor(n * rate) goes up, so a rate of 0.25 gives exactly one violation in every 4 controls."""

    def __init__(self):
        self.controls: dict[str, int] = {}

    def finds(self, profile: str) -> bool:
        rate = VIOLATION_RATE.get(profile, DEFAULT_RATE)
        n = self.controls.get(profile, 0)
        self.controls[profile] = n + 1
        # offset by half a step so that the first control of a 50% profile finds one
        return int((n + 1) * rate + Decimal("0.5")) > int(n * rate + Decimal("0.5"))


def leading_hit(hits: list[dict]) -> dict:
    return sorted(hits, key=lambda h: (-LEVEL[h["level"]], -CORRIDOR[h["corridor"]], h["profile"]))[0]


def outcome_for(decl: dict, decision: dict, rng: random.Random, quota: Quota) -> dict:
    if decision.get("status") != "ok":
        return {"controlled": False, "violation": False}
    corridor = decision["corridor"]
    hits = decision["hits"]
    if corridor == "green":
        if rng.random() >= GREEN_AUDITED:
            return {"controlled": False, "violation": False}
        violation = rng.random() < GREEN_VIOLATION
        lead_profile, measure = None, "post_release_audit"
    else:
        if corridor == "blue" and rng.random() >= BLUE_AUDITED:
            return {"controlled": False, "violation": False}
        lead = leading_hit(hits)
        lead_profile, measure = lead["profile"], lead["measures"][0]
        violation = quota.finds(lead_profile)
    out = {"controlled": True, "violation": violation}
    if violation:
        if rng.random() < 0.95:
            out["measure"] = measure
        duties_possible = not (lead_profile or "").startswith(NO_DUTIES_AREAS)
        if duties_possible and rng.random() < 0.80:
            value = Decimal(str(decl.get("total_customs_value", "0")))
            rate = Decimal(rng.randint(300, 2500)) / Decimal(10000)
            out["additional_duties"] = money(value * rate)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    src = ap.add_mutually_exclusive_group(required=True)
    src.add_argument("--daliz", help="the daliz binary: compile the samples and run declarations.jsonl")
    src.add_argument("--decisions", help="decisions of the sample bundle (seed 0) on declarations.jsonl")
    ap.add_argument("--declarations", default=os.path.join(HERE, "declarations.jsonl"))
    ap.add_argument("--out", default=os.path.join(HERE, "history.jsonl"))
    args = ap.parse_args()

    with open(args.declarations, encoding="utf-8") as f:
        lines = f.read().splitlines()
    if args.decisions:
        with open(args.decisions, encoding="utf-8") as f:
            decisions = f.read().splitlines()
    else:
        decisions = sample_decisions(args.daliz)
    if len(decisions) != len(lines):
        sys.exit(f"{len(lines)} declarations but {len(decisions)} decisions")

    rng = random.Random(SEED)
    quota = Quota()
    out_lines = []
    counts = {"controlled": 0, "violations": 0, "copied": 0}
    for line, decision_text in zip(lines, decisions):
        try:
            decl = json.loads(line)
        except json.JSONDecodeError:
            out_lines.append(line)  # cut off on purpose: stays an error line
            counts["copied"] += 1
            continue
        decision = json.loads(decision_text)
        if decision.get("id") is not None and decision.get("id") != decl.get("id"):
            sys.exit(f"decision for {decision.get('id')} does not belong to declaration {decl.get('id')}")
        outcome = outcome_for(decl, decision, rng, quota)
        counts["controlled"] += outcome["controlled"]
        counts["violations"] += outcome["violation"]
        text = line.rstrip()
        assert text.endswith("}")
        out_lines.append(text[:-1] + ',"outcome":' + json.dumps(outcome, separators=(",", ":")) + "}")

    with open(args.out, "w", encoding="utf-8", newline="\n") as f:
        for l in out_lines:
            f.write(l + "\n")
    print(f"wrote {len(out_lines)} lines to {os.path.relpath(args.out)}: {counts['controlled']} controlled, "
          f"{counts['violations']} violations, {counts['copied']} lines copied unchanged (not JSON)")


if __name__ == "__main__":
    main()
