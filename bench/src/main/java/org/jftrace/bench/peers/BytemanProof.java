package org.jftrace.bench.peers;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.byteman.rule.Rule;
import org.jboss.byteman.rule.helper.Helper;

/**
 * The HELPER of PeerBench's Byteman rules. Their action is {@code DO NOTHING}, which leaves
 * no trace of having run; Byteman's helper life-cycle callback {@link #installed} records each rule
 * injected into a trigger method, so the fork can prove the rules are really in the measured code.
 *
 * <p>Neither final nor with a package-private constructor: Byteman's type check rejects a final helper
 * ("helper class cannot be final") and its generated adapter, in another class loader, must reach the
 * constructor. A helper that is either fails every rule's type check at its first call, and the
 * Byteman rows would then measure a rule that never runs its (empty) action.
 */
public class BytemanProof extends Helper {

    static final Set<String> INSTALLED = ConcurrentHashMap.newKeySet();

    protected BytemanProof(Rule rule) {
        super(rule);
    }

    /** Byteman's life-cycle hook: a rule using this helper was injected into a method. */
    public static void installed(Rule rule) {
        INSTALLED.add(rule.getName());
    }
}
