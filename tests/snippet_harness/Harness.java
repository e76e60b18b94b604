// Runs the Java snippet over every vector: args = base URL, app id.
// stdin: id TAB hex(sbs) TAB hex(ranstr) TAB hex(secret) TAB hex(chat id), a line each;
// stdout: id TAB sbs_mm TAB link.
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

public final class Harness {
    public static void main(String[] args) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        StringBuilder out = new StringBuilder();
        String line;
        while ((line = in.readLine()) != null) {
            String[] f = line.split("\t", -1);
            String sbs = text(f[1]), ranstr = text(f[2]), secret = text(f[3]), chat = text(f[4]);
            out.append(f[0]).append('\t').append(DirectLink.signDirectLink(sbs, ranstr, secret))
                .append('\t').append(DirectLink.buildDirectLink(args[0], args[1], chat, sbs, ranstr, secret))
                .append('\n');
        }
        System.out.print(out);
        System.out.flush();
    }

    private static String text(String hex) {
        byte[] bytes = new byte[hex.length() / 2];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
