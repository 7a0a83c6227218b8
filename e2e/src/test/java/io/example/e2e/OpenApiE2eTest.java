package io.example.e2e;

import java.net.http.HttpResponse;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import io.example.commons.server.ServiceServer;
import io.example.commons.testing.TestHttp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenAPI documents as the running services serve them: valid 3.1, the gateway's complete and in step
 * with the backends' (one shape per name), and the check every e2e response passes (see
 * {@link OpenApiContract}) catching a response that drifts from its document.
 */
class OpenApiE2eTest {
    private static final List<String> BACKENDS = List.of("auth-service", "product-service", "order-service");
    // composed by the gateway itself, not proxied
    private static final Set<String> GATEWAY_OWN = Set.of("GET /api/overview");
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options", "trace");

    private final ServiceStack stack = ServiceStack.get();

    @ParameterizedTest
    @ValueSource(strings = {"gateway", "auth-service", "product-service", "order-service"})
    void everyServiceServesItsOwnValidOpenApi31Document(String service) {
        OpenApiContract contract = stack.contract(service);

        assertThat(contract.document().getOpenapi()).isEqualTo("3.1.0");
        assertThat(contract.document().getInfo().getTitle()).isEqualTo(service);
        // and as YAML by default, held to its own document like every other answer
        HttpResponse<String> yaml = stack.http(service).get(ServiceServer.OPENAPI_PATH);
        assertThat(yaml.body()).startsWith("openapi: 3.1.0");
    }

    @Test
    void theGatewayAnswersOpenApiItselfWithoutCallingABackend() {
        String requestId = "e2e-openapi-" + UUID.randomUUID();
        TestHttp gateway = stack.http("gateway");

        HttpResponse<String> document = gateway.send(gateway.request(ServiceServer.OPENAPI_PATH).header("X-Request-Id", requestId));

        assertThat(document.statusCode()).isEqualTo(200);
        assertThat(document.body()).contains("title: gateway");
        assertThat(stack.eventuallyLogged("gateway", "GET /openapi 200")).isTrue();
        for (String backend : BACKENDS) {
            assertThat(stack.log(backend)).doesNotContain(requestId);
        }
    }

    @Test
    void theGatewayDocumentsEveryBackendOperationUnderApiWithTheBackendsShapes() {
        JsonNode gateway = stack.contract("gateway").json();
        List<String> problems = new ArrayList<>();
        Set<String> proxied = new LinkedHashSet<>();
        for (String backend : BACKENDS) {
            JsonNode document = stack.contract(backend).json();
            Set<String> references = new LinkedHashSet<>();
            document.get("paths").properties().forEach(path -> {
                if (!path.getKey().startsWith("/api/")) {
                    return;
                }
                path.getValue().properties().forEach(operation -> {
                    if (!METHODS.contains(operation.getKey())) {
                        // shared by the path's operations, e.g. its path parameters
                        if (!operation.getValue().equals(gateway.path("paths").path(path.getKey()).path(operation.getKey()))) {
                            problems.add(path.getKey() + "'s " + operation.getKey() + " differ between " + backend
                                         + "'s document and the gateway's");
                        }
                        collectReferences(operation.getValue(), references);
                        return;
                    }
                    String name = operation.getKey().toUpperCase() + " " + path.getKey();
                    proxied.add(name);
                    JsonNode ours = gateway.path("paths").path(path.getKey()).path(operation.getKey());
                    if (ours.isMissingNode()) {
                        problems.add(backend + "'s " + name + " is not in the gateway's document");
                        return;
                    }
                    compareOperation(backend, name, operation.getValue(), ours, problems);
                    collectReferences(operation.getValue(), references);
                });
            });
            compareComponents(backend, document, gateway, references, problems);
        }
        gateway.get("paths").properties().forEach(path -> path.getValue().properties().forEach(operation -> {
            if (!METHODS.contains(operation.getKey())) {
                return;
            }
            String name = operation.getKey().toUpperCase() + " " + path.getKey();
            if (path.getKey().startsWith("/api/") && !proxied.contains(name) && !GATEWAY_OWN.contains(name)) {
                problems.add("the gateway documents " + name + ", which no backend serves");
            }
        }));

        assertThat(problems).isEmpty();
    }

