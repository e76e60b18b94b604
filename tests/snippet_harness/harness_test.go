// Runs the Go snippet over every vector, in the snippet's own package (its names
// are unexported). DIRECTLINK_HARNESS_IN holds the input lines
// (id TAB hex(sbs) TAB hex(ranstr) TAB hex(secret) TAB hex(chat id)), and
// id TAB sbs_mm TAB link lines are written to DIRECTLINK_HARNESS_OUT;
// DIRECTLINK_HARNESS_BASE and DIRECTLINK_HARNESS_APP name the base URL and app id.
package directlink

import (
	"encoding/hex"
	"os"
	"strings"
	"testing"
)

func TestHarness(t *testing.T) {
	input, err := os.ReadFile(os.Getenv("DIRECTLINK_HARNESS_IN"))
	if err != nil {
		t.Fatal(err)
	}
	base, app := os.Getenv("DIRECTLINK_HARNESS_BASE"), os.Getenv("DIRECTLINK_HARNESS_APP")
	var out strings.Builder
	for _, line := range strings.Split(strings.TrimRight(string(input), "\n"), "\n") {
		f := strings.Split(line, "\t")
		values := make([]string, 4)
		for i := range values {
			raw, err := hex.DecodeString(f[i+1])
			if err != nil {
				t.Fatal(err)
			}
			values[i] = string(raw)
		}
		sbs, ranstr, secret, chat := values[0], values[1], values[2], values[3]
		out.WriteString(f[0] + "\t" + signDirectLink(sbs, ranstr, secret) + "\t" +
			buildDirectLink(base, app, chat, sbs, ranstr, secret) + "\n")
	}
	if err := os.WriteFile(os.Getenv("DIRECTLINK_HARNESS_OUT"), []byte(out.String()), 0o600); err != nil {
		t.Fatal(err)
	}
}
