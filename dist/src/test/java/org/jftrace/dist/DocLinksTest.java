package org.jftrace.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The documents' links hold: every relative link of README.md, CHANGELOG.md and docs/ names a file
 * of the repository (never one outside it), every {@code #anchor} into a Markdown file names one of
 * its headings (GitHub's anchors), and bench/results holds exactly the raw outputs the documents
 * cite: each cited path exists, and each file there is cited (by its path or its directory's).
 */
class DocLinksTest {

    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");
    private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.*?)\\s*#*\\s*$");
    private static final Pattern RESULTS_PATH = Pattern.compile("bench/results/[A-Za-z0-9._/-]*");

    static List<String> documents(final List<String> files) {
        List<String> docs = new ArrayList<>();
        for (String rel : files) {
            if (rel.equals("README.md") || rel.equals("CHANGELOG.md")
                    || (rel.startsWith("docs/") && rel.endsWith(".md"))) {
                docs.add(rel);
            }
        }
        return docs;
    }

    /** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
    static Set<String> anchors(final String markdown) {
        Set<String> anchors = new LinkedHashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        boolean fence = false;
        for (String line : markdown.split("\n")) {
            if (line.startsWith("```")) {
                fence = !fence;
                continue;
            }
            Matcher m = HEADING.matcher(line);
            if (fence || !m.matches()) {
                continue;
            }
            String slug = slug(m.group(1));
            int n = seen.merge(slug, 1, Integer::sum);
            anchors.add(n == 1 ? slug : slug + "-" + (n - 1));
        }
        return anchors;
    }

    static String slug(final String heading) {
        String text = heading.replaceAll("\\[([^\\]]*)\\]\\([^)]*\\)", "$1").toLowerCase(Locale.ROOT);
        StringBuilder b = new StringBuilder();
        text.codePoints().forEach(c -> {
            if (Character.isLetterOrDigit(c) || c == '_' || c == '-') {
                b.appendCodePoint(c);
            } else if (c == ' ') {
                b.append('-');
            }
        });
        return b.toString();
    }

    @Test
    void anchorsAreGitHubs() {
        assertThat(slug("2–3. One ops (CALL_OPS), with 0 / 10 / 100 irrelevant ops"))
                .isEqualTo("23-one-ops-call_ops-with-0--10--100-irrelevant-ops");
        assertThat(slug("The drain: recording to disk (`bench/drain.sh`)"))
                .isEqualTo("the-drain-recording-to-disk-benchdrainsh");
        assertThat(anchors("# A\n## B\n```\n# not a heading\n```\n## B\n")).containsExactly("a", "b", "b-1");
    }

    @Test
    void everyRelativeLinkAndAnchorOfTheDocumentsResolvesInsideTheRepository() {
        Path root = ProductText.root();
        List<String> broken = new ArrayList<>();
        Map<String, Set<String>> anchorsOf = new HashMap<>();
        List<String> docs = documents(ProductText.files(root));
        assertThat(docs).contains("README.md", "docs/benchmarks.md", "docs/design.md");
        for (String doc : docs) {
            Path file = root.resolve(doc);
            String[] lines = ProductText.read(file).split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                Matcher m = LINK.matcher(lines[i]);
                while (m.find()) {
                    String target = m.group(1);
                    if (target.matches("^[a-z]+:.*")) {
                        if (!target.startsWith("http:") && !target.startsWith("https:") && !target.startsWith("mailto:")) {
                            broken.add(doc + ":" + (i + 1) + ": " + target + " (scheme)");
                        }
                        continue;
                    }
                    int hash = target.indexOf('#');
                    String path = hash < 0 ? target : target.substring(0, hash);
                    String anchor = hash < 0 ? "" : target.substring(hash + 1);
                    Path to = path.isEmpty() ? file : file.getParent().resolve(path).normalize();
                    if (!to.startsWith(root)) {
                        broken.add(doc + ":" + (i + 1) + ": " + target + " (outside the repository)");
                        continue;
                    }
                    if (!Files.exists(to)) {
                        broken.add(doc + ":" + (i + 1) + ": " + target + " (no such file)");
                        continue;
                    }
                    if (!anchor.isEmpty() && to.toString().endsWith(".md")) {
                        Set<String> anchors = anchorsOf.computeIfAbsent(to.toString(),
                                k -> anchors(ProductText.read(to)));
                        if (!anchors.contains(anchor)) {
                            broken.add(doc + ":" + (i + 1) + ": " + target + " (no such heading in " + root.relativize(to) + ")");
                        }
                    }
                }
            }
        }
        assertThat(broken).as("broken links").isEmpty();
    }

    @Test
    void benchResultsHoldsExactlyTheOutputsTheDocumentsCite() {
        Path root = ProductText.root();
        List<String> files = ProductText.files(root);
        Set<String> cited = new TreeSet<>();
        List<String> missing = new ArrayList<>();
        for (String doc : documents(files)) {
            String[] lines = ProductText.read(root.resolve(doc)).split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                Matcher m = RESULTS_PATH.matcher(lines[i]);
                while (m.find()) {
                    String path = m.group().replaceAll("[.]+$", "");
                    if (path.equals(ProductText.RESULTS)) {
                        continue; // the directory itself
                    }
                    cited.add(path);
                    if (!Files.exists(root.resolve(path))) {
                        missing.add(doc + ":" + (i + 1) + ": " + path);
                    }
                }
            }
        }
        List<String> uncited = new ArrayList<>();
        for (String rel : files) {
            if (rel.startsWith(ProductText.RESULTS) && cited.stream().noneMatch(
                    c -> rel.equals(c) || rel.startsWith(c.endsWith("/") ? c : c + "/"))) {
                uncited.add(rel);
            }
        }
        assertThat(missing).as("cited outputs that bench/results lacks").isEmpty();
        assertThat(uncited).as("outputs in bench/results that no document cites").isEmpty();
    }
}
