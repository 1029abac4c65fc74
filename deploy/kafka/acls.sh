#!/usr/bin/env bash
# Kafka ACLs of every principal.  The broker denies what no ACL allows
# (allow.everyone.if.no.acl.found=false); User:kafka-admin, the broker's own principal, is the
# only super user and gets no ACL here.
#   User:partner-<code>      reads partner.<code>.v1 only, in consumer groups partner-<code>-*
#   User:case-system-<code>  writes (and describes) ext.placements.v1 only; reads nothing
#   User:natverk-services    reads and writes natverk.*, reads ext.placements.v1, writes
#                            ext.placements.v1.dlq and partner.*, creates those topics, consumes in
#                            groups $SERVICES_GROUP_PREFIX* only (natverk rebuild assigns
#                            partitions itself and joins no group)
#   User:natverk-ops         the ops CLI's `natverk dlq`: reads the dead-letter topics and
#                            re-drives to the topics they came from; no groups, creates nothing
# Usage: acls.sh BOOTSTRAP [ADMIN_CLIENT_PROPERTIES]
#   ADMIN_CLIENT_PROPERTIES: kafka-admin's client settings (admin-client.sh writes them).
#   KAFKA_ACLS overrides the kafka-acls.sh path; SERVICES_GROUP_PREFIX (default natverk-) must
#   equal the services' NATVERK_CONSUMER_GROUP_PREFIX.  Re-running adds nothing twice.
set -euo pipefail
bootstrap="${1:?usage: acls.sh BOOTSTRAP [ADMIN_CLIENT_PROPERTIES]}"
acls="${KAFKA_ACLS:-/opt/kafka/bin/kafka-acls.sh}"
group_prefix="${SERVICES_GROUP_PREFIX:-natverk-}"
municipalities=(0380 1980 2180)
service_topics=(natverk.referrals.v1 natverk.scheduling.v1 natverk.network_support.v1
  natverk.collaboration.v1 natverk.case_store.v1)
connection=(--bootstrap-server "$bootstrap")
if [[ $# -ge 2 ]]; then connection+=(--command-config "$2"); fi
case "$group_prefix" in
  partner-*) echo "acls.sh: SERVICES_GROUP_PREFIX must not overlap partner-*" >&2; exit 2 ;;
esac
[[ $group_prefix =~ ^[A-Za-z0-9._-]+$ ]] || { echo "acls.sh: SERVICES_GROUP_PREFIX must be set (e.g. natverk-)" >&2; exit 2; }

# allow PRINCIPAL "OPERATION..." RESOURCE-OPTION NAME [prefixed]
allow() {
  local principal="$1" operations="$2" kind="$3" name="$4" pattern="${5:-literal}" op
  local args=(--add --allow-principal "User:${principal}")
  for op in $operations; do args+=(--operation "$op"); done
  "$acls" "${connection[@]}" "${args[@]}" "$kind" "$name" --resource-pattern-type "$pattern"
}

for code in "${municipalities[@]}"; do
  allow "partner-${code}" "Read Describe" --topic "partner.${code}.v1"
  allow "partner-${code}" "Read" --group "partner-${code}-" prefixed
  allow "case-system-${code}" "Write Describe" --topic ext.placements.v1
done

allow natverk-services "Read Write Describe Create" --topic natverk. prefixed
allow natverk-services "Read Describe Create" --topic ext.placements.v1
allow natverk-services "Write Describe Create" --topic ext.placements.v1.dlq
allow natverk-services "Write Describe Create" --topic partner. prefixed
allow natverk-services "Read" --group "$group_prefix" prefixed

for topic in ext.placements.v1 "${service_topics[@]}"; do
  allow natverk-ops "Read Describe" --topic "${topic}.dlq"
  allow natverk-ops "Write Describe" --topic "$topic"
done