    @Test
    void theCheckRefusesAnAnswerThatDriftsFromItsDocument() {
        OpenApiContract gateway = stack.contract("gateway");
        HttpResponse<String> product = stack.http("gateway").get("/api/products?limit=1");
        ObjectNode page = (ObjectNode) readJson(product.body());
        ((ObjectNode) page.get("items").get(0)).remove("price");
        ObjectNode renamed = (ObjectNode) readJson(product.body());
        ObjectNode renamedItem = (ObjectNode) renamed.get("items").get(0);
        renamedItem.set("cost", renamedItem.remove("price"));

        assertThat(gateway.problems("GET", "/api/products", 200, "application/json", product.body())).isEmpty();
        assertThat(gateway.problems("GET", "/api/products", 200, "application/json", page.toString()))
                .singleElement().asString().contains("price");
        assertThat(gateway.problems("GET", "/api/products", 200, "application/json", renamed.toString())).isNotEmpty();
        assertThat(gateway.problems("GET", "/api/products", 200, "text/html", product.body())).isNotEmpty();
        assertThat(gateway.problems("POST", "/api/products", 200, "application/json", "{}"))
                .singleElement().asString().contains("status 200 is not documented");
        assertThat(gateway.problems("GET", "/api/no-such-thing", 200, "application/json", "{}")).isNotEmpty();
        assertThat(gateway.problems("GET", "/api/no-such-thing", 404, "application/json", "{}")).isNotEmpty();
        assertThat(gateway.problems("DELETE", "/api/products/x", 204, "", "")).isEmpty();
        assertThat(gateway.problems("DELETE", "/api/products/x", 204, "application/json", "{}")).isNotEmpty();
    }

    private static void compareOperation(String backend, String name, JsonNode theirs, JsonNode ours, List<String> problems) {
        ObjectNode theirsWithoutResponses = ((ObjectNode) theirs.deepCopy()).without("responses");
        ObjectNode oursWithoutResponses = ((ObjectNode) ours.deepCopy()).without("responses");
        if (!theirsWithoutResponses.equals(oursWithoutResponses)) {
            problems.add(name + " differs between " + backend + "'s document and the gateway's (besides responses)");
        }
        // the gateway may add answers of its own (304 on cached reads); it keeps every backend answer as it is
        theirs.get("responses").properties().forEach(response -> {
            if (!response.getValue().equals(ours.path("responses").path(response.getKey()))) {
                problems.add(name + " answers " + response.getKey() + " differently in " + backend
                             + "'s document and the gateway's");
            }
        });
    }

    // every component a proxied operation refers to, directly or through other components, is the same in both
    private static void compareComponents(String backend, JsonNode theirs, JsonNode ours, Set<String> references,
                                          List<String> problems) {
        Deque<String> pending = new ArrayDeque<>(references);
        Set<String> seen = new LinkedHashSet<>();
        while (!pending.isEmpty()) {
            String reference = pending.pop();
            if (!seen.add(reference)) {
                continue;
            }
            String pointer = reference.substring(1);
            JsonNode component = theirs.at(pointer);
            if (!component.equals(ours.at(pointer))) {
                problems.add(reference + " differs between " + backend + "'s document and the gateway's");
            }
            Set<String> nested = new LinkedHashSet<>();
            collectReferences(component, nested);
            pending.addAll(nested);
        }
    }

    private static void collectReferences(JsonNode node, Set<String> references) {
        if (node.has("$ref")) {
            references.add(node.get("$ref").asText());
        }
        node.forEach(child -> collectReferences(child, references));
    }

    private static JsonNode readJson(String json) {
        try {
            return new ObjectMapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
