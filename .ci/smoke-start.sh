#!/usr/bin/env bash
# Runs the README's start command exactly as a user would (no DATABASE_URL, no
# REDIS_URL: embedded PostgreSQL), waits for readiness, answers a GraphQL
# query, then stops it the ways a user does and checks each time that nothing
# is left behind: Ctrl-C (SIGINT to the process group: exit 0, no PostgreSQL,
# no error logged) on the first start and on a restart, SIGHUP to the process
# group (what a shell sends its jobs when its terminal closes), and a real
# terminal closing under an interactive shell.
set -euo pipefail
cd "$(dirname "$0")/.."
unset DATABASE_URL REDIS_URL
export TRELLIS_DATA_DIR="${TRELLIS_DATA_DIR:-$(mktemp -d)/data}"
port="${TRELLIS_PORT:-4000}"
base="http://127.0.0.1:$port"
log=$(mktemp)
running=""
# Never leave a platform behind, whatever fails: SIGTERM lets it stop its PostgreSQL (another session).
trap '[ -n "$running" ] && pkill -TERM -s "$running" 2>/dev/null && sleep 5 && pkill -KILL -s "$running" 2>/dev/null; true' EXIT

wait_ready() {  # wait_ready <label> <budget seconds> <session id>
  local label=$1 budget=$2 sid=$3
  for _ in $(seq 1 $((budget * 10))); do
    if curl -fsS -o /dev/null "$base/health/ready" 2>/dev/null; then return 0; fi
    # Gone: neither the session's first process nor any of its session. Checking the session alone
    # raced the start: until `setsid` has run, no process has that session id yet (a CI run failed so).
    if ! kill -0 "$sid" 2>/dev/null && ! pgrep -s "$sid" >/dev/null; then break; fi
    sleep 0.1
  done
  echo "FAIL ($label): /health/ready was not 200 within ${budget}s"; cat "$log"; exit 1
}

