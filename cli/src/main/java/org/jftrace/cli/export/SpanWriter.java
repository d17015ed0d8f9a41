package org.jftrace.cli.export;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceId;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jftrace.cli.report.ArgValue;
import org.jftrace.cli.report.Jvm;

/** Makes each call an SDK span, with the ids {@link CallSpans} planned and the call's attributes. */
final class SpanWriter implements CallSpans.Out {

    static final AttributeKey<String> CODE_FUNCTION = AttributeKey.stringKey("code.function");
    static final AttributeKey<String> CODE_NAMESPACE = AttributeKey.stringKey("code.namespace");
    static final AttributeKey<Long> THREAD_ID = AttributeKey.longKey("thread.id");
    static final AttributeKey<String> THREAD_NAME = AttributeKey.stringKey("thread.name");
    static final AttributeKey<Boolean> UNFINISHED = AttributeKey.booleanKey("jftrace.unfinished");
    /** The arguments as the trace prints them, {@code (name="x", count=3)} (funcgraph-args). */
    static final AttributeKey<String> ARGUMENTS = AttributeKey.stringKey("jftrace.arguments");
    /** The returned object as the trace prints it, {@code ret="x"} (funcgraph-retval). */
    static final AttributeKey<String> RETURN = AttributeKey.stringKey("jftrace.return");
    static final AttributeKey<String> EXCEPTION_TYPE = AttributeKey.stringKey("exception.type");

    /** A function's span name and code attributes, made once. */
    private static final class Names {
        final String span;
        final Attributes code;

        Names(String fullName) {
            int paren = fullName.indexOf('(');
            String qualified = paren < 0 ? fullName : fullName.substring(0, paren);
            int dot = qualified.lastIndexOf('.');
            String cls = dot < 0 ? "" : qualified.substring(0, dot);
            String method = qualified.substring(dot + 1);
            span = cls.substring(cls.lastIndexOf('.') + 1) + (cls.isEmpty() ? "" : ".") + method;
            code = Attributes.of(CODE_FUNCTION, method, CODE_NAMESPACE, cls);
        }
    }

    private final Tracer tracer;
    private final PlannedIds ids;
    private final Jvm jvm;
    private final Map<Integer, Names> names = new HashMap<>();

    SpanWriter(Tracer tracer, PlannedIds ids, Jvm jvm) {
        this.tracer = tracer;
        this.ids = ids;
        this.jvm = jvm;
    }

    @Override
    public void call(Call c) {
        Names n = names.computeIfAbsent(c.ip, ip -> new Names(jvm.function(ip)));
        AttributesBuilder a = n.code.toBuilder();
        if (c.thread != null) {
            a.put(THREAD_ID, c.thread.id).put(THREAD_NAME, c.thread.label());
        }
        if (c.unfinished) {
            a.put(UNFINISHED, true);
        }
        addValues(c, a);
        SpanBuilder b = tracer.spanBuilder(n.span).setSpanKind(SpanKind.INTERNAL)
                .setStartTimestamp(c.startEpochNanos, TimeUnit.NANOSECONDS).setAllAttributes(a.build());
        if (c.parentSpanId == 0) {
            b.setNoParent();
        } else {
            SpanContext parent = SpanContext.create(TraceId.fromLongs(c.traceIdHigh, c.traceIdLow),
                    SpanId.fromLong(c.parentSpanId), TraceFlags.getSampled(), TraceState.getDefault());
            b.setParent(Context.root().with(Span.wrap(parent)));
        }
        ids.plan(c);
        Span s = b.startSpan();
        if (c.threw) {
            // the exception's class when funcgraph-retval recorded it; else only that the call threw
            String type = c.returned != null && c.returned.kind == ArgValue.THROWN ? c.returned.text : null;
            if (type != null) {
                s.setAttribute(EXCEPTION_TYPE, type);
            }
            s.setStatus(StatusCode.ERROR, type != null ? "threw " + type : "threw");
        }
        s.end(c.endEpochNanos, TimeUnit.NANOSECONDS);
    }

    /**
     * The call's arguments (funcgraph-args: they are in its entry record, so not under tracing_thresh,
     * which records only returns) and its returned value (funcgraph-retval), as the trace prints them.
     */
    private void addValues(Call c, AttributesBuilder a) {
        String args = c.args == null ? null : jvm.callValues(c.ip, c.args, false, false, null, 0L);
        if (args != null) {
            a.put(ARGUMENTS, args);
        }
        String ret = c.returned == null || c.returned.kind == ArgValue.THROWN ? null
                : jvm.callValues(c.ip, null, true, false, c.returned, 0L);
        if (ret != null) {
            a.put(RETURN, ret);
        }
    }
}
