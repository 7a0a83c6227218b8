package io.example.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The alerting and recording rules of {@code monitoring/rules}: valid for Prometheus (promtool), each alert
 * proven by promtool's unit tests to fire when it should and to stay quiet otherwise, labelled and linked to its
 * runbook, and shipped unchanged both as the Prometheus Operator's PrometheusRule and in the ConfigMaps of
 * Istio's add-ons.
 */
class MonitoringRulesTest {
    private static final Path OPERATIONS = Kustomize.root().resolve("docs/operations.md");
    private static final Set<String> SEVERITIES = Set.of("page", "ticket");

    @Test
    void promtoolFindsTheRuleFilesValid() {
        List<String> args = new ArrayList<>(List.of("check", "rules"));
        Monitoring.ruleFiles().forEach(file -> args.add(file.getFileName().toString()));

        Monitoring.Result result = Monitoring.promtool(args.toArray(String[]::new));

        assertThat(result.exitCode()).as(result.output()).isZero();
    }

    @Test
    void promtoolsUnitTestsOfEveryAlertPass() {
        List<String> args = new ArrayList<>(List.of("test", "rules"));
        Monitoring.ruleTests().forEach(file -> args.add("tests/" + file.getFileName()));

        Monitoring.Result result = Monitoring.promtool(args.toArray(String[]::new));

        assertThat(result.exitCode()).as(result.output()).isZero();
    }

    @Test
    void everyAlertHasAFiringAndAQuietCase() {
        Set<String> firing = new HashSet<>();
        Set<String> quiet = new HashSet<>();
        for (Path test : Monitoring.ruleTests()) {
            for (JsonNode testCase : Monitoring.yaml(test).path("tests")) {
                for (JsonNode check : testCase.path("alert_rule_test")) {
                    String alert = check.path("alertname").asText();
                    (check.path("exp_alerts").isEmpty() ? quiet : firing).add(alert);
                }
            }
        }
        List<String> alerts = Monitoring.rules().stream().filter(Monitoring.Rule::isAlert).map(Monitoring.Rule::name).toList();
        assertThat(alerts).hasSizeGreaterThanOrEqualTo(12);
        assertThat(firing).as("alerts with a case where they fire").containsAll(alerts);
        assertThat(quiet).as("alerts with a case where they stay quiet").containsAll(alerts);
    }

    @Test
    void everyAlertIsAPageOrATicketAndLinksItsRunbook() throws IOException {
        String operations = Files.readString(OPERATIONS);

        for (Monitoring.Rule rule : Monitoring.rules()) {
            if (!rule.isAlert()) {
                continue;
            }
            String alert = rule.name();
            assertThat(rule.rule().path("labels").path("severity").asText()).as(alert).isIn(SEVERITIES);
            assertThat(rule.rule().path("annotations").path("summary").asText()).as(alert).isNotBlank();
            assertThat(rule.rule().path("annotations").path("runbook_url").asText()).as(alert)
                    .isEqualTo("docs/operations.md#" + alert.toLowerCase());
            // GitHub's anchor of a heading is its text in lower case
            assertThat(operations).as("docs/operations.md heading of " + alert).containsPattern("(?m)^### " + alert + "$");
        }
    }

    @Test
    void thePrometheusRuleHoldsExactlyTheRuleFilesGroups() {
        JsonNode rule = Monitoring.yaml(Monitoring.ROOT.resolve("prometheus-operator/prometheusrule.yaml"));
        List<JsonNode> groups = new ArrayList<>();
        Monitoring.ruleFiles().forEach(file -> Monitoring.yaml(file).path("groups").forEach(groups::add));

        assertThat(rule.path("kind").asText()).isEqualTo("PrometheusRule");
        assertThat(rule.path("apiVersion").asText()).isEqualTo("monitoring.coreos.com/v1");
        assertThat(rule.path("spec").path("groups")).as("run monitoring/prometheus-operator/generate.sh")
                .containsExactlyElementsOf(groups);
    }

    @Test
    void theAddOnsConfigMapsCarryEveryRuleFileAndDashboardAsTheyAre() throws IOException {
        List<Manifest> rendered = Kustomize.render("monitoring");
        Manifest prometheus = configMap(rendered, "prometheus");
        Manifest grafana = configMap(rendered, "istio-services-grafana-dashboards");

        assertThat(prometheus.namespace()).isEqualTo("istio-system");
        assertThat(grafana.namespace()).isEqualTo("istio-system");
        // the keys Istio's add-on Prometheus lists in rule_files
        assertThat(Map.of("recording_rules.yml", prometheus.json().path("data").path("recording_rules.yml").asText(),
                          "alerting_rules.yml", prometheus.json().path("data").path("alerting_rules.yml").asText(),
                          "alerts", prometheus.json().path("data").path("alerts").asText()))
                .isEqualTo(Map.of("recording_rules.yml", Files.readString(Monitoring.ruleFiles().get(0)),
                                  "alerting_rules.yml", Files.readString(Monitoring.ruleFiles().get(1)),
                                  "alerts", Files.readString(Monitoring.ruleFiles().get(2))));
        for (Path dashboard : Monitoring.dashboards()) {
            String key = dashboard.getFileName().toString();
            assertThat(grafana.json().path("data").path(key).asText()).as(key).isEqualTo(Files.readString(dashboard));
        }
        assertThat(grafana.json().path("data").size()).isEqualTo(Monitoring.dashboards().size());
    }

    private static Manifest configMap(List<Manifest> rendered, String name) {
        return rendered.stream().filter(m -> m.is("ConfigMap") && m.name().equals(name)).findFirst().orElseThrow();
    }
}
