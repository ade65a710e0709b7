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

# Strong essays must stay strong: exit 1 (and CI fails) if one scores under 80.
essaycoach check examples/never-let-me-go.txt examples/strong-*.md --fail-under 80 --format github
echo "strong examples: all at or above 80"
