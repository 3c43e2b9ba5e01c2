#!/usr/bin/env bash
# Confirms on a running stack what docs/deployment.md section 12 lists as read in upstream sources and tested against
# stand-ins: run it in compose/ after the first 'docker compose up -d' (and after any restart). One line per check;
# exits non-zero when one fails. Reads Grafana's admin password from .env and prints no secret.
set -uo pipefail
cd "$(dirname "$0")"
env_value() { sed -n "s/^$1=//p" .env | tail -n 1; }
grafana_url="http://localhost:$(env_value GRAFANA_PUBLISH)"
[[ $grafana_url == *: ]] && grafana_url+=3000
grafana() { curl -fsS -u "admin:$(env_value GRAFANA_ADMIN_PASSWORD)" "$grafana_url$1" 2>/dev/null; }
influx() { docker compose exec -T influxdb influx "$@" 2>/dev/null | tr -d ' \t\n'; }
bucket=$(env_value INFLUXDB_BUCKET)
bucket=${bucket:-iiot}
failed=0
report() {   # report "what" <status of the check>
  if [[ $2 -eq 0 ]]; then echo "ok    $1"; else echo "FAIL  $1"; failed=1; fi
}

docker compose logs influxdb 2>/dev/null | grep -q "init-iiot: InfluxQL mapping"
report "InfluxDB's first start ran init-iiot.sh" $?
influx v1 dbrp list | grep -q "$bucket"
report "InfluxQL database $bucket is mapped to bucket $bucket" $?
# the permissions of one authorization in 'influx (v1) auth list --json' (a v1 login's username is its "token"),
# one a line: read:orgs/<org id>/buckets/<bucket id>
permissions() { grep -o "\"$1\":\"$2\"[^]]*]" | sed 's/.*"permissions":\[//; s/]$//' | tr ',' '\n' | tr -d '"'; }
grafana_permissions=$(influx v1 auth list --json | permissions token grafana)
[[ -n $grafana_permissions ]] && ! grep -Evq '^read:orgs/[0-9a-f]+/buckets/[0-9a-f]+$' <<<"$grafana_permissions"
report "login 'grafana' exists and may only read the bucket" $?
server_permissions=$(influx auth list --json | permissions description iiot-server)
grep -Eq '^write:orgs/[0-9a-f]+/buckets/[0-9a-f]+$' <<<"$server_permissions" \
  && ! grep -Evq '^(read|write):orgs/[0-9a-f]+/buckets/[0-9a-f]+$' <<<"$server_permissions"
report "token 'iiot-server' reads and writes the bucket, nothing else" $?
! docker compose logs server 2>/dev/null | grep -qi unauthorized
report "the server reaches InfluxDB with its token (no 'unauthorized' in its log)" $?
grafana /api/datasources/uid/iiot-influxdb/health | grep -q '"status":"OK"'
report "Grafana's datasource answers (read-only login)" $?
folders=$(grafana /api/folders | grep -o '"title":"IIoT"' | wc -l)
[[ $folders -eq 1 ]]
report "exactly one folder IIoT (found $folders)" $?
folder_uid=$(grafana /api/folders | tr '{' '\n' | grep '"title":"IIoT"' | grep -o '"uid":"[^"]*"' | head -n 1 | cut -d '"' -f 4)
dashboards=$(grafana "/api/search?type=dash-db&folderUIDs=$folder_uid" | grep -o '"uid":"iiot-[a-z-]*"' | wc -l)
[[ $dashboards -eq 3 ]]
report "the three dashboards are in it (found $dashboards)" $?
rules=$(grafana /api/v1/provisioning/alert-rules | grep -o "\"folderUID\":\"$folder_uid\"" | wc -l)
[[ $rules -eq 6 ]]
report "the six alert rules are in it (found $rules)" $?
exit $failed
