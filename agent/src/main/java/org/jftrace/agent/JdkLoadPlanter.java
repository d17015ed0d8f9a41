package org.jftrace.agent;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jftrace.ftrace.FtraceLog;
import org.jftrace.ftrace.JdkSites;

/**
 * Plants the JDK classes that load while tracing runs, by retransformation from a thread of its own,
 * a moment after they load, instead of as they load.
 *
 * <p>Why not as they load: registering a class's functions takes the core's lock, and the thread that
 * holds it may be waiting for that very class. Linking a site runs {@code java.lang.invoke}, which
 * loads {@code java.util}'s classes the first time it needs them ({@code AbstractList$ListItr}, ...),
 * and the JVM makes every thread that needs a class wait for the thread loading it. A JDK class whose
 * sites were planted as it loads would make its loading thread wait for the lock while the lock's
 * holder waits for the class: a deadlock, seen with {@code include=java.util.*} between a site's
 * first link and a class loading on another thread. Loading a class therefore never waits for the
 * lock: the class loads unchanged, and this thread, which holds nothing a loading thread needs, plants
 * it. Its methods are untraced until then (milliseconds). Application classes keep being planted as
 * they load: the lock's holders load only JDK classes.
 */
final class JdkLoadPlanter {

    private final Planter planter;
    private Thread thread;
    /** Loaded JDK classes waiting for their sites, by loader (null: the boot loader) and internal name. */
    private ClassLoader[] loaders = new ClassLoader[64];
    private String[] names = new String[64];
    private int count;
    private boolean armed;

    JdkLoadPlanter(Planter planter) {
        this.planter = planter;
    }

    /**
     * Queues a JDK class that is loading now. Called from the class-loading hook: takes no lock but
     * this object's, held by no one for longer than a copy of arrays, and loads nothing new (plain
     * arrays, no collections, which would be planted classes themselves).
     */
    void add(ClassLoader loader, String internalName) {
        synchronized (this) {
            if (count == names.length) {
                loaders = Arrays.copyOf(loaders, count * 2);
                names = Arrays.copyOf(names, count * 2);
            }
            loaders[count] = loader;
            names[count] = internalName;
            count++;
            wake();
        }
    }

    /**
     * Starts planting, once what JDK sites run on is ready ({@code JdkSites.prepare}) and the loaded
     * JDK classes have their sites: a class planted before would run the JDK it traces from its sites'
     * first calls (the classes loaded meanwhile wait in the queue).
     */
    synchronized void arm() {
        armed = true;
        wake();
    }

    /** Caller holds this object's lock. */
    private void wake() {
        if (!armed || count == 0) {
            return;
        }
        if (thread == null) {
            thread = new Thread(this::run, "jftrace-jdk-planter");
            thread.setDaemon(true);
            thread.start();
        } else {
            notifyAll();
        }
    }

    /** Plants what is queued now. */
    private void drain() {
        ClassLoader[] l;
        String[] n;
        synchronized (this) {
            if (count == 0) {
                return;
            }
            l = Arrays.copyOf(loaders, count);
            n = Arrays.copyOf(names, count);
            Arrays.fill(loaders, 0, count, null);
            Arrays.fill(names, 0, count, null);
            count = 0;
        }
        plant(l, n);
    }

    private void run() {
        JdkSites.markTracerThread(); // the JDK methods it calls are not traced
        while (true) {
            synchronized (this) {
                while (count == 0) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
            try {
                drain();
            } catch (Throwable t) { // never into the application: say so, go on
                FtraceLog.warn("cannot give loaded JDK classes their sites: " + t);
            }
        }
    }

    private void plant(ClassLoader[] l, String[] n) {
        List<Class<?>> classes = new ArrayList<>(n.length);
        for (int i = 0; i < n.length; i++) {
            try {
                // Waits, if need be, for the thread still defining it: this thread holds nothing.
                classes.add(Class.forName(n[i].replace('/', '.'), false, l[i]));
            } catch (Throwable t) {
                // its loading failed: there is no class to plant
            }
        }
        List<String> failed = new ArrayList<>();
        planter.retransform(classes, failed);
        if (!failed.isEmpty()) {
            FtraceLog.warn(failed.size() + " loaded JDK classes could not get sites (e.g. " + failed.get(0)
                    + "); see jftrace PID cat jftrace/report");
        }
    }
}
