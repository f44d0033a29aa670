package org.stampede.cli.plugins;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.Version;
import org.osgi.framework.wiring.FrameworkWiring;
import org.stampede.cli.internal.FileKind;

/**
 * A jar to install as a plug-in, checked before anything is installed: by {@code stampede control install} (the
 * command, before it sends the path, and the running client, before it installs), by the desktop client's Strategies
 * view, and at every start for the jars of {@link PersistedPlugins}. One set of rules for all:
 * <ol>
 * <li>The path names a regular file (not a folder, a FIFO, a device or a socket: told from its attributes, never by
 * opening it), not empty, at most {@link #MAX_JAR} bytes.</li>
 * <li>It is a jar whose manifest (at most {@link #MAX_ENTRY} bytes) has a {@code Bundle-SymbolicName} and a valid
 * {@code Bundle-Version}.</li>
 * <li>It is a plug-in: one of its Declarative Services components ({@code Service-Component}; at most
 * {@link #MAX_COMPONENT_FILES} descriptions of at most {@link #MAX_ENTRY} bytes each) provides a plug-in service:
 * a strategy, transport, transport layer, peer source, extension or tracker client ({@link #SERVICES}).</li>
 * <li>No bundle of its symbolic name is installed ({@link #checkInstallable}): not one of the running client's own
 * (the engine, the API, the framework...: a plug-in never replaces them), and not a plug-in at another version (or the
 * same): that one is uninstalled first.</li>
 * </ol>
 */
public final class PluginJar {
    /** Larger jars are refused (a plug-in is a few hundred KiB): this bounds what is read and copied. */
    public static final long MAX_JAR = 64L << 20;
    /** The manifest and each component description are read up to this many bytes; larger ones are refused. */
    public static final int MAX_ENTRY = 1 << 20;
    /** More component descriptions than this are refused. */
    public static final int MAX_COMPONENT_FILES = 256;

    /** The services that make a bundle a plug-in: the strategies, the engine's SPI, the tracker clients. */
    public static final Set<String> SERVICES = Set.of("org.stampede.api.PiecePickerFactory",
            "org.stampede.api.ChokerFactory", "org.stampede.spi.Transport", "org.stampede.spi.TransportLayer",
            "org.stampede.spi.PeerSource", "org.stampede.spi.Extension", "org.stampede.tracker.TrackerClientFactory");

