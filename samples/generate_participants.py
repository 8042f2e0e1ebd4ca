#!/usr/bin/env python3
"""Generate samples/participants.jsonl: 50 foreign-trade participants for `daliz categorize`.

Deterministic: seeded with random.Random(2026), no other source of randomness, so running it
again gives the same bytes. Run from the repository root or from anywhere:

    python3 samples/generate_participants.py [--out FILE]

Each participant is built for one rule of the categorize block in participants.dlz (the
"archetype" below, in the order of the rules), with the data of the rules before it kept
clear, so the category each one gets is known by construction; see README.md. The shape
follows the stdlib's `record Participant`: every required field, optional fields sometimes
present, money as strings, dates "YYYY-MM-DD". Three lines are deliberately bad (an unknown
AEO status, a required field missing, not JSON) and must come out as status "error".
"""
from __future__ import annotations

import argparse
import json
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
SEED = 2026

# (archetype, how many): the rule meant to decide, in rule order, then the default.
ARCHETYPES = [
    ("criminal", 3), ("debt", 5), ("repeat", 3), ("share", 4), ("tax", 3), ("aeo", 6),
    ("newcomer", 6), ("findings", 4), ("clean", 6), ("default", 7),
]
NAMES = ["ТОО «Астана Трейд»", "ТОО «Каспий Логистик»", "ИП Жумабаев Е.", "ТОО «Смарт Лайн»",
         "ТОО «СтройТехИмпорт»", "АО «ҚазАгроЭкспорт»", "ТОО «Алатау Фарм»", "ТОО «Шымкент Текстиль»",
         "Almaty Auto Parts LLP", "Steppe Food Distribution LLP"]


def bin_number(rng: random.Random) -> str:
    return f"{rng.randint(0, 99):02d}{rng.randint(1, 12):02d}4{rng.randint(0, 9999999):07d}"


def date(rng: random.Random, start: int, end: int) -> str:
    return f"{rng.randint(start, end)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def clean(rng: random.Random) -> dict:
    """A long-standing participant with no ground for any rule: it falls to the default."""
    d36 = rng.randint(30, 400)
    p = {
        "id": bin_number(rng),
        "name": rng.choice(NAMES),
        "registered": date(rng, 2008, 2022),
        "declarations_12m": d36 // 3,
        "declarations_36m": d36,
        "violations_12m": 0,
        "violations_36m": rng.choice([0, 1]),
        "unpaid_debt": "0",
        "aeo": "none",
    }
    if rng.random() < 0.5:
        p["tax_risk"] = "medium"  # never low here: that would be the "clean" rule
    if rng.random() < 0.4:
        p["post_release_audits_36m"] = rng.randint(0, 3)
        p["audit_findings_36m"] = 0
    if rng.random() < 0.5:
        p["customs_value_12m"] = f"{rng.randint(5, 900) * 1000000}.00"
    return p


def build(archetype: str, rng: random.Random) -> dict:
    p = clean(rng)
    if archetype == "criminal":
        p["criminal_cases_36m"] = rng.randint(1, 2)
    elif archetype == "debt":
        p["unpaid_debt"] = f"{rng.randint(100, 9000) * 250}.{rng.randint(0, 99):02d}"
    elif archetype == "repeat":
        p["violations_12m"] = rng.randint(3, 6)
        p["violations_36m"] = p["violations_12m"] + rng.randint(0, 3)
    elif archetype == "share":
        p["declarations_36m"] = rng.randint(20, 60)
        p["declarations_12m"] = p["declarations_36m"] // 3
        p["violations_12m"] = rng.randint(0, 2)
        p["violations_36m"] = max(p["violations_12m"], p["declarations_36m"] // 10 + 1)
    elif archetype == "tax":
        p["tax_risk"] = "high"
        p["tax_debt"] = f"{rng.randint(10, 500) * 1000}.00"
    elif archetype == "aeo":
        p["aeo"] = rng.choice(["type1", "type2", "type3"])
        p["violations_36m"] = 0
        p["tax_risk"] = rng.choice(["low", "medium", "high"])  # tax_debt absent: "tax" unknown
    elif archetype == "newcomer":
        if rng.random() < 0.5:
            p["registered"] = date(rng, 2025, 2026)
        p["declarations_36m"] = rng.randint(0, 9)
        p["declarations_12m"] = p["declarations_36m"]
        p["violations_36m"] = 0  # no declarations: the share is missing, "share" does not hold
    elif archetype == "findings":
        p["post_release_audits_36m"] = rng.randint(2, 5)
        p["audit_findings_36m"] = rng.randint(1, 2)
    elif archetype == "clean":
        p["violations_36m"] = 0
        p["tax_risk"] = "low"
    return p


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=os.path.join(HERE, "participants.jsonl"))
    args = parser.parse_args()
    rng = random.Random(SEED)
    people = [build(a, rng) for a, n in ARCHETYPES for _ in range(n)]
    rng.shuffle(people)
    lines = [json.dumps(p, ensure_ascii=False, separators=(",", ":")) for p in people]
    # Deliberately bad lines, at fixed places.
    bad_aeo = dict(people[0], id="990140000001", aeo="type4")
    no_debt = {k: v for k, v in people[1].items() if k != "unpaid_debt"}
    no_debt["id"] = "990140000002"
    lines.insert(10, json.dumps(bad_aeo, ensure_ascii=False, separators=(",", ":")))
    lines.insert(25, json.dumps(no_debt, ensure_ascii=False, separators=(",", ":")))
    lines.insert(40, '{"id":"990140000003","registered":"2019-03-0')
    with open(args.out, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
