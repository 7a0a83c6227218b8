#!/usr/bin/env bash
# Proves on a live cluster, after `kubectl apply -k kubernetes` and `kubectl apply -k istio`, every promise
# the mesh makes for the shop, and prints one row per promise: PASS, FAIL with the reason, or SKIP.
# Exit status: 0 when nothing failed, 1 when a check failed, 2 for a usage error.
#
#   scripts/verify-cluster.sh                              # namespace microservices, ingress discovered
#   scripts/verify-cluster.sh --ingress http://203.0.113.7 --skip kiali,trace
#
# It talks to the cluster of kubectl's current context, starts two short-lived curl pods (one outside the
# mesh, one inside) and port-forwards, and removes all of them when it ends. See docs/deploy.md, last section.
set -euo pipefail

CHECKS="tools pods kafka analyze login forged-token ingress-internal plaintext forbidden-call sampling trace service-spans kiali canary"

usage() {
  cat <<EOF
Usage: scripts/verify-cluster.sh [--namespace NS] [--ingress URL] [--skip CHECK[,CHECK...]]... [--help]

Checks, in order:
  tools             bash, kubectl, curl, openssl and istioctl are installed
  pods              every pod of the namespace is ready and has an istio-proxy sidecar; one that opts out of the
                    mesh (sidecar.istio.io/inject=false, as loadgen's and Strimzi's entity operator's do) is listed
                    in the detail instead
  kafka             the Strimzi Kafka cluster is Ready and every topic the services use exists and is Ready
  analyze           istioctl analyze -n NS reports no error and no warning
  login             register, log in and GET /api/auth/me through the Istio ingress
  forged-token      a token with the real kid and claims, signed by a key made here, is refused with a 401
                    problem where a user is needed, and ignored on a public route, as ./run-local.sh does
  ingress-internal  /internal/** is not reachable through the ingress (404 or 403)
  plaintext         a plain-text call from a pod outside the mesh is reset (STRICT mTLS)
  forbidden-call    an in-mesh call the AuthorizationPolicies do not allow is refused with 403 (RBAC)
  sampling          the ingress gateway starts traces at the rate the namespace's Telemetry and the services'
                    OTEL_TRACES_SAMPLER_ARG name (an ingress that predates the install profile keeps its old rate)
  trace             one request sent with chosen trace ids is found in the tracing backend
  service-spans     that trace, in Jaeger, also holds the services' own spans, children of the sidecars' spans
  kiali             Kiali's validations for the namespace have no error and no warning
  canary            with the canary component on, Flagger has initialised product-service's Canary (Initialized or
                    Succeeded, not Failed), its primary has ready pods and its objects and the root route exist

Options:
  --namespace NS    the shop's namespace (default: \$NAMESPACE or microservices)
  --ingress URL     base URL of the Istio ingress (default: \$INGRESS, else the istio-ingressgateway
                    Service's load balancer address, else a port-forward started and stopped here)
  --skip CHECKS     comma-separated checks to leave out; repeatable
  --help            this text

Environment: VERIFY_KAFKA_CLUSTER (the Kafka resource's name, default: events), TRACING_URL (default: port-forward to svc/tracing in istio-system), KIALI_URL (default:
port-forward to svc/kiali, path /kiali), KIALI_TOKEN (a bearer token when Kiali's auth strategy needs one),
VERIFY_OUTSIDE_NAMESPACE (where the out-of-mesh pod runs, default: default), VERIFY_PROBE_IMAGE (default:
curlimages/curl:8.11.1), VERIFY_TRACE_WAIT (seconds to wait for the trace and for the services' spans, default 30).
EOF
}

NAMESPACE="${NAMESPACE:-microservices}"
INGRESS="${INGRESS:-}"
SKIP=","
while [ $# -gt 0 ]; do
  case "$1" in
    --namespace) [ $# -ge 2 ] || { usage >&2; exit 2; }; NAMESPACE="$2"; shift 2 ;;
    --ingress) [ $# -ge 2 ] || { usage >&2; exit 2; }; INGRESS="$2"; shift 2 ;;
    --skip) [ $# -ge 2 ] || { usage >&2; exit 2; }; SKIP="$SKIP$2,"; shift 2 ;;
    --help | -h) usage; exit 0 ;;
    *) echo "verify-cluster: unknown argument: $1" >&2; usage >&2; exit 2 ;;
  esac
done
for skipped in ${SKIP//,/ }; do
  case " $CHECKS " in
    *" $skipped "*) ;;
    *) echo "verify-cluster: --skip $skipped: no such check (checks: $CHECKS)" >&2; exit 2 ;;
  esac
done

OUTSIDE_NAMESPACE="${VERIFY_OUTSIDE_NAMESPACE:-default}"
PROBE_IMAGE="${VERIFY_PROBE_IMAGE:-curlimages/curl:8.11.1}"
TRACE_WAIT="${VERIFY_TRACE_WAIT:-30}"
KAFKA_CLUSTER="${VERIFY_KAFKA_CLUSTER:-events}"
# the topics of kubernetes/kafka/topics.yaml: what the services produce to and consume from
KAFKA_TOPICS="orders products product-service.dlt gateway.dlt"
HTTP_TIMEOUT=10

random_hex() { od -An -tx1 -N"$1" /dev/urandom | tr -d ' \n'; }
RUN_ID="$(date +%s)-$(random_hex 3)"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/verify-cluster.XXXXXX")"
FORWARD_PIDS=""
CREATED_PODS=""

cleanup() {
  local pid pod
  for pid in $FORWARD_PIDS; do kill "$pid" 2>/dev/null || true; done
  for pod in $CREATED_PODS; do
    kubectl delete pod -n "${pod%%/*}" "${pod#*/}" --ignore-not-found --wait=false >/dev/null 2>&1 || true
  done
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

progress() { printf 'verify-cluster: %s\n' "$*" >&2; }
# one line, at most 160 characters, of a body or an error for the table
brief() { printf '%s' "$1" | tr -s '\r\n\t ' ' ' | cut -c1-160; }

# `needs TOOL...` fails the current check, naming what is missing, instead of crashing on it
needs() {
  local tool missing=""
  for tool in "$@"; do command -v "$tool" >/dev/null 2>&1 || missing="$missing $tool"; done
  [ -z "$missing" ] && return 0
  DETAIL="needs${missing}, not found on PATH"
  return 1
}

# --- HTTP: every call prints its body then its status code on a last line; STATUS and BODY get them ----
split_response() {
  STATUS="${1##*$'\n'}"
  BODY="${1%$'\n'*}"
  [ "$BODY" != "$1" ] || BODY=""
}
request() {
  local method="$1" url="$2" out
  shift 2
  out="$(curl -sS --max-time "$HTTP_TIMEOUT" -X "$method" -w '\n%{http_code}' "$@" "$url" 2>&1)" || true
  split_response "$out"
}

# --- port-forwards: FORWARDED_PORT gets the local port kubectl picked -------------------------------------
port_forward() {
  local namespace="$1" target="$2" remote_port="$3" log pid alive _
  log="$WORK/forward-$(random_hex 4).log"
  kubectl -n "$namespace" port-forward "$target" ":$remote_port" >"$log" 2>&1 &
  pid=$!
  FORWARD_PIDS="$FORWARD_PIDS $pid"
  for _ in $(seq 1 100); do
    alive=no
    if kill -0 "$pid" 2>/dev/null; then alive=yes; fi
    FORWARDED_PORT="$(sed -n 's/^Forwarding from 127\.0\.0\.1:\([0-9]*\) .*/\1/p' "$log" | head -n 1)"
    [ -z "$FORWARDED_PORT" ] || return 0
    [ "$alive" = yes ] || break
    sleep 0.1
  done
  FORWARD_ERROR="kubectl port-forward -n $namespace $target failed: $(brief "$(cat "$log")")"
  return 1
}

# an add-on of istio-system (docs/kiali.md): the URL given in VARIABLE, else a port-forward to its Service;
# `addon_url GIVEN VARIABLE SERVICE PORT PATH` sets ADDON_URL
addon_url() {
  if [ -n "$1" ]; then
    ADDON_URL="${1%/}"
  elif port_forward istio-system "service/$3" "$4"; then
    ADDON_URL="http://127.0.0.1:$FORWARDED_PORT$5"
  else
    DETAIL="$FORWARD_ERROR (install the $3 add-on, docs/kiali.md, or set $2)"
    return 1
  fi
}

# --- the ingress, found once: INGRESS_URL and how it was found ------------------------------------------
INGRESS_STATE=""
resolve_ingress() {
  case "$INGRESS_STATE" in ok) return 0 ;; failed) DETAIL="$INGRESS_ERROR"; return 1 ;; esac
  INGRESS_STATE=failed
  if [ -n "$INGRESS" ]; then
    INGRESS_URL="${INGRESS%/}" INGRESS_HOW="given"
  else
    if ! needs kubectl; then INGRESS_ERROR="$DETAIL (to find the ingress; or pass --ingress)"; DETAIL="$INGRESS_ERROR"; return 1; fi
    local address port
    if ! address="$(kubectl -n istio-system get service istio-ingressgateway \
        -o jsonpath='{.status.loadBalancer.ingress[0].ip}{.status.loadBalancer.ingress[0].hostname}' 2>&1)"; then
      INGRESS_ERROR="no istio-ingressgateway Service in istio-system ($(brief "$address")); pass --ingress"
      DETAIL="$INGRESS_ERROR"
      return 1
    fi
    if [ -n "$address" ]; then
      port="$(kubectl -n istio-system get service istio-ingressgateway -o jsonpath='{.spec.ports[?(@.name=="http2")].port}' 2>/dev/null || true)"
      INGRESS_URL="http://$address:${port:-80}" INGRESS_HOW="load balancer"
    elif port_forward istio-system service/istio-ingressgateway 80; then
      INGRESS_URL="http://127.0.0.1:$FORWARDED_PORT" INGRESS_HOW="port-forward"
    else
      INGRESS_ERROR="$FORWARD_ERROR"
      DETAIL="$INGRESS_ERROR"
      return 1
    fi
  fi
  INGRESS_STATE=ok
  progress "ingress: $INGRESS_URL ($INGRESS_HOW)"
}

