#!/bin/sh
# check_symbols.sh: the shared library exports exactly the ABI we promise.
#
# Usage: check_symbols.sh LIBRARY MAP INCLUDE_DIR [NM] [READELF]
#
#   LIBRARY      the built shared library (libnearjob.so.X.Y.Z)
#   MAP          the linker version script (lib/nearjob.map)
#   INCLUDE_DIR  the public include directory (include/)
#   NM           nm to use (default: nm)
#   READELF      readelf to use for the SONAME check (default: readelf; the
#                check is skipped if it cannot be run)
#
# Asserts, printing every difference:
#   1. the defined dynamic symbols of LIBRARY (nm -D --defined-only, the
#      absolute version-node symbols such as NEARJOB_0.1 left out) equal the
#      symbols listed under global: in MAP;
#   2. they equal the functions declared `NJ_API <type> <name>(` in the
#      headers under INCLUDE_DIR;
#   3. every one is nj_-prefixed and is a function (type T), never data;
#   4. each symbol carries the version node of the map block that lists it,
#      and no symbol is listed twice;
#   5. the SONAME is libnearjob.so.<major soversion>.
#
# Exit status: 0 when all hold, 1 otherwise, 2 on a usage or tool error.
set -eu
LC_ALL=C
export LC_ALL

if [ "$#" -lt 3 ]; then
    echo "usage: $0 LIBRARY MAP INCLUDE_DIR [NM] [READELF]" >&2
    exit 2
fi
lib=$1
map=$2
incdir=$3
nm=${4:-nm}
readelf=${5:-readelf}

for f in "$lib" "$map"; do
    if [ ! -f "$f" ]; then
        echo "check_symbols: no such file: $f" >&2
        exit 2
    fi
done
if [ ! -d "$incdir" ]; then
    echo "check_symbols: no such directory: $incdir" >&2
    exit 2
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/nj-symbols.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
fail=0

# --- 1. the library's dynamic symbol table -------------------------------
# nm -D prints "ADDRESS TYPE NAME[@@VERSION]". Version nodes are absolute
# ("A") symbols named after the node; they are not API.
if ! "$nm" -D --defined-only "$lib" >"$tmp/nm.raw"; then
    echo "check_symbols: $nm -D --defined-only $lib failed" >&2
    exit 2
fi
awk 'NF >= 3 && $2 != "A" {
        name = $3; node = "-"
        i = index(name, "@")
        if (i > 0) { node = substr(name, i); name = substr(name, 1, i - 1); gsub(/^@+/, "", node) }
        print name, node, $2
    }' "$tmp/nm.raw" | sort >"$tmp/nm.full"       # name node type
cut -d' ' -f1 "$tmp/nm.full" | sort -u >"$tmp/lib.syms"

# --- 2. the version script -----------------------------------------------
# Strip /* */ and # comments, put {, }, ; and : in tokens of their own,
# and walk the tokens, tracking the node and the global:/local: scope.
sed -e 's/#.*$//' "$map" | tr '\n' ' ' \
    | sed -e 's,/\*\([^*]\|\*\+[^*/]\)*\*\+/, ,g' \
    | sed -e 's/{/ { /g' -e 's/}/ } /g' -e 's/;/ ; /g' -e 's/:/ : /g' \
    | tr -s ' \t' '\n\n' \
    | awk '
        $0 == "" { next }
        $0 == "{" { depth++; if (depth == 1) scope = "global"; next }
        $0 == "}" { depth--; if (depth == 0) { closing = 1; node = "" } next }
        $0 == ";" { closing = 0; next }
        $0 == ":" { next }
        depth == 0 && closing { next }          # "} PARENT_NODE ;"
        depth == 0 { node = $0; next }          # "NODE {"
        $0 == "global" || $0 == "local" { scope = $0; next }
        scope == "global" { print $0, node }
        scope == "local" && $0 != "*" {
            print "check_symbols: map names " $0 " as local; list only globals" > "/dev/stderr"
        }
        ' >"$tmp/map.pairs"
sort "$tmp/map.pairs" >"$tmp/map.full"                 # name node
cut -d' ' -f1 "$tmp/map.full" | sort >"$tmp/map.all"
sort -u "$tmp/map.all" >"$tmp/map.syms"

if [ ! -s "$tmp/map.syms" ]; then
    echo "FAIL: no global symbols found in $map"
    fail=1
fi
if ! cmp -s "$tmp/map.all" "$tmp/map.syms"; then
    echo "FAIL: symbols listed more than once in $map:"
    uniq -d "$tmp/map.all" | sed 's/^/  /'
    fail=1
fi
if grep -q '[*?[]' "$tmp/map.syms"; then
    echo "FAIL: wildcard in a global: block of $map (list symbols explicitly):"
    grep '[*?[]' "$tmp/map.syms" | sed 's/^/  /'
    fail=1
fi

# --- 3. the NJ_API declarations in the headers ---------------------------
# Declarations look like "NJ_API <type> [*]<name>(" at the start of a line.
# The name is the last identifier before the first "(".
find "$incdir" -name '*.h' -type f | sort >"$tmp/headers"
if [ ! -s "$tmp/headers" ]; then
    echo "check_symbols: no headers under $incdir" >&2
    exit 2
