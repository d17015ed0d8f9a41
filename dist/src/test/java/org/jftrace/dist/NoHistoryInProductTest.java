package org.jftrace.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The product says what is true now. README, CHANGELOG, docs/, bench/ and every source and test
 * (see {@link ProductText} for the exact set) carry no development history: no tracker numbers, no
 * names of work periods, no notes addressed to the maintainers ({@link #HISTORY} gives the exact
 * forms); the history is in git. A line that does fails this test with its file and line.
 */
class NoHistoryInProductTest {

    /** Written so that this file's own source does not match it. */
    static final Pattern HISTORY = Pattern.compile(
            "(?i)\\bissues?[\\s_-]*#?\\d+"          // a tracker number, with or without #
            + "|\\bsessions?[\\s_-]*\\d+"           // a numbered work period, in text or a file name
            + "|\\bfor\\s+the\\s+owners?\\b");      // findings addressed to the maintainers

    static List<String> scan(final String name, final String text) {
        return ProductText.matches(HISTORY, name, text);
    }

    @Test
    void noProductFileNamesAnIssueASessionOrTheOwners() {
        Path root = ProductText.root();
        List<String> found = new ArrayList<>();
        List<String> files = ProductText.files(root);
        for (String rel : files) {
            found.addAll(scan(rel + " (file name)", rel).stream().map(s -> s.replaceFirst(":1: ", ": ")).toList());
            if (ProductText.contentIsScanned(rel)) {
                found.addAll(scan(rel, ProductText.read(root.resolve(rel))));
            }
        }
        assertThat(files).as("product files under " + root).contains("README.md", "docs/benchmarks.md");
        assertThat(found).as("history in the product (say what is true now; the history is in git)").isEmpty();
    }

    @Test
    void theScannerFindsEachFormWithItsLine() {
        String planted = String.join("\n",
                "A line that is fine.",
                "Fixed in sess" + "ion 7, see below.",
                "/* the JSON workload (iss" + "ue 6) */",
                "see iss" + "ue #12",
                "Sess" + "ion 3: the first switch",
                "## Findings for the own" + "ers",
                "bench/results/sess" + "ion7-callops-jdk25.txt",
                "iss" + "ues 3 and 4");
        List<String> found = scan("Sample.java", planted);
        assertThat(found).hasSize(7);
        assertThat(found.get(0)).startsWith("Sample.java:2: ");
        assertThat(found.get(1)).startsWith("Sample.java:3: ");
        assertThat(found.get(5)).startsWith("Sample.java:7: ");
    }

    @Test
    void theScannerLetsOrdinaryWordsBe() {
        String fine = String.join("\n",
                "Object[] owners = c.localOwner; // the owner makes a copy",
                "SSLSession session = socket.getSession();",
                "a session of its own; sessions end",
                "an issue with the JIT, issued 3 times",
                "mission control, 7 owners");
        assertThat(scan("Fine.java", fine)).isEmpty();
    }
}
