//go:build asan

package nearjob

// #include <sanitizer/lsan_interface.h>
import "C"

// checkLeaks runs LeakSanitizer over the C heap and reports whether it found
// memory no longer referenced. Built only with go test -asan: a Go program
// leaves through exit_group, never through the C library's exit, so the
// check the sanitizer runs at exit never happens on its own.
func checkLeaks() bool { return C.__lsan_do_recoverable_leak_check() != 0 }
