#!/usr/bin/env bash
# The README's curl walkthrough as a script: register, log in, browse, order, look at the overview.
# Works against ./run-local.sh (default) or the Istio ingress: BASE=http://$INGRESS_HOST scripts/walkthrough.sh
set -euo pipefail

BASE="${BASE:-http://localhost:8080}"
EMAIL="${EMAIL:-walker-$(date +%s)@example.com}"
PASSWORD="${PASSWORD:-correct-horse-battery}"
json='Content-Type: application/json'

step() { printf '\n### %s\n' "$*"; }
field() { sed -E "s/.*\"$1\":\"([^\"]+)\".*/\1/"; }

step "Three products (public, cached by the gateway)"
curl -sS -i "$BASE/api/products?limit=3&sort=price" | sed -n '1p;/^[Xx]-[Cc]ache/p;/^[Ee][Tt]ag/p;$p'

step "Categories"
curl -sS "$BASE/api/products/categories"; echo

step "Register $EMAIL"
curl -sS -X POST "$BASE/api/auth/register" -H "$json" \
  -d "{\"email\":\"$EMAIL\",\"password\":\"$PASSWORD\",\"name\":\"Walker\"}"; echo

step "Log in"
LOGIN=$(curl -sS -X POST "$BASE/api/auth/login" -H "$json" -d "{\"email\":\"$EMAIL\",\"password\":\"$PASSWORD\"}")
TOKEN=$(printf '%s' "$LOGIN" | field accessToken)
echo "access token: ${TOKEN:0:24}..."

step "Who am I"
curl -sS "$BASE/api/auth/me" -H "Authorization: Bearer $TOKEN"; echo

step "Order one unit of the cheapest product in stock (retried with the same Idempotency-Key: one order)"
PRODUCT=$(curl -sS "$BASE/api/products?limit=1&sort=price&inStock=true" | field id)
KEY="walkthrough-$(date +%s)"
for attempt in 1 2; do
  curl -sS -X POST "$BASE/api/orders" -H "Authorization: Bearer $TOKEN" -H "$json" -H "Idempotency-Key: $KEY" \
    -d "{\"items\":[{\"productId\":\"$PRODUCT\",\"quantity\":1}]}"; echo
done

step "My orders"
curl -sS "$BASE/api/orders" -H "Authorization: Bearer $TOKEN"; echo

step "Overview (profile, recent orders with current stock, composed by the gateway)"
curl -sS "$BASE/api/overview" -H "Authorization: Bearer $TOKEN"; echo

step "No token: 401 problem+json"
curl -sS -i "$BASE/api/orders" | sed -n '1p;/^[Ww][Ww][Ww]-[Aa]uthenticate/p;$p'; echo
