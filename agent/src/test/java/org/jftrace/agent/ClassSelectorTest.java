package org.jftrace.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.jftrace.filter.FilterException;
import org.junit.jupiter.api.Test;

class ClassSelectorTest {

    static final ClassLoader APP = ClassSelectorTest.class.getClassLoader();

    @Test
    void byDefaultSelectsApplicationClassesButNotTheJdkNorJftrace() {
        ClassSelector s = new ClassSelector(List.of(), List.of());
        assertThat(s.selects(APP, "com/acme/Foo")).isTrue();
        assertThat(s.selects(APP, "javax/servlet/Filter")).isTrue(); // an application jar, not the JDK
        assertThat(s.selects(null, "com/acme/Foo")).isFalse(); // boot loader
        assertThat(s.selects(ClassLoader.getPlatformClassLoader(), "java/sql/Date")).isFalse();
        assertThat(s.selects(APP, "jdk/internal/reflect/GeneratedMethodAccessor1")).isFalse();
        assertThat(s.selects(APP, "jdk/proxy1/$Proxy7")).isFalse();
        assertThat(s.selects(APP, "sun/reflect/GeneratedSerializationConstructorAccessor1")).isFalse();
        assertThat(s.selects(APP, "org/jftrace/examples/X")).isFalse();
        assertThat(s.selects(APP, "com/acme/package-info")).isFalse();
    }

    @Test
    void includeAndExcludeGlobsUseDottedNames() {
        ClassSelector s = new ClassSelector(List.of("com.acme.*", "org.x.Y"), List.of("*Test", "com.acme.gen.*"));
        assertThat(s.selects(APP, "com/acme/Foo")).isTrue();
        assertThat(s.selects(APP, "com/acme/sub/Bar")).isTrue();
        assertThat(s.selects(APP, "org/x/Y")).isTrue();
        assertThat(s.selects(APP, "org/x/Z")).isFalse();
        assertThat(s.selects(APP, "com/acme/FooTest")).isFalse();
        assertThat(s.selects(APP, "com/acme/gen/G")).isFalse();
    }

    @Test
    void badGlobIsRejectedNamingIt() {
        assertThatThrownBy(() -> new ClassSelector(List.of("com.[acme"), List.of()))
                .isInstanceOf(FilterException.class).hasMessageContaining("com.[acme");
    }
}
