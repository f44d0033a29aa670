package org.stampede.releng.apibaseline;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.jar.Manifest;

import aQute.bnd.differ.DiffPluginImpl;
import aQute.bnd.header.Attrs;
import aQute.bnd.header.OSGiHeader;
import aQute.bnd.header.Parameters;
import aQute.bnd.osgi.Analyzer;
import aQute.bnd.osgi.Clazz;
import aQute.bnd.osgi.Constants;
import aQute.bnd.osgi.Descriptors;
import aQute.bnd.osgi.Descriptors.TypeRef;
import aQute.bnd.osgi.Instructions;
import aQute.bnd.osgi.Jar;
import aQute.bnd.osgi.Processor;
import aQute.bnd.service.diff.Delta;
import aQute.bnd.service.diff.Tree;
import aQute.bnd.service.diff.Tree.Data;
import aQute.bnd.service.diff.Type;
import aQute.bnd.version.Version;
import aQute.lib.json.JSONCodec;

/**
 * The API of a bundle as bnd's differ sees it, restricted to the packages the bundle exports publicly, and its
 * text form (the committed baseline).
 * <p>
 * The tree is a {@code BUNDLE} element named after the bundle's symbolic name with one child, {@code <api>}, that
 * holds one {@code PACKAGE} element per public package: its classes, their members, modifiers, return types,
 * annotations (so {@code @ProviderType} and {@code @ConsumerType}) and a {@code VERSION} element with the exported
 * version. This is the tree {@link aQute.bnd.differ.Baseline} compares. It differs from bnd's in three ways. Two
 * make it depend on the bundle's own classes alone: classes outside the jar (the JDK's, other bundles') are not
 * looked up, so a class extending {@code RuntimeException} records the {@code extends} but not the members it
 * inherits from the JDK, which would change with the JDK that runs the build; and the class-file versions bnd lists
 * under {@code <api>} are left out (the compiler's target is not API). The third works around a bug of bnd 7.2.1:
 * see {@link #fixAddedMethods}.
 */
public final class ApiTree {

    /** The differ's name of the API subtree. */
    public static final String API = "<api>";

    private static final Set<String> PROVIDER_TYPE = Set.of("org.osgi.annotation.versioning.ProviderType",
            "aQute.bnd.annotation.ProviderType");
    private static final Set<String> CONSUMER_TYPE = Set.of("org.osgi.annotation.versioning.ConsumerType",
            "aQute.bnd.annotation.ConsumerType");

    private ApiTree() {
    }

    /**
     * The packages a bundle exports publicly, with their versions: Export-Package clauses without
     * {@code x-internal:=true} and without {@code x-friends}.
     */
    public static Map<String, Version> publicExports(Manifest manifest) {
        Map<String, Version> result = new TreeMap<>();
        publicExportClauses(manifest).forEach((name, attrs) -> {
            String version = attrs.getVersion();
            result.put(name, version == null ? Version.emptyVersion
                    : Version.parseVersion(version).getWithoutQualifier());
        });
        return result;
    }

    private static Map<String, Attrs> publicExportClauses(Manifest manifest) {
        Map<String, Attrs> result = new TreeMap<>();
        if (manifest == null) {
            return result;
        }
        Parameters exports = OSGiHeader.parseHeader(manifest.getMainAttributes().getValue(Constants.EXPORT_PACKAGE));
        for (Map.Entry<String, Attrs> e : exports.entrySet()) {
            Attrs attrs = e.getValue();
            if (!"true".equalsIgnoreCase(attrs.get("x-internal:")) && !attrs.containsKey("x-friends:")) {
                result.put(Processor.removeDuplicateMarker(e.getKey()), attrs);
            }
        }
        return result;
    }

    /** The API tree of a bundle jar (see the class comment). */
    public static Tree of(Jar jar) throws Exception {
        Manifest manifest = jar.getManifest();
        if (manifest == null) {
            throw new IllegalArgumentException(jar.getSource() + " has no manifest");
        }
        String bsn = jar.getBsn();
        if (bsn == null) {
            throw new IllegalArgumentException(jar.getSource() + " is not a bundle (no Bundle-SymbolicName)");
        }
        Map<String, Attrs> exports = publicExportClauses(manifest);
        DiffPluginImpl differ = new DiffPluginImpl();
        Tree bundle;
        try (Analyzer analyzer = new JarOnlyAnalyzer(jar)) {
            bundle = differ.tree(analyzer);
        }
        Data api = bundle.get(API).serialize();
        api.children = Arrays.stream(api.children)
                .filter(p -> p.type == Type.PACKAGE && exports.containsKey(p.name))
                .toArray(Data[]::new);
        for (Data p : api.children) {
            String providers = exports.get(p.name).get(Constants.PROVIDER_TYPE_DIRECTIVE);
            Instructions matchers = providers == null ? null : new Instructions(providers);
            for (Data type : p.children) {
                if (type.type == Type.INTERFACE) {
                    fixAddedMethods(type, matchers != null && matchers.matches(Descriptors.getShortName(type.name)));
                }
            }
        }
        Data top = new Data();
        top.type = Type.BUNDLE;
        top.name = bsn;
        top.add = Delta.CHANGED;
        top.rem = Delta.CHANGED;
        top.children = new Data[] { api };
        return differ.deserialize(top);
    }

