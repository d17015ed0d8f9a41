package org.jftrace.agent;

import java.util.ArrayList;
import java.util.List;
import org.jftrace.filter.Glob;

/**
 * Which classes get sites: the agent's {@code include} and {@code exclude} globs over dotted class
 * names. By default every class outside the JDK and jftrace itself.
 *
 * <p>Classes of the boot and platform loaders (the JDK) are never instrumented by this version: the
 * trampoline itself runs on them, and tracing them would recurse.
 */
final class ClassSelector {

    private static final ClassLoader PLATFORM = ClassLoader.getPlatformClassLoader();

    private final List<Glob> include = new ArrayList<>();
    private final List<Glob> exclude = new ArrayList<>();

    ClassSelector(List<String> includes, List<String> excludes) {
        for (String s : includes) {
            include.add(Glob.compile(s));
        }
        for (String s : excludes) {
            exclude.add(Glob.compile(s));
        }
    }

    /**
     * Whether the classes selected get their sites as they load (an {@code include} was given), or
     * only once a filter selects one of their functions (the default, every class outside the JDK).
     */
    boolean eager() {
        return !include.isEmpty();
    }

    boolean selects(ClassLoader loader, String internalName) {
        if (loader == null || loader == PLATFORM) {
            return false;
        }
        // JDK packages defined by other loaders are still the JDK: reflection's generated accessors
        // (jdk.internal.reflect.GeneratedMethodAccessor*, in a DelegatingClassLoader), proxies.
        if (internalName.startsWith("org/jftrace/") || internalName.startsWith("java/")
                || internalName.startsWith("jdk/") || internalName.startsWith("sun/")
                || internalName.startsWith("com/sun/proxy/") || internalName.equals("module-info")
                || internalName.endsWith("/package-info")) {
            return false;
        }
        String name = internalName.replace('/', '.');
        if (!include.isEmpty()) {
            boolean in = false;
            for (Glob g : include) {
                if (g.matches(name)) {
                    in = true;
                    break;
                }
            }
            if (!in) {
                return false;
            }
        }
        for (Glob g : exclude) {
            if (g.matches(name)) {
                return false;
            }
        }
        return true;
    }
}
