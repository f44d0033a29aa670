package org.stampede.releng.apibaseline;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import org.osgi.annotation.versioning.ProviderType;

import aQute.bnd.osgi.Jar;
import aQute.bnd.service.diff.Tree;

/** Small bundles compiled from source in a test: one version of an API each. */
final class TestBundles {

    static final String BSN = "test.api";

    private final Path dir;
    private int count;

    TestBundles(Path dir) {
        this.dir = dir;
    }

    /**
     * Compiles the sources (each a compilation unit; its package and type names decide its path) into a bundle
     * {@value #BSN} exporting {@code exports} (an Export-Package header), and writes its jar.
     */
    Path jar(String exports, String... sources) throws Exception {
        Path base = dir.resolve("v" + (++count));
        Path src = base.resolve("src");
        Path classes = base.resolve("classes");
        Files.createDirectories(classes);
        List<String> options = List.of("--release", "21", "-proc:none", "-d", classes.toString(), "-cp",
                location(ProviderType.class));
        List<String> files = new ArrayList<>();
        Pattern pkg = Pattern.compile("package\\s+([\\w.]+)\\s*;");
        Pattern type = Pattern.compile("(?:class|interface|enum|record|@interface)\\s+(\\w+)");
        for (String source : sources) {
            Matcher p = pkg.matcher(source);
            Matcher t = type.matcher(source);
            if (!p.find() || !t.find()) {
                throw new IllegalArgumentException("no package or type in " + source);
            }
            Path file = src.resolve(p.group(1).replace('.', '/')).resolve(t.group(1) + ".java");
            Files.createDirectories(file.getParent());
            Files.writeString(file, source);
            files.add(file.toString());
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter out = new StringWriter();
        if (javac.getTask(out, null, null, options, null,
                javac.getStandardFileManager(null, null, null).getJavaFileObjectsFromStrings(files)).call()
                != Boolean.TRUE) {
            throw new IllegalStateException("compilation failed:\n" + out);
        }
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", BSN);
        main.putValue("Bundle-Version", "1.0.0.qualifier");
        main.putValue("Export-Package", exports);
        Path path = base.resolve(BSN + ".jar");
        try (Jar jar = new Jar(BSN, classes.toFile())) {
            jar.setManifest(manifest);
            jar.write(path.toFile());
        }
        return path;
    }

    /** The API tree of a bundle like {@link #jar}'s. */
    Tree api(String exports, String... sources) throws Exception {
        try (Jar jar = new Jar(jar(exports, sources).toFile())) {
            return ApiTree.of(jar);
        }
    }

    private static String location(Class<?> c) throws URISyntaxException, IOException {
        return new File(c.getProtectionDomain().getCodeSource().getLocation().toURI()).getCanonicalPath();
    }
}