# --- a real user and token, made once: TOKEN, EMAIL ---------------------------------------------------------
TOKEN_STATE=""
obtain_token() {
  case "$TOKEN_STATE" in ok) return 0 ;; failed) DETAIL="$TOKEN_ERROR"; return 1 ;; esac
  TOKEN_STATE=failed
  if ! needs curl || ! resolve_ingress; then TOKEN_ERROR="$DETAIL"; return 1; fi
  local password json='Content-Type: application/json'
  EMAIL="verify-cluster-$RUN_ID@example.com"
  password="$(random_hex 12)"
  request POST "$INGRESS_URL/api/auth/register" -H "$json" \
    -d "{\"email\":\"$EMAIL\",\"password\":\"$password\",\"name\":\"verify-cluster\"}"
  if [ "$STATUS" != 201 ]; then
    TOKEN_ERROR="POST /api/auth/register answered $STATUS: $(brief "$BODY")"; DETAIL="$TOKEN_ERROR"; return 1
  fi
  request POST "$INGRESS_URL/api/auth/login" -H "$json" -d "{\"email\":\"$EMAIL\",\"password\":\"$password\"}"
  TOKEN="$(printf '%s' "$BODY" | sed -n 's/.*"accessToken" *: *"\([^"]*\)".*/\1/p')"
  if [ "$STATUS" != 200 ] || [ -z "$TOKEN" ]; then
    TOKEN_ERROR="POST /api/auth/login answered $STATUS: $(brief "$BODY")"; DETAIL="$TOKEN_ERROR"; return 1
  fi
  request GET "$INGRESS_URL/api/auth/me" -H "Authorization: Bearer $TOKEN"
  if [ "$STATUS" != 200 ] || [[ "$BODY" != *'"email"'* ]]; then
    TOKEN_ERROR="GET /api/auth/me with the new token answered $STATUS: $(brief "$BODY")"
    if refused_by_sidecar "$BODY"; then TOKEN_ERROR="$TOKEN_ERROR ($(stale_edge_check))"; fi
    DETAIL="$TOKEN_ERROR"
    return 1
  fi
  TOKEN_STATE=ok
}

# --- JWT forging: the real token's header and claims, signed with a key made here ---------------------------
b64url() { base64 | tr -d '\n=' | tr '+/' '-_'; }
b64url_decode() {
  local s
  s="$(printf '%s' "$1" | tr '_-' '/+')"
  while [ $(( ${#s} % 4 )) -ne 0 ]; do s="$s="; done
  printf '%s' "$s" | base64 -d 2>/dev/null || true
}
hex_to_binary() {
  local hex
  hex="$(cat)"
  # shellcheck disable=SC2059 # the format is the data: \xHH escapes made from the hex digits
  printf "$(printf '%s' "$hex" | sed 's/../\\x&/g')"
}
# ES256 wants r||s, 32 bytes each; openssl signs in DER
der_to_jose() {
  openssl asn1parse -inform DER |
    awk '/INTEGER/ { h = $0; sub(/.*:/, "", h); while (length(h) < 64) h = "0" h; printf "%s", substr(h, length(h) - 63) }' |
    hex_to_binary
}
forge_token() {
  local header="${1%%.*}" rest="${1#*.}" payload alg key="$WORK/forger.pem"
  payload="${rest%%.*}"
  alg="$(b64url_decode "$header" | sed -n 's/.*"alg" *: *"\([^"]*\)".*/\1/p')"
  case "$alg" in
    ES256)
      openssl ecparam -name prime256v1 -genkey -noout -out "$key" 2>/dev/null &&
        printf '%s.%s.' "$header" "$payload" &&
        printf '%s.%s' "$header" "$payload" | openssl dgst -sha256 -sign "$key" | der_to_jose | b64url ;;
    RS256)
      openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$key" 2>/dev/null &&
        printf '%s.%s.' "$header" "$payload" &&
        printf '%s.%s' "$header" "$payload" | openssl dgst -sha256 -sign "$key" | b64url ;;
    *) return 1 ;;
  esac
}

# --- probe pods -----------------------------------------------------------------------------------------------
remember_pod() { CREATED_PODS="$CREATED_PODS $1/$2"; }
forget_pod() {
  kubectl delete pod -n "$1" "$2" --ignore-not-found --wait=false >/dev/null 2>&1 || true
  CREATED_PODS="${CREATED_PODS/ $1\/$2/}"
}

# ================================ the checks: DETAIL says why; return 0 pass, 1 fail, 2 skip ==================

check_tools() {
  needs kubectl curl openssl istioctl || return 1
  DETAIL="kubectl, curl, openssl and istioctl found"
}

check_pods() {
  needs kubectl || return 1
  local out name phase ready containers label annotation total=0 problems="" outside=""
  # each pod: name|phase|ready|containers,|its sidecar.istio.io/inject label|annotation
  if ! out="$(kubectl get pods -n "$NAMESPACE" -o jsonpath='{range .items[*]}{.metadata.name}{"|"}{.status.phase}{"|"}{.status.conditions[?(@.type=="Ready")].status}{"|"}{range .spec.containers[*]}{.name}{","}{end}{range .spec.initContainers[*]}{.name}{","}{end}{"|"}{.metadata.labels.sidecar\.istio\.io/inject}{"|"}{.metadata.annotations.sidecar\.istio\.io/inject}{"\n"}{end}' 2>&1)"; then
    DETAIL="kubectl get pods -n $NAMESPACE failed: $(brief "$out")"
    return 1
  fi
  while IFS='|' read -r name phase ready containers label annotation; do
    if [ -z "$name" ] || [ "$phase" = Succeeded ]; then continue; fi
    total=$((total + 1))
    if [ "$ready" != True ]; then problems="$problems; $name not ready ($phase)"; fi
    case ",$containers" in
      *,istio-proxy,*) ;;
      # a client that asks for no sidecar (the loadgen component): Istio's injector lets the label win over the annotation
      *) if [ "${label:-$annotation}" = false ]; then outside="$outside, $name"; else problems="$problems; $name has no istio-proxy sidecar"; fi ;;
    esac
  done <<<"$out"
  if [ "$total" -eq 0 ]; then
    DETAIL="no pods in namespace $NAMESPACE (kubectl apply -k kubernetes first?)"
    return 1
  fi
  if [ -n "$problems" ]; then
    DETAIL="${problems#; }"
    return 1
  fi
  DETAIL="$total pods ready, each with an istio-proxy sidecar"
  if [ -n "$outside" ]; then
    DETAIL="$total pods ready, each with an istio-proxy sidecar but ${outside#, } (opted out of the mesh: sidecar.istio.io/inject=false)"
  fi
}

check_kafka() {
  needs kubectl || return 1
  local out topic name ready partitions replicas problems="" seen=""
  if ! out="$(kubectl wait -n "$NAMESPACE" "kafka/$KAFKA_CLUSTER" --for=condition=Ready --timeout=60s 2>&1)"; then
    DETAIL="Kafka $KAFKA_CLUSTER is not Ready: $(brief "$out")"
    case "$out" in
      *"doesn't have a resource type"*) DETAIL="$DETAIL (the Strimzi operator and its CRDs are not installed: docs/deploy.md, step 5)" ;;
      *) DETAIL="$DETAIL (kubectl -n $NAMESPACE describe kafka/$KAFKA_CLUSTER, and the operator's log in namespace strimzi)" ;;
    esac
    return 1
  fi
  # each topic: name|Ready|partitions|replicas
  if ! out="$(kubectl get kafkatopics -n "$NAMESPACE" -o jsonpath='{range .items[*]}{.metadata.name}{"|"}{.status.conditions[?(@.type=="Ready")].status}{"|"}{.spec.partitions}{"|"}{.spec.replicas}{"\n"}{end}' 2>&1)"; then
    DETAIL="kubectl get kafkatopics -n $NAMESPACE failed: $(brief "$out")"
    return 1
  fi
  for topic in $KAFKA_TOPICS; do
    ready=""
    while IFS='|' read -r name ready partitions replicas; do
      [ "$name" = "$topic" ] && break
      ready=""
    done <<<"$out"
    if [ "$name" != "$topic" ]; then
      problems="$problems; no KafkaTopic $topic"
    elif [ "$ready" != True ]; then
      problems="$problems; topic $topic not Ready (${ready:-no status})"
    else
      seen="$seen, $topic ${partitions}x$replicas"
    fi
  done
  if [ -n "$problems" ]; then
    DETAIL="Kafka $KAFKA_CLUSTER Ready, but ${problems#; } (kubectl -n $NAMESPACE describe kafkatopic/<name>)"
    return 1
  fi
  DETAIL="Kafka $KAFKA_CLUSTER Ready; topics Ready (partitions x replicas): ${seen#, }"
}

