package io.loginetl.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Random;

import org.junit.jupiter.api.Test;

class DelayProxyTest {

    /** An echo server: each connection gets back what it sends, until it half-closes. */
    private static ServerSocket echoServer() throws Exception {
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    Thread echo = new Thread(() -> {
                        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                            in.transferTo(out);
                        } catch (Exception e) {
                            // the client went away
                        }
                    });
                    echo.setDaemon(true);
                    echo.start();
                } catch (Exception e) {
                    return;
                }
            }
        });
        t.setDaemon(true);
        t.start();
        return server;
    }

    @Test
    void passesEveryByteInOrderBothWaysAndDelaysEachWayByItsDelay() throws Exception {
        byte[] sent = new byte[300_000];
        new Random(1).nextBytes(sent);
        try (ServerSocket echo = echoServer(); DelayProxy proxy = new DelayProxy("127.0.0.1", echo.getLocalPort(), 40);
             Socket client = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
            long start = System.nanoTime();
            Thread writer = new Thread(() -> {
                try {
                    OutputStream out = client.getOutputStream();
                    for (int i = 0; i < sent.length; i += 7_000) {
                        out.write(sent, i, Math.min(7_000, sent.length - i));
                    }
                    client.shutdownOutput(); // a half-close: the echo still comes back, then the end
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            writer.start();
            InputStream in = client.getInputStream();
            int first = in.read();
            long firstByteMillis = (System.nanoTime() - start) / 1_000_000;
            byte[] rest = in.readAllBytes();
            writer.join();

            byte[] received = new byte[1 + rest.length];
            received[0] = (byte) first;
            System.arraycopy(rest, 0, received, 1, rest.length);
            assertArrayEquals(sent, received);
            // a lower bound, not a speed: no byte can come back before it has been delayed once each way
            assertTrue(firstByteMillis >= 80, "the first byte came back after " + firstByteMillis + " ms");
        }
    }
}
