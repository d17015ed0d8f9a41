package org.jftrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TracingOptionsTest {

    private static TracingOptions options(List<String> include, List<String> filters) {
        TracingOptions o = new TracingOptions();
        o.include.addAll(include);
        o.filters.addAll(filters);
        return o;
    }

    @Test
    void aFilterNamingJdkFunctionsWithoutAnIncludeOfTheirPackageGetsANoteNamingTheInclude() {
        assertThat(options(List.of("com.acme.*"), List.of("com.acme.* java.util.HashMap.put*")).jdkFilterNote())
                .isEqualTo("jftrace: note: 'java.util.HashMap.put*' names JDK functions, which get sites only from an"
                        + " include naming their package (e.g. --include 'java.util.*')");
    }

    @Test
    void noNoteWhenAnIncludeNamesAJdkPackageOrNoFilterNamesTheJdk() {
        assertThat(options(List.of("java.util.*"), List.of("java.util.HashMap.put*")).jdkFilterNote()).isNull();
        assertThat(options(List.of(), List.of("com.acme.*")).jdkFilterNote()).isNull();
    }
}