check_analyze() {
  needs istioctl || return 1
  local out rc=0 issues
  out="$(istioctl analyze -n "$NAMESPACE" 2>&1)" || rc=$?
  issues="$(printf '%s\n' "$out" | grep -E '^(Error|Warning|Warn) \[IST[0-9]+\]' || true)"
  if [ -n "$issues" ]; then
    DETAIL="$(brief "$(printf '%s\n' "$issues" | head -n 3)")"
    return 1
  fi
  if [ "$rc" -ne 0 ]; then
    DETAIL="istioctl analyze exited $rc: $(brief "$out")"
    return 1
  fi
  DETAIL="$(brief "$(printf '%s\n' "$out" | grep -v '^Info ' | head -n 1)")"
  DETAIL="${DETAIL:-no errors or warnings}"
}

check_login() {
  obtain_token || return 1
  DETAIL="registered and logged in $EMAIL, GET /api/auth/me 200 through $INGRESS_URL ($INGRESS_HOW)"
}

# true when a body is one of Envoy's token refusals (its jwt_authn filter's text, never the Java gateway's problem)
refused_by_sidecar() {
  case "$1" in
    *"Jwks doesn't have key"* | *"Jwt verification fails"* | *"Jwt is expired"*) return 0 ;;
    *) return 1 ;;
  esac
}
# releases before 2026-12-03 applied istio/edge-jwt.yaml; kubectl apply -k does not delete what a release dropped
stale_edge_check() {
  echo "a RequestAuthentication refuses tokens at the gateway's sidecar; an earlier release applied gateway-jwt, which kubectl apply -k leaves in place: kubectl -n $NAMESPACE delete requestauthentication gateway-jwt"
}

