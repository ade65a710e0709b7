#!/usr/bin/env bash
# CI on sample essays, as a user's CI would run essaycoach: SARIF for code scanning,
# and a failing exit when a strong example scores below its threshold.
set -euo pipefail
cd "$(dirname "$0")/.."
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

# Every example essay (examples/README.md describes them and is not one), SARIF output;
# exit 0 expected (no threshold given).
mapfile -t essays < <(ls examples/*.md examples/*.txt | grep -v '/README.md$')
essaycoach check "${essays[@]}" --format sarif --output "$out/examples.sarif"
python - "$out/examples.sarif" <<'PY'
import json, sys
sarif = json.load(open(sys.argv[1]))
assert sarif["version"] == "2.1.0", sarif.get("version")
results = sarif["runs"][0]["results"]
print(f"SARIF: {len(results)} results over the examples")
assert results, "no findings at all over the examples: something is wrong"
PY

# Strong essays must stay strong: exit 1 (and CI fails) if one scores under 80. (The
# exemplar is not one of them: checked against itself it is all copied and scores 0.5.)
essaycoach check examples/strong-*.md --fail-under 80 --format github
echo "strong examples: all at or above 80"

# The copying example must fail a CI gate on errors (exit 1), not pass it.
status=0
essaycoach check examples/copies-exemplar.txt --fail-on error --format github > "$out/copies.txt" || status=$?
if [ "$status" -ne 1 ]; then
  echo "copies-exemplar.txt with --fail-on error: exit $status, expected 1" >&2
  exit 1
fi
grep -q "similarity.too_similar" "$out/copies.txt"
echo "copying example: fails --fail-on error with its too_similar finding"
