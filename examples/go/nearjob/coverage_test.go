package nearjob_test

import (
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// The binding calls every function the library exports, and nothing else:
// the C.nj_* identifiers of the package's non-test files are exactly the
// symbols of lib/nearjob.map. (C types are spelt C.struct_nj_* so that
// only functions match.)
func TestBindingCoversTheExportedSymbols(t *testing.T) {
	mapText := string(must(os.ReadFile(filepath.Join("..", "..", "..", "lib", "nearjob.map"))))
	exported := set(regexp.MustCompile(`(?m)^\s*(nj_[a-z0-9_]+);`).FindAllStringSubmatch(mapText, -1))
	sources := must(filepath.Glob("*.go"))
	called := map[string]bool{}
	for _, name := range sources {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		text := string(must(os.ReadFile(name)))
		for k := range set(regexp.MustCompile(`\bC\.(nj_[a-z0-9_]+)`).FindAllStringSubmatch(text, -1)) {
			called[k] = true
		}
	}
	if len(exported) < 178 {
		t.Fatalf("read only %d symbols from lib/nearjob.map", len(exported))
	}
	for _, missing := range difference(exported, called) {
		t.Errorf("exported but not wrapped: %s", missing)
	}
	for _, extra := range difference(called, exported) {
		t.Errorf("referenced but not exported: %s", extra)
	}
}

func set(matches [][]string) map[string]bool {
	out := map[string]bool{}
	for _, m := range matches {
		out[m[1]] = true
	}
	return out
}

func difference(a, b map[string]bool) []string {
	var out []string
	for k := range a {
		if !b[k] {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}