check_forged_token() {
  needs curl openssl || return 1
  obtain_token || { DETAIL="needs a real token to copy, but: $DETAIL"; return 1; }
  local forged
  if ! forged="$(forge_token "$TOKEN")" || [ -z "$forged" ]; then
    DETAIL="could not forge a token like the real one (its alg must be ES256 or RS256)"
    return 1
  fi
  request GET "$INGRESS_URL/api/orders?limit=1" -H "Authorization: Bearer $forged"
  if [ "$STATUS" != 401 ]; then
    DETAIL="a token signed by an unknown key was answered $STATUS, not 401: $(brief "$BODY")"
    return 1
  fi
  if [[ "$BODY" != *'"status":401'* ]]; then
    DETAIL="GET /api/orders with it was answered 401 by the gateway's sidecar, not with the Java gateway's problem ($(brief "$BODY")): $(stale_edge_check)"
    return 1
  fi
  # a public route needs no token, so one that does not verify changes nothing (the contract; ./run-local.sh)
  request GET "$INGRESS_URL/api/products?limit=1" -H "Authorization: Bearer $forged"
  if [ "$STATUS" != 200 ]; then
    DETAIL="GET /api/products, a public route, was answered $STATUS with it, not 200: $(brief "$BODY")"
    if refused_by_sidecar "$BODY"; then DETAIL="$DETAIL; $(stale_edge_check)"; fi
    return 1
  fi
  DETAIL="401 problem from the Java gateway for GET /api/orders; GET /api/products served (200)"
}

check_ingress_internal() {
  needs curl || return 1
  resolve_ingress || return 1
  local path seen="" order="verify-cluster-$RUN_ID"
  # DELETE of an unknown order's reservation changes nothing even where it is reachable (answered 204)
  for path in "/internal/reservations/$order" "/api/../internal/reservations/$order" "/api/internal/reservations/$order"; do
    request DELETE "$INGRESS_URL$path" --path-as-is
    case "$STATUS" in
      403 | 404) seen="$seen, $path $STATUS" ;;
      *) DETAIL="DELETE $path through the ingress answered $STATUS (must be 404 or 403): $(brief "$BODY")"; return 1 ;;
    esac
  done
  DETAIL="refused: ${seen#, }"
}

