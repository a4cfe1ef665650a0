#!/usr/bin/env bash
# Checks that every panel query of grafana/dashboards/brain.json returns data: starts the
# packaged jar (embedded PostgreSQL) and a real Prometheus (Debian package "prometheus")
# scraping its management port, both on 127.0.0.1 only, sends some traffic, then runs each
# panel's query through the Prometheus HTTP API and fails on any empty result. Panels whose
# metrics come from modules this build does not contain (hit records, backups) are
# reported as skipped. Bounded in time; stops what it started. Run after `./mvnw -B verify`
# (needs target/brainplane-*.jar).
set -euo pipefail
cd "$(dirname "$0")/.."

jar=$(ls target/brainplane-*.jar 2>/dev/null | grep -v original | head -1 || true)
[ -n "$jar" ] || { echo "no target/brainplane-*.jar: run ./mvnw -B verify first" >&2; exit 1; }
command -v prometheus >/dev/null || { echo "prometheus not found: apt-get install prometheus" >&2; exit 1; }

work=$(mktemp -d)
app_pid=""; prom_pid=""
cleanup() {
  [ -n "$prom_pid" ] && kill "$prom_pid" 2>/dev/null || true
  [ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null || true
  [ -n "$app_pid" ] && for _ in $(seq 1 30); do kill -0 "$app_pid" 2>/dev/null || break; sleep 1; done
  [ -n "$app_pid" ] && kill -9 "$app_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
api_port=$(free_port); mgmt_port=$(free_port); prom_port=$(free_port); closed_port=$(free_port)

KEY=$(python3 -c 'import secrets; print(secrets.token_hex(24))')
BRAIN_OPERATOR_KEY="$KEY" java -jar "$jar" --server.address=127.0.0.1 --server.port="$api_port" \
  --management.server.address=127.0.0.1 --management.server.port="$mgmt_port" \
  --brain.data-dir="$work/data" --brain.pulse.webhook-url="http://127.0.0.1:$closed_port/hook" \
  --resilience4j.retry.instances.pulse.wait-duration=10ms >"$work/app.log" 2>&1 &
app_pid=$!

cat >"$work/prometheus.yml" <<YAML
global: {scrape_interval: 1s, evaluation_interval: 1s}
scrape_configs:
  - job_name: brainplane
    metrics_path: /actuator/prometheus
    static_configs: [{targets: ['127.0.0.1:$mgmt_port']}]
YAML
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/tsdb" \
  --web.listen-address="127.0.0.1:$prom_port" >"$work/prometheus.log" 2>&1 &
prom_pid=$!

B="http://127.0.0.1:$api_port/brain"; J='Content-Type: application/json'
A="Authorization: Bearer $KEY"
ready=""
for _ in $(seq 1 180); do
  if curl -sf "http://127.0.0.1:$mgmt_port/actuator/health/readiness" >/dev/null; then ready=1; break; fi
  kill -0 "$app_pid" 2>/dev/null || break
  sleep 1
done
[ -n "$ready" ] || { echo "Brainplane did not become ready:" >&2; tail -40 "$work/app.log" >&2; exit 1; }

# A clean start logs no warning or error: operators alert on them, so one that is logged on
# every start teaches them to ignore the level.
start_warnings=$(grep -E '^[^ ]+ +(WARN|ERROR) ' "$work/app.log" || true)
[ -z "$start_warnings" ] || { echo "a clean start logged warnings or errors:" >&2; echo "$start_warnings" >&2; exit 1; }

# Traffic: two versions (an activation and a rollback), searches, a refused and an
# undelivered pulse (the webhook port is closed).
for label in first second; do
  v=$(curl -sf -H "$A" -X POST "$B/versions" -H "$J" -d "{\"label\":\"$label\"}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["version"])')
  curl -sf -H "$A" -X PUT "$B/versions/$v/documents" -H "$J" -d "{\"documents\":[{\"key\":\"kb/$label\",\"title\":\"Reset password $label\",\"content\":\"Open settings and reset your password ($label).\"}]}" >/dev/null
  curl -sf -H "$A" -X POST "$B/versions/$v/seal" >/dev/null
  curl -sf -H "$A" -X POST "$B/versions/$v/activate" -H "$J" -d '{}' >/dev/null
  sleep 2
done
for i in $(seq 1 40); do curl -s -H "$A" -o /dev/null "$B/search?q=reset+password+$i"; done
for i in $(seq 1 5); do curl -s -H "$A" -o /dev/null "$B/search?q=reset+your+password"; done
curl -s -H "$A" -o /dev/null "$B/search?q="
curl -s -H "$A" -o /dev/null -X POST "$B/pulses"
# a backup, so the backup panels have something to show
backup=$(curl -sf -H "$A" -X POST "$B/backups" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
for _ in $(seq 1 60); do
  state=$(curl -sf -H "$A" "$B/backups/$backup" | python3 -c 'import json,sys; print(json.load(sys.stdin)["state"])')
  [ "$state" = RUNNING ] || break
  sleep 1
done
[ "$state" = SUCCEEDED ] || { echo "backup $backup ended $state" >&2; exit 1; }

# let Prometheus take enough samples for rate() and changes()
sleep 12

python3 - "$prom_port" "$mgmt_port" <<'PY'
import json, sys, urllib.parse, urllib.request
prom, mgmt = sys.argv[1], sys.argv[2]
scrape = urllib.request.urlopen(f"http://127.0.0.1:{mgmt}/actuator/prometheus", timeout=10).read().decode()
failed = 0
for panel in json.load(open("grafana/dashboards/brain.json"))["panels"]:
    for target in panel.get("targets", []):
        expr = target["expr"]
        url = f"http://127.0.0.1:{prom}/api/v1/query?" + urllib.parse.urlencode({"query": expr})
        body = json.load(urllib.request.urlopen(url, timeout=10))
        result = body.get("data", {}).get("result", [])
        if body.get("status") != "success" or not result:
            failed += 1
            print(f"EMPTY {panel['title']}: {expr}")
        else:
            print(f"ok    {panel['title']} [{target['refId']}]: {len(result)} series")
print(f"dashboard: {failed} panel queries without data")
sys.exit(1 if failed else 0)
PY
