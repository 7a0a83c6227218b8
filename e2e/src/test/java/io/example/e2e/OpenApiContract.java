package io.example.e2e;

import java.net.http.HttpResponse;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import io.example.commons.testing.TestHttp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;

/**
 * One service's OpenAPI document, as the running service serves it, and the check every e2e response must
 * pass: its status is documented for the operation (an error status may fall to {@code default}), its
 * content type is one the document gives for that status, and its body validates against the schema. A
 * request the document does not describe (an unknown path, another method) must be refused with a 4xx
 * problem.
 */
final class OpenApiContract implements TestHttp.ResponseCheck {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROBLEM_TYPE = "application/problem+json";
    private static final String PROBLEM_SCHEMA = "#/components/schemas/Problem";
    private static final Pattern PARAMETER = Pattern.compile("\\{[^}/]+}");

    private final String service;
    private final OpenAPI document;
    private final JsonNode json;
    private final String documentUri;
    private final SchemaRegistry registry;
    private final Map<String, Schema> schemas = new ConcurrentHashMap<>();
    private final Map<String, Pattern> templates = new ConcurrentHashMap<>();

    /**
     * @param service name of the service that serves the document
     * @param json    the document as JSON
     */
    OpenApiContract(String service, String json) {
        this.service = service;
        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(json, null, new ParseOptions());
        if (parsed.getOpenAPI() == null || !parsed.getMessages().isEmpty()) {
            throw new IllegalStateException(service + " serves an invalid OpenAPI document: " + parsed.getMessages());
        }
        this.document = parsed.getOpenAPI();
        try {
            this.json = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(service + " serves an OpenAPI document that is not JSON", e);
        }
        this.documentUri = "https://contract.example/" + service + "/openapi.json";
        this.registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
                                                          builder -> builder.schemas(Map.of(documentUri, json)));
        document.getPaths().keySet().forEach(template -> templates.put(template, regex(template)));
    }

    /**
     * @return the parsed document
     */
    OpenAPI document() {
        return document;
    }

    /**
     * @return the document as JSON, as served
     */
    JsonNode json() {
        return json;
    }

    @Override
    public void check(HttpResponse<String> response) {
        String method = response.request().method();
        String path = response.request().uri().getRawPath();
        List<String> problems = problems(method, path, response.statusCode(),
                                         response.headers().firstValue("Content-Type").orElse(""), response.body());
        if (!problems.isEmpty()) {
            throw new AssertionError(service + " answered " + method + " " + path + " with " + response.statusCode()
                                     + " outside its OpenAPI document:\n  " + String.join("\n  ", problems)
                                     + "\n  body: " + abbreviated(response.body()));
        }
    }

    /**
     * @param method      request method
     * @param path        raw request path
     * @param status      response status
     * @param contentType response {@code Content-Type} ("" when none)
     * @param body        response body
     * @return how the response departs from the document; empty when it conforms
     */
    List<String> problems(String method, String path, int status, String contentType, String body) {
        Optional<String> template = template(path);
        // a HEAD the document does not name is its path's GET without the body (RFC 9110 9.3.2), as served
        String documentedAs = "HEAD".equals(method) && operation(template, method) == null ? "GET" : method;
        Operation operation = operation(template, documentedAs);
        if (operation == null) {
            if (status < 400 || status >= 500) {
                return List.of(method + " " + path + " is not in the document, yet answered " + status + " (not a 4xx)");
            }
            return "HEAD".equals(method) ? List.of() : body(PROBLEM_SCHEMA, Map.of(PROBLEM_TYPE, ""), contentType, body);
        }
        String pointer = "#/paths/" + escaped(template.get()) + "/" + documentedAs.toLowerCase(Locale.ROOT) + "/responses/";
        ApiResponse documented = operation.getResponses().get(Integer.toString(status));
        if (documented != null) {
            pointer += status;
        } else if (status >= 400 && operation.getResponses().getDefault() != null) {
            documented = operation.getResponses().getDefault();
            pointer += "default";
        } else {
            return List.of("status " + status + " is not documented for " + method + " " + template.get());
        }
        if (documented.get$ref() != null) {
            pointer = documented.get$ref();
            documented = document.getComponents().getResponses().get(pointer.substring(pointer.lastIndexOf('/') + 1));
        }
        Content content = documented.getContent();
        if (content == null || content.isEmpty()) {
            return body.isEmpty() ? List.of() : List.of("documented without a body, but has one");
        }
        if ("HEAD".equals(method)) {
            return List.of();
        }
        return body(pointer + "/content/", content, contentType, body);
    }

    private Operation operation(Optional<String> template, String method) {
        return template
                .map(t -> document.getPaths().get(t).readOperationsMap().get(PathItem.HttpMethod.valueOf(method)))
                .orElse(null);
    }

    private List<String> body(String schemaPointer, Map<String, ?> mediaTypes, String contentType, String body) {
        String mediaType = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (!mediaTypes.containsKey(mediaType)) {
            return List.of("Content-Type '" + contentType + "' is not one of " + mediaTypes.keySet());
        }
        String pointer = schemaPointer.endsWith("/content/") ? schemaPointer + escaped(mediaType) + "/schema" : schemaPointer;
        JsonNode instance;
        if (mediaType.equals("application/json") || mediaType.endsWith("+json")) {
            try {
                instance = JSON.readTree(body);
            } catch (JsonProcessingException e) {
                return List.of("the body is not JSON: " + e.getOriginalMessage());
            }
        } else {
            instance = TextNode.valueOf(body);
        }
        Schema schema = schemas.computeIfAbsent(pointer, p -> registry.getSchema(SchemaLocation.of(documentUri + p)));
        return schema.validate(instance).stream().map(error -> error.toString() + " (schema " + pointer + ")").toList();
    }

    // a literal segment beats a parameter: /api/products/categories is not /api/products/{id}
    private Optional<String> template(String path) {
        return templates.entrySet().stream()
                .filter(entry -> entry.getValue().matcher(path).matches())
                .map(Map.Entry::getKey)
                .min(Comparator.comparingLong(template -> PARAMETER.matcher(template).results().count()));
    }

    private static Pattern regex(String template) {
        StringBuilder regex = new StringBuilder();
        int last = 0;
        var parameters = PARAMETER.matcher(template);
        while (parameters.find()) {
            regex.append(Pattern.quote(template.substring(last, parameters.start()))).append("[^/]+");
            last = parameters.end();
        }
        return Pattern.compile(regex.append(Pattern.quote(template.substring(last))).toString());
    }

    // a JSON pointer token (RFC 6901) inside a URI fragment
    private static String escaped(String token) {
        return token.replace("~", "~0").replace("/", "~1").replace("{", "%7B").replace("}", "%7D");
    }

    private static String abbreviated(String body) {
        return body.length() <= 500 ? body : body.substring(0, 500) + "...";
    }
}
