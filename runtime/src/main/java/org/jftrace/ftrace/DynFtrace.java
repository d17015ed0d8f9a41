package org.jftrace.ftrace;

import java.lang.invoke.MutableCallSite;

/**
 * One traced function and its sites: the JVM's {@code struct dyn_ftrace} (one record per call site).
 *
 * <p>{@link #binding} is the CALL_OPS literal: the ops the function's sites are bound to
 * ({@link OpsListFunc#NOP}, one {@link FtraceOps}, or an {@link OpsListFunc} of two or more). The
 * sites' targets are built from it; the slow path between a batch's invalidation and its relink
 * reads it directly.
 */
public final class DynFtrace {

    /** enabled_functions flags, as the kernel's FTRACE_FL_*. */
    static final int FL_REGS = 1;
    static final int FL_IPMODIFY = 1 << 1;
    static final int FL_DIRECT = 1 << 2;
    static final int FL_CALL_OPS = 1 << 3;
    static final int FL_MODIFIED = 1 << 4;

    final int ip;
    final String name;
    final String module;
    /** The link group the sites join: the package (or class, in the default package), its constructors apart. */
    final String linkKey;
    final boolean hasReceiver;
    /** Sites are reached through {@link LegacySites} (class files older than version 51) or {@link JdkSites}. */
    final boolean legacy;
    /** A JDK function: its key is one of {@link JdkKeys}, its entry {@link JdkSites#entry}. Set once, under the lock. */
    boolean jdk;

    /** The CALL_OPS literal. Written under Ftrace's lock (release), read by the slow path (acquire). */
    volatile Binding binding = OpsListFunc.NOP;

    // Guarded by Ftrace.LOCK.
    EntrySite[] sites = new EntrySite[0];
    /** The exit, throw and replaced sites (see {@link Trampoline#exit}); relinked with the entry. */
    ExitSite[] exitSites = new ExitSite[0];
    /** Whether the exit sites are bound to a direct exit handler now (so must be relinked on change). */
    boolean exitsDirect;
    PatchGroup group;
    /** The static key of {@link #linkKey}, once looked up. */
    StaticKey key;
    /** An entry site made ahead of its bootstrap ({@link FtraceReplaceCode#prelinkEntry}), until it claims it. */
    EntrySite prelinked;
    int flags;
    /**
     * The agent's handle on this function's class, given to the {@link SitePlanter} to plant it (or
     * plant it again); null for functions added without one. Guarded by Ftrace.LOCK, as are the next.
     */
    Object classKey;
    /** Whether the class has been given its sites (else its functions are only known). */
    boolean planted;
    /**
     * Whether the entry site last planted passes the receiver and arguments; a bare entry
     * ({@code ()Object}) cannot serve an ops that takes them, and is bound to nothing for it.
     */
    boolean entryArgs = true;
    /**
     * The parameters' names from the class file (MethodParameters, else LocalVariableTable), joined
     * by commas, or null if unknown: set by the agent when it plants the class, read by func-args.
     */
    volatile String parameterNames;

    DynFtrace(int ip, String name, String module, String linkKey, boolean hasReceiver, boolean legacy) {
        this.ip = ip;
        this.name = name;
        this.module = module;
        this.linkKey = linkKey;
        this.hasReceiver = hasReceiver;
        this.legacy = legacy;
    }

    public int ip() {
        return ip;
    }

    public String name() {
        return name;
    }

    public String module() {
        return module;
    }

    /**
     * @return the names of the parameters (receiver excluded), joined by commas, or null if the class
     * file did not say (or the class was not planted yet)
     */
    public String parameterNames() {
        return parameterNames;
    }

    /** @return the number of ops tracing this function. */
    public int count() {
        Binding b = binding;
        return b instanceof OpsListFunc ? ((OpsListFunc) b).ops.length : 1;
    }

    /** @return the direct target of the function's direct ops, or null. */
    DirectTarget direct() {
        return binding.direct();
    }

    boolean isConstructor() {
        return name.contains(".<init>(");
    }

    /** e.g. {@code com/acme/Foo}. */
    String ownerInternal() {
        return name.substring(0, name.lastIndexOf('.', name.indexOf('('))).replace('.', '/');
    }

    String descriptor() {
        return name.substring(name.indexOf('('));
    }

    String returnDescriptor() {
        String d = descriptor();
        return d.substring(d.indexOf(')') + 1);
    }

    /** Whether the entry site has parameters to pass (a receiver or arguments); allocates nothing. */
    boolean hasEntryParameters() {
        return hasReceiver || name.charAt(name.indexOf('(') + 1) != ')';
    }

    /** The kinds of the entry site's parameters ({@link SavedArgs#kindsOf}); made on first use by the boxed paths. */
    private char[] entryKinds;

    char[] entryKinds() {
        char[] k = entryKinds;
        if (k == null) { // racy: every thread makes the same
            k = entryKinds = SavedArgs.kindsOf(hasReceiver, descriptor());
        }
        return k;
    }

    /** The entry site's parameters as descriptors: the receiver (if any), then the arguments. */
    java.util.List<String> entryParameterDescriptors() {
        java.util.List<String> p = new java.util.ArrayList<>();
        if (hasReceiver) {
            p.add("L" + ownerInternal() + ";");
        }
        p.addAll(DirectTarget.parameterDescriptors(descriptor()));
        return p;
    }

    @Override
    public String toString() {
        return name;
    }
}
