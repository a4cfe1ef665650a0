#!/usr/bin/env bash
# Checks the alert rules and runs their unit tests with promtool (Debian package
# "prometheus"), and checks that every runbook_url points at a heading of docs/runbook.md.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v promtool >/dev/null 2>&1; then
  echo "promtool not found: apt-get install prometheus" >&2
  exit 1
fi
promtool check config prometheus/prometheus.yml
promtool check rules prometheus/rules/brainplane.yml
promtool test rules prometheus/rules/tests/*.yml

# GitHub-style anchors of the runbook's headings
anchors=$(grep -E '^#{1,6} ' docs/runbook.md | sed -E 's/^#+ +//' | tr '[:upper:]' '[:lower:]' \
  | sed -E 's/[^a-z0-9 _-]//g; s/ /-/g')
missing=0
for url in $(grep -oE 'runbook_url: "[^"]+"' prometheus/rules/brainplane.yml | sed -E 's/.*"(.*)"/\1/'); do
  anchor=${url#*#}
  if ! grep -qx -- "$anchor" <<<"$anchors"; then
    echo "runbook_url $url: no such heading in docs/runbook.md" >&2
    missing=1
  fi
done
[ "$missing" -eq 0 ]
echo "alert rules: checked, unit tests passed, runbook anchors exist"
