package org.jftrace.bench.peers;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.byteman.rule.Rule;
import org.jboss.byteman.rule.helper.Helper;

/**
 * The HELPER of PeerBench's Byteman rules (issue 6). Their action is {@code DO NOTHING}, which leaves
 * no trace of having run; Byteman's helper life-cycle callback {@link #installed} records each rule
 * injected into a trigger method, so the fork can prove the rules are really in the measured code.
 */
public final class BytemanProof extends Helper {

    static final Set<String> INSTALLED = ConcurrentHashMap.newKeySet();

    BytemanProof(Rule rule) {
        super(rule);
    }

    /** Byteman's life-cycle hook: a rule using this helper was injected into a method. */
    public static void installed(Rule rule) {
        INSTALLED.add(rule.getName());
    }
}
