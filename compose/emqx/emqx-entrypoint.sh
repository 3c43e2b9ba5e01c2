#!/bin/sh
# Runs in the EMQX container before EMQX: turns the environment into the MQTT accounts (bootstrap file of the
# built-in database) and the ACL, inside the container only (/tmp/iiot, never on the host), then starts EMQX.
set -eu
umask 077
mkdir -p /tmp/iiot

: "${IIOT_MQTT_ACCOUNTS:?IIOT_MQTT_ACCOUNTS (user:password,...) is required}"
: "${IIOT_SITE:?IIOT_SITE is required}"
case "$IIOT_SITE" in
  *[!A-Za-z0-9_.-]*|'') echo "IIOT_SITE '$IIOT_SITE' is not a valid site id" >&2; exit 1 ;;
esac

echo "user_id,password,is_superuser" > /tmp/iiot/mqtt-users.csv
for account in $(echo "$IIOT_MQTT_ACCOUNTS" | tr ',' ' '); do
  user="${account%%:*}"
  password="${account#*:}"
  if [ -z "$user" ] || [ -z "$password" ] || [ "$user" = "$account" ]; then
    echo "IIOT_MQTT_ACCOUNTS: every entry needs user:password (got an empty one)" >&2
    exit 1
  fi
  echo "$user,$password,false" >> /tmp/iiot/mqtt-users.csv
done

sed "s/@SITE@/$IIOT_SITE/g" /opt/iiot/acl.conf.template > /tmp/iiot/acl.conf

exec /usr/bin/docker-entrypoint.sh /opt/emqx/bin/emqx foreground