use_platform() {  # a GraphQL answer, and an API key in use (its batched usage flushes at shutdown)
  local label=$1 email="smoke-$RANDOM$RANDOM@example.com" answer token org key
  answer=$(curl -fsS "$base/graphql" -H 'content-type: application/json' \
    -d "{\"query\":\"mutation { register(input: { email: \\\"$email\\\", password: \\\"correct horse battery\\\" }) { user { email } } }\"}")
  echo "$label: GraphQL answered $answer"
  grep -q "\"email\":\"$email\"" <<<"$answer" || { echo "FAIL ($label): unexpected GraphQL answer"; exit 1; }
  token=$(node -pe 'JSON.parse(process.argv[1]).data.register.token' "$(curl -fsS "$base/graphql" \
    -H 'content-type: application/json' \
    -d "{\"query\":\"mutation { register(input: { email: \\\"k$email\\\", password: \\\"correct horse battery\\\" }) { token } }\"}")")
  org=$(curl -fsS "$base/v1/orgs" -H 'content-type: application/json' -H "authorization: Bearer $token" \
    -d "{\"name\":\"Smoke $RANDOM$RANDOM\"}" | node -pe 'JSON.parse(require("fs").readFileSync(0, "utf8")).data.id')
  key=$(curl -fsS "$base/v1/orgs/$org/api-keys" -H 'content-type: application/json' \
    -H "authorization: Bearer $token" -d '{"name":"smoke"}' | node -pe 'JSON.parse(require("fs").readFileSync(0, "utf8")).data.key')
  curl -fsS -o /dev/null "$base/v1/me" -H "authorization: Bearer $key"
  # The dashboard a browser gets at the printed URL (built by npm start's prestart).
  grep -q 'id="root"' <<<"$(curl -fsS "$base/")" || { echo "FAIL ($label): no dashboard at /"; exit 1; }
}

embedded_port() {
  grep -ao 'embedded PostgreSQL on 127.0.0.1:[0-9]*' "$log" | head -1 | cut -d: -f2
}

wait_gone() {  # wait_gone <label> <session id> <embedded PostgreSQL port>: every process of the run ends, PostgreSQL too
  local label=$1 sid=$2 pg_port=$3
  for _ in $(seq 1 150); do
    if ! pgrep -s "$sid" >/dev/null; then break; fi
    sleep 0.1
  done
  if pgrep -s "$sid" >/dev/null; then echo "FAIL ($label): still running 15s later"; pgrep -a -s "$sid"; exit 1; fi
  running=""
  if [ -z "$pg_port" ]; then echo "FAIL ($label): start did not report the embedded PostgreSQL port"; exit 1; fi
  if pgrep -f "bin/postgres .* -p $pg_port " >/dev/null; then
    echo "FAIL ($label): embedded PostgreSQL still running after shutdown"; exit 1
  fi
}

run_once() {  # run_once <label> <budget seconds> <INT|HUP>: npm start in its own session, stopped by a signal to its group
  local label=$1 budget=$2 signal=$3 started=$SECONDS
  setsid npm start >"$log" 2>&1 &
  local pid=$!
  running=$pid
  wait_ready "$label" "$budget" "$pid"
  echo "$label: ready in $((SECONDS - started))s (budget ${budget}s)"
  use_platform "$label"
  kill "-$signal" -- "-$pid"
  local status=0
  wait "$pid" 2>/dev/null || status=$?
  # npm itself exits on SIGHUP at once (129); the platform's own exit is in its log.
  if [ "$signal" = INT ] && [ "$status" -ne 0 ]; then
    echo "FAIL ($label): exit status $status after Ctrl-C"; cat "$log"; exit 1
  fi
  wait_gone "$label" "$pid" "$(embedded_port)"
  if ! grep -q '"msg":"stopped cleanly"' "$log"; then echo "FAIL ($label): no clean stop"; cat "$log"; exit 1; fi
  if grep -q '"level":[56]0' "$log"; then echo "FAIL ($label): errors were logged"; grep '"level":[56]0' "$log"; exit 1; fi
  echo "$label: stopped cleanly after SIG$signal, no PostgreSQL left, no error logged"
}

close_terminal() {  # npm start typed into an interactive bash on a terminal (script's pseudo-terminal), which then closes
  local label="terminal closed" started=$SECONDS fifo shell=""
  # The terminal's keyboard: a FIFO held open here, so the terminal stays until it is closed on purpose.
  fifo=$(mktemp -u)
  mkfifo "$fifo"
  exec 3<>"$fifo"
  rm "$fifo"
  SHELL=/bin/bash setsid script -qfec "bash --norc --noprofile -i" "$log" <&3 >/dev/null 2>&1 &
  local terminal=$!
  disown "$terminal"
  for _ in $(seq 1 50); do shell=$(pgrep -P "$terminal" -x bash || true); [ -n "$shell" ] && break; sleep 0.1; done
  [ -n "$shell" ] || { echo "FAIL ($label): no shell on the terminal"; exit 1; }
  running=$shell
  printf 'unset HISTFILE\nnpm start\n' >&3  # (no history file left in $HOME)
  wait_ready "$label" 10 "$shell"
  # /health/ready answers before the banner: the embedded node agent registers in between.
  for _ in $(seq 1 100); do grep -aq 'Trellis is ready' "$log" && break; sleep 0.1; done
  echo "$label: ready in $((SECONDS - started))s"
  # The terminal goes away: its shell gets SIGHUP and passes it on to its job; writing to it now fails (EIO).
  kill -KILL "$terminal"
  wait_gone "$label" "$shell" "$(embedded_port)"
  exec 3>&-
  echo "$label: the platform stopped, no PostgreSQL left"
}

# A restart skips initdb and reuses Node's compile cache: ~2.7 s of CPU to ready (one supergraph
# planner at start, optional SDKs loaded on first use; TRELLIS_LOG_LEVEL=debug logs each phase), so
# 10 s (it was 15 s at 7.3 s on a quiet machine). On this 2-core machine shared with other jobs (load
# average 15-20) a restart was ready in 7-16 s of wall clock; a budget counts 0.1 s polls, not seconds.
run_once "first start" 20 INT
run_once "restart" 10 INT
grep -q 'Trellis is ready' "$log" && sed -n '/Trellis is ready/,/Ctrl-C to stop/p' "$log"
run_once "SIGHUP" 10 HUP
close_terminal
