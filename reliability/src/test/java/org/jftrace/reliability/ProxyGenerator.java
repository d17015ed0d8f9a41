package org.jftrace.reliability;

import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isToString;
import static net.bytebuddy.matcher.ElementMatchers.named;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.modifier.Visibility;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.loading.ClassLoadingStrategy;
import net.bytebuddy.dynamic.scaffold.subclass.ConstructorStrategy;
import net.bytebuddy.implementation.FixedValue;
import net.bytebuddy.implementation.InvocationHandlerAdapter;
import net.bytebuddy.implementation.MethodDelegation;
import net.bytebuddy.implementation.bind.annotation.AllArguments;
import net.bytebuddy.implementation.bind.annotation.Origin;
import net.bytebuddy.implementation.bind.annotation.RuntimeType;
import net.bytebuddy.implementation.bind.annotation.SuperCall;
import net.bytebuddy.implementation.bind.annotation.This;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * Classes made at run time, in the child JVM, by the corpus' Byte Buddy: subclasses of corpus classes
 * (a {@code toString} that calls the original through {@code @SuperCall}, a new method bound by
 * {@link MethodDelegation}, and an {@link Advice} woven into an inherited method), and implementations
 * of corpus interfaces (through {@link MethodDelegation} and through an {@link InvocationHandler}).
 * Each is loaded by a class loader of its own (Byte Buddy's {@code WRAPPER} strategy: a user-defined
 * loader, so the JVM verifies it), linked, instantiated and called. With the agent, each is given its
 * sites when it is defined, like any class.
 *
 * <p>Loaded by {@link CorpusDriver} through a loader whose parent holds the corpus jars, so Byte Buddy
 * here is the corpus' own. One line per generated class: name, base type, outcome, the values its
 * methods returned (the same with and without the agent), and its concrete methods (from its bytes).
 */
public final class ProxyGenerator {

    private ProxyGenerator() {
    }

    /** Concrete corpus classes with a public no-argument constructor and a deterministic toString. */
    static final String[] CLASSES = {
        "org.apache.commons.collections4.list.TreeList",
        "org.apache.commons.collections4.bag.HashBag",
        "org.apache.commons.collections4.map.LinkedMap",
        "org.apache.commons.collections.FastArrayList",
        "org.apache.commons.lang3.mutable.MutableInt",
        "org.apache.commons.lang3.text.StrBuilder",
        "org.apache.commons.lang.text.StrBuilder",
        "it.unimi.dsi.fastutil.ints.IntArrayList",
        "it.unimi.dsi.fastutil.objects.ObjectArrayList",
        "it.unimi.dsi.fastutil.longs.LongOpenHashSet",
        "io.netty.util.collection.IntObjectHashMap",
        "scala.collection.mutable.ArrayBuffer",
        "scala.collection.mutable.ListBuffer",
        "org.joda.time.MutablePeriod",
        "org.antlr.v4.runtime.misc.IntegerList",
        "org.apache.logging.log4j.util.SortedArrayStringMap",
        "com.google.common.util.concurrent.AtomicDouble",
    };

    /** Corpus interfaces, each implemented twice: by delegation and through an invocation handler. */
    static final String[][] INTERFACES = {
        {"com.google.common.base.Function", "apply"},
        {"com.google.common.base.Predicate", "apply"},
        {"org.apache.commons.collections4.Transformer", "transform"},
        {"org.apache.commons.collections.Transformer", "transform"},
        {"org.apache.commons.lang3.function.FailableFunction", "apply"},
        {"kotlin.jvm.functions.Function1", "invoke"},
        {"scala.Function1", "apply"},
        {"io.netty.util.concurrent.GenericFutureListener", "operationComplete"},
        {"org.slf4j.spi.LoggerFactoryBinder", "getLoggerFactoryClassStr"},
        {"com.google.gson.ExclusionStrategy", "shouldSkipClass"},
        {"org.h2.api.JavaObjectSerializer", "serialize"},
        {"groovy.lang.GroovyInterceptable", "getMetaClass"},
    };

    public static List<String> run(ClassLoader corpus) {
        List<String> lines = new ArrayList<>();
        int n = 0;
        for (String name : CLASSES) {
            lines.add(subclass(corpus, name, "corpus.generated.Sub" + n++));
        }
        for (String[] itf : INTERFACES) {
            lines.add(implementation(corpus, itf[0], itf[1], "corpus.generated.Delegating" + n++, false));
            lines.add(implementation(corpus, itf[0], itf[1], "corpus.generated.Handled" + n++, true));
        }
        return lines;
    }

    private static String subclass(ClassLoader corpus, String base, String name) {
        int methods = -1;
        try {
            Class<?> type = Class.forName(base, false, corpus);
            DynamicType.Unloaded<?> unloaded = new ByteBuddy()
                    .subclass(type, ConstructorStrategy.Default.IMITATE_SUPER_CLASS_PUBLIC)
                    .name(name)
                    .method(isToString()).intercept(MethodDelegation.to(Describe.class))
                    .defineMethod("generated", int.class, Visibility.PUBLIC).withParameters(int.class)
                    .intercept(MethodDelegation.to(Twice.class))
                    .visit(Advice.to(CountingAdvice.class).on(named("generated")))
                    .make();
            methods = concreteMethods(unloaded.getBytes());
            Class<?> c = unloaded.load(corpus, ClassLoadingStrategy.Default.WRAPPER).getLoaded();
            c.getDeclaredMethods();
            Object o = c.getConstructor().newInstance();
            Object s = c.getMethod("toString").invoke(o);
            Object g = c.getMethod("generated", int.class).invoke(o, 21);
            return line(name, base, "ok", s + " generated=" + g + " advice=" + CountingAdvice.calls, methods);
        } catch (Throwable t) {
            return line(name, base, CorpusDriver.describe(root(t)), "-", methods);
        }
    }

