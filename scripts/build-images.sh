#!/usr/bin/env bash
# Builds the four service images from the repository root with the one Dockerfile there, the module named
# by --build-arg SERVICE (it builds with Maven inside the image, so nothing is needed here but Docker), and
# tags them <prefix>ms-<service>:<tag>.
#
#   scripts/build-images.sh                       # ms-gateway:1.0.0, ms-auth-service:1.0.0, ...
#   scripts/build-images.sh registry.example.com/shop/    # with a registry prefix (mind the slash)
#   scripts/build-images.sh "" --kind [cluster]   # and load them into a kind cluster (default: kind)
#   TAG=2.0.0 SERVICES=product-service scripts/build-images.sh   # e.g. the canary's v2
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."

PREFIX="${1:-}"
TAG="${TAG:-1.0.0}"
# the images the Kubernetes manifests use (deploy-tests check that they match)
IMAGES=(ms-gateway ms-auth-service ms-product-service ms-order-service)
read -r -a SERVICES <<< "${SERVICES:-gateway auth-service product-service order-service}"

command -v docker >/dev/null || { echo "error: docker is needed to build images" >&2; exit 1; }

for service in "${SERVICES[@]}"; do
  image="${PREFIX}ms-${service}:${TAG}"
  echo "building $image" >&2
  docker build --build-arg SERVICE="$service" -t "$image" .
done

if [[ "${2:-}" == "--kind" ]]; then
  cluster="${3:-kind}"
  for service in "${SERVICES[@]}"; do
    kind load docker-image "${PREFIX}ms-${service}:${TAG}" --name "$cluster"
  done
fi
echo "built: ${IMAGES[*]/%/:$TAG}" >&2
