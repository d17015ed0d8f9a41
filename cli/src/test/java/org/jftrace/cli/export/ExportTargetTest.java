package org.jftrace.cli.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ExportTargetTest {

    @Test
    void aUrlWithoutPathGetsTheProtocolsUsualOne() {
        assertThat(ExportTarget.parse("otlp=http://collector:4318").endpoint).hasToString("http://collector:4318/v1/traces");
        assertThat(ExportTarget.parse("zipkin=http://127.0.0.1:9411/").endpoint).hasToString("http://127.0.0.1:9411/api/v2/spans");
        assertThat(ExportTarget.parse("ZIPKIN=https://z.example:443/custom/spans").endpoint)
                .hasToString("https://z.example:443/custom/spans");
        assertThat(ExportTarget.parse("otlp=http://c:4318").protocol).isEqualTo(ExportTarget.Protocol.OTLP);
    }

    @Test
    void aBadValueIsOneLineNamingTheBadToken() {
        assertThatThrownBy(() -> ExportTarget.parse("foo=http://x")).hasMessage("--export: unknown scheme 'foo' (known: otlp, zipkin)");
        assertThatThrownBy(() -> ExportTarget.parse("otlp=not a url")).hasMessageStartingWith("--export otlp: bad URL 'not a url'");
        assertThatThrownBy(() -> ExportTarget.parse("otlp=localhost:4318")).hasMessageContaining("bad URL 'localhost:4318'");
        assertThatThrownBy(() -> ExportTarget.parse("http://x")).hasMessageContaining("expected SCHEME=URL");
        assertThatThrownBy(() -> ExportTarget.parse("=http://x")).hasMessageContaining("expected SCHEME=URL");
        assertThatThrownBy(() -> ExportTarget.parse("otlp-grpc=http://x:4317")).hasMessageContaining("gRPC is not supported");
    }

    @Test
    void exportNeedsFunctionGraphAndTheMonoClock() {
        ExportOptions o = new ExportOptions();
        o.values = List.of("zipkin=http://z:9411");
        assertThat(o.targets("function_graph", null)).hasSize(1);
        assertThat(o.targets("function_graph", "mono")).hasSize(1);
        assertThatThrownBy(() -> o.targets("function", null)).hasMessageContaining("needs the function_graph tracer");
        assertThatThrownBy(() -> o.targets("function_graph", "counter")).hasMessageContaining("needs the mono clock");
        assertThat(new ExportOptions().targets("function", "counter")).isEmpty();
    }
}
