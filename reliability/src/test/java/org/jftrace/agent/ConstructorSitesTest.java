package org.jftrace.agent;

import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.jar.JarFile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;

/**
 * Found by CorpusIT (and fixed): 25 of the corpus' 22,300 classes were left without sites
 * because planting the sites of one of their constructors threw. Two shapes:
 * <ul>
 *   <li>a constructor with a try/catch after {@code super(...)}: AdviceAdapter restores its
 *       "before super()" stack simulation at the handler label, then MethodSites' exit site at a
 *       {@code return} goes through {@code AdviceAdapter.visitInvokeDynamicInsn}, which pops the
 *       values that {@code loadThis()}/{@code loadLocal()} pushed past the simulation:
 *       IndexOutOfBoundsException "Index -1 out of bounds for length 0";</li>
 *   <li>a Kotlin constructor whose uninitialized {@code this} passes through locals before
 *       {@code super(...)} (an inlined argument): AdviceAdapter never sees the super call, so
 *       onMethodEnter never runs, the token local stays -1, and the exit site's
 *       {@code loadLocal(-1)} throws "Index -5 out of bounds for length 9".</li>
 * </ul>
 * MethodSites now writes its own instructions straight to the next visitor, and plants no exits in a
 * constructor whose entry could not be planted. This test keeps both shapes instrumentable.
 */
class ConstructorSitesTest {

    @ParameterizedTest(name = "{1}")
    @CsvSource({
        "guava-33.3.1-jre.jar, com.google.common.base.FinalizableReferenceQueue",
        "log4j-core-2.24.3.jar, org.apache.logging.log4j.core.LoggerContext",
        "h2-2.3.232.jar, org.h2.mvstore.MVStore",
        "okio-jvm-3.9.1.jar, okio.HashingSink",
    })
    void everyConstructorGetsSites(String jar, String className) throws Exception {
        byte[] original;
        try (JarFile jf = new JarFile(Path.of("target/corpus", jar).toFile());
             InputStream in = jf.getInputStream(jf.getJarEntry(className.replace('.', '/') + ".class"))) {
            original = in.readAllBytes();
        }
        assertThatCode(() -> {
            ClassReader cr = new ClassReader(original);
            ClassWriter cw = new ClassWriter(cr, ClassWriter.COMPUTE_MAXS);
            cr.accept(new ClassSites(cw, null, "corpus", new HashSet<>(), true), ClassReader.EXPAND_FRAMES);
            cw.toByteArray();
        }).doesNotThrowAnyException();
    }
}
