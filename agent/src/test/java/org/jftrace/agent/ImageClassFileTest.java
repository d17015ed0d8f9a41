package org.jftrace.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * A JDK class the JVM rebuilt without its stack map frames (as HotSpot does for a retransformation of
 * a class it parsed from the runtime image) is planted from the image's class file, and every method
 * then passes the site check.
 */
class ImageClassFileTest {

    static final Module BASE = Object.class.getModule();
    static final String QUEUE = "java/util/AbstractQueue";

    static byte[] image(String internalName) throws IOException {
        try (InputStream in = BASE.getResourceAsStream(internalName + ".class")) {
            return in.readAllBytes();
        }
    }

    /** The class file as the JVM rebuilds it for a class whose frames it dropped: the same code, no frames. */
    static byte[] withoutFrames(byte[] b, ClassVisitorFactory change) {
        ClassWriter cw = new ClassWriter(0);
        new ClassReader(b).accept(change.wrap(cw), ClassReader.SKIP_FRAMES);
        return cw.toByteArray();
    }

    interface ClassVisitorFactory {
        ClassVisitor wrap(ClassVisitor cv);
    }

    /** The methods of a JDK class that fail the site check once planted. */
    static List<String> failingTheCheck(byte[] b) {
        ClassSites cs = new ClassSites(new ClassWriter(ClassWriter.COMPUTE_MAXS), null, "java.base", new HashSet<>(),
                true, null, true);
        new ClassReader(b).accept(cs, ClassReader.EXPAND_FRAMES);
        return cs.failedCheck;
    }

    @Test
    void aJdkClassRebuiltWithoutFramesIsPlantedFromTheImageAndPassesTheSiteCheck() throws IOException {
        byte[] image = image(QUEUE);
        byte[] rebuilt = withoutFrames(image, cv -> cv);
        assertThat(ImageClassFile.lacksFrames(new ClassReader(rebuilt))).isTrue();
        // Planted as they come, the methods that branch fail the check: frames only where the sites add code.
        assertThat(failingTheCheck(rebuilt)).isNotEmpty()
                .allMatch(why -> why.contains("no stack map frame at a branch target"));

        byte[] taken = ImageClassFile.withFrames(BASE, QUEUE, rebuilt);
        assertThat(taken).isEqualTo(image);
        assertThat(failingTheCheck(taken)).isEmpty();
    }

    @Test
    void aClassFileWithItsFramesIsLeftAsItIs() throws IOException {
        byte[] image = image(QUEUE);
        assertThat(ImageClassFile.lacksFrames(new ClassReader(image))).isFalse();
        assertThat(ImageClassFile.withFrames(BASE, QUEUE, image)).isSameAs(image);
    }

    @Test
    void aClassWhoseCodeDiffersFromTheImagesKeepsItsOwnClassFile() throws IOException {
        // Another agent's change (here: one more instruction in add) must not be undone by ours.
        byte[] changed = withoutFrames(image(QUEUE), cv -> new ClassVisitor(Opcodes.ASM9, cv) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String desc, String signature, String[] exceptions) {
                MethodVisitor mv = super.visitMethod(access, name, desc, signature, exceptions);
                return !name.equals("add") ? mv : new MethodVisitor(Opcodes.ASM9, mv) {
                    @Override
                    public void visitCode() {
                        super.visitCode();
                        super.visitInsn(Opcodes.NOP);
                    }
                };
            }
        });
        assertThat(ImageClassFile.withFrames(BASE, QUEUE, changed)).isSameAs(changed);
    }

    @Test
    void aClassTheImageDoesNotHoldKeepsItsOwnClassFile() throws IOException {
        byte[] rebuilt = withoutFrames(image(QUEUE), cv -> cv);
        assertThat(ImageClassFile.withFrames(BASE, "java/util/NoSuchClassAnywhere", rebuilt)).isSameAs(rebuilt);
        assertThat(ImageClassFile.withFrames(null, QUEUE, rebuilt)).isSameAs(rebuilt);
    }
}
