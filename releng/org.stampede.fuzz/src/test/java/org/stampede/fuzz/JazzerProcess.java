package org.stampede.fuzz;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts Jazzer's command line driver on one {@code @FuzzTest} in a JVM of its own, with coverage instrumentation of
 * Stampede's classes (the bundles' jars on a flat class path: no OSGi class loaders between the agent and them).
 * Arguments not starting with {@code --} go to libFuzzer: corpus folders first (new inputs go to the first), then
 * flags such as {@code -runs=N}.
 */
final class JazzerProcess {
    /** Heap of the fuzzing JVM: small, so that an allocation a claimed length drives fails fast. */
    static final String HEAP = "-Xmx512m";

    private JazzerProcess() {
    }

    /**
     * @param classPath the test classes and every jar they need (the module's target/fuzz-classpath.txt)
     * @param directory the working directory; where it has {@code src/test/resources}, Jazzer creates the fuzz test's
     *                  inputs folder there (the module's folder for a long run, never for the build's short run)
     * @param tmp       the JVM's temporary folder (Jazzer unpacks its native driver there)
     */
    static ProcessBuilder builder(String classPath, Path directory, Path tmp, String className, String method,
            List<String> args) throws IOException {
        Files.createDirectories(tmp);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add(HEAP);
        command.add("-XX:+EnableDynamicAgentLoading");
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-Djava.io.tmpdir=" + tmp);
        command.add("-cp");
        command.add(classPath);
        command.add("com.code_intelligence.jazzer.Jazzer");
        command.add("--target_class=" + className);
        command.add("--target_method=" + method);
        command.add("--instrumentation_includes=org.stampede.**");
        command.add("--custom_hook_includes=org.stampede.**");
        command.add("--reproducer_path=" + tmp);
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).directory(directory.toFile());
        pb.environment().remove("JAZZER_FUZZ");
        return pb;
    }

    /** @return the class path of the fuzz targets: the test classes, then the jars listed by the build */
    static String classPath(Path testClasses, Path classPathFile) throws IOException {
        return testClasses + java.io.File.pathSeparator + Files.readString(classPathFile).strip();
    }
}
