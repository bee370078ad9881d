#!/bin/sh
# Runs a command with a Node.js 24 or newer first on PATH (see bin/node24.cjs):
# `npm start` and `npm test` work on a machine whose own node is older.
# exec replaces this shell, so signals reach the command as they would directly.
dir=$(node "$(dirname "$0")/node24.cjs") || exit 1
PATH="$dir:$PATH"
export PATH
exec "$@"
