#!/usr/bin/env bash
# Rebuild dist/ and the generated schemas (space, suite, promotion), then fail if they differ from what is committed.
set -euo pipefail
cd "$(dirname "$0")/.."
npm run --silent build
# the three JSON Schemas editors use (spaceops schema --all): each must exist and be committed
for kind in space suite promotion; do
  if [ ! -s "schema/$kind.schema.json" ]; then
    echo "schema/$kind.schema.json is missing: the build writes it (spaceops schema --all -o schema)." >&2
    exit 1
  fi
done
if ! git diff --quiet --exit-code -- dist schema || [ -n "$(git ls-files --others --exclude-standard -- dist schema)" ]; then
  echo "dist/ or schema/ is stale: run 'npm run build' and commit the result." >&2
  git --no-pager diff --stat -- dist schema >&2
  git ls-files --others --exclude-standard -- dist schema >&2
  exit 1
fi
echo "dist/ and schema/ match the sources."
