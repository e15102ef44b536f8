package dev.qastream.runtime.serde;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy in front of an HTTP server that can drop POST requests the way a server drops an idle
 * keep-alive connection: it reads the request, then closes the connection without a byte of answer.
 * Everything else is forwarded as is. HTTP/1.1 without pipelining: bytes from the client after bytes from
 * the server start a new request.
 */
final class DroppingProxy implements AutoCloseable {
    private final ServerSocket server;
    private final int upstreamPort;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "dropping-proxy");
        t.setDaemon(true);
        return t;
    });
    private final AtomicInteger toDrop = new AtomicInteger();
    private final AtomicInteger dropped = new AtomicInteger();

    DroppingProxy(int upstreamPort) throws IOException {
        this.upstreamPort = upstreamPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        threads.execute(this::accept);
    }

    String url() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    private volatile String dropMethod = "POST ";

    /** Drops the next {@code count} POST requests, whatever connection they come on. */
    void dropPosts(int count) {
        dropMethod = "POST ";
        toDrop.set(count);
    }

    /** Drops the next {@code count} GET requests (schema lookups), whatever connection they come on. */
    void dropGets(int count) {
        dropMethod = "GET ";
        toDrop.set(count);
    }

    int dropped() {
        return dropped.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
                Connection c = new Connection(client, upstream);
                threads.execute(c::clientToUpstream);
                threads.execute(c::upstreamToClient);
            } catch (IOException e) {
                // closed, or the upstream is gone: nothing to serve
            }
        }
    }

    private final class Connection {
        private final Socket client;
        private final Socket upstream;
        /** The next client bytes start a request: at the start, and after the server has answered. */
        private volatile boolean requestStarts = true;

        Connection(Socket client, Socket upstream) {
            this.client = client;
            this.upstream = upstream;
        }

        void clientToUpstream() {
            byte[] buf = new byte[16 * 1024];
            try (client; upstream) {
                InputStream in = client.getInputStream();
                OutputStream out = upstream.getOutputStream();
                for (int n; (n = in.read(buf)) > 0; ) {
                    if (requestStarts && starts(buf, n, dropMethod) && toDrop.getAndUpdate(d -> Math.max(0, d - 1)) > 0) {
                        dropped.incrementAndGet();
                        // End of stream to the client before any answer byte; read on until it closes its end,
                        // so that the close is an orderly one (not a reset).
                        client.shutdownOutput();
                        while (in.read(buf) > 0) {
                            // discard the rest of the request
                        }
                        return;
                    }
                    requestStarts = false;
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // either side closed
            }
        }

        void upstreamToClient() {
            byte[] buf = new byte[16 * 1024];
            try {
                InputStream in = upstream.getInputStream();
                OutputStream out = client.getOutputStream();
                for (int n; (n = in.read(buf)) > 0; ) {
                    out.write(buf, 0, n);
                    out.flush();
                    requestStarts = true;
                }
            } catch (IOException e) {
                // either side closed
            } finally {
                try {
                    client.close();
                    upstream.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        }

        private static boolean starts(byte[] buf, int n, String method) {
            return n >= method.length() && new String(buf, 0, method.length(), StandardCharsets.US_ASCII).equals(method);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        threads.shutdownNow();
    }
}
