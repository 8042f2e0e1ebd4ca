#!/usr/bin/env python3
"""Validates `daliz check --format json` and `--format sarif` on corpus files.

Usage: check_formats.py DALIZ CORPUS_DIR [FILE.dlz ...]

Without a JSON Schema package (stdlib only, no network), this checks by hand what the SARIF
2.1.0 schema (sarif-schema-2.1.0.json, OASIS) requires of the properties daliz writes, and the
shape of the JSON format documented in docs/cli.md. It also checks that each region's lines and
columns (code points, run.columnKind unicodeCodePoints) and its byte offset name the same text
of the file, and that the two formats agree. Exits 1 with the problems listed.
"""
import json
import os
import re
import subprocess
import sys

problems = []


def fail(where, what):
    problems.append(f"{where}: {what}")


def is_int(v, minimum=None):
    return isinstance(v, int) and not isinstance(v, bool) and (minimum is None or v >= minimum)


def need(obj, key, kind, where):
    if not isinstance(obj, dict) or key not in obj:
        fail(where, f"missing `{key}`")
        return None
    if not isinstance(obj[key], kind):
        fail(where, f"`{key}` is not {kind}")
        return None
    return obj[key]


# A URI reference (RFC 3986): no spaces, control characters or raw non-ASCII; % followed by hex.
URI_REF = re.compile(r"^([A-Za-z0-9\-._~!$&'()*+,;=:@/?#\[\]]|%[0-9A-Fa-f]{2})*$")


class Source:
    """A file's bytes, to turn (line, column in code points) into byte offsets."""

    def __init__(self, data):
        self.data = data
        self.lines = data.split(b"\n")

    def offset(self, line, column):
        """As SourceManager::lineColumn counts: a column per byte that is not a UTF-8
        continuation byte (10xxxxxx)."""
        if line < 1 or line > len(self.lines):
            return None
        at = sum(len(l) + 1 for l in self.lines[: line - 1])
        col = 1
        while at <= len(self.data):
            if col == column:
                return at
            if at == len(self.data) or self.data[at] == 0x0A:
                return None
            at += 1
            while at < len(self.data) and (self.data[at] & 0xC0) == 0x80:
                at += 1
            col += 1
        return None


def check_region(region, source, where):
    for key in ("startLine", "startColumn", "endLine", "endColumn", "byteOffset", "byteLength"):
        if key not in region:
            fail(where, f"region without `{key}`")
            return
    sl, sc, el, ec = region["startLine"], region["startColumn"], region["endLine"], region["endColumn"]
    if not (is_int(sl, 1) and is_int(sc, 1) and is_int(el, 1) and is_int(ec, 1)):
        fail(where, f"region numbers must be integers >= 1: {region}")
        return
    if (el, ec) < (sl, sc):
        fail(where, f"region ends before it starts: {region}")
    if not (is_int(region["byteOffset"], 0) and is_int(region["byteLength"], 0)):
        fail(where, f"bad byteOffset/byteLength: {region}")
        return
    if source is None:
        return
    begin, end = source.offset(sl, sc), source.offset(el, ec)
    if begin is None or end is None:
        fail(where, f"region outside the file: {region}")
    elif (begin, end - begin) != (region["byteOffset"], region["byteLength"]):
        fail(where, f"lines/columns give bytes {begin}+{end - begin}, byteOffset says "
                    f"{region['byteOffset']}+{region['byteLength']}")