check_plaintext() {
  needs kubectl || return 1
  local pod="vc-plaintext-$RUN_ID" url="http://product-service.$NAMESPACE.svc.cluster.local/api/products?limit=1" out result code curl_exit
  remember_pod "$OUTSIDE_NAMESPACE" "$pod"
  # shellcheck disable=SC2016 # $1 and $? belong to the pod's shell
  out="$(kubectl run "$pod" -n "$OUTSIDE_NAMESPACE" --image="$PROBE_IMAGE" --restart=Never --rm -i --quiet \
    --pod-running-timeout=2m --labels=sidecar.istio.io/inject=false --command -- \
    sh -c 'curl -sS --max-time 5 -o /dev/null -w "http=%{http_code}" "$1"; echo " exit=$?"' probe "$url" 2>&1)" || true
  forget_pod "$OUTSIDE_NAMESPACE" "$pod"
  result="$(printf '%s\n' "$out" | sed -n 's/.*http=\([0-9]*\) exit=\([0-9]*\).*/\1 \2/p' | tail -n 1)"
  if [ -z "$result" ]; then
    DETAIL="the probe pod in namespace $OUTSIDE_NAMESPACE did not report: $(brief "$out")"
    return 1
  fi
  read -r code curl_exit <<<"$result"
  if [ "$code" != 000 ]; then
    DETAIL="plain text from outside the mesh was answered $code: PeerAuthentication is not STRICT"
    return 1
  fi
  case "$curl_exit" in
    52 | 56) DETAIL="plain-text GET from namespace $OUTSIDE_NAMESPACE reset by the sidecar (curl exit $curl_exit)" ;;
    *) DETAIL="curl exit $curl_exit, not the reset STRICT mTLS gives ($(brief "$out"))"; return 1 ;;
  esac
}

# A pod in the namespace, with a sidecar, running as product-service's ServiceAccount: the identity the
# AuthorizationPolicies see. (curl from product-service's own istio-proxy container would not do: the
# sidecar's uid bypasses the outbound capture, so that call would be plain text, not a mesh call.)
check_forbidden_call() {
  needs kubectl || return 1
  local pod="vc-mesh-probe-$RUN_ID" out allowed
  remember_pod "$NAMESPACE" "$pod"
  if ! out="$(kubectl run "$pod" -n "$NAMESPACE" --image="$PROBE_IMAGE" --restart=Never \
      --overrides='{"apiVersion":"v1","spec":{"serviceAccountName":"product-service"}}' \
      --labels=app=verify-cluster-probe --command -- sleep 600 2>&1)"; then
    DETAIL="could not start a probe pod in $NAMESPACE: $(brief "$out")"
    forget_pod "$NAMESPACE" "$pod"
    return 1
  fi
  if ! out="$(kubectl wait -n "$NAMESPACE" --for=condition=Ready "pod/$pod" --timeout=120s 2>&1)"; then
    DETAIL="the probe pod never became ready: $(brief "$out")"
    forget_pod "$NAMESPACE" "$pod"
    return 1
  fi
  out="$(kubectl exec -n "$NAMESPACE" "$pod" -c "$pod" -- \
    curl -sS --max-time 5 -w '\n%{http_code}' "http://auth-service/.well-known/jwks.json" 2>&1)" || true
  split_response "$out"
  allowed="$STATUS"
  out="$(kubectl exec -n "$NAMESPACE" "$pod" -c "$pod" -- \
    curl -sS --max-time 5 -X POST -H 'Content-Type: application/json' -d '{}' -w '\n%{http_code}' \
    "http://auth-service/internal/service-tokens" 2>&1)" || true
  split_response "$out"
  forget_pod "$NAMESPACE" "$pod"
  if [ "$allowed" != 200 ]; then
    DETAIL="as product-service, the allowed GET auth-service/.well-known/jwks.json answered $allowed: the probe is not in the mesh or policy denies too much"
    return 1
  fi
  if [ "$STATUS" != 403 ] || [[ "$BODY" != *"RBAC: access denied"* ]]; then
    DETAIL="as product-service, POST auth-service/internal/service-tokens answered $STATUS, not 403 RBAC: $(brief "$BODY")"
    return 1
  fi
  DETAIL="as product-service: GET auth-service/.well-known/jwks.json 200, POST /internal/service-tokens 403 RBAC: access denied"
}

# the percentages of new requests the HTTP listeners of `istioctl proxy-config listeners ARGS` start a trace for,
# comma-separated and unique (0 for a listener that starts none); empty when no listener traces at all
listener_sampling() {
  local out
  out="$(istioctl proxy-config listeners "$@" -o json 2>&1)" || { printf '%s' "$(brief "$out")"; return 1; }
  # no match is no tracing, not a failure
  printf '%s' "$out" | tr -d ' \r\n\t' | { grep -o '"randomSampling":{[^}]*}' || true; } \
    | sed -e 's/^"randomSampling":{}$/0/' -e 's/.*"value":\([0-9.eE+-]*\).*/\1/' | sort -u | paste -sd, -
}

# the same number, whatever its spelling: 1, 1.0, 1e0
same_number() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 == b + 0) }'; }

