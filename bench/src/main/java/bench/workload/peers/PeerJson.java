package bench.workload.peers;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Workload 3 of the peer comparison: a real library. One operation parses a fixed 2 KB JSON
 * document with jackson-core's streaming parser (from Maven Central, shaded unchanged into
 * benchmarks.jar) and folds every token into a checksum. The tracers trace every method of
 * {@code com.fasterxml.jackson.*} (each as far as it can select them; PeerBench prints what).
 */
public final class PeerJson {

    /** 20 records of mixed types: strings, ints, a double, a boolean, a null, a nested array. */
    public static final String DOC = document(20);

    private static final JsonFactory FACTORY = new JsonFactory();

    private PeerJson() {
    }

    static String document(int records) {
        StringBuilder sb = new StringBuilder("{\"items\":[");
        for (int i = 0; i < records; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append("{\"id\":").append(i)
              .append(",\"name\":\"item-").append(i).append('"')
              .append(",\"price\":").append(i * 3).append('.').append(i % 10)
              .append(",\"active\":").append(i % 2 == 0)
              .append(",\"note\":null")
              .append(",\"tags\":[\"a").append(i).append("\",\"b\",").append(i * 7).append("]}");
        }
        return sb.append("],\"count\":").append(records).append('}').toString();
    }

    /** @return a checksum over every token of {@code doc}, so that the JIT cannot skip the parse. */
    public static long parse(String doc) {
        long sum = 0;
        try (JsonParser p = FACTORY.createParser(doc)) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                sum = sum * 31 + t.id();
                if (t == JsonToken.VALUE_NUMBER_INT) {
                    sum += p.getIntValue();
                } else if (t == JsonToken.VALUE_STRING || t == JsonToken.FIELD_NAME) {
                    sum += p.getTextLength();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sum;
    }
}
