<?php
// Sign and build chat-page direct links on your server (PHP 7.1+, no extensions).
//
//     sbs_mm = md5(md5(sbs + "_" + AppSecret) + "_" + ranstr)
//
// Both digests in lower-case hex; the strings hashed as UTF-8 of sbs and ranstr
// exactly as the page decodes them from the link. Check this code against the
// shared test vectors: `directlink vectors`.

const DIRECT_LINK_BASE_URL = 'https://visitorchat.twt.com';

// $app_secret comes from your server's configuration (getenv() or a secret store),
// exactly as issued for this app: no trailing newline, and never from the
// front end, a page, an app bundle or a log.
// $sbs and $ranstr must be UTF-8 strings (convert legacy data first, e.g.
// mb_convert_encoding($value, 'UTF-8', 'GBK')).
function sign_direct_link(string $sbs, string $ranstr, string $app_secret): string
{
    $inner = md5($sbs . '_' . $app_secret); // sbs, "_", AppSecret: lower-case hex, not raw bytes
    return md5($inner . '_' . $ranstr); // the inner hex digest, "_", ranstr
}

// A fresh random string for every link: 24 URL-safe characters.
function new_ranstr(): string
{
    return rtrim(strtr(base64_encode(random_bytes(18)), '+/', '-_'), '=');
}

// A link that opens chat session $chat_id for the verified customer $sbs.
function build_direct_link(
    string $base_url, string $app_id, string $chat_id, string $sbs, string $ranstr,
    string $app_secret
): string {
    $sbs_mm = sign_direct_link($sbs, $ranstr, $app_secret); // sign the plain values, encode after
    $params = ['direct' => '1', 'chatid' => $chat_id, 'sbs' => $sbs, 'sbs_mm' => $sbs_mm,
               'ranstr' => $ranstr];
    // RFC 3986 encoding (rawurlencode): '+' is %2B, a space %20, never '+'.
    $query = http_build_query($params, '', '&', PHP_QUERY_RFC3986);
    return rtrim($base_url, '/') . '/direct/' . rawurlencode($app_id) . '?' . $query;
}
