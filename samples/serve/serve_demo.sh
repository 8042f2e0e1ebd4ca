#!/usr/bin/env bash
# The operator's walk-through of docs/serve.md: approve a profile set, serve it, decide, deploy a
# newer approved set without downtime, read the metrics, stop with a drain, replay the decision
# log. Run by ctest (serve_demo) and by scripts/demo. Everything stays on 127.0.0.1.
#   samples/serve/serve_demo.sh DALIZ WORK_DIR
set -euo pipefail
daliz=$(realpath "$1") work=$2
src=$(cd "$(dirname "$0")/../.." && pwd)
rm -rf "$work" && mkdir -p "$work/bundles" && cd "$work"

# 1. The head of risk approves the sample set: sequence 1, act 17-ОД.
"$daliz" compile "$src"/samples/*.dlz --ref "$src/samples" -o set.bundle 2>/dev/null
"$daliz" keygen --out head 2>/dev/null
cp set.bundle bundles/set-1.bundle
"$daliz" sign bundles/set-1.bundle --key head.key --sequence 1 --act 17-ОД --act-date 2026-11-30 2>/dev/null
head -c 24 /dev/urandom | base64 >admin.token

# 2. Serve it: approved bundles only, every decision logged.
"$daliz" serve bundles --trust head.pub --listen 127.0.0.1:0 --log decisions.jsonl \
  --admin-token-file admin.token 2>serve.log &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
port=
for _ in $(seq 1 300); do
  port=$(sed -n 's|.*listening on http://127.0.0.1:\([0-9]*\).*|\1|p' serve.log)
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || { echo "the server did not start:"; cat serve.log; exit 1; }
url=http://127.0.0.1:$port
echo "serving on $url: $(curl -fsS "$url/readyz")"

# 3. Decide: one declaration, then a batch of 100.
sed -n 9p "$src/samples/declarations.jsonl" >one.json
echo "one:   $(curl -sS -H 'Content-Type: application/json' --data-binary @one.json "$url/v1/decide" | cut -c1-160)…"
head -n 100 "$src/samples/declarations.jsonl" >batch.jsonl
echo "batch: $(curl -fsS -H 'Content-Type: application/x-ndjson' --data-binary @batch.jsonl "$url/v1/decide/batch" |
  grep -o '"corridor":"[a-z]*"' | sort | uniq -c | tr -s ' \n' ' ')"

# 4. A newer approved set (sequence 2), moved into the folder: active without a restart.
cp set.bundle .set-2.tmp
"$daliz" sign .set-2.tmp --key head.key --sequence 2 --act 18-ОД --act-date 2026-12-01 2>/dev/null
mv .set-2.tmp bundles/set-2.bundle
for _ in $(seq 1 100); do
  curl -fsS "$url/v1/bundle" | grep -q '"sequence":2' && break
  sleep 0.1
done
echo "reload: $(curl -fsS -X POST -H "Authorization: Bearer $(cat admin.token)" -d '' "$url/v1/admin/reload" |
  grep -o '"activated":[a-z]*'), now $(curl -fsS "$url/v1/bundle" | grep -o '"sequence":[0-9]*' | head -n 1)"
curl -sS -H 'Content-Type: application/json' --data-binary @one.json "$url/v1/decide" >/dev/null
echo "metrics:"
curl -fsS "$url/metrics" | grep -E '^daliz_(bundle_sequence|decisions_total\{corridor="(yellow|red)"|log_records_total)' | sed 's/^/  /'

# 5. Stop: the requests in flight finish, the log is synced, exit 0. Then replay the log.
kill -TERM "$server"
wait "$server"
trap - EXIT
echo "stopped: $(tail -n 1 serve.log | cut -d' ' -f3-)"
"$daliz" replay --log decisions.jsonl --bundles bundles --trust head.pub
