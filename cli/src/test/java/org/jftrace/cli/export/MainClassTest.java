package org.jftrace.cli.export;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MainClassTest {

    @Test
    void theMainClassIsTheFirstWordThatIsNeitherAnOptionNorItsValue() {
        assertThat(MainClass.of("/usr/bin/java -Xmx1g -cp a.jar:b.jar -Dx=y com.acme.Main --port 80")).isEqualTo("com.acme.Main");
        assertThat(MainClass.of("java --add-opens java.base/java.lang=ALL-UNNAMED -classpath x Main")).isEqualTo("Main");
        assertThat(MainClass.of("java -XX:+UseG1GC -jar /opt/app/shop-1.2.jar serve")).isEqualTo("shop-1.2");
        assertThat(MainClass.of("java -p mods -m com.acme/com.acme.Main")).isEqualTo("com.acme.Main");
        assertThat(MainClass.of("java -version")).isEqualTo("java");
        assertThat(MainClass.of("")).isEqualTo("java");
    }
}
