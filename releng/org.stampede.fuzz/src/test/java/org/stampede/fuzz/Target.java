package org.stampede.fuzz;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The fuzz targets: each a {@code @FuzzTest} method taking the raw input bytes, with its corpus in the test resources
 * where Jazzer's regression mode finds it ({@code src/test/resources/<package>/<Class>Inputs/<method>/}).
 */
public enum Target {
    BENCODE("org.stampede.bencode.BencodeFuzzTest", "decode"),
    TORRENT("org.stampede.metainfo.MetainfoFuzzTest", "torrent"),
    MAGNET("org.stampede.metainfo.MetainfoFuzzTest", "magnet"),
    WIRE("org.stampede.wire.WireFuzzTest", "peer"),
    HTTP_TRACKER("org.stampede.tracker.internal.TrackerReplyFuzzTest", "http"),
    UDP_TRACKER("org.stampede.tracker.internal.TrackerReplyFuzzTest", "udp"),
    TRACKER_REQUEST("org.stampede.tracker.server.internal.TrackerRequestFuzzTest", "http"),
    UDP_TRACKER_REQUEST("org.stampede.tracker.server.internal.TrackerRequestFuzzTest", "udp"),
    CONTROL("org.stampede.cli.internal.ControlProtocolFuzzTest", "request");

    private final String className;
    private final String method;
    private MethodHandle handle;

    Target(String className, String method) {
        this.className = className;
        this.method = method;
    }

    /** @return the name run.sh takes: {@code bencode}, {@code http-tracker}, ... */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public String className() {
        return className;
    }

    public String method() {
        return method;
    }

    /** @return the corpus folder under a source or output root of test resources */
    public Path corpus(Path resourcesRoot) {
        int dot = className.lastIndexOf('.');
        Path dir = resourcesRoot;
        for (String part : className.substring(0, dot).split("\\.")) {
            dir = dir.resolve(part);
        }
        return dir.resolve(className.substring(dot + 1) + "Inputs").resolve(method);
    }

    /** @return the target named {@code id} (see {@link #id()}) */
    public static Target of(String id) {
        for (Target t : values()) {
            if (t.id().equals(id)) {
                return t;
            }
        }
        throw new IllegalArgumentException("no fuzz target '" + id + "'");
    }

    /** Runs the target on one input, in this JVM: what {@link AllTargetsFuzzTest} dispatches to. */
    void run(byte[] input) throws Throwable {
        if (handle == null) {
            Class<?> c = Class.forName(className);
            var constructor = c.getDeclaredConstructor();
            constructor.setAccessible(true);
            var m = c.getDeclaredMethod(method, byte[].class);
            m.setAccessible(true);
            handle = MethodHandles.lookup().unreflect(m).bindTo(constructor.newInstance())
                    .asType(MethodType.methodType(void.class, byte[].class));
        }
        handle.invokeExact(input);
    }
}
