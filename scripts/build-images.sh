#!/usr/bin/env bash
# Builds the four service images and the load generator's (kubernetes/components/loadgen) from the repository
# root with the one Dockerfile there, the module named by --build-arg SERVICE (it builds with Maven inside the
# image, so nothing is needed here but Docker), and tags them <prefix>ms-<module>:<tag>.
#
#   scripts/build-images.sh                       # ms-gateway:1.0.0, ms-auth-service:1.0.0, ..., ms-loadgen:1.0.0
#   scripts/build-images.sh registry.example.com/shop/    # with a registry prefix (mind the slash)
#   scripts/build-images.sh "" --kind [cluster]   # and load them into a kind cluster (default: kind)
#   scripts/build-images.sh "" --minikube [profile]   # or into a minikube cluster (default profile: minikube)
#   eval "$(minikube docker-env)"; scripts/build-images.sh   # or build inside minikube's own Docker: no load
#   VARIANT=v2 scripts/build-images.sh "" --kind       # product-service's canary release: ms-product-service:2.0.0
#   VARIANT=v2-bad scripts/build-images.sh "" --kind   # a deliberately bad one: ms-product-service:2.0.0-bad
# TAG (default 1.0.0) and SERVICES (default all five) choose other tags and fewer images.
# VARIANT (default v1: the images as they are) v2 or v2-bad builds product-service's canary releases (docs/canary.md):
# the Dockerfile's stages product-service-v2 (products carry "availability") and product-service-v2-bad (the same,
# failing 20% of product requests and slowing all by 600 ms), tagged 2.0.0 and 2.0.0-bad unless TAG is set.
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."

PREFIX="${1:-}"
# the images the Kubernetes manifests use, the optional components' too (deploy-tests check that they match)
IMAGES=(ms-gateway ms-auth-service ms-product-service ms-order-service ms-loadgen)
VARIANT="${VARIANT:-v1}"
case "$VARIANT" in
  # the Dockerfile's plain image (also its last stage)
  v1) TARGET=image; TAG="${TAG:-1.0.0}"; ALL="gateway auth-service product-service order-service loadgen" ;;
  # v2 -> 2.0.0, v2-bad -> 2.0.0-bad
  v2 | v2-bad) TARGET="product-service-$VARIANT"; TAG="${TAG:-2.0.0${VARIANT#v2}}"; ALL=product-service ;;
  *) echo "error: unknown VARIANT=$VARIANT; use v1, v2 or v2-bad" >&2; exit 1 ;;
esac
read -r -a SERVICES <<< "${SERVICES:-$ALL}"
for service in "${SERVICES[@]}"; do
  [[ " ${IMAGES[*]} " == *" ms-$service "* ]] || { echo "error: no image for SERVICES entry $service" >&2; exit 1; }
done
if [[ "$VARIANT" != v1 && "${SERVICES[*]}" != product-service ]]; then
  echo "error: VARIANT=$VARIANT is a release of product-service only; leave SERVICES unset" >&2
  exit 1
fi

command -v docker >/dev/null || { echo "error: docker is needed to build images" >&2; exit 1; }
case "${2:-}" in
  --kind | --minikube) command -v "${2#--}" >/dev/null || { echo "error: ${2#--} is not installed" >&2; exit 1; } ;;
  "") ;;
  *) echo "error: unknown option ${2}; use --kind [cluster] or --minikube [profile]" >&2; exit 1 ;;
esac

for service in "${SERVICES[@]}"; do
  image="${PREFIX}ms-${service}:${TAG}"
  echo "building $image" >&2
  docker build --build-arg SERVICE="$service" --target "$TARGET" -t "$image" .
done

# the cluster's nodes do not pull from this machine's Docker: load the images into them
case "${2:-}" in
  --kind)
    cluster="${3:-kind}"
    for service in "${SERVICES[@]}"; do
      kind load docker-image "${PREFIX}ms-${service}:${TAG}" --name "$cluster"
    done
    ;;
  --minikube)
    profile="${3:-minikube}"
    for service in "${SERVICES[@]}"; do
      minikube image load "${PREFIX}ms-${service}:${TAG}" --profile "$profile"
    done
    ;;
esac
built=("${SERVICES[@]/#/${PREFIX}ms-}")
echo "built: ${built[*]/%/:$TAG}" >&2