check_sampling() {
  needs istioctl kubectl || return 1
  local ingress mesh fraction services=""
  if ! ingress="$(listener_sampling -n istio-system deployment/istio-ingressgateway)"; then
    DETAIL="istioctl proxy-config listeners -n istio-system deployment/istio-ingressgateway failed: $ingress"
    return 1
  fi
  if ! mesh="$(kubectl get telemetry default -n "$NAMESPACE" -o jsonpath='{.spec.tracing[0].randomSamplingPercentage}' 2>&1)"; then
    DETAIL="no Telemetry default in namespace $NAMESPACE ($(brief "$mesh")): kubectl apply -k istio"
    return 1
  fi
  mesh="${mesh:-0}"
  if [ -z "$ingress" ]; then
    DETAIL="the ingress gateway's listeners trace nothing: no tracing provider is enabled in the install profile"
    return 1
  fi
  case "$ingress" in
    *,*)
      DETAIL="the ingress gateway's listeners start traces at different rates ($ingress%)"
      return 1 ;;
  esac
  if ! same_number "$ingress" "$mesh"; then
    DETAIL="the ingress gateway starts a trace for $ingress% of requests, the namespace's Telemetry for $mesh%, and every service follows the ingress: a running ingress keeps the rate it started with; install the profile again and restart it (docs/deploy.md, section 11)"
    return 1
  fi
  # the services' own rate, for traces that start in them; without the tracing component they export nothing
  if fraction="$(kubectl get configmap tracing -n "$NAMESPACE" -o jsonpath='{.data.OTEL_TRACES_SAMPLER_ARG}' 2>/dev/null)" && [ -n "$fraction" ]; then
    if ! same_number "$(awk -v f="$fraction" 'BEGIN { print f * 100 }')" "$mesh"; then
      DETAIL="the services' OTEL_TRACES_SAMPLER_ARG is $fraction, the namespace's Telemetry samples $mesh%: set them alike (docs/tracing.md)"
      return 1
    fi
    services=" and the services' OTEL_TRACES_SAMPLER_ARG ($fraction)"
  else
    services="; the services export no spans (the tracing component is off)"
  fi
  DETAIL="the ingress gateway starts a trace for $ingress% of requests, as the namespace's Telemetry ($mesh%)$services"
}

# --- one request sent with trace ids chosen here, once: TRACE_ID, TRACE_REQUEST_ID ------------------------------
TRACED_STATE=""
send_traced_request() {
  case "$TRACED_STATE" in ok) return 0 ;; failed) DETAIL="$TRACED_ERROR"; return 1 ;; esac
  TRACED_STATE=failed
  if ! needs curl || ! resolve_ingress; then TRACED_ERROR="$DETAIL"; return 1; fi
  local span_id
  TRACE_ID="$(random_hex 16)"
  span_id="$(random_hex 8)"
  # A version-4 UUID: Envoy keeps its tracing decision in an x-request-id only of that form. The ingress
  # replaces the x-request-id of a request from outside (a load balancer's client), so x-client-trace-id
  # asks for the trace too: Envoy traces such a request at tracing.client_sampling, 100% by default.
  TRACE_REQUEST_ID="$(random_hex 16)"
  TRACE_REQUEST_ID="${TRACE_REQUEST_ID:0:8}-${TRACE_REQUEST_ID:8:4}-4${TRACE_REQUEST_ID:13:3}-8${TRACE_REQUEST_ID:17:3}-${TRACE_REQUEST_ID:20:12}"
  request GET "$INGRESS_URL/api/products?limit=1&q=verify-$RUN_ID" \
    -H "traceparent: 00-$TRACE_ID-$span_id-01" \
    -H "x-b3-traceid: $TRACE_ID" -H "x-b3-spanid: $span_id" -H "x-b3-sampled: 1" \
    -H "x-request-id: $TRACE_REQUEST_ID" -H "x-client-trace-id: $TRACE_REQUEST_ID"
  if [ "$STATUS" != 200 ]; then
    TRACED_ERROR="the traced GET /api/products answered $STATUS: $(brief "$BODY")"; DETAIL="$TRACED_ERROR"; return 1
  fi
  TRACED_STATE=ok
}

# --- the tracing backend, found once: TRACING_BASE ---------------------------------------------------------------
TRACING_STATE=""
resolve_tracing() {
  case "$TRACING_STATE" in ok) return 0 ;; failed) DETAIL="$TRACING_ERROR"; return 1 ;; esac
  TRACING_STATE=failed
  if ! addon_url "${TRACING_URL:-}" TRACING_URL tracing 80 ""; then TRACING_ERROR="$DETAIL"; return 1; fi
  TRACING_BASE="$ADDON_URL"
  TRACING_STATE=ok
}

# `await_trace ACCEPT PATH...` reads TRACE_ID from the backend at each PATH (the id appended) until the function
# ACCEPT, given the trace in BODY, returns 0; it asks every 3 s for VERIFY_TRACE_WAIT seconds. TRACE_SEEN says
# whether any answer held the trace (DETAIL is then ACCEPT's last reason).
await_trace() {
  local accept="$1" attempt attempts path
  shift
  TRACE_SEEN=no
  attempts=$(( TRACE_WAIT / 3 > 0 ? TRACE_WAIT / 3 : 1 ))
  for attempt in $(seq 1 "$attempts"); do
    for path in "$@"; do
      request GET "$TRACING_BASE$path$TRACE_ID"
      [ "$STATUS" = 200 ] || continue
      # Jaeger's {"data":[{"traceID":..,"spans":[..]}]} or Zipkin's [{"traceId":..}, ..]
      case "$BODY" in *'"spans":[{'* | '[{'*) TRACE_SEEN=yes ;; *) continue ;; esac
      if "$accept"; then return 0; fi
    done
    if [ "$attempt" -lt "$attempts" ]; then sleep 3; fi
  done
  return 1
}

# the serviceName of every process in BODY, sorted, comma-separated
trace_services() { printf '%s' "$BODY" | grep -o '"serviceName" *: *"[^"]*"' | sed 's/.*"\([^"]*\)"$/\1/' | sort -u | paste -sd, -; }

trace_has_namespace_span() {
  local spans services
  case "$BODY" in
    '[{'*) spans="$(printf '%s' "$BODY" | grep -o '"traceId"' | wc -l | tr -d ' ')" ;;
    *) spans="$(printf '%s' "$BODY" | grep -o '"operationName"' | wc -l | tr -d ' ')" ;;
  esac
  services="$(trace_services)"
  if [[ ",$services," != *".$NAMESPACE,"* ]]; then
    DETAIL="trace $TRACE_ID has no span from namespace $NAMESPACE (services: $services): its sidecars do not report"
    return 1
  fi
  DETAIL="trace $TRACE_ID: $spans spans from $services"
}

