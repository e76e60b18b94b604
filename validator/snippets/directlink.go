// Sign and build chat-page direct links on your server (Go 1.13+, standard library only).
//
//	sbs_mm = md5(md5(sbs + "_" + AppSecret) + "_" + ranstr)
//
// Both digests in lower-case hex; the strings hashed as UTF-8 of sbs and ranstr
// exactly as the page decodes them from the link. Check this code against the
// shared test vectors: `directlink vectors`. Copy the functions into your package
// (or keep this file as package directlink and export the names you use).
package directlink

import (
	"crypto/md5"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"net/url"
	"strings"
)

const defaultBaseURL = "https://visitorchat.twt.com"

func md5Hex(text string) string {
	sum := md5.Sum([]byte(text))      // a Go string holds its UTF-8 bytes: keep it UTF-8
	return hex.EncodeToString(sum[:]) // lower-case hex, not the raw bytes
}

// appSecret comes from your server's configuration (an environment variable or a
// secret store), exactly as issued for this app: no trailing newline, and never
// from the front end, a page, an app bundle or a log.
func signDirectLink(sbs, ranstr, appSecret string) string {
	inner := md5Hex(sbs + "_" + appSecret) // sbs, "_", AppSecret: in this order
	return md5Hex(inner + "_" + ranstr)    // the inner hex digest, "_", ranstr
}

// newRanstr is a fresh random string for every link: 24 URL-safe characters.
func newRanstr() (string, error) {
	bytes := make([]byte, 18)
	if _, err := rand.Read(bytes); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(bytes), nil
}

func encode(value string) string {
	// UTF-8 percent-encoding; only A-Z a-z 0-9 - . _ ~ stay bare ('+' is %2B, a space %20).
	return strings.ReplaceAll(url.QueryEscape(value), "+", "%20")
}

// buildDirectLink is a link that opens chat session chatID for the verified customer sbs.
func buildDirectLink(baseURL, appID, chatID, sbs, ranstr, appSecret string) string {
	sbsMm := signDirectLink(sbs, ranstr, appSecret) // sign the plain values, encode after
	params := [][2]string{
		{"direct", "1"}, {"chatid", chatID}, {"sbs", sbs}, {"sbs_mm", sbsMm}, {"ranstr", ranstr},
	}
	pairs := make([]string, 0, len(params))
	for _, param := range params {
		pairs = append(pairs, param[0]+"="+encode(param[1]))
	}
	return strings.TrimRight(baseURL, "/") + "/direct/" + encode(appID) + "?" + strings.Join(pairs, "&")
}
