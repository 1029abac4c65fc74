#!/usr/bin/env bash
# Entrypoint of the kafka container (docker-compose.yml): writes the broker's JAAS file and
# kafka-admin's client properties from the environment, then starts the image's own /etc/kafka/docker/run.
#   CONTROLLER (SASL/PLAIN)    User:kafka-admin only: the broker's own principal, the only super user
#   INTERNAL   (SASL/PLAIN)    kafka-admin, natverk-services and natverk-ops, on the compose network
#   OUTSIDE    (SASL_SSL, SCRAM-SHA-512)  partners and case systems; their credentials are not
#                              here but in the cluster's metadata (setup.sh creates them)
# The JAAS file (not the image's KAFKA_* variables, which drop values containing "=") keeps the
# passwords out of server.properties.
# Usage: broker-start.sh   (BROKER_ADMIN_PASSWORD, BROKER_SERVICES_PASSWORD, BROKER_OPS_PASSWORD;
#   BROKER_SECRETS_DIR (default /tmp/kafka-secrets), KAFKA_RUN overrides the image's run script)
set -euo pipefail
secrets="${BROKER_SECRETS_DIR:-/tmp/kafka-secrets}"
here="$(cd "$(dirname "$0")" && pwd)"
for name in BROKER_ADMIN_PASSWORD BROKER_SERVICES_PASSWORD BROKER_OPS_PASSWORD; do
  [[ ${!name:-} =~ ^[A-Za-z0-9_-]{16,}$ ]] || {
    echo "broker-start.sh: $name: use 16 or more letters, digits, - or _ (openssl rand -hex 24)" >&2
    exit 2
  }
done
umask 077
mkdir -p "$secrets"
admin="$BROKER_ADMIN_PASSWORD"
cat > "$secrets/broker_jaas.conf" <<JAAS
controller.KafkaServer {
  org.apache.kafka.common.security.plain.PlainLoginModule required
  username="kafka-admin" password="${admin}"
  user_kafka-admin="${admin}";
};
internal.KafkaServer {
  org.apache.kafka.common.security.plain.PlainLoginModule required
  username="kafka-admin" password="${admin}"
  user_kafka-admin="${admin}"
  user_natverk-services="${BROKER_SERVICES_PASSWORD}"
  user_natverk-ops="${BROKER_OPS_PASSWORD}";
};
outside.KafkaServer {
  org.apache.kafka.common.security.scram.ScramLoginModule required;
};
JAAS
"$here/admin-client.sh" > "$secrets/admin.properties"
export KAFKA_OPTS="${KAFKA_OPTS:+$KAFKA_OPTS }-Djava.security.auth.login.config=$secrets/broker_jaas.conf"
unset BROKER_ADMIN_PASSWORD BROKER_SERVICES_PASSWORD BROKER_OPS_PASSWORD admin
exec "${KAFKA_RUN:-/etc/kafka/docker/run}" "$@"
