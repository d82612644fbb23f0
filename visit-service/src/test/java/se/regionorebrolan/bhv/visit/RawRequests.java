package se.regionorebrolan.bhv.visit;

import io.restassured.RestAssured;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** For tests of what the service answers before it reads a body: a request's head sent over a socket, nothing more. */
public final class RawRequests {

    private static final Pattern LENGTH = Pattern.compile("(?i)content-length: *(\\d+)");

    private RawRequests() {
    }

    /** Sends {@code head} to the service under test and reads its whole answer, or what came within 10 s. */
    public static String answer(String head) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), RestAssured.port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            StringBuilder answer = new StringBuilder();
            byte[] buffer = new byte[8192];
            try {
                for (int n; (n = socket.getInputStream().read(buffer)) > 0; ) {
                    answer.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                    int headEnd = answer.indexOf("\r\n\r\n");
                    Matcher length = LENGTH.matcher(answer);
                    if (headEnd >= 0 && length.find()
                            && answer.length() >= headEnd + 4 + Integer.parseInt(length.group(1))) {
                        break;
                    }
                }
            } catch (SocketTimeoutException noAnswer) {
                answer.append("[no complete answer within 10 s]");
            }
            return answer.toString();
        }
    }
}
