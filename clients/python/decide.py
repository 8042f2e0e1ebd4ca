#!/usr/bin/env python3
"""Decides declarations (JSON Lines on stdin) with a bundle through libdaliz, as `daliz run` does.

    clients/python/decide.py [--lib PATH] [--trust KEY.pub ...] [--host-key HOST.key] [--jit]
                             [--view officer|declarant|audit] BUNDLE < declarations.jsonl

Without --trust the development policy accepts unsigned bundles. --host-key opens a sealed bundle. Exits 2 when some declaration
could not be evaluated (its error decision is still written), 1 when the bundle is refused.
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import daliz  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("bundle")
    ap.add_argument("--lib", default=None, help="libdaliz.so.0 to load (default: $DALIZ_LIBRARY or the system's)")
    ap.add_argument("--trust", nargs="*", default=[], help="approvers' .pub files")
    ap.add_argument("--host-key", default=None, help="this host's secret key: opens a sealed bundle")
    ap.add_argument("--jit", action="store_true", help="compile the profiles to native code (docs/jit.md)")
    ap.add_argument("--view", default="officer", choices=daliz.Session.VIEWS,
                    help="whom the decisions are for (docs/language.md, \"Views of a decision\")")
    args = ap.parse_args()
    lib = daliz.Library(args.lib)
    try:
        if args.trust:
            trust = lib.trust(1, args.trust, host_key=args.host_key)
        else:
            trust = lib.development_trust(host_key=args.host_key)
        engine = lib.load_file(args.bundle, trust, jit=args.jit)
    except daliz.Error as e:
        print(f"decide.py: {e}", file=sys.stderr)
        return 1
    session = engine.session()
    session.set_view(args.view)
    errors = 0
    out = sys.stdout.buffer
    for raw in sys.stdin.buffer:
        line = raw.rstrip(b"\n").rstrip(b"\r")
        if not line.strip(b" \t"):
            continue
        try:
            decision = session.decide(line)
        except daliz.InputError as e:
            decision = e.decision
            errors += 1
        out.write(decision.encode() + b"\n")
    return 2 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