fi
: >"$tmp/hdr.all"
while IFS= read -r h; do
    awk -v file="$h" '
        /^[ \t]*NJ_API[ \t]/ {
            i = index($0, "(")
            if (i == 0) {
                printf "check_symbols: %s:%d: NJ_API declaration without \"(\" on its line: %s\n", file, NR, $0 > "/dev/stderr"
                bad = 1
                next
            }
            pre = substr($0, 1, i - 1)
            if (match(pre, /[A-Za-z_][A-Za-z0-9_]*[ \t]*$/)) {
                name = substr(pre, RSTART, RLENGTH)
                gsub(/[ \t]+$/, "", name)
                print name
            }
        }
        END { exit bad }
        ' "$h" >>"$tmp/hdr.all" || fail=1
done <"$tmp/headers"
sort "$tmp/hdr.all" >"$tmp/hdr.sorted"
sort -u "$tmp/hdr.all" >"$tmp/hdr.syms"
if ! cmp -s "$tmp/hdr.sorted" "$tmp/hdr.syms"; then
    echo "FAIL: functions declared NJ_API more than once in $incdir:"
    uniq -d "$tmp/hdr.sorted" | sed 's/^/  /'
    fail=1
fi

# --- compare ---------------------------------------------------------------
compare() { # A_FILE A_NAME B_FILE B_NAME
    if ! cmp -s "$1" "$3"; then
        only_a=$(comm -23 "$1" "$3")
        only_b=$(comm -13 "$1" "$3")
        echo "FAIL: $2 and $4 differ"
        if [ -n "$only_a" ]; then
            echo "  only in $2:"
            printf '%s\n' "$only_a" | sed 's/^/    /'
        fi
        if [ -n "$only_b" ]; then
            echo "  only in $4:"
            printf '%s\n' "$only_b" | sed 's/^/    /'
        fi
        fail=1
    fi
}
compare "$tmp/lib.syms" "the library (nm -D)" "$tmp/map.syms" "the version script"
compare "$tmp/map.syms" "the version script" "$tmp/hdr.syms" "the NJ_API declarations"

# --- prefix, kind and version node ---------------------------------------
if grep -v '^nj_' "$tmp/lib.syms" >"$tmp/noprefix"; then
    echo "FAIL: exported symbols without the nj_ prefix:"
    sed 's/^/  /' "$tmp/noprefix"
    fail=1
fi
if grep -v '^nj_' "$tmp/map.syms" >"$tmp/noprefix"; then
    echo "FAIL: map symbols without the nj_ prefix:"
    sed 's/^/  /' "$tmp/noprefix"
    fail=1
fi
awk '$3 != "T" { print "  " $1 " (nm type " $3 ")" }' "$tmp/nm.full" >"$tmp/nonfunc"
if [ -s "$tmp/nonfunc" ]; then
    echo "FAIL: exported symbols that are not functions in .text (the API has no globals):"
    cat "$tmp/nonfunc"
    fail=1
fi
# Each exported symbol's version must be the node that lists it.
awk '{ print $1, $2 }' "$tmp/nm.full" | sort -u >"$tmp/lib.pairs"
sort -u "$tmp/map.full" >"$tmp/map.pairs.u"
if ! cmp -s "$tmp/lib.pairs" "$tmp/map.pairs.u"; then
    # Only report nodes for symbols present on both sides; missing ones were
    # reported above.
    comm -23 "$tmp/lib.pairs" "$tmp/map.pairs.u" >"$tmp/badnode"
    : >"$tmp/badnode.rep"
    while read -r sym node; do
        want=$(awk -v s="$sym" '$1 == s { print $2 }' "$tmp/map.full")
        [ -n "$want" ] || continue
        echo "  $sym has version '${node:-<none>}', the map puts it in '$want'" >>"$tmp/badnode.rep"
    done <"$tmp/badnode"
    if [ -s "$tmp/badnode.rep" ]; then
        echo "FAIL: symbol versions differ from the map:"
        cat "$tmp/badnode.rep"
        fail=1
    fi
fi

# --- SONAME ------------------------------------------------------------------
if "$readelf" -d "$lib" >"$tmp/dyn" 2>/dev/null; then
    soname=$(sed -n 's/.*(SONAME).*\[\(.*\)\].*/\1/p' "$tmp/dyn")
    case "$soname" in
        libnearjob.so.[0-9]*)
            case "$soname" in
                *.*.*.*) echo "FAIL: SONAME $soname carries more than the major version"; fail=1 ;;
            esac ;;
        *) echo "FAIL: SONAME is '$soname', expected libnearjob.so.<N>"; fail=1 ;;
    esac
else
    soname="(readelf unavailable; not checked)"
fi

n=$(wc -l <"$tmp/lib.syms" | tr -d ' ')
if [ "$fail" -ne 0 ]; then
    echo "check_symbols: FAILED ($n symbols exported by $lib)"
    exit 1
fi
echo "check_symbols: OK: $n nj_ functions; library = version script = NJ_API declarations; SONAME $soname"
exit 0
