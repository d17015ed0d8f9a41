package org.jftrace.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Set;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.util.CheckClassAdapter;

/**
 * Test support: loads classes with sites planted by the real transformer code path, in a loader of
 * their own (the runtime is on the test class path, which stands in for the boot class path here).
 */
final class Instrumented extends ClassLoader {

    private final Set<String> names;

    Instrumented(String... names) {
        super(Instrumented.class.getClassLoader());
        this.names = Set.of(names);
    }

    static byte[] transform(byte[] original, ClassLoader loader) {
        ClassReader cr = new ClassReader(original);
        boolean legacy = cr.readUnsignedShort(6) < 51;
        ClassWriter cw = new ClassWriter(cr, ClassWriter.COMPUTE_MAXS);
        cr.accept(new ClassSites(cw, loader, "fixture", Set.of(), true), legacy ? ClassReader.SKIP_FRAMES : ClassReader.EXPAND_FRAMES);
        byte[] out = cw.toByteArray();
        StringWriter problems = new StringWriter();
        CheckClassAdapter.verify(new ClassReader(out), Instrumented.class.getClassLoader(), false, new PrintWriter(problems));
        if (!problems.toString().isEmpty()) {
            throw new AssertionError("instrumented class does not verify:\n" + problems);
        }
        return out;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (!names.contains(name)) {
            return super.loadClass(name, resolve);
        }
        synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null) {
                try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
                    byte[] b = transform(in.readAllBytes(), this);
                    c = defineClass(name, b, 0, b.length);
                } catch (IOException e) {
                    throw new ClassNotFoundException(name, e);
                }
            }
            return c;
        }
    }
}