def check_sarif(log, sources, where):
    if log.get("version") != "2.1.0":
        fail(where, "version is not \"2.1.0\"")
    schema = need(log, "$schema", str, where)
    if schema is not None and "sarif" not in schema:
        fail(where, f"$schema does not name SARIF: {schema}")
    runs = need(log, "runs", list, where)
    if not runs:
        fail(where, "no run")
        return []
    out = []
    for r, run in enumerate(runs):
        w = f"{where}: runs[{r}]"
        tool = need(run, "tool", dict, w)
        driver = need(tool or {}, "driver", dict, w + ".tool")
        if driver is None:
            continue
        need(driver, "name", str, w + ".tool.driver")
        need(driver, "version", str, w + ".tool.driver")
        rules = need(driver, "rules", list, w + ".tool.driver") or []
        ids = []
        for i, rule in enumerate(rules):
            rid = need(rule, "id", str, f"{w}.rules[{i}]")
            ids.append(rid)
            level = rule.get("defaultConfiguration", {}).get("level")
            if level not in ("none", "note", "warning", "error"):
                fail(f"{w}.rules[{i}]", f"bad defaultConfiguration.level {level!r}")
        if len(set(ids)) != len(ids):
            fail(w, "rule ids are not unique")
        if run.get("columnKind") not in ("utf16CodeUnits", "unicodeCodePoints"):
            fail(w, "columnKind missing or invalid")
        for k, res in enumerate(need(run, "results", list, w) or []):
            rw = f"{w}.results[{k}]"
            message = need(res, "message", dict, rw)
            if message is not None and not isinstance(message.get("text"), str):
                fail(rw, "message.text is not a string")
            rule_id = need(res, "ruleId", str, rw)
            if rule_id is not None and rule_id not in ids:
                fail(rw, f"ruleId {rule_id} is not a rule of the driver")
            if "ruleIndex" in res and (not is_int(res["ruleIndex"], 0) or res["ruleIndex"] >= len(ids)
                                       or ids[res["ruleIndex"]] != rule_id):
                fail(rw, "ruleIndex does not point at the rule")
            if res.get("level") not in ("none", "note", "warning", "error"):
                fail(rw, f"bad level {res.get('level')!r}")
            regions = []
            for key in ("locations", "relatedLocations"):
                for j, loc in enumerate(res.get(key, [])):
                    lw = f"{rw}.{key}[{j}]"
                    if key == "relatedLocations":
                        if not is_int(loc.get("id"), 0):
                            fail(lw, "a related location needs an id >= 0")
                        if not isinstance(loc.get("message", {}).get("text"), str):
                            fail(lw, "a related location needs a message")
                    phys = need(loc, "physicalLocation", dict, lw)
                    if phys is None:
                        continue
                    uri = need(need(phys, "artifactLocation", dict, lw) or {}, "uri", str, lw)
                    if uri is not None and not URI_REF.match(uri):
                        fail(lw, f"uri is not a URI reference: {uri!r}")
                    region = need(phys, "region", dict, lw)
                    if region is not None:
                        check_region(region, sources.get(uri), lw)
                        if key == "locations":
                            regions.append((uri, region["startLine"], region["startColumn"]))
            fixes = res.get("fixes", [])
            if not isinstance(fixes, list):
                fail(rw, "fixes is not an array")
                fixes = []
            edits = []
            for f, fix in enumerate(fixes):
                fw = f"{rw}.fixes[{f}]"
                changes = need(fix, "artifactChanges", list, fw) or []
                if not changes:
                    fail(fw, "a fix needs at least one artifactChange")
                for c, change in enumerate(changes):
                    cw = f"{fw}.artifactChanges[{c}]"
                    uri = need(need(change, "artifactLocation", dict, cw) or {}, "uri", str, cw)
                    reps = need(change, "replacements", list, cw) or []
                    if not reps:
                        fail(cw, "a change needs at least one replacement")
                    for p, rep in enumerate(reps):
                        pw = f"{cw}.replacements[{p}]"
                        region = need(rep, "deletedRegion", dict, pw)
                        if region is not None:
                            check_region(region, sources.get(uri), pw)
                        text = need(need(rep, "insertedContent", dict, pw) or {}, "text", str, pw)
                        if region is not None:
                            edits.append((region["byteOffset"], region["byteLength"], text))
            out.append({"id": rule_id, "level": res.get("level"), "at": regions, "edits": edits})
    return out


