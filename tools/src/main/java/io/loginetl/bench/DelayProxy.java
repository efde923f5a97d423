package io.loginetl.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback TCP proxy that delays every byte by a fixed time in each direction, as a network round trip does: what
 * is read at t is written at t + delay, in order, with no limit on throughput and no effect on other connections.
 * The bench puts it between every SQS client and the SQS server, so a run on one machine sees a region's round trip
 * (5 to 20 ms in-region) instead of loopback's fraction of a millisecond.
 */
public final class DelayProxy implements AutoCloseable {

    private final String targetHost;
    private final int targetPort;
    private final long delayNanos;
    private final ServerSocket server;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

    /** Listens on a free loopback port; {@code oneWayMillis} is added to each direction. */
    public DelayProxy(String targetHost, int targetPort, long oneWayMillis) throws IOException {
        this(targetHost, targetPort, oneWayMillis, 0);
    }

    /** Listens on loopback port {@code listenPort} (0: a free one). */
    public DelayProxy(String targetHost, int targetPort, long oneWayMillis, int listenPort) throws IOException {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.delayNanos = TimeUnit.MILLISECONDS.toNanos(oneWayMillis);
        this.server = new ServerSocket(listenPort, 200, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "delay-proxy-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket target = new Socket();
                target.connect(new InetSocketAddress(targetHost, targetPort));
                client.setTcpNoDelay(true);
                target.setTcpNoDelay(true);
                sockets.add(client);
                sockets.add(target);
                // the connection closes when both directions have ended, or at once on an error
                AtomicInteger open = new AtomicInteger(2);
                Runnable ended = () -> {
                    if (open.decrementAndGet() == 0) {
                        closeQuietly(client);
                        closeQuietly(target);
                    }
                };
                Runnable failed = () -> {
                    closeQuietly(client);
                    closeQuietly(target);
                };
                pipe(client, target, ended, failed);
                pipe(target, client, ended, failed);
            } catch (IOException e) {
                // closed, or the target refused: the client sees its connection closed
            }
        }
    }

    /** One direction: a reader stamps each chunk with its due time, a writer sends it then. */
    private void pipe(Socket from, Socket to, Runnable ended, Runnable failed) {
        LinkedBlockingQueue<Chunk> line = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            byte[] buffer = new byte[64 * 1024];
            try {
                InputStream in = from.getInputStream();
                for (int n; (n = in.read(buffer)) > 0; ) {
                    line.put(new Chunk(System.nanoTime() + delayNanos, Arrays.copyOf(buffer, n)));
                }
            } catch (IOException | InterruptedException e) {
                // closed
            }
            line.add(Chunk.END);
        }, "delay-proxy-read");
        Thread writer = new Thread(() -> {
            try {
                OutputStream out = to.getOutputStream();
                for (Chunk c = line.take(); c != Chunk.END; c = line.take()) {
                    long wait = c.due - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    out.write(c.bytes);
                    out.flush();
                }
                to.shutdownOutput(); // the peer's half-close passed on, after the data before it
                ended.run();
            } catch (IOException | InterruptedException e) {
                failed.run();
            }
        }, "delay-proxy-write");
        reader.setDaemon(true);
        writer.setDaemon(true);
        reader.start();
        writer.start();
    }

    private record Chunk(long due, byte[] bytes) {
        static final Chunk END = new Chunk(0, new byte[0]);
    }

    private void closeQuietly(Socket socket) {
        sockets.remove(socket);
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) {
            closeQuietly(s);
        }
    }
}
