#!/usr/bin/env bash
# Prints a bearer token for the local stack: deploy/token.sh <role>[,<role>...] [centre HSA-id]
# Roles: ehr-integration, finance, bhv-admin, reporting, centre (with the centre's HSA-id). Valid for 8 hours.
# Signed with the local stack's key pair (made on its first start, in $BHV_DATA_DIR or .local-data/keys).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
keys="${BHV_DATA_DIR:-$root/.local-data}/keys"
if [[ ! -f "$keys/jwt-public.pem" ]]; then
  echo "no key pair in $keys: start the local stack (deploy/run-local.sh) once first" >&2
  exit 1
fi
exec java -cp "$root/deploy/local-stack/target/classes" se.regionorebrolan.bhv.localstack.Tokens "$keys" "$@"