    private static String implementation(ClassLoader corpus, String itf, String method, String name, boolean handler) {
        int methods = -1;
        try {
            Class<?> type = Class.forName(itf, false, corpus);
            DynamicType.Unloaded<?> unloaded = new ByteBuddy()
                    .subclass(Object.class)
                    .implement(type)
                    .name(name)
                    .method(isAbstract())
                    .intercept(handler ? InvocationHandlerAdapter.of(new Handler()) : MethodDelegation.to(Any.class))
                    .method(isToString()).intercept(FixedValue.value(name.substring(name.lastIndexOf('.') + 1)))
                    .make();
            methods = concreteMethods(unloaded.getBytes());
            Class<?> c = unloaded.load(corpus, ClassLoadingStrategy.Default.WRAPPER).getLoaded();
            c.getDeclaredMethods();
            Object o = c.getConstructor().newInstance();
            Method m = null;
            for (Method candidate : type.getMethods()) {
                if (candidate.getName().equals(method) && Modifier.isAbstract(candidate.getModifiers())) {
                    m = candidate;
                    break;
                }
            }
            Object[] args = new Object[m.getParameterCount()];
            for (int i = 0; i < args.length; i++) {
                Class<?> p = m.getParameterTypes()[i];
                args[i] = p == int.class ? Integer.valueOf(i) : p == boolean.class ? Boolean.TRUE : p.isPrimitive() ? defaultPrimitive(p) : null;
            }
            Object r = c.getMethod(m.getName(), m.getParameterTypes()).invoke(o, args);
            return line(name, itf, "ok", o + " " + m.getName() + "=" + r, methods);
        } catch (Throwable t) {
            return line(name, itf, CorpusDriver.describe(root(t)), "-", methods);
        }
    }

    private static Throwable root(Throwable t) {
        while (t instanceof java.lang.reflect.InvocationTargetException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static String line(String name, String base, String outcome, String result, int methods) {
        return "GEN\t" + name + '\t' + base + '\t' + outcome + '\t' + result.replace('\t', ' ').replace('\n', ' ') + '\t' + methods;
    }

    /** Concrete methods of a class file, read with Byte Buddy's own copy of ASM. */
    static int concreteMethods(byte[] classFile) {
        int[] n = new int[1];
        new ClassReader(classFile).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String desc, String sig, String[] exc) {
                if ((access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) == 0) {
                    n[0]++;
                }
                return null;
            }
        }, ClassReader.SKIP_CODE);
        return n[0];
    }

    /** {@code toString} of the subclasses: the original's, through {@code @SuperCall}. */
    public static final class Describe {

        private Describe() {
        }

        public static String describe(@This Object self, @SuperCall Callable<?> zuper) throws Exception {
            return "<" + self.getClass().getSuperclass().getSimpleName() + ":" + zuper.call() + ">";
        }
    }

    /** The subclasses' new method {@code int generated(int)}. */
    public static final class Twice {

        private Twice() {
        }

        public static int generated(int x) {
            return 2 * x;
        }
    }

    /** Every abstract method of the implementations: a value made from the method and its arguments. */
    public static final class Any {

        private Any() {
        }

        @RuntimeType
        public static Object any(@Origin Method method, @AllArguments Object[] args) {
            Class<?> r = method.getReturnType();
            if (r == boolean.class) {
                return args.length % 2 == 0;
            }
            if (r == int.class) {
                return args.length;
            }
            if (r == void.class || r.isPrimitive()) {
                return r == void.class ? null : defaultPrimitive(r);
            }
            return r == String.class || r == Object.class || r == CharSequence.class
                    ? method.getName() + Arrays.toString(args) : null;
        }
    }

    static Object defaultPrimitive(Class<?> r) {
        if (r == long.class) {
            return 0L;
        }
        if (r == double.class) {
            return 0.0;
        }
        if (r == float.class) {
            return 0f;
        }
        if (r == short.class) {
            return (short) 0;
        }
        if (r == byte.class) {
            return (byte) 0;
        }
        if (r == char.class) {
            return 'x';
        }
        return null;
    }

    /** The same answers as {@link Any#any}, through an {@link InvocationHandler}. */
    public static final class Handler implements InvocationHandler {
        @Override
        public Object invoke(Object proxy, Method method, Object[] args) {
            return Any.any(method, args == null ? new Object[0] : args);
        }
    }

    /** Woven into {@code hashCode} with Byte Buddy's Advice (inlined into the generated method). */
    public static final class CountingAdvice {

        public static int calls;

        private CountingAdvice() {
        }

        @Advice.OnMethodEnter
        public static void enter() {
            calls++;
        }
    }
}
