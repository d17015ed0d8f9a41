package org.jftrace.ftrace;

import static org.assertj.core.api.Assertions.assertThat;

import org.jftrace.filter.FilterHash;
import org.jftrace.filter.FilterParser;
import org.jftrace.filter.Latin1Name;
import org.junit.jupiter.api.Test;

class FtraceRecordsTest {

    private final FtraceRecords records = new FtraceRecords();

    private int add(String name) {
        return records.findOrAdd(null, name, "", "app", false, false, new boolean[1]).ip;
    }

    private int[] members(String filter) {
        return FilterHash.empty().with(FilterParser.parse(filter, records), true, records).members();
    }

    @Test
    void filtersMatchThePackedNamesAsTheyMatchTheStrings() {
        int plain = add("app.Main.run(I)V");
        int latin1 = add("app.Caf\u00e9.br\u00fbl\u00e9()V");
        int cyrillic = add("app.\u0416\u0443\u043a.run()V"); // not Latin-1: matched through its String
        int other = add("lib.Util.run(Ljava/lang/String;)I");
        for (int i = 0; i < 2000; i++) { // past the first packed array and the first records array
            add("gen.C" + i + ".applyAsInt(II)I");
        }

        assertThat(members("app.*")).containsExactly(plain, latin1, cyrillic);
        assertThat(members("*.run")).containsExactly(plain, cyrillic, other);
        assertThat(members("app.Caf\u00e9.*")).containsExactly(latin1);
        assertThat(members("app.\u0416*")).containsExactly(cyrillic);
        assertThat(members("*.run(I)V")).containsExactly(plain);
        assertThat(members("gen.C1999.*")).hasSize(1);
        assertThat(members("gen.C1?.*")).hasSize(10);

        Latin1Name scratch = new Latin1Name();
        for (int ip = 1; ip <= records.size(); ip++) {
            assertThat(records.name(ip, scratch).toString()).isEqualTo(records.name(ip));
        }
    }
}