def check_json(doc, where):
    for key, kind in (("tool", str), ("version", str), ("diagnostics", list), ("errors", int),
                      ("warnings", int)):
        need(doc, key, kind, where)
    out = []
    errors = warnings = 0
    for i, d in enumerate(doc.get("diagnostics", [])):
        w = f"{where}: diagnostics[{i}]"

        def shape(d, w, top):
            need(d, "id", str, w)
            if d.get("severity") not in ("error", "warning", "note"):
                fail(w, f"bad severity {d.get('severity')!r}")
            need(d, "message", str, w)
            if not (d.get("file") is None or isinstance(d.get("file"), str)):
                fail(w, "file must be a string or null")
            for j, r in enumerate(need(d, "ranges", list, w) or []):
                for end in ("start", "end"):
                    p = r.get(end, {})
                    if not (is_int(p.get("line"), 1) and is_int(p.get("column"), 1)):
                        fail(f"{w}.ranges[{j}]", f"bad {end}: {p}")
                if not (is_int(r.get("offset"), 0) and is_int(r.get("length"), 0)):
                    fail(f"{w}.ranges[{j}]", "bad offset/length")
            if top:
                for n, note in enumerate(need(d, "notes", list, w) or []):
                    shape(note, f"{w}.notes[{n}]", False)
                if not (d.get("help") is None or isinstance(d.get("help"), str)):
                    fail(w, "help must be a string or null")
                for f, fix in enumerate(need(d, "fixits", list, w) or []):
                    need(fix, "file", str, f"{w}.fixits[{f}]")
                    need(fix, "range", dict, f"{w}.fixits[{f}]")
                    need(fix, "replacement", str, f"{w}.fixits[{f}]")
                if d.get("fixits") and d.get("help") is None:
                    fail(w, "fix-its without a help line")

        shape(d, w, True)
        errors += d.get("severity") == "error"
        warnings += d.get("severity") == "warning"
        at = [(d["file"], r["start"]["line"], r["start"]["column"]) for r in d.get("ranges", [])]
        edits = [(f["range"]["offset"], f["range"]["length"], f["replacement"]) for f in d.get("fixits", [])]
        out.append({"id": d.get("id"), "level": d.get("severity"), "at": at, "edits": edits})
    if doc.get("errors") != errors or doc.get("warnings") != warnings:
        fail(where, "errors/warnings do not count the diagnostics")
    return out


def run(daliz, corpus, name, fmt):
    p = subprocess.run([daliz, "check", "--ref", ".", "--format", fmt, name], cwd=corpus,
                       capture_output=True, text=True)
    try:
        return p.returncode, json.loads(p.stdout)
    except json.JSONDecodeError as e:
        fail(f"{name} ({fmt})", f"not JSON: {e}")
        return p.returncode, None


def main():
    daliz, corpus = os.path.abspath(sys.argv[1]), sys.argv[2]
    names = sys.argv[3:] or sorted(n for n in os.listdir(corpus) if n.endswith(".dlz"))
    results = 0
    for name in names:
        with open(os.path.join(corpus, name), "rb") as f:
            sources = {name.replace(" ", "%20"): Source(f.read())}
        code_j, doc = run(daliz, corpus, name, "json")
        code_s, log = run(daliz, corpus, name, "sarif")
        if doc is None or log is None:
            continue
        if code_j != code_s or code_j != (1 if doc.get("errors") else 0):
            fail(name, f"exit codes: json {code_j}, sarif {code_s}, {doc.get('errors')} error(s)")
        from_json = [d for d in check_json(doc, f"{name} (json)") if d["level"] != "note"]
        from_sarif = check_sarif(log, sources, f"{name} (sarif)")
        results += len(from_sarif)
        key = lambda d: (d["id"], d["level"], [tuple(a[1:]) for a in d["at"]], d["edits"])
        if sorted(map(key, from_json)) != sorted(map(key, from_sarif)):
            fail(name, "the JSON and SARIF outputs disagree")
    if problems:
        print("\n".join(problems))
        return 1
    print(f"{len(names)} file(s), {results} SARIF result(s): JSON and SARIF 2.1.0 outputs valid")
    return 0


if __name__ == "__main__":
    sys.exit(main())
