#!/usr/bin/env bash
# One-shot set-up of the principals (docker-compose.yml's kafka-setup), as User:kafka-admin:
# the SCRAM-SHA-512 credentials partners and case systems log in with on the OUTSIDE listener,
# then every principal's ACLs (acls.sh).  Re-running it sets the passwords again (rotation).
# Usage: setup.sh BOOTSTRAP
#   Passwords from BROKER_ADMIN_PASSWORD, PARTNER_<code>_PASSWORD and CASE_SYSTEM_<code>_PASSWORD
#   (16 or more letters, digits, - or _); KAFKA_CONFIGS overrides the kafka-configs.sh path,
#   KAFKA_ACLS and SERVICES_GROUP_PREFIX go on to acls.sh.
set -euo pipefail
bootstrap="${1:?usage: setup.sh BOOTSTRAP}"
configs="${KAFKA_CONFIGS:-/opt/kafka/bin/kafka-configs.sh}"
here="$(cd "$(dirname "$0")" && pwd)"
umask 077
admin="$(mktemp)"
trap 'rm -f "$admin"' EXIT
"$here/admin-client.sh" > "$admin"
principals=()
for code in 0380 1980 2180; do principals+=("partner-${code}" "case-system-${code}"); done
variable_of() { echo "$(tr 'a-z-' 'A-Z_' <<< "$1")_PASSWORD"; }
for principal in "${principals[@]}"; do  # every password checked before any is set
  variable="$(variable_of "$principal")"
  [[ ${!variable:-} =~ ^[A-Za-z0-9_-]{16,}$ ]] || {
    echo "setup.sh: $variable: use 16 or more letters, digits, - or _ (openssl rand -hex 24)" >&2
    exit 2
  }
done
for principal in "${principals[@]}"; do
  variable="$(variable_of "$principal")"
  "$configs" --bootstrap-server "$bootstrap" --command-config "$admin" --alter \
    --entity-type users --entity-name "$principal" \
    --add-config "SCRAM-SHA-512=[iterations=8192,password=${!variable}]"
done
"$here/acls.sh" "$bootstrap" "$admin"