    /** A jar that is not an installable plug-in; the message says which rule it breaks, naming the path. */
    public static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        public Refused(String message) {
            super(message);
        }
    }

    private final Path path;
    private final String symbolicName;
    private final Version version;
    private final List<String> services;

    private PluginJar(Path path, String symbolicName, Version version, List<String> services) {
        this.path = path;
        this.symbolicName = symbolicName;
        this.version = version;
        this.services = services;
    }

    public Path path() {
        return path;
    }

    public String symbolicName() {
        return symbolicName;
    }

    public String version() {
        return version.toString();
    }

    /** The plug-in services its components provide, in the order they are declared. */
    public List<String> services() {
        return services;
    }

    /**
     * Refuses a path that names no regular file of a plug-in's size, saying what it is instead; never opens it. A
     * caller that only has a path (the control channel, before anything else) uses this; {@link #read} does it first.
     */
    public static void checkFile(Path jar) throws Refused {
        FileKind kind = FileKind.of(jar);
        switch (kind) {
            case FILE -> {
                // below
            }
            case MISSING -> throw new Refused(jar + ": no such file");
            case INACCESSIBLE, DANGLING_LINK -> throw new Refused(FileKind.describe(jar, kind));
            default -> throw new Refused(FileKind.describe(jar, kind) + ", not a jar file");
        }
        long size;
        try {
            size = Files.size(jar);
        } catch (IOException e) {
            throw new Refused(jar + ": cannot read its size (" + oneLine(e) + ")");
        }
        if (size == 0) {
            throw new Refused(jar + " is empty, not a jar file");
        }
        if (size > MAX_JAR) {
            throw new Refused(jar + " is " + size + " bytes, larger than a plug-in may be (" + MAX_JAR + " bytes)");
        }
    }

    /** Reads what the jar is, by the rules above but the last (which needs the framework: {@link #checkInstallable}). */
    public static PluginJar read(Path jar) throws Refused {
        checkFile(jar);
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            ZipEntry entry = zip.getEntry(JarFile.MANIFEST_NAME);
            if (entry == null) {
                throw new Refused(jar + ": not an OSGi bundle (the jar has no " + JarFile.MANIFEST_NAME + ")");
            }
            Manifest manifest = new Manifest(new ByteArrayInputStream(bounded(zip, entry, jar, "its manifest")));
            String bsn = manifest.getMainAttributes().getValue(Constants.BUNDLE_SYMBOLICNAME);
            String name = bsn == null ? "" : bsn.split(";", 2)[0].strip();
            if (name.isEmpty()) {
                throw new Refused(jar + ": not an OSGi bundle (its manifest has no " + Constants.BUNDLE_SYMBOLICNAME
                        + ")");
            }
            Version version;
            try {
                version = Version.parseVersion(manifest.getMainAttributes().getValue(Constants.BUNDLE_VERSION));
            } catch (IllegalArgumentException e) {
                throw new Refused(jar + ": " + name + " has an invalid " + Constants.BUNDLE_VERSION + " ("
                        + oneLine(e) + ")");
            }
            List<String> services = pluginServices(zip, jar, name,
                    manifest.getMainAttributes().getValue("Service-Component"));
            if (services.isEmpty()) {
                throw new Refused(jar + ": " + name + " " + version + " is not a plug-in: none of its Declarative"
                        + " Services components (Service-Component) provides a strategy, transport, transport layer,"
                        + " peer source, extension or tracker client");
            }
            return new PluginJar(jar, name, version, services);
        } catch (ZipException e) {
            throw new Refused(jar + ": not a jar file (" + oneLine(e) + ")");
        } catch (IOException | RuntimeException e) {
            throw new Refused(jar + ": not readable as a jar (" + oneLine(e) + ")");
        }
    }

    /** The paths the {@code Service-Component} header names, without a leading '/' (the last segment may hold '*'). */
    private static List<String> componentPaths(String header) {
        List<String> out = new ArrayList<>();
        if (header != null) {
            for (String part : header.split(",")) {
                String p = part.split(";", 2)[0].strip();
                p = p.startsWith("/") ? p.substring(1) : p;
                if (!p.isEmpty()) {
                    out.add(p);
                }
            }
        }
        return out;
    }

    /** The plug-in services the components named by the {@code Service-Component} header provide. */
    private static List<String> pluginServices(ZipFile zip, Path jar, String name, String header)
            throws Refused, IOException {
        List<ZipEntry> files = new ArrayList<>();
        for (String p : componentPaths(header)) {
            int slash = p.lastIndexOf('/');
            if (p.indexOf('*', slash + 1) < 0) {
                ZipEntry e = zip.getEntry(p);
                if (e != null) {
                    files.add(e);
                }
            } else { // a wildcard in the last segment, as OSGi allows
                String folder = p.substring(0, slash + 1);
                PathMatcher glob = FileSystems.getDefault().getPathMatcher("glob:" + p.substring(slash + 1));
                for (Enumeration<? extends ZipEntry> all = zip.entries(); all.hasMoreElements();) {
                    ZipEntry e = all.nextElement();
                    String n = e.getName();
                    if (!e.isDirectory() && n.startsWith(folder) && n.indexOf('/', folder.length()) < 0
                            && glob.matches(Path.of(n.substring(folder.length())))) {
                        files.add(e);
                    }
                }
            }
            if (files.size() > MAX_COMPONENT_FILES) {
                throw new Refused(jar + ": " + name + " names more than " + MAX_COMPONENT_FILES
                        + " component descriptions");
            }
        }
        Set<String> out = new LinkedHashSet<>();
        for (ZipEntry e : files) {
            out.addAll(provided(bounded(zip, e, jar, e.getName()), jar, e.getName()));
        }
        out.retainAll(SERVICES);
        return List.copyOf(out);
    }

    /** The interfaces the {@code <provide interface="...">} elements of a component description name. */
    private static Set<String> provided(byte[] xml, Path jar, String entry) throws Refused {
        XMLInputFactory f = XMLInputFactory.newFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false); // no entities: nothing outside these bytes is read
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        Set<String> out = new LinkedHashSet<>();
        try {
            XMLStreamReader r = f.createXMLStreamReader(new ByteArrayInputStream(xml));
            try {
                while (r.hasNext()) {
                    if (r.next() == XMLStreamConstants.START_ELEMENT && r.getLocalName().equals("provide")) {
                        String type = r.getAttributeValue(null, "interface");
                        if (type != null) {
                            out.add(type.strip());
                        }
                    }
                }
            } finally {
                r.close();
            }
        } catch (XMLStreamException | RuntimeException e) {
            throw new Refused(jar + ": its component description " + entry + " is not valid XML (" + oneLine(e) + ")");
        }
        return out;
    }

    /** An entry's bytes, at most {@link #MAX_ENTRY} of them whatever size it claims; a larger one is refused. */
    private static byte[] bounded(ZipFile zip, ZipEntry entry, Path jar, String what) throws IOException, Refused {
        byte[] bytes;
        try (InputStream in = zip.getInputStream(entry)) {
            bytes = in.readNBytes(MAX_ENTRY + 1);
        }
        if (bytes.length > MAX_ENTRY) {
            throw new Refused(jar + ": " + what + " is larger than " + MAX_ENTRY + " bytes");
        }
        return bytes;
    }

    /**
     * Refuses the jar when a bundle of its symbolic name is installed in the framework of {@code context}: one of the
     * running client's own (a plug-in never replaces the engine, the API or the framework), or a plug-in, which is
     * uninstalled first to install another version of it.
     */
    public void checkInstallable(BundleContext context) throws Refused {
        if (Constants.SYSTEM_BUNDLE_SYMBOLICNAME.equals(symbolicName)) {
            throw new Refused(path + ": " + symbolicName + " is the framework's name; a plug-in cannot take it");
        }
        for (Bundle b : context.getBundles()) {
            if (!symbolicName.equals(b.getSymbolicName())) {
                continue;
            }
            String refused = path + ": " + symbolicName + " " + version + " is refused: ";
            if (b.getBundleId() == 0 || !isPlugin(b)) {
                throw new Refused(refused + symbolicName + " is one of the client's own bundles (version "
                        + b.getVersion() + ", bundle " + b.getBundleId() + "), which no plug-in may replace");
            }
            throw new Refused(refused + "the plug-in " + symbolicName + " " + b.getVersion() + " is installed (bundle "
                    + b.getBundleId() + "); uninstall it first");
        }
    }

    /**
     * Whether an installed bundle is a plug-in: it registers a plug-in service, or one of its Declarative Services
     * components provides one (a component may wait for its configuration before it registers anything).
     */
    public static boolean isPlugin(Bundle b) {
        ServiceReference<?>[] registered = b.getRegisteredServices();
        if (registered != null) {
            for (ServiceReference<?> s : registered) {
                if (s.getProperty(Constants.OBJECTCLASS) instanceof String[] names) {
                    for (String n : names) {
                        if (SERVICES.contains(n)) {
                            return true;
                        }
                    }
                }
            }
        }
        List<URL> files = new ArrayList<>();
        for (String p : componentPaths(b.getHeaders("").get("Service-Component"))) {
            int slash = p.lastIndexOf('/');
            if (p.indexOf('*', slash + 1) < 0) {
                URL u = b.getEntry(p);
                if (u != null) {
                    files.add(u);
                }
            } else {
                Enumeration<URL> found = b.findEntries(slash < 0 ? "/" : p.substring(0, slash), p.substring(slash + 1),
                        false);
                while (found != null && found.hasMoreElements() && files.size() <= MAX_COMPONENT_FILES) {
                    files.add(found.nextElement());
                }
            }
        }
        for (URL u : files.subList(0, Math.min(files.size(), MAX_COMPONENT_FILES))) {
            try (InputStream in = u.openStream()) {
                byte[] xml = in.readNBytes(MAX_ENTRY + 1);
                if (xml.length <= MAX_ENTRY && provided(xml, null, u.getPath()).stream().anyMatch(SERVICES::contains)) {
                    return true;
                }
            } catch (IOException | Refused | RuntimeException e) {
                // not readable: it declares nothing that counts
            }
        }
        return false;
    }

    /**
     * Installs the jar ({@link #checkInstallable checked} first) as a bundle at its {@code file:} URI and starts it
     * (by its activation policy). A bundle that does not install, resolve or start is uninstalled again; the message
     * says why.
     */
    public Bundle install(BundleContext context) throws Refused {
        String location = path.toUri().toString();
        Bundle existing = context.getBundle(location);
        if (existing != null) {
            throw new Refused(path + " is installed already (bundle " + existing.getBundleId() + ")");
        }
        checkInstallable(context);
        Bundle b;
        try {
            b = context.installBundle(location);
        } catch (BundleException | RuntimeException e) {
            throw new Refused(path + ": not installable as a bundle: " + oneLine(e));
        }
        try {
            b.start(Bundle.START_ACTIVATION_POLICY);
        } catch (BundleException | RuntimeException e) {
            String what = b.getSymbolicName() + " " + b.getVersion();
            uninstall(context, b);
            throw new Refused(what + " does not "
                    + (e instanceof BundleException be && be.getType() == BundleException.RESOLVE_ERROR ? "resolve"
                            : "start")
                    + ", so it was uninstalled again: " + oneLine(e));
        }
        return b;
    }

    /** Uninstalls a bundle that failed and has the framework forget its wiring (without waiting for that). */
    private static void uninstall(BundleContext context, Bundle b) {
        try {
            b.uninstall();
            context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).adapt(FrameworkWiring.class)
                    .refreshBundles(Collections.singleton(b));
        } catch (BundleException | RuntimeException e) {
            // the message that follows says it failed; nothing more to undo
        }
    }

    private static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.toString() : e.getMessage();
        return m.replaceAll("[\\r\\n]+", " ").strip();
    }
}
