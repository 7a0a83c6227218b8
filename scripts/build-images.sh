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
#   TAG=2.0.0 SERVICES=product-service scripts/build-images.sh   # e.g. the canary's v2
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."

PREFIX="${1:-}"
TAG="${TAG:-1.0.0}"
# the images the Kubernetes manifests use, the optional components' too (deploy-tests check that they match)
IMAGES=(ms-gateway ms-auth-service ms-product-service ms-order-service ms-loadgen)
read -r -a SERVICES <<< "${SERVICES:-gateway auth-service product-service order-service loadgen}"

command -v docker >/dev/null || { echo "error: docker is needed to build images" >&2; exit 1; }
case "${2:-}" in
  --kind | --minikube) command -v "${2#--}" >/dev/null || { echo "error: ${2#--} is not installed" >&2; exit 1; } ;;
  "") ;;
  *) echo "error: unknown option ${2}; use --kind [cluster] or --minikube [profile]" >&2; exit 1 ;;
esac

for service in "${SERVICES[@]}"; do
  image="${PREFIX}ms-${service}:${TAG}"
  echo "building $image" >&2
  docker build --build-arg SERVICE="$service" -t "$image" .
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
echo "built: ${IMAGES[*]/%/:$TAG}" >&2
