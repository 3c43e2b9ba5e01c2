#!/bin/bash
# First start of InfluxDB 2 (run once by the image after DOCKER_INFLUXDB_INIT_MODE=setup, as root, against a server
# that already knows the admin token): the InfluxQL mapping and one least-privilege account for each reader/writer.
# The admin token (INFLUXDB_TOKEN in .env) stays with InfluxDB and its operator; Grafana and the server never get it.
set -euo pipefail
org=${DOCKER_INFLUXDB_INIT_ORG}
bucket=${DOCKER_INFLUXDB_INIT_BUCKET}
bucket_id=${DOCKER_INFLUXDB_INIT_BUCKET_ID}
secrets=${IIOT_SECRETS_DIR:-/run/iiot-secrets}

# 1. InfluxQL (Grafana, the server's history API) on database "$bucket", retention policy "autogen"
influx v1 dbrp create --org "$org" --bucket-id "$bucket_id" --db "$bucket" --rp autogen --default

# 2. Grafana only reads the bucket: an InfluxQL (v1) login whose password the operator chose (.env), so no file has
#    to travel to Grafana
influx v1 auth create --org "$org" --username grafana --password "${IIOT_GRAFANA_INFLUX_PASSWORD:?}" --read-bucket "$bucket_id"

# 3. The server writes the bucket and reads it (history API), nothing else: an API token. InfluxDB 2 chooses a
#    token's value itself, so it is handed to the server through a volume only the two containers share, readable
#    by the server's user alone (compose/server/with-tsdb-token.sh reads it into IIOT_TSDB_TOKEN)
answer=$(influx auth create --org "$org" --description iiot-server --read-bucket "$bucket_id" --write-bucket "$bucket_id" --json)
token=$(printf '%s\n' "$answer" | sed -n 's/^[[:space:]]*"token":[[:space:]]*"\([^"]*\)".*/\1/p')
if [[ -z $token ]]; then
  echo "init-iiot: influx auth create gave no token" >&2
  exit 1
fi
umask 077
mkdir -p "$secrets"
printf '%s' "$token" > "$secrets/server-token.tmp"
chown "${IIOT_SERVER_UID:-10001}" "$secrets/server-token.tmp"   # the IIoT Routes image's user (Dockerfile)
mv "$secrets/server-token.tmp" "$secrets/server-token"
echo "init-iiot: InfluxQL mapping, read-only login 'grafana' and the server's read/write token for bucket $bucket made"
