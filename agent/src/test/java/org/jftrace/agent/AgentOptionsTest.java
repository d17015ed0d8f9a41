package org.jftrace.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AgentOptionsTest {

    @Test
    void listKeysRepeatAndValueKeysTakeOneValue() {
        AgentOptions o = AgentOptions.parse("include=com.acme.*,include=org.x.*,tracer=function,verbose");
        assertThat(o.list("include")).containsExactly("com.acme.*", "org.x.*");
        assertThat(o.get("tracer", "nop")).isEqualTo("function");
        assertThat(o.get("output", "none")).isEqualTo("none");
        assertThat(o.has("verbose")).isTrue();
        assertThat(o.get("verbose", null)).isEqualTo("true");
    }

    @Test
    void emptyOrMissingOptionsMeanDefaults() {
        assertThat(AgentOptions.parse(null).list("include")).isEmpty();
        assertThat(AgentOptions.parse("").has("tracer")).isFalse();
        assertThat(AgentOptions.parse(",,").has("tracer")).isFalse();
    }

    @Test
    void checkIsZeroOrOneAndABadValueIsNamed() {
        assertThat(Agent.checkSites(AgentOptions.parse("check=1"))).isTrue();
        assertThat(Agent.checkSites(AgentOptions.parse("check=0"))).isFalse();
        assertThatThrownBy(() -> Agent.checkSites(AgentOptions.parse("check=yes")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("agent option check: 'yes' is not 0 or 1");
    }

    @Test
    void unknownKeyIsNamed() {
        assertThatThrownBy(() -> AgentOptions.parse("tracer=function,tarcer=x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("unknown agent option 'tarcer'");
    }

    @Test
    void singleValueKeyGivenTwiceIsAnError() {
        assertThatThrownBy(() -> AgentOptions.parse("tracer=function,tracer=nop"))
                .hasMessage("agent option 'tracer' given twice");
    }

    @Test
    void warmupTakesANumberOfSitesDefaultsToNoneWithoutAnIncludeAndNamesABadOne() {
        assertThat(Agent.warmupSites(AgentOptions.parse(""))).isZero(); // sites planted on demand: nothing to warm
        assertThat(Agent.warmupSites(AgentOptions.parse("include=com.acme.*"))).isEqualTo(Agent.WARMUP_SITES);
        assertThat(Agent.warmupSites(AgentOptions.parse("warmup=0"))).isZero();
        assertThat(Agent.warmupSites(AgentOptions.parse("warmup=500"))).isEqualTo(500);
        assertThatThrownBy(() -> Agent.warmupSites(AgentOptions.parse("warmup=lots")))
                .hasMessage("agent option warmup: 'lots' is not a number of sites from 0 to 1000000");
        assertThatThrownBy(() -> Agent.warmupSites(AgentOptions.parse("warmup=-1"))).hasMessageContaining("'-1'");
    }
}