    /**
     * Sets, on each method of an interface, the change its addition makes by bnd's rule: an abstract method added to
     * a consumer type is MAJOR, any other method MINOR. bnd 7.2.1 means to do this ({@code JavaElement}), but once
     * it has met a default method of an interface it marks every method it meets after it MINOR, so an abstract
     * method added to a {@code @ConsumerType} interface that declares a default method before it would pass as a
     * minor change.
     *
     * @param provider whether the package's {@code x-provider-type} directive names the interface (bnd's other way
     *        to say {@code @ProviderType}); its annotations decide over it
     */
    private static void fixAddedMethods(Data type, boolean provider) {
        for (Data c : type.children) {
            if (c.type == Type.ANNOTATED && PROVIDER_TYPE.contains(c.name)) {
                provider = true;
            } else if (c.type == Type.ANNOTATED && CONSUMER_TYPE.contains(c.name)) {
                provider = false;
            }
        }
        for (Data m : type.children) {
            if (m.type == Type.METHOD) {
                boolean isAbstract = m.children != null && Arrays.stream(m.children)
                        .anyMatch(a -> a.type == Type.ACCESS && "abstract".equals(a.name));
                m.add = isAbstract && !provider ? Delta.MAJOR : Delta.MINOR;
            }
        }
    }

    /** The bundle's symbolic name: the name of the tree. */
    public static String bsn(Tree tree) {
        return tree.getName();
    }

    /** The packages of an API tree with their versions (from the VERSION elements; 0.0.0 where there is none). */
    public static Map<String, Version> versions(Tree tree) {
        Map<String, Version> result = new TreeMap<>();
        Tree api = tree.get(API);
        if (api == null) {
            return result;
        }
        for (Tree p : api.getChildren()) {
            if (p.getType() != Type.PACKAGE) {
                continue;
            }
            Version v = Version.emptyVersion;
            for (Tree c : p.getChildren()) {
                if (c.getType() == Type.VERSION) {
                    v = Version.parseVersion(c.getName());
                }
            }
            result.put(p.getName(), v);
        }
        return result;
    }

    /**
     * The text form: the tree's {@link Tree.Data} as JSON that bnd's {@link JSONCodec} reads back, one element a
     * line, children indented under their parent and in the differ's order, so that an API change is a small
     * diff. {@code add} and {@code rem} (the change an element's addition and removal make) are left out where
     * they are {@link Data}'s defaults, MINOR and MAJOR.
     */
    public static String toJson(Tree tree, String comment) {
        Data data = tree.serialize();
        data.comment = comment;
        StringBuilder sb = new StringBuilder();
        write(sb, data, "");
        return sb.append('\n').toString();
    }

    /** Reads the text form back. */
    public static Tree fromJson(String json) throws Exception {
        Data data = new JSONCodec().dec().from(json).get(Data.class);
        if (data == null || data.name == null || data.type != Type.BUNDLE) {
            throw new IOException("not an API baseline (expected a BUNDLE element at the top)");
        }
        data.comment = null;
        return new DiffPluginImpl().deserialize(data);
    }

    private static void write(StringBuilder sb, Data d, String indent) {
        sb.append(indent).append("{\"type\": ");
        string(sb, d.type.name());
        sb.append(", \"name\": ");
        string(sb, d.name);
        if (d.add != Delta.MINOR) {
            sb.append(", \"add\": ");
            string(sb, d.add.name());
        }
        if (d.rem != Delta.MAJOR) {
            sb.append(", \"rem\": ");
            string(sb, d.rem.name());
        }
        if (d.comment != null) {
            sb.append(", \"comment\": ");
            string(sb, d.comment);
        }
        List<Data> children = d.children == null ? List.of() : new ArrayList<>(Arrays.asList(d.children));
        if (children.isEmpty()) {
            sb.append('}');
            return;
        }
        sb.append(", \"children\": [\n");
        for (int i = 0; i < children.size(); i++) {
            write(sb, children.get(i), indent + "  ");
            sb.append(i < children.size() - 1 ? ",\n" : "]}");
        }
    }

    private static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
            case '"' -> sb.append("\\\"");
            case '\\' -> sb.append("\\\\");
            case '\n' -> sb.append("\\n");
            case '\r' -> sb.append("\\r");
            case '\t' -> sb.append("\\t");
            default -> {
                if (c < 0x20 || c == 0x7f) {
                    sb.append(String.format("\\u%04x", (int) c));
                } else {
                    sb.append(c);
                }
            }
            }
        }
        sb.append('"');
    }

    /** An analyzer that finds only the classes inside the jar (bnd's falls back to the JVM's class path). */
    private static final class JarOnlyAnalyzer extends Analyzer {
        JarOnlyAnalyzer(Jar jar) throws Exception {
            super(jar);
        }

        @Override
        public Clazz findClass(TypeRef type) throws Exception {
            return getJar().getResource(type.getPath()) == null ? null : super.findClass(type);
        }
    }
}
