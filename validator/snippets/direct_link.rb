# Sign and build chat-page direct links on your server (Ruby 2.7+, standard library only).
#
#     sbs_mm = md5(md5(sbs + "_" + AppSecret) + "_" + ranstr)
#
# Both digests in lower-case hex; the strings hashed as UTF-8 of sbs and ranstr
# exactly as the page decodes them from the link. Check this code against the
# shared test vectors: `directlink vectors`.
require "digest"
require "erb"
require "securerandom"

module DirectLink
  DEFAULT_BASE_URL = "https://visitorchat.twt.com"

  module_function

  # app_secret comes from your server's configuration (ENV or a secret store),
  # exactly as issued for this app: no trailing newline, and never from the
  # front end, a page, an app bundle or a log.
  def sign_direct_link(sbs, ranstr, app_secret)
    inner = md5_hex("#{sbs}_#{app_secret}") # sbs, "_", AppSecret: in this order
    md5_hex("#{inner}_#{ranstr}") # the inner hex digest, "_", ranstr
  end

  def md5_hex(text)
    # MD5 of the UTF-8 bytes (plain MD5, not an HMAC) as 32 lower-case hex characters.
    Digest::MD5.hexdigest(text.encode(Encoding::UTF_8))
  end

  # A fresh random string for every link: 24 URL-safe characters.
  def new_ranstr
    SecureRandom.urlsafe_base64(18)
  end

  # UTF-8 percent-encoding; only A-Z a-z 0-9 - . _ ~ stay bare ('+' is %2B, a space %20).
  def encode(value)
    ERB::Util.url_encode(value)
  end

  # A link that opens chat session chat_id for the verified customer sbs.
  def build_direct_link(base_url, app_id, chat_id, sbs, ranstr, app_secret)
    sbs_mm = sign_direct_link(sbs, ranstr, app_secret) # sign the plain values, encode after
    params = [["direct", "1"], ["chatid", chat_id], ["sbs", sbs], ["sbs_mm", sbs_mm],
              ["ranstr", ranstr]]
    query = params.map { |name, value| "#{name}=#{encode(value)}" }.join("&")
    "#{base_url.sub(%r{/+\z}, '')}/direct/#{encode(app_id)}?#{query}"
  end
end
