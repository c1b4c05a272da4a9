#!/bin/sh
# Usage: gotest.sh GO INCLUDE_DIR ARGS...
#
# Runs `GO ARGS...` with the nearjob headers of INCLUDE_DIR folded into the
# Go build cache's key. Go's cache does not look at the C headers a cgo
# package includes (golang/go#24355), so after a header change `go test`
# would silently reuse a binding compiled against the old declarations.
# CGO_CPPFLAGS is part of the key: a macro holding the headers' checksum
# makes every header change a cache miss, and nothing else.
set -eu
go=$1
include=$2
shift 2
sum=$(cat "$include/nearjob.h" "$include"/nearjob/*.h | sha256sum | cut -c1-16)
CGO_CPPFLAGS="${CGO_CPPFLAGS:-} -DNJ_GO_HEADERS_SHA256=$sum"
export CGO_CPPFLAGS
exec "$go" "$@"
