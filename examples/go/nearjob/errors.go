package nearjob

// #include <nearjob.h>
import "C"

import "errors"

// Status is an nj_status code. The values are the header's, pinned forever;
// a later library may return codes this binding does not name.
type Status int32

// The status codes of nearjob/common.h.
const (
	StatusOK             Status = C.NJ_OK                 // success
	StatusInvalid        Status = C.NJ_E_INVALID          // a malformed argument
	StatusNoMem          Status = C.NJ_E_NOMEM            // an allocation failed
	StatusNotFound       Status = C.NJ_E_NOT_FOUND        // no object with that id
	StatusExists         Status = C.NJ_E_EXISTS           // the id is taken
	StatusRange          Status = C.NJ_E_RANGE            // a value out of range, or overflow
	StatusIneligible     Status = C.NJ_E_INELIGIBLE       // eligibility rules not met
	StatusClosed         Status = C.NJ_E_CLOSED           // posting or window closed
	StatusCap            Status = C.NJ_E_CAP              // a stipend or budget cap reached
	StatusIO             Status = C.NJ_E_IO               // a file operation failed
	StatusCorrupt        Status = C.NJ_E_CORRUPT          // malformed stored or imported data
	StatusVersion        Status = C.NJ_E_VERSION          // data or library of an incompatible version
	StatusEncoding       Status = C.NJ_E_ENCODING         // text not valid in its encoding
	StatusBufferTooSmall Status = C.NJ_E_BUFFER_TOO_SMALL // a caller buffer too small
	StatusUnsupported    Status = C.NJ_E_UNSUPPORTED      // unknown option or missing feature
	StatusInUse          Status = C.NJ_E_IN_USE           // still referenced, not removed
)

// String is the library's static name of the status, such as
// "NJ_E_NOT_FOUND: not found" ("unknown status" for codes it does not know).
func (s Status) String() string { return C.GoString(C.nj_status_str(C.int32_t(s))) }

// Error is a failed call: the status and the library's detailed message
// naming the object, the field and the limit (or, for read-only calls, which
// never write the registry's message, what the binding knows of the call).
type Error struct {
	Status  Status // the library's status code
	Message string // what failed, "" in a sentinel
}

// Sentinels, one per status: errors.Is(err, ErrNotFound) holds for every
// *Error of that status. Buffer-size negotiation happens inside the binding,
// so ErrBufferTooSmall reaches callers only from a library that misbehaves.
var (
	ErrInvalid        = &Error{Status: StatusInvalid}
	ErrNoMem          = &Error{Status: StatusNoMem}
	ErrNotFound       = &Error{Status: StatusNotFound}
	ErrExists         = &Error{Status: StatusExists}
	ErrRange          = &Error{Status: StatusRange}
	ErrIneligible     = &Error{Status: StatusIneligible}
	ErrClosed         = &Error{Status: StatusClosed}
	ErrCap            = &Error{Status: StatusCap}
	ErrIO             = &Error{Status: StatusIO}
	ErrCorrupt        = &Error{Status: StatusCorrupt}
	ErrVersion        = &Error{Status: StatusVersion}
	ErrEncoding       = &Error{Status: StatusEncoding}
	ErrBufferTooSmall = &Error{Status: StatusBufferTooSmall}
	ErrUnsupported    = &Error{Status: StatusUnsupported}
	ErrInUse          = &Error{Status: StatusInUse}
)

// ErrUseAfterClose is returned by every method of a Registry, Stats or
// StatsTable after its Close, and of the objects of a closed Registry. It is
// not a library status, so it is not an *Error (and not ErrClosed, the
// status of a closed posting or application window).
var ErrUseAfterClose = errors.New("nearjob: use after Close")

var sentinels = map[Status]*Error{
	StatusInvalid: ErrInvalid, StatusNoMem: ErrNoMem, StatusNotFound: ErrNotFound,
	StatusExists: ErrExists, StatusRange: ErrRange, StatusIneligible: ErrIneligible,
	StatusClosed: ErrClosed, StatusCap: ErrCap, StatusIO: ErrIO,
	StatusCorrupt: ErrCorrupt, StatusVersion: ErrVersion, StatusEncoding: ErrEncoding,
	StatusBufferTooSmall: ErrBufferTooSmall, StatusUnsupported: ErrUnsupported,
	StatusInUse: ErrInUse,
}

// Error formats as "nearjob: <status name>: <message>".
func (e *Error) Error() string {
	if e.Message == "" {
		return "nearjob: " + e.Status.String()
	}
	return "nearjob: " + e.Status.String() + ": " + e.Message
}

// Is reports whether target is an *Error without a message of the same
// status: a sentinel, or one built by the caller as &Error{Status: s}.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Message == "" && t.Status == e.Status
}

// Unwrap returns the sentinel of the error's status, or nil for a sentinel
// itself and for a status this binding does not know.
func (e *Error) Unwrap() error {
	if s, ok := sentinels[e.Status]; ok && s != e {
		return s
	}
	return nil
}

// failure returns nil for StatusOK, else an *Error with the message.
func failure(st Status, message string) error {
	if st == StatusOK {
		return nil
	}
	return &Error{Status: st, Message: message}
}
