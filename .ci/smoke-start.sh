#!/usr/bin/env bash
# Runs the README's start command exactly as a user would (no DATABASE_URL, no
# REDIS_URL: embedded PostgreSQL), waits for readiness, answers a GraphQL
# query, then sends Ctrl-C (SIGINT to the process group) and checks a clean
# exit with no PostgreSQL left behind. Run twice: first start and restart.
set -euo pipefail
cd "$(dirname "$0")/.."
unset DATABASE_URL REDIS_URL
export TRELLIS_DATA_DIR="${TRELLIS_DATA_DIR:-$(mktemp -d)/data}"
log=$(mktemp)
running=""
# Never leave a platform behind, whatever fails.
trap '[ -n "$running" ] && kill -KILL -- -"$running" 2>/dev/null; true' EXIT

run_once() {
  local label=$1 budget=$2
  local started=$SECONDS
  setsid npm start >"$log" 2>&1 &
  local pid=$!
  running=$pid
  local ready=""
  for _ in $(seq 1 $((budget * 10))); do
    if curl -fsS -o /dev/null http://127.0.0.1:4000/health/ready 2>/dev/null; then ready=yes; break; fi
    if ! kill -0 "$pid" 2>/dev/null; then break; fi
    sleep 0.1
  done
  if [ -z "$ready" ]; then
    echo "FAIL ($label): /health/ready was not 200 within ${budget}s"; cat "$log"; kill -KILL -- -"$pid" 2>/dev/null || true; exit 1
  fi
  echo "$label: ready in $((SECONDS - started))s (budget ${budget}s)"
  local email="smoke-$RANDOM$RANDOM@example.com"
  local answer
  answer=$(curl -fsS http://127.0.0.1:4000/graphql -H 'content-type: application/json' \
    -d "{\"query\":\"mutation { register(input: { email: \\\"$email\\\", password: \\\"correct horse battery\\\" }) { user { email } } }\"}")
  echo "$label: GraphQL answered $answer"
  grep -q "\"email\":\"$email\"" <<<"$answer" || { echo "FAIL ($label): unexpected GraphQL answer"; exit 1; }
  # An API key in use leaves batched usage to flush at shutdown: the shutdown must still be clean.
  local token org key
  token=$(node -pe 'JSON.parse(process.argv[1]).data.register.token' "$(curl -fsS http://127.0.0.1:4000/graphql \
    -H 'content-type: application/json' \
    -d "{\"query\":\"mutation { register(input: { email: \\\"k$email\\\", password: \\\"correct horse battery\\\" }) { token } }\"}")")
  org=$(curl -fsS http://127.0.0.1:4000/v1/orgs -H 'content-type: application/json' -H "authorization: Bearer $token" \
    -d "{\"name\":\"Smoke $RANDOM$RANDOM\"}" | node -pe 'JSON.parse(require("fs").readFileSync(0, "utf8")).data.id')
  key=$(curl -fsS "http://127.0.0.1:4000/v1/orgs/$org/api-keys" -H 'content-type: application/json' \
    -H "authorization: Bearer $token" -d '{"name":"smoke"}' | node -pe 'JSON.parse(require("fs").readFileSync(0, "utf8")).data.key')
  curl -fsS -o /dev/null "http://127.0.0.1:4000/v1/me" -H "authorization: Bearer $key"
  kill -INT -- -"$pid"
  local status=0
  wait "$pid" || status=$?
  running=""
  if [ "$status" -ne 0 ]; then echo "FAIL ($label): exit status $status after Ctrl-C"; cat "$log"; exit 1; fi
  local pg_port
  pg_port=$(grep -o 'embedded PostgreSQL on 127.0.0.1:[0-9]*' "$log" | head -1 | cut -d: -f2)
  if [ -z "$pg_port" ]; then echo "FAIL ($label): start did not report the embedded PostgreSQL port"; exit 1; fi
  if pgrep -f "bin/postgres .* -p $pg_port " >/dev/null; then
    echo "FAIL ($label): embedded PostgreSQL still running after shutdown"; exit 1
  fi
  if grep -q '"level":[56]0' "$log"; then echo "FAIL ($label): errors were logged"; grep '"level":[56]0' "$log"; exit 1; fi
  echo "$label: exited 0 after Ctrl-C, no PostgreSQL left, no error logged"
}

run_once "first start" 20
run_once "restart" 5
grep -q 'Trellis is ready' "$log" && sed -n '/Trellis is ready/,/Ctrl-C to stop/p' "$log"
