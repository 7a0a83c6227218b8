package io.example.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import static io.example.deploy.MeshChecks.map;
import static io.example.deploy.MeshChecks.stream;

/**
 * What Flagger makes from a {@code Canary} (provider istio) when it initialises it, so the mesh checks see the release
 * as the cluster runs it: the primary Deployment and HPA, the apex, primary and canary Services, the primary and canary
 * DestinationRules and the VirtualService, with the names, labels, selectors and specs Flagger 1.44.0 gives them
 * ({@code pkg/canary/deployment_controller.go} createPrimaryDeployment and {@code util.go} makePrimaryLabels,
 * {@code pkg/router/kubernetes_default.go} reconcileService, {@code pkg/router/istio.go} reconcileDestinationRule and
 * reconcileVirtualService; docs/gitbook/usage/how-it-works.md). The VirtualService is modelled at rest: the primary
 * 100, the canary 0; an analysis changes only the weights.
 * <p>
 * Two simplifications, neither of which changes what a check sees: Flagger's config tracking gives the primary its
 * own copies of the ConfigMaps and Secrets the target uses ({@code <name>-primary}, the same data), the model keeps
 * the references to the originals; and Flagger sets the primary's replicas once when it creates it, after which the
 * primary HPA owns the count, so the model states none, as the Deployments of our manifests do.
 */
final class FlaggerOperands {
    static final String KIND = "Canary";
    /**
     * The pod label Flagger gives a {@code -primary} value: the first of its default {@code -selector-labels} found in
     * the target's selector.
     */
    static final List<String> SELECTOR_LABELS = List.of("app", "name", "app.kubernetes.io/name");
    /**
     * The Deployment labels Flagger copies to the primary: {@code -include-label-prefix} as docs/canary.md installs
     * Flagger ({@code includeLabelPrefix=app\,version}); the pod template's labels are always all copied.
     */
    static final List<String> INCLUDED_LABEL_PREFIXES = List.of("app", "version");

    private FlaggerOperands() {
    }

    /**
     * @param manifests rendered objects
     * @return the objects Flagger would make for each Canary among them whose target is among them
     */
    static List<Manifest> of(List<Manifest> manifests) {
        List<Manifest> made = new ArrayList<>();
        for (Manifest canary : canaries(manifests)) {
            Optional<Manifest> target = target(canary, manifests);
            if (target.isEmpty()) {
                continue;
            }
            String label = selectorLabel(target.get());
            String value = target.get().spec().path("selector").path("matchLabels").path(label).asText();
            made.add(primaryDeployment(target.get(), label, value + "-primary"));
            autoscaler(canary, manifests).ifPresent(hpa -> made.add(primaryAutoscaler(hpa, target.get())));
            Names names = Names.of(canary);
            made.add(service(canary, names.apex(), label, value + "-primary"));
            made.add(service(canary, names.primary(), label, value + "-primary"));
            made.add(service(canary, names.canary(), label, value));
            made.add(destinationRule(canary, names.canary()));
            made.add(destinationRule(canary, names.primary()));
            made.add(virtualService(canary, names));
        }
        return made;
    }

    /**
     * The names Flagger gives the Services (and hosts) of a Canary: the apex ({@code spec.service.name}, else the
     * target's name), {@code <apex>-primary} and {@code <apex>-canary}.
     *
     * @param apex    the apex Service and VirtualService
     * @param primary the primary's Service and DestinationRule
     * @param canary  the canary's Service and DestinationRule
     */
    record Names(String apex, String primary, String canary) {
        static Names of(Manifest canary) {
            String apex = canary.spec().path("service").path("name").asText(canary.spec().path("targetRef").path("name").asText());
            return new Names(apex, apex + "-primary", apex + "-canary");
        }
    }

    static List<Manifest> canaries(List<Manifest> manifests) {
        return manifests.stream().filter(m -> FlaggerSchema.isFlagger(m) && m.is(KIND)).toList();
    }

    /**
     * @param canary    a Canary
     * @param manifests rendered objects
     * @return the Deployment it releases
     */
    static Optional<Manifest> target(Manifest canary, List<Manifest> manifests) {
        return named(manifests, canary.spec().path("targetRef"), canary.namespace());
    }

    /**
     * @param canary a Canary
     * @return the name of the primary Deployment Flagger makes from its target
     */
    static String primaryName(Manifest canary) {
        return canary.spec().path("targetRef").path("name").asText() + "-primary";
    }

    private static Optional<Manifest> autoscaler(Manifest canary, List<Manifest> manifests) {
        return canary.spec().has("autoscalerRef")
                ? named(manifests, canary.spec().path("autoscalerRef"), canary.namespace()) : Optional.empty();
    }

    private static Optional<Manifest> named(List<Manifest> manifests, JsonNode ref, String namespace) {
        return manifests.stream().filter(m -> m.is(ref.path("kind").asText()) && m.name().equals(ref.path("name").asText())
                && m.namespace().equals(namespace)).findFirst();
    }

