#!/bin/bash
# First start of InfluxDB 2 (run by the image after DOCKER_INFLUXDB_INIT_MODE=setup): map the bucket to an
# InfluxQL database and retention policy of the same name, so Grafana's InfluxQL queries (and InfluxDB 1.x
# tools) work: database "${DOCKER_INFLUXDB_INIT_BUCKET}", retention policy "autogen".
set -euo pipefail
influx v1 dbrp create \
  --org "${DOCKER_INFLUXDB_INIT_ORG}" \
  --bucket-id "${DOCKER_INFLUXDB_INIT_BUCKET_ID}" \
  --db "${DOCKER_INFLUXDB_INIT_BUCKET}" \
  --rp autogen \
  --default
