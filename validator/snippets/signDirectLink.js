'use strict';
// Sign and build chat-page direct links on your server (Node.js 16+, no dependencies).
//
//     sbs_mm = md5(md5(sbs + "_" + AppSecret) + "_" + ranstr)
//
// Both digests in lower-case hex; the strings hashed as UTF-8 of sbs and ranstr
// exactly as the page decodes them from the link. Check this code against the
// shared test vectors: `directlink vectors`.
const crypto = require('crypto');

const DEFAULT_BASE_URL = 'https://visitorchat.twt.com';

function md5Hex(text) {
  // MD5 of the UTF-8 bytes, as 32 lower-case hex characters.
  return crypto.createHash('md5').update(text, 'utf8').digest('hex');
}

// appSecret comes from your server's configuration (an environment variable or a
// secret store), exactly as issued for this app: no trailing newline, and never
// from the front end, a page, an app bundle or a log.
function signDirectLink(sbs, ranstr, appSecret) {
  const inner = md5Hex(sbs + '_' + appSecret); // sbs, "_", AppSecret: in this order
  return md5Hex(inner + '_' + ranstr); // the inner hex digest, "_", ranstr
}

// A fresh random string for every link: 24 URL-safe characters.
function newRanstr() {
  return crypto.randomBytes(18).toString('base64url');
}

function encode(value) {
  // UTF-8 percent-encoding; only A-Z a-z 0-9 - . _ ~ stay bare ('+' is %2B, a space %20).
  return encodeURIComponent(value).replace(/[!'()*]/g,
    (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

// A link that opens chat session chatId for the verified customer sbs.
function buildDirectLink(baseUrl, appId, chatId, sbs, ranstr, appSecret) {
  const sbsMm = signDirectLink(sbs, ranstr, appSecret); // sign the plain values, encode after
  const params = [['direct', '1'], ['chatid', chatId], ['sbs', sbs], ['sbs_mm', sbsMm],
    ['ranstr', ranstr]];
  const query = params.map(([name, value]) => name + '=' + encode(value)).join('&');
  return baseUrl.replace(/\/+$/, '') + '/direct/' + encode(appId) + '?' + query;
}

module.exports = { DEFAULT_BASE_URL, signDirectLink, buildDirectLink, newRanstr };
