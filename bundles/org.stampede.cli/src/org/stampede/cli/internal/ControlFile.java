package org.stampede.cli.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;

/**
 * {@code <dir>/.stampede/control.json}: where a running {@code download} or {@code seed} takes control requests
 * ({@code port} on 127.0.0.1), the secret every request must carry ({@code token}, 64 hex digits) and the process
 * ({@code pid}). Written readable by its owner only, where the file system has POSIX permissions.
 */
record ControlFile(int port, String token, long pid) {
    static final String NAME = "control.json";
    /** A control file is a few dozen bytes; anything much larger is not one. */
    static final int MAX_SIZE = 4096;

    ControlFile {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is not 1 to 65535");
        }
        if (token == null || !token.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("token is not 64 lower-case hex digits");
        }
    }

    /** A new secret: 32 bytes from {@link SecureRandom}, in hex. */
    static String newToken() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** The control file of the client whose state folder ({@code <dir>/.stampede}) is {@code stateDir}. */
    static Path in(Path stateDir) {
        return stateDir.resolve(NAME);
    }

    String toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("port", port);
        o.addProperty("token", token);
        o.addProperty("pid", pid);
        return o.toString();
    }

    /** Writes this to {@code file}, replacing it atomically, never readable by others while it is written. */
    void write(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
        FileAttribute<?>[] ownerOnly = posix
                ? new FileAttribute<?>[] { PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")) }
                : new FileAttribute<?>[0];
        Path tmp = Files.createTempFile(dir, ".control", ".tmp", ownerOnly);
        try {
            Files.writeString(tmp, toJson() + "\n", StandardCharsets.UTF_8);
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Deletes {@code file} if it is still this one (another client may have taken the folder over since). */
    void deleteIfOurs(Path file) {
        try {
            if (Files.exists(file) && read(file).token.equals(token)) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            // unreadable or not a control file: not ours to delete
        }
    }

    /**
     * Reads a control file.
     *
     * @throws java.nio.file.NoSuchFileException when there is none
     * @throws IOException                          when it is not a control file; the message says why
     */
    static ControlFile read(Path file) throws IOException {
        if (Files.size(file) > MAX_SIZE) {
            throw new IOException(file + ": not a control file (larger than " + MAX_SIZE + " bytes)");
        }
        String text = Files.readString(file, StandardCharsets.UTF_8);
        try {
            JsonElement e = JsonParser.parseString(text);
            if (!e.isJsonObject()) {
                throw new IOException(file + ": not a control file (not a JSON object)");
            }
            JsonObject o = e.getAsJsonObject();
            return new ControlFile((int) number(o, "port", 65535), string(o, "token"), number(o, "pid", Long.MAX_VALUE));
        } catch (JsonParseException | IllegalArgumentException | IllegalStateException | ArithmeticException e) {
            throw new IOException(file + ": not a control file (" + Cli.oneLine(e.getMessage()) + ")");
        }
    }

    private static long number(JsonObject o, String name, long max) {
        JsonElement e = o.get(name);
        if (e instanceof JsonPrimitive p && p.isNumber()) {
            long v = p.getAsBigDecimal().longValueExact(); // a fraction or an overflow is refused, not rounded
            if (v >= 0 && v <= max) {
                return v;
            }
        }
        throw new IllegalArgumentException("no " + name + " from 0 to " + max);
    }

    private static String string(JsonObject o, String name) {
        JsonElement e = o.get(name);
        if (e instanceof JsonPrimitive p && p.isString()) {
            return p.getAsString();
        }
        throw new IllegalArgumentException("no " + name + " string");
    }
}
