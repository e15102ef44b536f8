package dev.qastream.runtime.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Free loopback ports for the embedded servers. */
final class Ports {

    private Ports() {
    }

    /**
     * A port free right now. Another process could take it before our server binds it; that race is
     * accepted for a single-user embedded platform (a clash fails the start loudly).
     */
    static int free() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free loopback port", e);
        }
    }
}
