package itest;

import java.io.ObjectStreamClass;
import java.io.Serializable;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Prints, for every serializable class of {@code java.util} and {@code java.io} in java.base, the
 * serialVersionUID that serialization uses (declared, or computed from the class's members) and its
 * serializable fields: "class uid field,field...".
 */
public final class SerialUids {

    public static void main(String[] args) throws Exception {
        FileSystem jrt = FileSystems.getFileSystem(URI.create("jrt:/"));
        List<String> names;
        try (Stream<Path> util = Files.walk(jrt.getPath("/modules/java.base/java/util"));
             Stream<Path> io = Files.walk(jrt.getPath("/modules/java.base/java/io"))) {
            names = Stream.concat(util, io).map(Path::toString).filter(n -> n.endsWith(".class"))
                    .map(n -> n.substring("/modules/java.base/".length(), n.length() - ".class".length()).replace('/', '.'))
                    .sorted().collect(Collectors.toList());
        }
        StringBuilder sb = new StringBuilder();
        for (String name : names) {
            Class<?> c = Class.forName(name, false, null);
            if (!Serializable.class.isAssignableFrom(c)) {
                continue;
            }
            ObjectStreamClass d = ObjectStreamClass.lookupAny(c);
            sb.append(name).append(' ').append(d.getSerialVersionUID()).append(' ')
                    .append(Stream.of(d.getFields()).map(f -> f.getName() + ":" + f.getTypeString()).collect(Collectors.joining(",")))
                    .append('\n');
        }
        System.out.print(sb);
    }
}
