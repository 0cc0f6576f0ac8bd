#!/usr/bin/env bash
# Builds the solution and runs every test project, then prints one summary line.
# Usage: ./build/test.sh [extra dotnet test arguments]
set -euo pipefail
cd "$(dirname "$0")/.."

results=artifacts/test-results
rm -rf "$results"

./build/setup.sh

dotnet build Annotated.sln -c Release -nologo -v:q -clp:ErrorsOnly

status=0
# A hung test is dumped and ended rather than hanging the run.
dotnet test Annotated.sln -c Release --no-build -nologo \
  --logger "trx" --results-directory "$results" \
  --blame-hang-timeout 5m "$@" || status=$?

passed=0; failed=0; skipped=0; total=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  get() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' || echo 0; }
  total=$((total + $(get total)))
  passed=$((passed + $(get passed)))
  failed=$((failed + $(get failed)))
  notrun=$(( $(get total) - $(get executed) ))
  skipped=$((skipped + notrun))
done

echo "Tests: $passed passed, $failed failed, $skipped skipped"
if [ "$total" -eq 0 ]; then
  echo "No test ran." >&2
  exit 1
fi
exit "$status"
