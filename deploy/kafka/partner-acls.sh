#!/usr/bin/env bash
# Kafka ACLs for the partner municipalities: principal User:partner-<code> may read
# only its own topic partner.<code>.v1, with consumer groups named partner-<code>-*.
# Nothing else is granted, and the broker denies what no ACL allows.
# Usage: partner-acls.sh BOOTSTRAP   (KAFKA_ACLS overrides the kafka-acls.sh path)
set -euo pipefail
bootstrap="${1:?usage: partner-acls.sh BOOTSTRAP}"
acls="${KAFKA_ACLS:-/opt/kafka/bin/kafka-acls.sh}"
for code in 0380 1980 2180; do
  principal="User:partner-${code}"
  "$acls" --bootstrap-server "$bootstrap" --add --allow-principal "$principal" \
    --operation Read --operation Describe --topic "partner.${code}.v1"
  "$acls" --bootstrap-server "$bootstrap" --add --allow-principal "$principal" \
    --operation Read --group "partner-${code}-" --resource-pattern-type prefixed
done
