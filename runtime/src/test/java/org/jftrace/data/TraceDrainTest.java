package org.jftrace.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import java.util.zip.InflaterInputStream;
import java.util.zip.Inflater;
import org.jftrace.ring.TraceBuffer;
import org.jftrace.trace.TraceInstance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The drain against real writer threads; the file is checked with a small decoder of its own. */
class TraceDrainTest {

    private final TraceInstance instance = new TraceInstance("drain-test");

    @Test
    @Timeout(120)
    void concurrentWritersOutrunningTinyBuffersAddUpKeptPlusLostToWritten(@TempDir Path tmp) throws Exception {
        instance.buffers().setBufferSizeKb(1); // 31 records: the writers outrun the drain
        final TraceDrain d = TraceDrain.start(instance, tmp.resolve("d.jftrace"));
        final int writers = 4;
        final int perWriter = 300_000;
        final List<Thread> ts = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            final int ip = w + 1;
            final Thread t = new Thread(() -> {
                final TraceBuffer b = instance.buffers().current();
                for (int i = 0; i < perWriter; i++) {
                    b.writeFunction(System.nanoTime(), ip, 0);
                }
            });
            ts.add(t);
            t.start();
        }
        for (Thread t : ts) {
            t.join();
        }
        final TraceDrain.Summary s = d.stop();
        final Decoded f = Decoded.read(tmp.resolve("d.jftrace"));
        assertThat(s.written).isEqualTo((long) writers * perWriter);
        assertThat(s.lost).isPositive();
        assertThat(f.records).isEqualTo(s.written - s.lost);
        assertThat(f.lostMarked).as("every loss is marked where it happened").isEqualTo(s.lost);
        assertThat(f.statsWritten).isEqualTo(s.written);
        assertThat(f.statsLost).isEqualTo(s.lost);
        assertThat(f.ended).isTrue();
    }

    @Test
    @Timeout(300)
    void theRecordsOfTenThousandVirtualThreadsAreAllDrainedWithTheirThreads(@TempDir Path tmp) throws Exception {
        assumeTrue(Runtime.version().feature() >= 21, "virtual threads need JDK 21+");
        instance.buffers().setMaxVirtualBuffers(8);
        final TraceDrain d = TraceDrain.start(instance, tmp.resolve("v.jftrace"));
        final int threads = 10_000;
        final ExecutorService ex = (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor")
            .invoke(null);
        for (int i = 0; i < threads; i++) {
            ex.execute(() -> {
                for (int k = 0; k < 10; k++) {
                    // a refusal (a full buffer, or no pooled buffer free) is retried: every record gets in
                    while (!instance.buffers().current().writeFunction(System.nanoTime(), 7, 0)) {
                        Thread.yield();
                    }
                }
            });
        }
        ex.shutdown();
        assertThat(ex.awaitTermination(240, TimeUnit.SECONDS)).isTrue();
        final TraceDrain.Summary s = d.stop();
        final Decoded f = Decoded.read(tmp.resolve("v.jftrace"));
        assertThat(f.records + f.lostMarked).isEqualTo(s.written);
        assertThat(f.records).isEqualTo(100_000);
        assertThat(f.threadIds).as("each virtual thread is declared").hasSizeGreaterThan(threads / 2);
    }

    /** What a data file holds, read block by block with every checksum checked. */
    static final class Decoded {
        long records;
        long lostMarked;
        long statsWritten;
        long statsLost;
        boolean ended;
        final Set<Long> threadIds = new HashSet<>();

        static Decoded read(final Path file) throws IOException {
            final Decoded r = new Decoded();
            try (DataInputStream in = new DataInputStream(Files.newInputStream(file))) {
                final byte[] magic = in.readNBytes(8);
                assertThat(new String(magic, "US-ASCII")).isEqualTo("JFTRDATA");
                assertThat(in.readUnsignedShort()).isEqualTo(2);
                in.readUnsignedShort();
                for (;;) {
                    final int kind = in.read();
                    if (kind < 0) {
                        return r;
                    }
                    final int len = in.readInt();
                    final long crc = in.readInt() & 0xFFFF_FFFFL;
                    final byte[] p = in.readNBytes(len);
                    final CRC32 c = new CRC32();
                    c.update(p);
                    assertThat(c.getValue()).isEqualTo(crc);
                    final DataInputStream b = new DataInputStream(new ByteArrayInputStream(p));
                    switch (kind) {
                        case DataStreamWriter.END:
                            r.ended = true;
                            return r;
                        case DataStreamWriter.THREADS: {
                            final long n = vlong(b);
                            for (long i = 0; i < n; i++) {
                                vlong(b);
                                r.threadIds.add(vlong(b));
                                b.skipNBytes(vlong(b));
                                b.read();
                            }
                            break;
                        }
                        case DataStreamWriter.EVENTS:
                            r.events(b);
                            break;
                        case DataStreamWriter.STATS:
                            r.statsWritten = vlong(b);
                            r.statsLost = vlong(b);
                            break;
                        default:
                            break;
                    }
                }
            }
        }

        private void events(final DataInputStream b) throws IOException {
            final int codec = b.read();
            vlong(b); // raw length
            final InputStream raw = codec == DataStreamWriter.CODEC_DEFLATE
                ? new InflaterInputStream(b, new Inflater(true)) : b;
            final DataInputStream e = new DataInputStream(raw);
            vlong(e); // buffer
            vlong(e); // thread
            e.readLong();
            final long count = vlong(e);
            for (long i = 0; i < count; i++) {
                final int type = e.read();
                vlong(e); // dts
                if (type == DataStreamWriter.CALL) {
                    vlong(e);
                    vlong(e);
                    records++;
                } else if (type == DataStreamWriter.LOST) {
                    lostMarked += vlong(e);
                } else {
                    throw new IOException("unexpected record type " + type);
                }
            }
        }

        private static long vlong(final DataInputStream in) throws IOException {
            long v = 0;
            for (int shift = 0; ; shift += 7) {
                final int x = in.readUnsignedByte();
                v |= (long) (x & 0x7F) << shift;
                if ((x & 0x80) == 0) {
                    return v;
                }
            }
        }
    }
}
