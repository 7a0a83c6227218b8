package io.example.gateway;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Sends a request as raw bytes on its own socket (no HTTP client to normalise, encode or refuse it) and reads
 * the one answer, by its framing.
 */
final class RawClient {
    /**
     * @param status status code
     * @param head   status line and headers, bytes as chars
     * @param body   body text
     */
    record Answer(int status, String head, String body) {
        String header(String name) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).strip();
                }
            }
            return null;
        }
    }

    private RawClient() {
    }

    /**
     * @param port    where to connect on the loopback address
     * @param method  method
     * @param target  request target, bytes as chars (ISO-8859-1): anything, control bytes included
     * @param headers extra header lines, each without its CR LF
     * @return the answer
     */
    static Answer send(int port, String method, String target, String... headers) {
        StringBuilder request = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                .append("Host: localhost\r\nConnection: close\r\n");
        for (String header : headers) {
            request.append(header).append("\r\n");
        }
        request.append("\r\n");
        return sendBytes(port, request.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    static Answer sendBytes(int port, byte[] request) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(15_000);
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            String head = readHead(in);
            int status = Integer.parseInt(head.substring(9, 12));
            Answer headOnly = new Answer(status, head, "");
            boolean bodiless = new String(request, 0, 5, StandardCharsets.ISO_8859_1).startsWith("HEAD ")
                    || status == 204 || status == 304;
            String length = headOnly.header("Content-Length");
            byte[] body;
            if (bodiless) {
                body = new byte[0];
            } else if ("chunked".equalsIgnoreCase(headOnly.header("Transfer-Encoding"))) {
                body = readChunks(in);
            } else if (length != null) {
                body = in.readNBytes(Integer.parseInt(length));
            } else {
                body = in.readAllBytes();
            }
            return new Answer(status, head, new String(body, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("The connection closed before the end of the answer's head: " + head);
            }
            head.write(b);
            String text = head.toString(StandardCharsets.ISO_8859_1);
            if (text.endsWith("\r\n\r\n")) {
                return text.substring(0, text.length() - 4);
            }
        }
    }

    private static byte[] readChunks(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = readLine(in);
            int size = Integer.parseInt(sizeLine.split(";")[0].strip(), 16);
            if (size == 0) {
                readLine(in);
                return body.toByteArray();
            }
            body.write(in.readNBytes(size));
            readLine(in);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    static boolean isProblem(Answer answer) {
        String type = answer.header("Content-Type");
        return type != null && type.toLowerCase(Locale.ROOT).startsWith("application/problem+json");
    }
}
