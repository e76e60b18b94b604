# Runs the Ruby snippet over every vector: argv = snippet, base URL, app id.
# stdin: id TAB hex(sbs) TAB hex(ranstr) TAB hex(secret) TAB hex(chat id), a line each;
# stdout: id TAB sbs_mm TAB link.
load ARGV[0]
base, app = ARGV[1], ARGV[2]
STDIN.each_line do |line|
  id, *fields = line.chomp("\n").split("\t", -1)
  sbs, ranstr, secret, chat = fields.map { |hex| [hex].pack("H*").force_encoding(Encoding::UTF_8) }
  puts [id, DirectLink.sign_direct_link(sbs, ranstr, secret),
        DirectLink.build_direct_link(base, app, chat, sbs, ranstr, secret)].join("\t")
end
