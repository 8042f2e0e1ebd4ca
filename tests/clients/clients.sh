#!/usr/bin/env bash
# ctest: the Python (ctypes) and Java (JNA) clients load libdaliz.so.0, decide the sample
# declarations, and must write exactly the bytes `daliz run` writes; an approved bundle loads
# under a trust policy, an unsigned one is refused.
#   clients.sh python|java DALIZ LIBDALIZ SOURCE_DIR WORK_DIR
set -euo pipefail
kind=$1 daliz=$2 lib=$3 src=$4 work=$5
rm -rf "$work" && mkdir -p "$work" && cd "$work"
"$daliz" compile "$src"/samples/*.dlz --ref "$src/samples" -o samples.bundle 2>/dev/null
"$daliz" keygen --out head 2>/dev/null
cp samples.bundle approved.bundle
"$daliz" sign approved.bundle --key head.key --sequence 1 --act T-1 --act-date 2026-12-01 2>/dev/null
decls="$src/samples/declarations.jsonl"
"$daliz" run samples.bundle --in "$decls" --threads 2 >expected.jsonl 2>/dev/null || [ $? -eq 2 ]
"$daliz" run approved.bundle --trust head.pub --in "$decls" >expected-approved.jsonl 2>/dev/null || [ $? -eq 2 ]
"$daliz" run samples.bundle --view declarant --in "$decls" >expected-declarant.jsonl 2>/dev/null || [ $? -eq 2 ]

# Under the sanitizers (a library built with -fsanitize=address), the interpreter must load the
# ASan runtime first; leaks are the interpreter's business, not the library's.
preload=()
if nm -D "$lib" 2>/dev/null | grep ' U __asan_init' >/dev/null; then  # no -q: an early exit would fail the pipe
  preload=(env "LD_PRELOAD=$(gcc -print-file-name=libasan.so)"
           "ASAN_OPTIONS=detect_leaks=0:abort_on_error=1")
fi

case "$kind" in
  python)
    client() { "${preload[@]}" python3 "$src/clients/python/decide.py" --lib "$lib" "$@"; } ;;
  java)
    classes=$work/classes
    javac -Xlint:all -Werror -d "$classes" -cp /usr/share/java/jna.jar "$src"/clients/java/src/kz/daliz/*.java
    client() { java -cp "/usr/share/java/jna.jar:$classes" -Djna.library.path="$(dirname "$lib")" kz.daliz.Decide "$@"; } ;;
  *) echo "clients.sh: unknown client $kind" >&2; exit 2 ;;
esac

# The sample declarations include deliberate error lines: exit 2, every line still answered.
rc=0; client samples.bundle <"$decls" >got.jsonl || rc=$?
[ "$rc" -eq 2 ] || { echo "FAIL: $kind client exited $rc, expected 2 (some declarations are errors)"; exit 1; }
cmp expected.jsonl got.jsonl || { echo "FAIL: $kind client output differs from daliz run"; diff expected.jsonl got.jsonl | head; exit 1; }
echo "ok: $kind: $(wc -l <got.jsonl) decisions byte-identical to daliz run"
if [ "$kind" = python ]; then  # the engine flag of the C ABI: the JIT gives the same bytes
  rc=0; client --jit samples.bundle <"$decls" >got-jit.jsonl || rc=$?
  [ "$rc" -eq 2 ] && cmp expected.jsonl got-jit.jsonl || { echo "FAIL: python --jit differs from daliz run (exit $rc)"; exit 1; }
  echo "ok: python --jit: byte-identical too"
fi
# The declarant's view through daliz_session_set_view: the bytes of `daliz run --view declarant`.
rc=0; client --view declarant samples.bundle <"$decls" >got-declarant.jsonl || rc=$?
[ "$rc" -eq 2 ] && cmp expected-declarant.jsonl got-declarant.jsonl || { echo "FAIL: $kind --view declarant differs from daliz run --view declarant (exit $rc)"; exit 1; }
echo "ok: $kind --view declarant: byte-identical too"

if [ "$kind" = python ]; then
  rc=0; client approved.bundle --trust head.pub <"$decls" >got-approved.jsonl || rc=$?
else
  rc=0; client approved.bundle head.pub <"$decls" >got-approved.jsonl || rc=$?
fi
cmp expected-approved.jsonl got-approved.jsonl || { echo "FAIL: $kind: approved bundle output differs"; exit 1; }
grep -q '"sequence":1}' got-approved.jsonl || { echo "FAIL: $kind: decisions do not carry the sequence"; exit 1; }
echo "ok: $kind: approved bundle under the trust policy, decisions carry its sequence"

# A sealed bundle (docs/bundle.md): the host key opens it.
"$daliz" keygen --kind host --out host 2>/dev/null
"$daliz" seal approved.bundle --to host.pub -o approved.sealed 2>/dev/null
if [ "$kind" = python ]; then
  sealed() { client approved.sealed --trust head.pub "$@"; }
else
  sealed() { client "$@" approved.sealed head.pub; }
fi
rc=0; sealed --host-key host.key <"$decls" >got-sealed.jsonl || rc=$?
cmp expected-approved.jsonl got-sealed.jsonl || { echo "FAIL: $kind: sealed bundle output differs (exit $rc)"; exit 1; }
rc=0; sealed <"$decls" >/dev/null 2>sealed-refused.txt || rc=$?
[ "$rc" -eq 1 ] && grep -q "no host key given" sealed-refused.txt || { echo "FAIL: $kind: a sealed bundle loaded without its host key"; exit 1; }
echo "ok: $kind: sealed bundle with --host-key, byte-identical; refused without it"

rc=0
if [ "$kind" = python ]; then
  client samples.bundle --trust head.pub <"$decls" >/dev/null 2>refused.txt || rc=$?
else
  client samples.bundle head.pub <"$decls" >/dev/null 2>refused.txt || rc=$?
fi
[ "$rc" -eq 1 ] && grep -q "DALIZ_E_REFUSED" refused.txt || { echo "FAIL: $kind: an unsigned bundle was not refused"; cat refused.txt; exit 1; }
echo "ok: $kind: unsigned bundle refused: $(cat refused.txt)"
