package org.jftrace.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;
import org.junit.jupiter.api.Test;

class ParameterNamesTest {

    @SuppressWarnings("unused")
    static int statik(long wide, String name, double d, int[] a) {
        int later = 1; // a local after the parameters: not a parameter
        return later;
    }

    @SuppressWarnings("unused")
    int instance(int count, Object item) {
        return count;
    }

    @SuppressWarnings("unused")
    void none() {
    }

    static MethodNode method(String name) throws Exception {
        ClassNode c = new ClassNode();
        try (InputStream in = ParameterNamesTest.class.getResourceAsStream("ParameterNamesTest.class")) {
            new ClassReader(in).accept(c, 0);
        }
        return c.methods.stream().filter(m -> m.name.equals(name)).findFirst().orElseThrow();
    }

    @Test
    void namesComeFromTheLocalVariableTableCountingWideSlotsAndSkippingTheReceiver() throws Exception {
        assertThat(ParameterNames.of(method("statik"))).isEqualTo("wide,name,d,a");
        assertThat(ParameterNames.of(method("instance"))).isEqualTo("count,item");
    }

    @Test
    void aMethodWithoutParametersOrWithoutDebugInformationHasNoNames() throws Exception {
        assertThat(ParameterNames.of(method("none"))).isNull();
        MethodNode stripped = method("instance");
        stripped.localVariables = null;
        stripped.parameters = null;
        assertThat(ParameterNames.of(stripped)).isNull();
    }
}
