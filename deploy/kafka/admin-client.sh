#!/usr/bin/env bash
# Prints the client properties of User:kafka-admin (the broker's own principal, the only super
# user) for the INTERNAL listener, for kafka-acls.sh, kafka-configs.sh and the health check.
# Usage: admin-client.sh > FILE   (the password from BROKER_ADMIN_PASSWORD; keep FILE private)
set -euo pipefail
password="${BROKER_ADMIN_PASSWORD:?usage: BROKER_ADMIN_PASSWORD=... admin-client.sh > FILE}"
[[ $password =~ ^[A-Za-z0-9_-]{16,}$ ]] || {
  echo "admin-client.sh: BROKER_ADMIN_PASSWORD: use 16 or more letters, digits, - or _ (openssl rand -hex 24)" >&2
  exit 2
}
cat <<PROPERTIES
security.protocol=SASL_PLAINTEXT
sasl.mechanism=PLAIN
sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="kafka-admin" password="${password}";
PROPERTIES
