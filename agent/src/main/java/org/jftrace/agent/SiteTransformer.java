package org.jftrace.agent;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.net.URL;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jftrace.ftrace.FtraceLog;
import org.jftrace.ftrace.NotraceList;
import org.jftrace.ftrace.Trampoline;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodTooLargeException;

/**
 * The class-file transformer: plants sites in every class the {@link ClassSelector} selects.
 *
 * <p>It never makes a class fail to load: anything that goes wrong leaves the class unchanged and
 * records the reason in {@link #skipped()}. A method that the sites would push over the JVM's 64 KiB
 * code limit keeps its original code, and the rest of its class gets sites.
 */
final class SiteTransformer implements ClassFileTransformer, ClassSelector.Refusals {

    private final Instrumentation inst;
    private final ClassSelector selector;
    private final boolean check;
    private final Map<String, String> skipped = new ConcurrentHashMap<>();
    private final Map<ClassLoader, Boolean> loaderSeesRuntime = new WeakHashMap<>();
    private final Set<Module> modulesReading = ConcurrentHashMap.newKeySet();
    final AtomicLong classesInstrumented = new AtomicLong();
    final AtomicLong methodsWithSites = new AtomicLong();
    /** Of {@link #methodsWithSites}, those of JDK classes. */
    final AtomicLong jdkMethodsWithSites = new AtomicLong();
    final AtomicLong methodsWithout = new AtomicLong();
    /** JDK intrinsic candidates left without sites. */
    final AtomicLong intrinsics = new AtomicLong();
    /** JDK classes an include named but the notrace list refused: class name (dotted) to reason. */
    private final Map<String, String> notraced = new ConcurrentHashMap<>();

    SiteTransformer(Instrumentation inst, ClassSelector selector, boolean check) {
        this.inst = inst;
        this.selector = selector;
        this.check = check;
    }

    /** Records a JDK class an include named but the notrace list refused. */
    @Override
    public void refused(String className, String reason) {
        notraced.put(className, reason);
    }

    /** JDK classes an include named but the notrace list refused, with the reason. */
    Map<String, String> notraced() {
        return notraced;
    }

    /** Classes left unchanged, with the reason: class name (dotted) to reason. */
    Map<String, String> skipped() {
        return skipped;
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String className, Class<?> redefined,
                            ProtectionDomain pd, byte[] bytes) {
        return transform(module, loader, className, redefined, pd, bytes, null);
    }

    /** As {@link #transform(Module, ClassLoader, String, Class, ProtectionDomain, byte[])}, with the class's key. */
    byte[] transform(Module module, ClassLoader loader, String className, Class<?> redefined,
                     ProtectionDomain pd, byte[] bytes, ClassKey key) {
        if (className == null) {
            return null;
        }
        boolean jdk = NotraceList.isJdk(loader, className);
        // The selecting transformer chose a JDK class from an include that names its package; the
        // notrace list is checked again here, as the last word.
        if (jdk ? NotraceList.reason(className) != null || className.startsWith("com/sun/proxy/")
                : !selector.selects(loader, className)) {
            return null;
        }
        try {
            if (!seesRuntime(loader)) {
                skip(className, CANNOT_SEE_RUNTIME);
                return null;
            }
            if (module != null && module.isNamed() && modulesReading.add(module)) {
                // A named module reads only what it requires; let it read the boot loader's unnamed
                // module, where the runtime the sites link to lives.
                inst.redefineModule(module, Set.of(Trampoline.class.getModule()), Map.of(), Map.of(), Set.of(), Map.of());
            }
            if (jdk && redefined != null) {
                bytes = ImageClassFile.withFrames(module, className, bytes); // see there: the JVM may have dropped its frames
            }
            return instrument(module, loader, className, pd, bytes, key, jdk);
        } catch (Throwable t) {
            skip(className, t.toString());
            return null;
        }
    }

    private byte[] instrument(Module module, ClassLoader loader, String className, ProtectionDomain pd, byte[] bytes,
                              ClassKey key, boolean jdk) {
        ClassReader cr = new ClassReader(bytes);
        boolean legacy = cr.readUnsignedShort(6) < 51;
        String mod = moduleName(module, pd);
        Set<String> skipMethods = new HashSet<>();
        for (int attempt = 0; ; attempt++) {
            ClassWriter cw = new ClassWriter(cr, ClassWriter.COMPUTE_MAXS);
            ClassSites cs = new ClassSites(cw, loader, mod, skipMethods, check, key, jdk);
            cr.accept(cs, legacy ? ClassReader.SKIP_FRAMES : ClassReader.EXPAND_FRAMES);
            try {
                byte[] out = cw.toByteArray();
                classesInstrumented.incrementAndGet();
                methodsWithSites.addAndGet(cs.methodsWithSites);
                if (jdk) {
                    jdkMethodsWithSites.addAndGet(cs.methodsWithSites);
                }
                methodsWithout.addAndGet(cs.methodsWithout);
                intrinsics.addAndGet(cs.intrinsics);
                StringBuilder why = new StringBuilder();
                if (!skipMethods.isEmpty()) {
                    why.append("methods too large for sites (kept unchanged): ").append(skipMethods);
                }
                if (!cs.failedCheck.isEmpty()) {
                    why.append(why.length() == 0 ? "" : "; ").append("methods that failed the site check (kept unchanged): ")
                            .append(String.join("; ", cs.failedCheck));
                    // Never expected: say so where it is seen, as well as in the report.
                    FtraceLog.warn(className.replace('/', '.') + ": " + cs.failedCheck.size()
                            + " method(s) failed the site check and keep their code without sites (see the report)");
                }
                if (why.length() > 0) {
                    skip(className, why.toString());
                }
                return out;
            } catch (MethodTooLargeException e) {
                if (attempt > 16) {
                    throw e;
                }
                skipMethods.add(e.getMethodName() + e.getDescriptor());
            }
        }
    }

    static final String CANNOT_SEE_RUNTIME = "its class loader does not delegate org.jftrace to the boot class path";

    void skip(String internalName, String reason) {
        skipped.put(internalName.replace('/', '.'), reason);
    }

    boolean seesRuntime(ClassLoader loader) {
        if (loader == null) {
            return true;
        }
        synchronized (loaderSeesRuntime) {
            Boolean b = loaderSeesRuntime.get(loader);
            if (b != null) {
                return b;
            }
        }
        boolean sees;
        try {
            sees = Class.forName(Trampoline.class.getName(), false, loader) == Trampoline.class;
        } catch (Throwable t) {
            sees = false;
        }
        synchronized (loaderSeesRuntime) {
            loaderSeesRuntime.put(loader, sees);
        }
        return sees;
    }

    /** The function's module for {@code mod:}: the module name, else the jar's base name. */
    static String moduleName(Module module, ProtectionDomain pd) {
        if (module != null && module.isNamed()) {
            return module.getName();
        }
        CodeSource cs = pd == null ? null : pd.getCodeSource();
        URL url = cs == null ? null : cs.getLocation();
        if (url == null) {
            return "";
        }
        String path = url.getPath();
        if (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        String base = path.substring(path.lastIndexOf('/') + 1);
        return base.endsWith(".jar") ? base.substring(0, base.length() - 4) : base;
    }
}
