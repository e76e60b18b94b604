// Runs the C# snippet over every vector: args = base URL, app id.
// stdin: id TAB hex(sbs) TAB hex(ranstr) TAB hex(secret) TAB hex(chat id), a line each;
// stdout: id TAB sbs_mm TAB link.
using System;
using System.Text;

public static class Harness
{
    public static void Main(string[] args)
    {
        StringBuilder output = new StringBuilder();
        string line;
        while ((line = Console.In.ReadLine()) != null)
        {
            string[] f = line.Split('\t');
            string sbs = Text(f[1]), ranstr = Text(f[2]), secret = Text(f[3]), chat = Text(f[4]);
            output.Append(f[0]).Append('\t').Append(DirectLink.signDirectLink(sbs, ranstr, secret))
                .Append('\t').Append(DirectLink.buildDirectLink(args[0], args[1], chat, sbs, ranstr, secret))
                .Append('\n');
        }
        Console.Out.Write(output.ToString());
        Console.Out.Flush();
    }

    private static string Text(string hex)
    {
        byte[] bytes = new byte[hex.Length / 2];
        for (int i = 0; i < bytes.Length; i++)
        {
            bytes[i] = Convert.ToByte(hex.Substring(2 * i, 2), 16);
        }
        return Encoding.UTF8.GetString(bytes);
    }
}
