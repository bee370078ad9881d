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

run_once() {
  local label=$1 budget=$2
  local started=$SECONDS
  setsid npm start >"$log" 2>&1 &
  local pid=$!
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
  kill -INT -- -"$pid"
  local status=0
  wait "$pid" || status=$?
  if [ "$status" -ne 0 ]; then echo "FAIL ($label): exit status $status after Ctrl-C"; cat "$log"; exit 1; fi
  local pg_port
  pg_port=$(grep -o 'embedded PostgreSQL on 127.0.0.1:[0-9]*' "$log" | head -1 | cut -d: -f2)
  if [ -z "$pg_port" ]; then echo "FAIL ($label): start did not report the embedded PostgreSQL port"; exit 1; fi
  if pgrep -f "bin/postgres .* -p $pg_port " >/dev/null; then
    echo "FAIL ($label): embedded PostgreSQL still running after shutdown"; exit 1
  fi
  echo "$label: exited 0 after Ctrl-C, no PostgreSQL left"
}

run_once "first start" 20
run_once "restart" 5
grep -q 'Trellis is ready' "$log" && sed -n '/Trellis is ready/,/Ctrl-C to stop/p' "$log"
