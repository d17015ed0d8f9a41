package org.jftrace.bench.peers;

import java.util.concurrent.atomic.AtomicLong;
import org.jboss.byteman.rule.Rule;
import org.jboss.byteman.rule.helper.Helper;

/**
 * The HELPER of {@link BytemanSwitch}'s rule: the rule's action {@code hit()} counts every
 * call it fires on (the proof that the rule is in all 10,000 methods), and Byteman's life-cycle callback
 * {@link #installed} counts the rule instances it installed (one per trigger class). Not final: Byteman
 * refuses a final helper class ("helper class cannot be final") when it type-checks the rule, and its
 * generated helper adapter (another class loader) needs a protected constructor.
 */
public class BytemanSwitchHelper extends Helper {

    static final AtomicLong HITS = new AtomicLong();
    static final AtomicLong INSTALLED = new AtomicLong();

    protected BytemanSwitchHelper(Rule rule) {
        super(rule);
    }

    /** The rule's action. */
    public void hit() {
        HITS.incrementAndGet();
    }

    /** Byteman's life-cycle hook: the rule was installed for one trigger class. */
    public static void installed(Rule rule) {
        INSTALLED.incrementAndGet();
    }
}
