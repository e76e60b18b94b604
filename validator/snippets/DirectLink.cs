// Sign and build chat-page direct links on your server (.NET / Mono, no packages).
//
//     sbs_mm = md5(md5(sbs + "_" + AppSecret) + "_" + ranstr)
//
// Both digests in lower-case hex; the strings hashed as UTF-8 of sbs and ranstr
// exactly as the page decodes them from the link. Check this code against the
// shared test vectors: `directlink vectors`.
using System;
using System.Security.Cryptography;
using System.Text;

public static class DirectLink
{
    public const string DefaultBaseUrl = "https://visitorchat.twt.com";

    // appSecret comes from your server's configuration (an environment variable or a
    // secret store), exactly as issued for this app: no trailing newline, and never
    // from the front end, a page, an app bundle or a log.
    public static string signDirectLink(string sbs, string ranstr, string appSecret)
    {
        string inner = Md5Hex(sbs + "_" + appSecret); // sbs, "_", AppSecret: in this order
        return Md5Hex(inner + "_" + ranstr); // the inner hex digest, "_", ranstr
    }

    private static string Md5Hex(string text)
    {
        using (MD5 md5 = MD5.Create()) // plain MD5, not HMACMD5
        {
            byte[] digest = md5.ComputeHash(Encoding.UTF8.GetBytes(text)); // UTF-8 bytes
            StringBuilder hex = new StringBuilder(32);
            foreach (byte b in digest)
            {
                hex.Append(b.ToString("x2")); // lower-case hex, not the raw bytes
            }
            return hex.ToString();
        }
    }

    // A fresh random string for every link: 24 URL-safe characters.
    public static string newRanstr()
    {
        byte[] bytes = new byte[18];
        using (RandomNumberGenerator random = RandomNumberGenerator.Create())
        {
            random.GetBytes(bytes);
        }
        return Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    private static string Encode(string value)
    {
        // UTF-8 percent-encoding; only A-Z a-z 0-9 - . _ ~ stay bare ('+' is %2B, a space %20).
        StringBuilder encoded = new StringBuilder();
        foreach (byte b in Encoding.UTF8.GetBytes(value))
        {
            char c = (char)b;
            bool bare = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                || c == '-' || c == '.' || c == '_' || c == '~';
            encoded.Append(bare ? c.ToString() : "%" + b.ToString("X2"));
        }
        return encoded.ToString();
    }

    // A link that opens chat session chatId for the verified customer sbs.
    public static string buildDirectLink(
        string baseUrl, string appId, string chatId, string sbs, string ranstr, string appSecret)
    {
        string sbsMm = signDirectLink(sbs, ranstr, appSecret); // sign the plain values, encode after
        string[][] parameters = {
            new[] { "direct", "1" }, new[] { "chatid", chatId }, new[] { "sbs", sbs },
            new[] { "sbs_mm", sbsMm }, new[] { "ranstr", ranstr },
        };
        StringBuilder link = new StringBuilder(baseUrl.TrimEnd('/'));
        link.Append("/direct/").Append(Encode(appId));
        char separator = '?';
        foreach (string[] parameter in parameters)
        {
            link.Append(separator).Append(parameter[0]).Append('=').Append(Encode(parameter[1]));
            separator = '&';
        }
        return link.ToString();
    }
}
