package de.amtsbote.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoadOptionsTest {

    @Test
    void quickIsTheDefault() {
        LoadOptions o = LoadOptions.parse();
        assertThat(o.mode()).isEqualTo("quick");
        assertThat(o.clients()).containsExactly(1, 4);
        assertThat(o.nodes()).containsExactly(1, 2);
        assertThat(o.channels()).containsExactly(Channel.LOOPBACK, Channel.SMIME);
        assertThat(o.databases()).containsExactly("h2", "postgres");
        assertThat(o.charts()).isEqualTo(Path.of("bench/results/charts"));
        assertThat(o.profile()).isFalse();
    }

    @Test
    void fullSetsLongerStepsMoreClientsAndTheReportsChartFolder() {
        LoadOptions o = LoadOptions.parse("--full");
        assertThat(o.mode()).isEqualTo("full");
        assertThat(o.clients()).containsExactly(1, 2, 4, 8, 16, 32);
        assertThat(o.nodes()).containsExactly(1, 2, 3);
        assertThat(o.stepSeconds()).isGreaterThan(LoadOptions.parse("--quick").stepSeconds());
        assertThat(o.charts()).isEqualTo(Path.of("docs/benchmarks"));
    }

    @Test
    void explicitValuesOverrideTheModesDefaults() {
        LoadOptions o = LoadOptions.parse("--full", "--clients", "2, 8", "--step-seconds", "3", "--channels", "smime",
                "--databases", "h2", "--nodes", "", "--profile", "--gateway-jar", "/tmp/g.jar");
        assertThat(o.clients()).containsExactly(2, 8);
        assertThat(o.maxClients()).isEqualTo(8);
        assertThat(o.stepSeconds()).isEqualTo(3);
        assertThat(o.channels()).containsExactly(Channel.SMIME);
        assertThat(o.databases()).containsExactly("h2");
        assertThat(o.nodes()).isEmpty();
        assertThat(o.profile()).isTrue();
        assertThat(o.gatewayJar()).isEqualTo(Path.of("/tmp/g.jar"));
    }

    @Test
    void refusesUnknownOptionsAndMissingValues() {
        assertThatThrownBy(() -> LoadOptions.parse("--clinets", "4")).hasMessageContaining("unknown option --clinets");
        assertThatThrownBy(() -> LoadOptions.parse("--clients")).hasMessageContaining("needs a value");
        assertThatThrownBy(() -> LoadOptions.parse("fast")).hasMessageContaining("unexpected argument");
    }

    @Test
    void refusesValuesOutOfRange() {
        assertThatThrownBy(() -> LoadOptions.parse("--clients", "0")).hasMessageContaining("--clients");
        assertThatThrownBy(() -> LoadOptions.parse("--nodes", "4")).hasMessageContaining("--nodes");
        assertThatThrownBy(() -> LoadOptions.parse("--channels", "fax")).hasMessageContaining("unknown channel");
        assertThatThrownBy(() -> LoadOptions.parse("--postgres", "maybe")).hasMessageContaining("--postgres");
        assertThatThrownBy(() -> LoadOptions.parse("--clients", "a,b")).hasMessageContaining("not a list of numbers");
    }

    @Test
    void theNodeComparisonNeedsPostgres() {
        assertThatThrownBy(() -> LoadOptions.parse("--databases", "h2")).hasMessageContaining("needs --databases");
        assertThat(LoadOptions.parse("--databases", "h2", "--nodes", "").nodes()).isEmpty();
    }

    @Test
    void settingsGoIntoTheResultsAsPlainValues() {
        assertThat(LoadOptions.parse("--channels", "smime").asMap())
                .containsEntry("mode", "quick").containsEntry("channels", List.of("smime"));
    }
}
