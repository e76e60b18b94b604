// Sign and build chat-page direct links on your server (Java 11+, no dependencies).
//
//     sbs_mm = md5(md5(sbs + "_" + AppSecret) + "_" + ranstr)
//
// Both digests in lower-case hex; the strings hashed as UTF-8 of sbs and ranstr
// exactly as the page decodes them from the link. Check this code against the
// shared test vectors: `directlink vectors`.

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

public final class DirectLink {
    public static final String DEFAULT_BASE_URL = "https://visitorchat.twt.com";
    private static final SecureRandom RANDOM = new SecureRandom();

    private DirectLink() {
    }

    // appSecret comes from your server's configuration (an environment variable or a
    // secret store), exactly as issued for this app: no trailing newline, and never
    // from the front end, a page, an app bundle or a log.
    public static String signDirectLink(String sbs, String ranstr, String appSecret) {
        String inner = md5Hex(sbs + "_" + appSecret); // sbs, "_", AppSecret: in this order
        return md5Hex(inner + "_" + ranstr); // the inner hex digest, "_", ranstr
    }

    private static String md5Hex(String text) {
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5"); // plain MD5, not an HMAC
            byte[] digest = md5.digest(text.getBytes(StandardCharsets.UTF_8));
            StringBuilder hex = new StringBuilder(32);
            for (byte b : digest) {
                hex.append(String.format("%02x", b)); // lower-case hex, not the raw bytes
            }
            return hex.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is not available", e);
        }
    }

    // A fresh random string for every link: 24 URL-safe characters.
    public static String newRanstr() {
        byte[] bytes = new byte[18];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String encode(String value) {
        // UTF-8 percent-encoding; only A-Z a-z 0-9 - . _ ~ stay bare ('+' is %2B, a space %20).
        return URLEncoder.encode(value, StandardCharsets.UTF_8)
            .replace("+", "%20").replace("*", "%2A").replace("%7E", "~");
    }

    // A link that opens chat session chatId for the verified customer sbs.
    public static String buildDirectLink(
            String baseUrl, String appId, String chatId, String sbs, String ranstr,
            String appSecret) {
        String sbsMm = signDirectLink(sbs, ranstr, appSecret); // sign the plain values, encode after
        String[][] params = {
            {"direct", "1"}, {"chatid", chatId}, {"sbs", sbs}, {"sbs_mm", sbsMm}, {"ranstr", ranstr},
        };
        StringBuilder link = new StringBuilder(baseUrl.replaceAll("/+$", ""));
        link.append("/direct/").append(encode(appId));
        char separator = '?';
        for (String[] param : params) {
            link.append(separator).append(param[0]).append('=').append(encode(param[1]));
            separator = '&';
        }
        return link.toString();
    }
}
