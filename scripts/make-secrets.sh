#!/usr/bin/env bash
# Writes the secret files kubernetes/kustomization.yaml generates Secrets from: random database
# passwords, a fresh ES256 signing key, the first administrator and the services' client secrets. Existing files are kept (run with
# --force to replace them; a new signing key logs everyone out).
#   scripts/make-secrets.sh [--force] [admin-email]
#   SECRETS_DIR=/tmp/render/kubernetes/secrets scripts/make-secrets.sh   # elsewhere (deploy-tests render
#                                                                         # a throw-away copy this way)
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
dir="${SECRETS_DIR:-kubernetes/secrets}"
force=0
if [[ "${1:-}" == "--force" ]]; then force=1; shift; fi
admin_email="${1:-admin@example.com}"
mkdir -p "$dir"
umask 077

random() { openssl rand -base64 33 | tr -d '/+=\n' | cut -c1-32; }

write() { # file, generator command...
  local file="$dir/$1"; shift
  if [[ -f "$file" && $force -eq 0 ]]; then echo "kept    $file"; return; fi
  "$@" > "$file"
  echo "wrote   $file"
}

write db-passwords.env sh -c "printf 'postgres=%s\nauth=%s\nproduct=%s\norders=%s\n' $(random) $(random) $(random) $(random)"
write jwt-private.pem openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256
write admin-user.env sh -c "printf 'email=%s\npassword=%s\n' '$admin_email' $(random)"
write service-clients.env sh -c "printf 'order-service=%s\n' $(random)"
echo "The administrator's password is in $dir/admin-user.env."