# One line per span of the Jaeger trace in BODY: its id, its parent's id (- for a root), the serviceName of its
# process and its operation, tab-separated. A sidecar reports as <workload>.<namespace>, a service's SDK as its
# OTEL_SERVICE_NAME (kubernetes/components/tracing: the app label).
jaeger_spans() {
  printf '%s' "$BODY" | tr -d '\n' | awk '
    function field(text, name,   value) {
      if (!match(text, "\"" name "\" *: *\"[^\"]*\"")) return ""
      value = substr(text, RSTART, RLENGTH); sub(/^[^:]*: *"/, "", value); sub(/"$/, "", value); return value
    }
    {
      rest = $0
      while (match(rest, /"[^"]+" *: *\{ *"serviceName" *: *"[^"]*"/)) {
        entry = substr(rest, RSTART, RLENGTH); rest = substr(rest, RSTART + RLENGTH)
        id = entry; sub(/^"/, "", id); sub(/".*/, "", id)
        service[id] = field(entry, "serviceName")
      }
      count = split($0, chunks, /\{ *"traceID" *: *"/)
      for (i = 2; i <= count; i++) {
        id = field(chunks[i], "spanID")
        if (id == "") continue
        parent = "-"
        if (match(chunks[i], /"references" *: *\[ *\{[^]]*"refType" *: *"CHILD_OF"[^]]*\]/)) parent = field(substr(chunks[i], RSTART, RLENGTH), "spanID")
        printf "%s\t%s\t%s\t%s\n", id, parent, service[field(chunks[i], "processID")], field(chunks[i], "operationName")
      }
    }'
}

# a span of a service's own SDK whose parent is a sidecar's span of the namespace: the two halves form one tree
trace_joins_service_spans() {
  local spans names found
  spans="$(jaeger_spans)"
  # a service's SDK names itself without a dot; the sidecars and the ingress as <workload>.<namespace>
  names="$(printf '%s\n' "$spans" | awk -F'\t' '$3 != "" && $3 !~ /\./ { print $3 }' | sort -u | paste -sd, -)"
  found="$(printf '%s\n' "$spans" | awk -F'\t' -v suffix=".$NAMESPACE" -v q="'" '
    { service[$1] = $3; parent[$1] = $2; operation[$1] = $4; order[++n] = $1 }
    END {
      for (i = 1; i <= n; i++) {
        id = order[i]; up = service[parent[id]]
        if (service[id] == "" || index(service[id], ".")) continue
        if (length(up) > length(suffix) && substr(up, length(up) - length(suffix) + 1) == suffix) {
          print service[id] " " q operation[id] q " is a child of a " up " span"; exit
        }
      }
    }')"
  if [ -z "$names" ]; then
    DETAIL="trace $TRACE_ID has spans from $(trace_services) but none from the services themselves: is kubernetes/components/tracing applied (ConfigMap tracing), and do the pods reach jaeger-collector.istio-system:4318?"
    return 1
  fi
  if [ -z "$found" ]; then
    DETAIL="trace $TRACE_ID has spans from the services ($names), none a child of a sidecar's span: the services did not continue the sidecars' traceparent"
    return 1
  fi
  DETAIL="trace $TRACE_ID: the services' spans ($names) in one tree with the sidecars'; $found"
}

check_trace() {
  needs kubectl curl || return 1
  send_traced_request || return 1
  resolve_tracing || return 1
  # Jaeger as Istio's add-on serves its API under /jaeger; Zipkin under /api/v2
  await_trace trace_has_namespace_span /jaeger/api/traces/ /api/traces/ /api/v2/trace/ && return 0
  [ "$TRACE_SEEN" = yes ] ||
    DETAIL="trace $TRACE_ID (sent sampled, x-request-id $TRACE_REQUEST_ID) not found at $TRACING_BASE after ${TRACE_WAIT}s: is a tracing provider enabled (the Telemetry resource in istio/ names one the mesh config defines)?"
  return 1
}

# The services export their own spans in batches (every 5 s), later than the sidecars: this waits for them.
check_service_spans() {
  needs kubectl curl || return 1
  send_traced_request || return 1
  resolve_tracing || return 1
  await_trace trace_joins_service_spans /jaeger/api/traces/ /api/traces/ && return 0
  [ "$TRACE_SEEN" = yes ] ||
    DETAIL="trace $TRACE_ID (x-request-id $TRACE_REQUEST_ID) not found in Jaeger's API at $TRACING_BASE after ${TRACE_WAIT}s (this row reads Jaeger's API only)"
  return 1
}

check_kiali() {
  needs kubectl curl || return 1
  local base auth=() errors warnings objects codes
  addon_url "${KIALI_URL:-}" KIALI_URL kiali 20001 /kiali || return 1
  base="$ADDON_URL"
  [ -z "${KIALI_TOKEN:-}" ] || auth=(-H "Authorization: Bearer $KIALI_TOKEN")
  request GET "$base/api/istio/validations?namespaces=$NAMESPACE" ${auth[@]+"${auth[@]}"}
  if [ "$STATUS" != 200 ]; then
    DETAIL="Kiali answered $STATUS to /api/istio/validations: $(brief "$BODY")"
    return 1
  fi
  # Kiali 2.x answers [{"namespace","cluster","errors","warnings","objectCount"}], 1.x {"<ns>":{...}}
  if [[ "$BODY" != *'"errors"'* ]]; then
    DETAIL="not a validation summary: $(brief "$BODY")"
    return 1
  fi
  errors="$(sum_field errors)" warnings="$(sum_field warnings)" objects="$(sum_field objectCount)"
  if [ "$objects" -eq 0 ]; then
    DETAIL="Kiali sees no Istio object in $NAMESPACE (kubectl apply -k istio; is the namespace in Kiali's discovery selectors?)"
    return 1
  fi
  if [ "$errors" -ne 0 ] || [ "$warnings" -ne 0 ]; then
    request GET "$base/api/istio/config?namespaces=$NAMESPACE&validate=true" ${auth[@]+"${auth[@]}"}
    codes="$(printf '%s' "$BODY" | grep -o '"code" *: *"KIA[0-9]*"' | grep -o 'KIA[0-9]*' | sort | uniq -c | awk '{ printf "%s%s x%s", sep, $2, $1; sep = ", " }')"
    DETAIL="$errors errors, $warnings warnings over $objects objects${codes:+ ($codes)}: Kiali, Istio Config, namespace $NAMESPACE"
    return 1
  fi
  DETAIL="0 errors, 0 warnings over $objects Istio objects"
}

# the sum of every "NAME": NUMBER in BODY
sum_field() { printf '%s' "$BODY" | grep -o "\"$1\" *: *[0-9]*" | grep -o '[0-9]*$' | awk '{ n += $1 } END { print n + 0 }'; }

# Flagger's objects for a Canary of product-service (istio/components/canary-product-service, docs/canary.md)
CANARY_OBJECTS="deployment/product-service-primary service/product-service service/product-service-primary service/product-service-canary destinationrule/product-service-primary destinationrule/product-service-canary virtualservice/product-service virtualservice/product-service-root"

check_canary() {
  needs kubectl || return 1
  local out phase weight missing ready
  if ! out="$(kubectl get canary product-service -n "$NAMESPACE" -o jsonpath='{.status.phase} {.status.canaryWeight}' 2>&1)"; then
    case "$out" in
      *NotFound* | *"doesn't have a resource type"*)
        DETAIL="no Canary product-service (or no Flagger): the canary component is off"
        return 2 ;;
    esac
    DETAIL="kubectl get canary failed: $(brief "$out")"
    return 1
  fi
  read -r phase weight <<<"$out"
  case "$phase" in
    Initialized | Succeeded) ;;
    Failed)
      DETAIL="Canary product-service is Failed: its last release was rolled back (kubectl -n $NAMESPACE describe canary product-service; docs/canary.md)"
      return 1 ;;
    *)
      DETAIL="Canary product-service is ${phase:-without a phase} (canary weight ${weight:-?}%): a release is under way or Flagger has not initialised it; check again when it has ended"
      return 1 ;;
  esac
  # everything Flagger makes and the root route, each by name: a missing one is named in the error
  out="$(kubectl get -n "$NAMESPACE" $CANARY_OBJECTS -o name 2>&1)" || true
  missing="$(printf '%s\n' "$out" | sed -n 's/.*(NotFound): \([a-z.]*\) "\([^"]*\)" not found.*/\1\/\2/p' | tr '\n' ' ')"
  if [ -n "$missing" ]; then
    DETAIL="Canary product-service is $phase, but missing: ${missing% }"
    return 1
  fi
  ready="$(kubectl get deployment product-service-primary -n "$NAMESPACE" -o jsonpath='{.status.readyReplicas}' 2>/dev/null)" || true
  if [ "${ready:-0}" -lt 1 ]; then
    DETAIL="Canary product-service is $phase, but product-service-primary has no ready pod"
    return 1
  fi
  DETAIL="Canary product-service $phase; product-service-primary $ready ready; Flagger's Services, DestinationRules and VirtualService and the root route exist"
}

# ================================ run them all, then print the table ===========================================

check_title() {
  case "$1" in
    tools) echo "the tools this script uses are installed" ;;
    pods) echo "every pod is ready with an istio-proxy sidecar" ;;
    kafka) echo "the Kafka cluster and its topics are Ready" ;;
    analyze) echo "istioctl analyze finds nothing" ;;
    login) echo "login and an authenticated call through the ingress" ;;
    forged-token) echo "a forged token is refused where a user is needed, ignored elsewhere" ;;
    ingress-internal) echo "/internal/** is not reachable from outside" ;;
    plaintext) echo "plain text from outside the mesh is refused" ;;
    forbidden-call) echo "a call policy forbids is refused with 403" ;;
    sampling) echo "the ingress samples new traces at the mesh's and the services' rate" ;;
    trace) echo "one request's trace is in the tracing backend" ;;
    service-spans) echo "the services' own spans join the sidecars' in that trace" ;;
    kiali) echo "Kiali validates the namespace clean" ;;
    canary) echo "Flagger's release of product-service is healthy" ;;
  esac
}

ROWS="$WORK/rows"
: >"$ROWS"
failed=0
for check in $CHECKS; do
  DETAIL=""
  rc=0
  case "$SKIP" in
    *",$check,"*) DETAIL="skipped (--skip $check)"; rc=2 ;;
    *) progress "$check: $(check_title "$check")"; "check_${check//-/_}" || rc=$? ;;
  esac
  case "$rc" in
    0) result=PASS ;;
    2) result=SKIP ;;
    *) result=FAIL; failed=$((failed + 1)) ;;
  esac
  printf '%s\t%s\t%s\t%s\n' "$check" "$result" "$(check_title "$check")" "$DETAIL" >>"$ROWS"
done

printf '%-17s %-6s %s\n' CHECK RESULT "PROMISE: DETAIL"
while IFS=$'\t' read -r check result title detail; do
  printf '%-17s %-6s %s: %s\n' "$check" "$result" "$title" "$detail"
done <"$ROWS"
if [ "$failed" -gt 0 ]; then
  printf '\n%s check(s) failed in namespace %s; docs/deploy.md, last section, says what to do.\n' "$failed" "$NAMESPACE"
  exit 1
fi
printf '\nEvery check passed or was skipped in namespace %s.\n' "$NAMESPACE"
