package org.stampede.cli.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/** The client side of the control channel: one request to the running client a control file names, one reply. */
final class ControlClient {
    static final int CONNECT_TIMEOUT_MILLIS = 5_000;
    /** {@code install} may wait for Declarative Services and a refresh: well within this. */
    static final int REPLY_TIMEOUT_MILLIS = 60_000;
    static final int MAX_REPLY = 16 << 20;

    /** No client is running for the folder (exit status 1). */
    static final class NoRunningClientException extends IOException {
        private static final long serialVersionUID = 1L;

        NoRunningClientException(String message) {
            super(message);
        }
    }

    private ControlClient() {
    }

    /**
     * Sends {@code request} (its {@code token} set from the control file) to the client that {@code controlFile}
     * names and returns the reply object, whether {@code ok} or not.
     *
     * @param what the folder or file the user named, for messages
     * @throws NoRunningClientException when no client runs there
     * @throws IOException              when the reply does not come or is not a JSON object
     */
    static JsonObject request(Path controlFile, String what, JsonObject request) throws IOException {
        ControlFile control;
        try {
            control = ControlFile.read(controlFile);
        } catch (NoSuchFileException e) {
            throw new NoRunningClientException("no running client for " + what + " (no " + controlFile + ")");
        }
        if (!ProcessHandle.of(control.pid()).map(ProcessHandle::isAlive).orElse(false)) {
            throw new NoRunningClientException("no running client for " + what + " (" + controlFile
                    + " names process " + control.pid() + ", which has ended)");
        }
        JsonObject sent = request.deepCopy();
        sent.addProperty("token", control.token());
        try (Socket socket = new Socket()) {
            try {
                socket.connect(new InetSocketAddress(ControlServer.loopback(), control.port()), CONNECT_TIMEOUT_MILLIS);
            } catch (ConnectException | SocketTimeoutException e) {
                throw new NoRunningClientException("no running client for " + what + " (nothing answers on 127.0.0.1:"
                        + control.port() + ")");
            }
            socket.setSoTimeout(REPLY_TIMEOUT_MILLIS);
            OutputStream out = socket.getOutputStream();
            out.write((sent + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            String line;
            try {
                line = new BoundedLineReader(socket.getInputStream(), MAX_REPLY).readLine();
            } catch (SocketTimeoutException e) {
                throw new IOException("the client for " + what + " did not reply within "
                        + REPLY_TIMEOUT_MILLIS / 1000 + " s");
            }
            if (line == null) {
                throw new IOException("the client for " + what + " closed the connection without a reply");
            }
            JsonElement reply;
            try {
                reply = JsonParser.parseString(line);
            } catch (RuntimeException e) {
                reply = null;
            }
            if (reply == null || !reply.isJsonObject()) {
                throw new IOException("the client for " + what + " sent a reply that is not a JSON object");
            }
            return reply.getAsJsonObject();
        }
    }
}
