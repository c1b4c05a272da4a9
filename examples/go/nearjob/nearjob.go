// Package nearjob is the Go binding of nearjob, the C library that matches
// short public jobs at local facilities to the residents who live near them,
// pays a stipend under a per-person hour cap and reports job-target
// attainment.
//
// The binding links the library with cgo through pkg-config (package
// "nearjob"): set PKG_CONFIG_PATH to the folder holding nearjob.pc, or to a
// Meson build's meson-uninstalled folder, and LD_LIBRARY_PATH to the library
// when it is not in a system folder.
//
// # Objects and lifetime
//
// A Registry owns everything added to it. Region, Facility, Posting and
// Participant values name one object by its id and keep their Registry
// alive; every method looks the object up again, so an object removed in the
// meantime gives ErrNotFound, never a dangling pointer. Query results are
// plain Go slices. Registry, Stats and StatsTable hold C memory: call Close
// when done. A finalizer frees one that was forgotten, but only as a safety
// net; after Close every method returns ErrUseAfterClose.
//
// # Threads
//
// Every value may be used from many goroutines. A Registry carries a
// readers-writer lock: the library's read-only functions (docs/threading.md)
// run under the shared lock and so truly in parallel, and every modifying
// call takes the lock exclusively and reads the registry's error message
// before releasing it, so the message always belongs to the failed call.
//
// # Errors
//
// A failing call returns an *Error holding the library's status and message.
// Compare with the sentinel of its status: errors.Is(err, nearjob.ErrNotFound).
package nearjob

/*
#cgo pkg-config: nearjob
#include <nearjob.h>

// The binding is written for the 0.x ABI from 0.1 on. A header of another
// major version (or an older minor) stops the build here instead of failing
// at run time.
#if NJ_VERSION_MAJOR != 0 || NJ_VERSION_MINOR < 1
#error "the nearjob Go binding needs nearjob 0.x with x >= 1"
#endif
*/
import "C"

import "fmt"

// Version is the version of the nearjob header the binding was compiled
// against, as "MAJOR.MINOR.PATCH".
const Version = C.NJ_VERSION_STRING

// VersionNumber is Version as MAJOR*10000 + MINOR*100 + PATCH.
const VersionNumber = C.NJ_VERSION_NUMBER

// versionErr is set when the library loaded at run time cannot serve this
// binding; every constructor returns it.
var versionErr = checkLibraryVersion(LibraryVersionNumber())

// checkLibraryVersion accepts a library of the header's major version and
// at least the header's minor version (0.x releases only add functions).
func checkLibraryVersion(loaded int) error {
	const major, minor = VersionNumber / 10000, VersionNumber / 100 % 100
	if loaded/10000 == major && loaded/100%100 >= minor {
		return nil
	}
	return &Error{Status: StatusVersion, Message: fmt.Sprintf(
		"the loaded nearjob library is %d.%d.%d, the binding was built for %s",
		loaded/10000, loaded/100%100, loaded%100, Version)}
}

// LibraryVersion is the version of the library loaded at run time, as
// "MAJOR.MINOR.PATCH".
func LibraryVersion() string { return C.GoString(C.nj_version_string()) }

// LibraryVersionNumber is the version of the library loaded at run time, as
// MAJOR*10000 + MINOR*100 + PATCH.
func LibraryVersionNumber() int { return int(C.nj_version_number()) }
