#!/bin/sh
# Entry point of the server in the compose stack: starts IIoT Routes with its own InfluxDB token (read and write on
# the bucket only), which InfluxDB's first start made and wrote to the shared secrets volume
# (compose/influxdb/init-iiot.sh). The token goes into the environment (IIOT_TSDB_TOKEN), never into a log.
set -eu
file=${TSDB_TOKEN_FILE:-/run/iiot-secrets/server-token}
limit=${TSDB_TOKEN_WAIT_SECONDS:-120}
waited=0
while [ ! -s "$file" ]; do
  if [ "$waited" -ge "$limit" ]; then
    echo "with-tsdb-token: no InfluxDB token in $file after $waited s (InfluxDB's first start writes it; see docs/deployment.md)" >&2
    exit 1
  fi
  sleep 1
  waited=$((waited + 1))
done
IIOT_TSDB_TOKEN=$(cat "$file")
export IIOT_TSDB_TOKEN
exec "${IIOT_JAVA:-java}" -jar iiot-routes.jar "$@"
