package dev.qastream.sink;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A TCP proxy in front of the schema registry that can be shut: while shut it accepts each connection and
 * closes it at once, as a registry that is restarting does (the client sees a transport error, not an answer).
 */
final class RegistryGate implements AutoCloseable {
    private final ServerSocket server;
    private final URI upstream;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "registry-gate");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean open;

    /** @param registryApiUrl the registry's API URL, e.g. http://127.0.0.1:8080/apis/registry/v3 */
    RegistryGate(String registryApiUrl) throws IOException {
        this.upstream = URI.create(registryApiUrl);
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        threads.execute(this::accept);
    }

    /** The registry API URL through this gate. */
    String registryApiUrl() {
        return "http://127.0.0.1:" + server.getLocalPort() + upstream.getRawPath();
    }

    void open(boolean open) {
        this.open = open;
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                if (!open) {
                    client.close();
                    continue;
                }
                Socket registry = new Socket(upstream.getHost(), upstream.getPort());
                threads.execute(() -> pipe(client, registry));
                threads.execute(() -> pipe(registry, client));
            } catch (IOException e) {
                // closed, or one connection failed: the client sees it as a transport error
            }
        }
    }

    private static void pipe(Socket from, Socket to) {
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            in.transferTo(out);
        } catch (IOException e) {
            // the other side closed
        } finally {
            try {
                from.close();
                to.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        threads.shutdownNow();
    }
}
