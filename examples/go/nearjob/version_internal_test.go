package nearjob

import (
	"errors"
	"os"
	"runtime"
	"testing"
	"time"
)

// TestMain runs the tests, then under -asan lets the finalizers free what
// the tests left to them and fails when the C heap holds a leak.
func TestMain(m *testing.M) {
	code := m.Run()
	for i := 0; i < 5; i++ {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
	if checkLeaks() && code == 0 {
		code = 1
	}
	os.Exit(code)
}

// The runtime check accepts the header's major version at the header's
// minor version or later, and refuses anything else with ErrVersion.
func TestLibraryVersionCheck(t *testing.T) {
	for loaded, accepted := range map[int]bool{
		VersionNumber: true, 102: true, 199: true, 907: true,
		0: false, 99: false, 10100: false, 20000: false,
	} {
		err := checkLibraryVersion(loaded)
		if accepted != (err == nil) {
			t.Errorf("library %d: %v", loaded, err)
		}
		if err != nil && !errors.Is(err, ErrVersion) {
			t.Errorf("library %d: %v is not ErrVersion", loaded, err)
		}
	}
	if versionErr != nil {
		t.Errorf("the library this test runs against is refused: %v", versionErr)
	}
}
