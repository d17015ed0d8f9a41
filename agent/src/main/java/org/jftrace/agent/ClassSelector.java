package org.jftrace.agent;

import java.util.ArrayList;
import java.util.List;
import org.jftrace.filter.Glob;
import org.jftrace.ftrace.NotraceList;

/**
 * Which classes get sites: the agent's {@code include} and {@code exclude} globs over dotted class
 * names. By default every class outside the JDK and jftrace itself.
 *
 * <p>JDK classes (the boot and platform loaders', and JDK packages) get sites only from an
 * {@code include} glob that names a JDK package ({@code java.util.*}: see
 * {@link NotraceList#namesJdk}), and never those on the {@link NotraceList}: those are handed to
 * {@link #refused}, for the report.
 */
final class ClassSelector {

    /** Told of each JDK class an include names but the notrace list refuses: (dotted name, reason). */
    interface Refusals {
        void refused(String className, String reason);
    }

    private final List<Glob> include = new ArrayList<>();
    private final List<Glob> includeJdk = new ArrayList<>();
    private final List<Glob> exclude = new ArrayList<>();
    private volatile Refusals refused;

    /** @throws IllegalArgumentException for an include that can select only classes that never get sites */
    ClassSelector(List<String> includes, List<String> excludes) {
        for (String s : includes) {
            String why = NotraceList.coveringReason(s);
            if (why != null) {
                throw new IllegalArgumentException("include '" + s + "' selects only classes that never get sites ("
                        + why + ")");
            }
            Glob g = Glob.compile(s);
            include.add(g);
            if (NotraceList.namesJdk(s)) {
                includeJdk.add(g);
            }
        }
        for (String s : excludes) {
            exclude.add(Glob.compile(s));
        }
    }

    void onRefusal(Refusals r) {
        refused = r;
    }

    /**
     * Whether the classes selected get their sites as they load (an {@code include} was given), or
     * only once a filter selects one of their functions (the default, every class outside the JDK).
     */
    boolean eager() {
        return !include.isEmpty();
    }

    /** Whether an include names JDK packages, whose loaded classes must be retransformed at startup. */
    boolean selectsJdk() {
        return !includeJdk.isEmpty();
    }

    boolean selects(ClassLoader loader, String internalName) {
        if (internalName.startsWith("org/jftrace/") || internalName.startsWith("com/sun/proxy/")
                || internalName.equals("module-info") || internalName.endsWith("/package-info")) {
            return false;
        }
        String name;
        if (NotraceList.isJdk(loader, internalName)) {
            if (includeJdk.isEmpty()) {
                return false;
            }
            name = internalName.replace('/', '.');
            if (!matchesAny(includeJdk, name)) {
                return false;
            }
            String why = NotraceList.reason(internalName);
            if (why != null) {
                Refusals r = refused;
                if (r != null) {
                    r.refused(name, why);
                }
                return false;
            }
        } else {
            name = internalName.replace('/', '.');
            if (!include.isEmpty() && !matchesAny(include, name)) {
                return false;
            }
        }
        return !matchesAny(exclude, name);
    }

    private static boolean matchesAny(List<Glob> globs, String name) {
        for (Glob g : globs) {
            if (g.matches(name)) {
                return true;
            }
        }
        return false;
    }
}
