package org.jftrace.dist;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The repository's product text, as the tests that guard it see it: README.md, CHANGELOG.md,
 * docs/, bench/ (its scripts, sources and the names of bench/results' files) and every module's
 * sources, tests, resources and pom.xml. Build output ({@code target/}) and hidden directories
 * ({@code .git}, {@code .mvn}, ...) are not product text.
 */
final class ProductText {

    /** Names of files whose contents are read (the rest are binary or not ours to word). */
    private static final Set<String> TEXT_EXTENSIONS =
            Set.of("md", "java", "kt", "sh", "py", "xml", "properties", "c", "html", "txt", "btm");

    /** Raw benchmark outputs: their names are ours, their contents are the tools'. */
    static final String RESULTS = "bench/results/";

    private ProductText() {
    }

    /** The repository root: the first directory up from the working directory that holds docs/ and pom.xml. */
    static Path root() {
        Path dir = Paths.get("").toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            if (Files.isDirectory(d.resolve("docs")) && Files.isRegularFile(d.resolve("pom.xml"))
                    && Files.isRegularFile(d.resolve("README.md"))) {
                return d;
            }
        }
        throw new IllegalStateException("no repository root (docs/, pom.xml, README.md) above " + dir);
    }

    /** Every product file, as a path relative to the root with '/' separators, sorted. */
    static List<String> files(final Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile)
                    .map(p -> root.relativize(p).toString().replace('\\', '/'))
                    .filter(ProductText::isProduct)
                    .sorted()
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static boolean isProduct(final String rel) {
        for (String segment : rel.split("/")) {
            if (segment.startsWith(".") || segment.equals("target") || segment.equals("node_modules")) {
                return false;
            }
        }
        return true;
    }

    /** Whether a product file's contents are scanned (not only its name). */
    static boolean contentIsScanned(final String rel) {
        if (rel.startsWith(RESULTS)) {
            return false;
        }
        if (rel.equals("jftrace")) {
            return true; // the launcher script
        }
        int slash = rel.lastIndexOf('/');
        int dot = rel.lastIndexOf('.');
        return dot > slash && TEXT_EXTENSIONS.contains(rel.substring(dot + 1));
    }

    static String read(final Path file) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalStateException(file + ": " + e, e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** "name:line: text" for each line of text that matches the pattern. */
    static List<String> matches(final Pattern pattern, final String name, final String text) {
        List<String> found = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            Matcher m = pattern.matcher(lines[i]);
            if (m.find()) {
                found.add(name + ":" + (i + 1) + ": " + m.group() + "  |  " + lines[i].strip());
            }
        }
        return found;
    }
}
