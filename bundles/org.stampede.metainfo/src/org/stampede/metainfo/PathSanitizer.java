package org.stampede.metainfo;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Turns the file paths of a torrent, which are untrusted bytes, into relative paths that cannot
 * name anything outside the download folder and that can be created on Linux, macOS and Windows
 * alike.
 *
 * <h2>How to use it</h2>
 * A torrent path is a list of components, each a {@code byte[]} (torrent paths are bytes and need
 * not be UTF-8). Sanitise the torrent {@code name} as a one-component path first:
 * <ul>
 * <li>single-file torrent: {@code sanitize(List.of(name)).resolveUnder(downloadDir)} is the file;</li>
 * <li>multi-file torrent: {@code torrentRoot = sanitize(List.of(name)).resolveUnder(downloadDir)};
 * then {@code sanitizeAll(paths)} and {@code resolveUnder(torrentRoot)} for each file.</li>
 * </ul>
 * {@link SafePath#resolveUnder(Path)} checks again, lexically, that the result stays under the
 * given root.
 *
 * <h2>Policy</h2>
 * Each rule either <b>rejects</b> the path with a {@link MetainfoException} naming the rule and the
 * component, or <b>sanitises</b> it and records what it did in {@link SafePath#fixes()}. Rules are
 * the same on every operating system, so a torrent yields the same names everywhere.
 * <table>
 * <caption>Rules, in the order they are applied</caption>
 * <tr><th>Rule</th><th>Action</th></tr>
 * <tr><td>more than {@value #MAX_COMPONENTS} components, or more than {@value #MAX_PATH_BYTES}
 * bytes in all (raw input, or the sanitised result joined with {@code /})</td><td>reject</td></tr>
 * <tr><td>empty component, or {@code .}</td><td>sanitise: dropped (a path with nothing left is
 * rejected)</td></tr>
 * <tr><td>NUL byte</td><td>reject</td></tr>
 * <tr><td>invalid UTF-8 (including overlong forms such as {@code C0 AF} and encoded
 * surrogates)</td><td>sanitise: each bad sequence becomes {@code _}</td></tr>
 * <tr><td>{@code ..}</td><td>reject (the torrent is hostile)</td></tr>
 * <tr><td>only dots ({@code ...})</td><td>reject</td></tr>
 * <tr><td>{@code /} inside a component (absolute path such as {@code /etc/passwd}, or hidden
 * structure): {@code /} is a separator on every system and can never be part of a real file
 * name</td><td>reject</td></tr>
 * <tr><td>control characters U+0000-U+001F, U+007F-U+009F</td><td>sanitise: {@code _}</td></tr>
 * <tr><td>bidi controls U+061C, U+200E, U+200F, U+202A-U+202E, U+2066-U+2069 (they disguise
 * names, e.g. {@code exe.txt} shown for {@code txt.exe})</td><td>sanitise: {@code _}</td></tr>
 * <tr><td>U+FFFD</td><td>sanitise: {@code _}</td></tr>
 * <tr><td>{@code \ : * ? " < > |}: separators, drive letters ({@code C:}), alternate data
 * streams ({@code a:b}) and wildcards on Windows, legal but unusual elsewhere</td><td>sanitise:
 * {@code _}</td></tr>
 * <tr><td>Windows device names CON, PRN, AUX, NUL, COM0-9, LPT0-9 (also with superscript digits),
 * CONIN$, CONOUT$, in any case, with or without an extension ({@code CON.txt})</td><td>sanitise:
 * {@code _} appended to the device name ({@code CON_.txt})</td></tr>
 * <tr><td>trailing dot or space (Windows strips them, which can make two names one, or
 * {@code ". "} into {@code .})</td><td>sanitise: {@code _} appended</td></tr>
 * <tr><td>component over {@value #MAX_COMPONENT_BYTES} UTF-8 bytes</td><td>sanitise: truncated at
 * a code-point boundary, keeping an extension of up to {@value #MAX_EXTENSION_BYTES}
 * bytes</td></tr>
 * <tr><td>across files ({@link #sanitizeAll}): identical paths, paths equal ignoring case and
 * Unicode normalisation (Windows, macOS), a file that is also a directory of another
 * file</td><td>sanitise: the later one is renamed {@code name.1.ext}, {@code name.2.ext}, ...
 * </td></tr>
 * <tr><td>symlink target ({@link #sanitizeSymlinkTarget}) that climbs above the torrent root, is the
 * root, or is the link itself or a directory containing it</td><td>reject</td></tr>
 * </table>
 *
 * <h2>Symbolic links (BEP 47)</h2>
 * A target is sanitised like a file path, except that {@code ..} is resolved lexically as long as
 * it stays inside the torrent root. The result contains no {@code ..}. Create the link with an
 * <em>absolute</em> target, {@code createSymbolicLink(link.resolveUnder(root),
 * target.resolveUnder(root))}, never with relative text: relative text containing {@code ..} is
 * resolved by the operating system against the link's <em>physical</em> directory, which another
 * symlink of the same torrent could have moved. Since every link then points inside the root, any
 * chain of them stays inside. Clients should still write links after all regular files and should
 * not write files through links.
 */
public final class PathSanitizer {

    /** Longest component, in UTF-8 bytes, after sanitising; longer ones are truncated. */
    public static final int MAX_COMPONENT_BYTES = 255;

    /** Longest path, in UTF-8 bytes with {@code /} separators; longer paths are rejected. */
    public static final int MAX_PATH_BYTES = 4096;

    /** Most components in a path; deeper paths are rejected. */
    public static final int MAX_COMPONENTS = 100;

    /** Longest extension (including the dot), in UTF-8 bytes, kept when a component is truncated. */
    public static final int MAX_EXTENSION_BYTES = 32;

    private static final Set<String> DEVICE_NAMES = deviceNames();

    private PathSanitizer() {
    }

    private static Set<String> deviceNames() {
        Set<String> names = new HashSet<>(List.of("CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"));
        for (String digit : List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "\u00B9", "\u00B2", "\u00B3")) {
            names.add("COM" + digit);
            names.add("LPT" + digit);
        }
        return Set.copyOf(names);
    }

    /**
     * A sanitised relative path: 1 to {@value #MAX_COMPONENTS} components, each already safe (not
     * empty, {@code .} or {@code ..}, no separator, NUL, control or bidi character, at most
     * {@value #MAX_COMPONENT_BYTES} UTF-8 bytes), at most {@value #MAX_PATH_BYTES} bytes in all.
     * The constructor enforces this, so a {@code SafePath} cannot be built from unsafe parts.
     *
     * @param components the path components, outermost first; unmodifiable
     * @param fixes human-readable notes of what was sanitised, empty if nothing was; unmodifiable
     */
    public record SafePath(List<String> components, List<String> fixes) {

        /**
         * @throws IllegalArgumentException if a component is not safe (it would change if it were
         *         sanitised) or the path is empty or too long
         */
        public SafePath {
            components = List.copyOf(components);
            fixes = List.copyOf(fixes);
            if (components.isEmpty() || components.size() > MAX_COMPONENTS) {
                throw new IllegalArgumentException("a safe path has 1 to " + MAX_COMPONENTS + " components, not "
                        + components.size());
            }
            for (String c : components) {
                if (!isSafeComponent(c)) {
                    throw new IllegalArgumentException("unsafe path component " + MetainfoException.quote(c));
                }
            }
            if (joinedBytes(components) > MAX_PATH_BYTES) {
                throw new IllegalArgumentException("a safe path has at most " + MAX_PATH_BYTES + " bytes");
            }
        }

        /** @return the components joined with {@code /} */
        public String relativePath() {
            return String.join("/", components);
        }

        /**
         * Resolves this path under {@code root}, and checks that the result is a proper descendant
         * of the normalised, absolute root and that no component was interpreted as anything but one
         * plain name.
         *
         * @param root the download folder (or torrent root folder)
         * @return the absolute, normalised path of the file
         * @throws MetainfoException if the file system of {@code root} cannot represent a component
         *         or the check fails
         */
        public Path resolveUnder(Path root) throws MetainfoException {
            Path base = root.toAbsolutePath().normalize();
            FileSystem fs = base.getFileSystem();
            Path result = base;
            for (String c : components) {
                Path part;
                try {
                    part = fs.getPath(c);
                } catch (InvalidPathException e) {
                    throw new MetainfoException("path " + MetainfoException.quote(relativePath()) + ": component "
                            + MetainfoException.quote(c) + " is not a valid name on this file system", e);
                }
                if (part.isAbsolute() || part.getRoot() != null || part.getNameCount() != 1
                        || !part.getFileName().toString().equals(c)) {
                    throw new MetainfoException("path " + MetainfoException.quote(relativePath()) + ": component "
                            + MetainfoException.quote(c) + " is not a single plain name on this file system");
                }
                result = result.resolve(part);
            }
            Path normal = result.normalize();
            if (!normal.equals(result) || !normal.startsWith(base) || normal.equals(base)) {
                throw new MetainfoException("path " + MetainfoException.quote(relativePath())
                        + " would resolve outside " + MetainfoException.quote(base.toString()));
            }
            return normal;
        }
    }

    // ---------------------------------------------------------------- single paths

    /**
     * Sanitises one file path.
     *
     * @param components the raw path components from the torrent, outermost first
     * @return the safe path and the notes of what was sanitised
     * @throws MetainfoException if a reject rule applies; the message names the rule and component
     */
    public static SafePath sanitize(List<byte[]> components) throws MetainfoException {
        List<String> fixes = new ArrayList<>();
        List<String> out = new ArrayList<>(components.size());
        checkRawSize(components, "path");
        for (int i = 0; i < components.size(); i++) {
            byte[] raw = Objects.requireNonNull(components.get(i), "component");
            if (dropped(raw, i, fixes)) {
                continue;
            }
            out.add(clean(raw, "path component " + i, fixes));
        }
        if (out.isEmpty()) {
            throw new MetainfoException("path " + describe(components)
                    + " has no components left after dropping empty and '.' ones (rejected)");
        }
        checkJoinedSize(out, "path");
        return new SafePath(out, fixes);
    }

    /**
     * Sanitises a single name, e.g. a torrent name to be used as a file or folder name.
     *
     * @param component the raw name
     * @return the safe name
     * @throws MetainfoException if a reject rule applies, or the name is empty or {@code .} (which
     *         cannot be dropped here)
     */
    public static String sanitizeComponent(byte[] component) throws MetainfoException {
        return clean(component, "name", new ArrayList<>());
    }

    private static boolean dropped(byte[] raw, int index, List<String> fixes) {
        if (raw.length == 0) {
            fixes.add("component " + index + ": empty component dropped");
            return true;
        }
        if (raw.length == 1 && raw[0] == '.') {
            fixes.add("component " + index + ": '.' dropped");
            return true;
        }
        return false;
    }

    private static void checkRawSize(List<byte[]> components, String what) throws MetainfoException {
        if (components.size() > MAX_COMPONENTS) {
            throw new MetainfoException(what + " has " + components.size() + " components, more than the "
                    + MAX_COMPONENTS + " limit (rejected)");
        }
        long total = Math.max(0, components.size() - 1);
        for (byte[] c : components) {
            total += Objects.requireNonNull(c, "component").length;
        }
        if (total > MAX_PATH_BYTES) {
            throw new MetainfoException(what + " " + describe(components) + " is " + total
                    + " bytes long, more than the " + MAX_PATH_BYTES + " limit (rejected)");
        }
    }

    private static void checkJoinedSize(List<String> components, String what) throws MetainfoException {
        long total = joinedBytes(components);
        if (total > MAX_PATH_BYTES) {
            throw new MetainfoException(what + " " + MetainfoException.quote(String.join("/", components)) + " is "
                    + total + " bytes long after sanitising, more than the " + MAX_PATH_BYTES + " limit (rejected)");
        }
    }

    private static long joinedBytes(List<String> components) {
        long total = Math.max(0, components.size() - 1);
        for (String c : components) {
            total += utf8Length(c);
        }
        return total;
    }

    /** @return whether {@code c} is exactly what sanitising its UTF-8 bytes produces, with no fixes */
    static boolean isSafeComponent(String c) {
        byte[] raw = c.getBytes(StandardCharsets.UTF_8);
        if (!new String(raw, StandardCharsets.UTF_8).equals(c)) {
            return false; // unpaired surrogate
        }
        List<String> fixes = new ArrayList<>(0);
        try {
            return clean(raw, "component", fixes).equals(c) && fixes.isEmpty();
        } catch (MetainfoException e) {
            return false;
        }
    }

    /**
     * Sanitises one component, applying the policy in the class documentation.
     *
     * @param where e.g. "path component 3", for messages
     * @param fixes receives a note per sanitising rule applied
     */
    private static String clean(byte[] raw, String where, List<String> fixes) throws MetainfoException {
        if (raw.length == 0) {
            throw new MetainfoException(where + " is empty (rejected)");
        }
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] == 0) {
                throw new MetainfoException(where + " " + describe(raw) + " contains a NUL byte at offset " + i
                        + " (rejected)");
            }
        }
        String s;
        boolean invalidUtf8 = false;
        if (isAscii(raw)) {
            s = new String(raw, StandardCharsets.ISO_8859_1);
        } else {
            try {
                s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(raw)).toString();
            } catch (CharacterCodingException e) {
                s = new String(raw, StandardCharsets.UTF_8);
                invalidUtf8 = true;
            }
        }
        if (s.equals(".")) {
            throw new MetainfoException(where + " is '.' (rejected; only allowed as a droppable path component)");
        }
        if (s.equals("..")) {
            throw new MetainfoException(where + " is '..', which would climb out of the download folder (rejected)");
        }
        if (s.chars().allMatch(ch -> ch == '.')) {
            throw new MetainfoException(where + " " + MetainfoException.quote(s) + " consists only of dots (rejected)");
        }
        if (s.indexOf('/') >= 0) {
            throw new MetainfoException(where + " " + MetainfoException.quote(s) + " contains '/' at index "
                    + s.indexOf('/') + ": an absolute path or a path separator inside a component (rejected)");
        }

        // Character replacement.
        StringBuilder b = new StringBuilder(s.length());
        int controls = 0;
        int bidi = 0;
        int windows = 0;
        int replacement = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || (c >= 0x7F && c <= 0x9F)) {
                controls++;
                b.append('_');
            } else if (isBidiControl(c)) {
                bidi++;
                b.append('_');
            } else if ("\\:*?\"<>|".indexOf(c) >= 0) {
                windows++;
                b.append('_');
            } else if (c == '\uFFFD') {
                replacement++;
                b.append('_');
            } else {
                b.append(c);
            }
        }
        if (controls > 0) {
            note(fixes, where, s, controls + " control character(s) replaced with '_'");
        }
        if (bidi > 0) {
            note(fixes, where, s, bidi + " bidi control character(s) replaced with '_'");
        }
        if (windows > 0) {
            note(fixes, where, s, windows + " character(s) from \\:*?\"<>|"
                    + " (separator, drive letter or reserved on Windows) replaced with '_'");
        }
        if (invalidUtf8) {
            note(fixes, where, s, replacement + " invalid UTF-8 sequence(s) replaced with '_'");
        } else if (replacement > 0) {
            note(fixes, where, s, replacement + " U+FFFD character(s) replaced with '_'");
        }

        String result = protectForWindows(b.toString(), where, s, fixes);
        int length = utf8Length(result);
        if (length > MAX_COMPONENT_BYTES) {
            // Truncating can cut off what the Windows rules appended; apply them again, and if that makes the
            // name too long once more, cut two bytes deeper, which leaves room for both of their '_'.
            String cut = truncate(result, MAX_COMPONENT_BYTES);
            String again = protectForWindows(cut, where, s, new ArrayList<>());
            if (utf8Length(again) > MAX_COMPONENT_BYTES) {
                again = protectForWindows(truncate(result, MAX_COMPONENT_BYTES - 2), where, s, new ArrayList<>());
            }
            result = again;
            note(fixes, where, s, length + " bytes truncated to " + utf8Length(result) + " keeping the extension");
        }
        return result;
    }

    /** Windows device names and trailing dots or spaces, each protected by appending '_'. */
    private static String protectForWindows(String name, String where, String s, List<String> fixes) {
        StringBuilder b = new StringBuilder(name);
        int firstDot = b.indexOf(".");
        int baseEnd = firstDot < 0 ? b.length() : firstDot;
        int trimmed = baseEnd;
        while (trimmed > 0 && b.charAt(trimmed - 1) == ' ') {
            trimmed--;
        }
        String base = b.substring(0, trimmed);
        if (DEVICE_NAMES.contains(base.toUpperCase(Locale.ROOT))) {
            b.insert(baseEnd, '_');
            note(fixes, where, s, "Windows device name " + MetainfoException.quote(base) + " renamed by appending '_'");
        }
        char last = b.charAt(b.length() - 1);
        if (last == '.' || last == ' ') {
            b.append('_');
            note(fixes, where, s, "trailing dot or space protected by appending '_'");
        }
        return b.toString();
    }

    private static void note(List<String> fixes, String where, String decoded, String what) {
        fixes.add(where + " " + MetainfoException.quote(decoded) + ": " + what);
    }

    private static boolean isAscii(byte[] raw) {
        for (byte x : raw) {
            if (x < 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean isBidiControl(char c) {
        return c == '\u061C' || c == '\u200E' || c == '\u200F' || (c >= '\u202A' && c <= '\u202E')
                || (c >= '\u2066' && c <= '\u2069');
    }

    /** @return the extension of a component (from its last dot, not a leading one), or "" */
    private static String extension(String name) {
        int dot = name.lastIndexOf('.');
        if (dot <= 0) {
            return "";
        }
        String ext = name.substring(dot);
        return utf8Length(ext) <= MAX_EXTENSION_BYTES ? ext : "";
    }

    /**
     * Shortens a component to at most {@code maxBytes} UTF-8 bytes at a code-point boundary, keeping
     * its extension; a dot or space left at the end is replaced by {@code _}.
     */
    private static String truncate(String name, int maxBytes) {
        String ext = extension(name);
        String stem = name.substring(0, name.length() - ext.length());
        String result = prefixWithin(stem, maxBytes - utf8Length(ext)) + ext;
        char last = result.charAt(result.length() - 1);
        if (last == '.' || last == ' ') {
            result = result.substring(0, result.length() - 1) + '_';
        }
        return result;
    }

    /** @return the longest prefix of {@code s} of whole code points within {@code maxBytes} UTF-8 bytes */
    private static String prefixWithin(String s, int maxBytes) {
        int bytes = 0;
        int i = 0;
        while (i < s.length()) {
            int cp = s.codePointAt(i);
            int len = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (bytes + len > maxBytes) {
                break;
            }
            bytes += len;
            i += Character.charCount(cp);
        }
        return s.substring(0, i);
    }

    private static int utf8Length(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n += 1;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
                    && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    private static String describe(byte[] raw) {
        return MetainfoException.quote(new String(raw, StandardCharsets.UTF_8));
    }

    private static String describe(List<byte[]> components) {
        List<String> parts = new ArrayList<>(Math.min(components.size(), 8));
        for (int i = 0; i < components.size() && i < 8; i++) {
            parts.add(new String(components.get(i), StandardCharsets.UTF_8));
        }
        return MetainfoException.quote(String.join("/", parts) + (components.size() > 8 ? "/..." : ""));
    }

    // ---------------------------------------------------------------- whole torrents

    /**
     * Sanitises every file path of a torrent and resolves collisions between them. Two paths
     * collide if they are equal, equal ignoring case and Unicode normalisation, or if one file's
     * path is a directory in another's ({@code a} and {@code a/b}). The later path is renamed:
     * its leaf (or the clashing directory, consistently for every later file in it) gets a
     * {@code .N} suffix before its extension, and the renaming is recorded in its fixes. Runs in
     * expected linear time in the total path length.
     *
     * @param files the raw paths, in torrent order
     * @return the safe paths, in the same order, pairwise distinct on a case-insensitive file system
     * @throws MetainfoException if any path is rejected; the message starts with {@code file N:}
     */
    public static List<SafePath> sanitizeAll(List<List<byte[]>> files) throws MetainfoException {
        List<SafePath> out = new ArrayList<>(files.size());
        Set<String> fileKeys = new HashSet<>();
        Set<String> dirKeys = new HashSet<>();
        Map<String, String> dirRenames = new HashMap<>();
        Map<String, Integer> nextSuffix = new HashMap<>();
        for (int f = 0; f < files.size(); f++) {
            SafePath sp;
            try {
                sp = sanitize(files.get(f));
            } catch (MetainfoException e) {
                throw new MetainfoException("file " + f + ": " + e.getMessage(), e);
            }
            List<String> comps = new ArrayList<>(sp.components());
            List<String> fixes = null;
            String parentKey = "";
            int last = comps.size() - 1;
            for (int k = 0; k <= last; k++) {
                String c = comps.get(k);
                String key = childKey(parentKey, c);
                String renamed = null;
                if (k < last) {
                    renamed = dirRenames.get(key);
                    if (renamed == null && fileKeys.contains(key)) {
                        renamed = freshName(c, parentKey, key, fileKeys, dirKeys, nextSuffix);
                        dirRenames.put(key, renamed);
                    }
                } else if (fileKeys.contains(key) || dirKeys.contains(key)) {
                    renamed = freshName(c, parentKey, key, fileKeys, dirKeys, nextSuffix);
                }
                if (renamed != null) {
                    if (fixes == null) {
                        fixes = new ArrayList<>(sp.fixes());
                    }
                    fixes.add((k < last ? "directory " : "file ") + MetainfoException.quote(c) + " renamed to "
                            + MetainfoException.quote(renamed) + (k < last
                                    ? " because an earlier file has that path"
                                    : " because an earlier file or directory has the same path (ignoring case)"));
                    comps.set(k, renamed);
                    key = childKey(parentKey, renamed);
                }
                if (k < last) {
                    dirKeys.add(key);
                } else {
                    fileKeys.add(key);
                }
                parentKey = key;
            }
            if (fixes == null) {
                out.add(sp);
            } else {
                try {
                    checkJoinedSize(comps, "path");
                } catch (MetainfoException e) {
                    throw new MetainfoException("file " + f + ": renaming to avoid a collision: " + e.getMessage(), e);
                }
                out.add(new SafePath(comps, fixes));
            }
        }
        return out;
    }

    /** The collision key of a component: NFC, then case-folded (upper then lower case, locale-independent). */
    static String fold(String component) {
        boolean ascii = true;
        for (int i = 0; i < component.length() && ascii; i++) {
            ascii = component.charAt(i) < 0x80;
        }
        if (ascii) {
            return component.toLowerCase(Locale.ROOT);
        }
        return Normalizer.normalize(component, Normalizer.Form.NFC).toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT);
    }

    private static String childKey(String parentKey, String component) {
        String c = fold(component);
        return parentKey.isEmpty() ? c : parentKey + "/" + c;
    }

    private static String freshName(String name, String parentKey, String clashKey, Set<String> fileKeys,
            Set<String> dirKeys, Map<String, Integer> nextSuffix) {
        String ext = extension(name);
        String stem = name.substring(0, name.length() - ext.length());
        for (int n = nextSuffix.getOrDefault(clashKey, 1);; n++) {
            String suffix = "." + n + ext;
            String candidate = prefixWithin(stem, MAX_COMPONENT_BYTES - utf8Length(suffix)) + suffix;
            String key = childKey(parentKey, candidate);
            if (!fileKeys.contains(key) && !dirKeys.contains(key)) {
                nextSuffix.put(clashKey, n + 1);
                return candidate;
            }
        }
    }

    // ---------------------------------------------------------------- symlinks

    /**
     * Sanitises the target of a symbolic link (BEP 47 {@code symlink path}), which is relative to
     * the torrent root. Components are sanitised as for file paths; {@code .} and empty components
     * are dropped; {@code ..} removes the previous component and is rejected if there is none.
     *
     * @param target the raw target components
     * @param linkLocation where the link itself will be created (a result of {@link #sanitize} or
     *        {@link #sanitizeAll}, same root)
     * @return the target as a safe path relative to the torrent root, without {@code ..}; create the
     *         link with the absolute {@code target.resolveUnder(root)} (see the class documentation)
     * @throws MetainfoException if the target climbs above the root, is absolute, names the root
     *         itself, names the link or a directory containing it (a loop), or breaks a file-path
     *         reject rule
     */
    public static SafePath sanitizeSymlinkTarget(List<byte[]> target, SafePath linkLocation) throws MetainfoException {
        Objects.requireNonNull(linkLocation, "linkLocation");
        String where = "symlink " + MetainfoException.quote(linkLocation.relativePath()) + ": target";
        checkRawSize(target, where);
        List<String> fixes = new ArrayList<>();
        List<String> out = new ArrayList<>(target.size());
        for (int i = 0; i < target.size(); i++) {
            byte[] raw = target.get(i);
            if (dropped(raw, i, fixes)) {
                continue;
            }
            if (raw.length == 2 && raw[0] == '.' && raw[1] == '.') {
                if (out.isEmpty()) {
                    throw new MetainfoException(where + " " + describe(target)
                            + " climbs above the torrent root at component " + i + " (rejected)");
                }
                fixes.add("component " + i + ": '..' resolved by removing " + MetainfoException.quote(out.getLast()));
                out.removeLast();
                continue;
            }
            out.add(clean(raw, where + " component " + i, fixes));
        }
        if (out.isEmpty()) {
            throw new MetainfoException(where + " " + describe(target) + " is the torrent root itself (rejected)");
        }
        checkJoinedSize(out, where);
        List<String> link = linkLocation.components();
        if (out.size() <= link.size()) {
            boolean prefix = true;
            for (int i = 0; i < out.size() && prefix; i++) {
                prefix = fold(out.get(i)).equals(fold(link.get(i)));
            }
            if (prefix) {
                throw new MetainfoException(where + " " + MetainfoException.quote(String.join("/", out))
                        + " is the link itself or a directory containing it, which would make a loop (rejected)");
            }
        }
        return new SafePath(out, fixes);
    }
}
