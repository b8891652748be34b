package com.fecify.gateway.security;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP link on loopback that delays every chunk it carries, each way, as a distant or congested Redis would: the
 * gateway talks to {@link #port()}, the link passes everything on to the real server.
 */
public final class SlowLink implements AutoCloseable {

    private final ServerSocket server;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    public SlowLink(int targetPort, long delayMillis) throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(
                () -> {
                    while (!server.isClosed()) {
                        try {
                            Socket client = server.accept();
                            Socket target = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                            client.setTcpNoDelay(true);
                            target.setTcpNoDelay(true);
                            sockets.add(client);
                            sockets.add(target);
                            pump(client, target, delayMillis);
                            pump(target, client, delayMillis);
                        } catch (IOException closed) {
                            return;
                        }
                    }
                },
                "slow-link-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    private static void pump(Socket from, Socket to, long delayMillis) {
        Thread pump = new Thread(
                () -> {
                    byte[] buffer = new byte[16 * 1024];
                    try (InputStream in = from.getInputStream();
                            OutputStream out = to.getOutputStream()) {
                        int n;
                        while ((n = in.read(buffer)) > 0) {
                            Thread.sleep(delayMillis);
                            out.write(buffer, 0, n);
                            out.flush();
                        }
                    } catch (IOException | InterruptedException ended) {
                        // either side closed
                    }
                },
                "slow-link-pump");
        pump.setDaemon(true);
        pump.start();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : sockets) {
            socket.close();
        }
    }
}