    private static String selectorLabel(Manifest target) {
        JsonNode selector = target.spec().path("selector").path("matchLabels");
        return SELECTOR_LABELS.stream().filter(selector::has).findFirst()
                .orElseThrow(() -> new IllegalStateException(target + ": spec.selector.matchLabels must contain one of " + SELECTOR_LABELS));
    }

    private static Manifest primaryDeployment(Manifest target, String label, String primaryValue) {
        ObjectNode primary = target.json().deepCopy();
        ObjectNode meta = primary.putObject("metadata").put("name", target.name() + "-primary").put("namespace", target.namespace());
        Map<String, String> labels = new LinkedHashMap<>();
        map(target.json().path("metadata").path("labels")).forEach((k, v) -> {
            if (INCLUDED_LABEL_PREFIXES.stream().anyMatch(k::startsWith)) {
                labels.put(k, v);
            }
        });
        labels.put(label, primaryValue);
        meta.set("labels", Kustomize.YAML.valueToTree(labels));
        ObjectNode spec = (ObjectNode) primary.get("spec");
        spec.remove("replicas");
        spec.putObject("selector").putObject("matchLabels").put(label, primaryValue);
        ((ObjectNode) spec.at("/template/metadata/labels")).put(label, primaryValue);
        return new Manifest(primary);
    }

    private static Manifest primaryAutoscaler(Manifest hpa, Manifest target) {
        ObjectNode primary = hpa.json().deepCopy();
        ObjectNode meta = (ObjectNode) primary.get("metadata");
        meta.put("name", hpa.name() + "-primary");
        ((ObjectNode) primary.at("/spec/scaleTargetRef")).put("name", target.name() + "-primary");
        return new Manifest(primary);
    }

    private static Manifest service(Manifest canary, String name, String label, String podSelector) {
        JsonNode service = canary.spec().path("service");
        ObjectNode svc = Kustomize.YAML.createObjectNode();
        svc.put("apiVersion", "v1").put("kind", "Service");
        svc.putObject("metadata").put("name", name).put("namespace", canary.namespace()).putObject("labels").put(label, name);
        ObjectNode spec = svc.putObject("spec").put("type", "ClusterIP");
        spec.putObject("selector").put(label, podSelector);
        ObjectNode port = spec.putArray("ports").addObject()
                .put("name", service.path("portName").asText("http")).put("protocol", "TCP").put("port", service.path("port").asInt());
        port.set("targetPort", service.has("targetPort") ? service.get("targetPort").deepCopy() : service.get("port").deepCopy());
        return new Manifest(svc);
    }

    private static Manifest destinationRule(Manifest canary, String host) {
        ObjectNode dr = istio("DestinationRule", host, canary);
        ObjectNode spec = dr.putObject("spec").put("host", host);
        if (canary.spec().path("service").has("trafficPolicy")) {
            spec.set("trafficPolicy", canary.spec().path("service").get("trafficPolicy").deepCopy());
        }
        return new Manifest(dr);
    }

    private static Manifest virtualService(Manifest canary, Names names) {
        JsonNode service = canary.spec().path("service");
        ObjectNode vs = istio("VirtualService", names.apex(), canary);
        ObjectNode spec = vs.putObject("spec");
        if (!service.path("delegation").asBoolean()) {
            ArrayNode hosts = spec.putArray("hosts");
            service.path("hosts").forEach(hosts::add);
            if (stream(hosts).noneMatch(h -> h.asText().equals(names.apex()) || h.asText().equals("*"))) {
                hosts.add(names.apex());
            }
            ArrayNode gateways = spec.putArray("gateways");
            service.path("gateways").forEach(gateways::add);
            if (gateways.isEmpty()) {
                gateways.add("mesh");
            }
        }
        ArrayNode http = spec.putArray("http");
        JsonNode abMatch = canary.spec().path("analysis").path("match");
        if (!abMatch.isEmpty()) {
            // A/B testing: the matched requests' route first (the canary's once an iteration runs), then everyone's
            ObjectNode matched = route(http, service, names, true);
            matched.set("match", abMatch.deepCopy());
        }
        route(http, service, names, abMatch.isEmpty());
        return new Manifest(vs);
    }

    private static ObjectNode route(ArrayNode http, JsonNode service, Names names, boolean withCanary) {
        ObjectNode route = http.addObject();
        for (String field : List.of("match", "rewrite", "timeout", "retries", "corsPolicy", "headers")) {
            if (service.has(field)) {
                route.set(field, service.get(field).deepCopy());
            }
        }
        ArrayNode destinations = route.putArray("route");
        destinations.addObject().put("weight", 100).putObject("destination").put("host", names.primary());
        if (withCanary) {
            destinations.addObject().put("weight", 0).putObject("destination").put("host", names.canary());
        }
        return route;
    }

    private static ObjectNode istio(String kind, String name, Manifest canary) {
        ObjectNode object = Kustomize.YAML.createObjectNode();
        object.put("apiVersion", "networking.istio.io/v1beta1").put("kind", kind);
        object.putObject("metadata").put("name", name).put("namespace", canary.namespace());
        return object;
    }
}
