#!/bin/sh
# headertest.sh: every public header compiles on its own, as C11 and as C++.
#
# Usage: headertest.sh INCLUDE_DIR LANG COMPILER...
#
#   INCLUDE_DIR  the public include directory (include/)
#   LANG         c or c++
#   COMPILER...  the compiler command, possibly several words
#                (e.g. "cc", or "ccache gcc"); empty means "not available",
#                and the test is skipped (exit status 77).
#
# For each header H under INCLUDE_DIR (nearjob.h and nearjob/*.h), compiles a
# translation unit that includes only H, twice (so the include guard is
# exercised), with
#   C:    -std=c11     -pedantic -Wall -Wextra -Werror
#   C++:  -std=c++11   -pedantic -Wall -Wextra -Werror
# For C++ it also compiles a unit that takes the address of every NJ_API
# function through nearjob.h and checks, with nm, that the object refers to
# each one by its plain C name: every declaration has C linkage.
#
# Exit status: 0 on success, 1 on a failure, 2 on a usage error, 77 (meson's
# "skipped") when no compiler was given.
set -eu
LC_ALL=C
export LC_ALL

if [ "$#" -lt 2 ]; then
    echo "usage: $0 INCLUDE_DIR c|c++ COMPILER..." >&2
    exit 2
fi
incdir=$1
lang=$2
shift 2
if [ "$#" -eq 0 ] || [ -z "$*" ]; then
    echo "headertest: no $lang compiler found; skipped (install g++ to run it)"
    exit 77
fi

case "$lang" in
    c)   std=-std=c11;   ext=c ;;
    c++) std=-std=c++11; ext=cpp ;;
    *)   echo "headertest: LANG must be c or c++, not '$lang'" >&2; exit 2 ;;
esac
flags="$std -pedantic -Wall -Wextra -Werror"

if [ ! -f "$incdir/nearjob.h" ]; then
    echo "headertest: $incdir/nearjob.h not found" >&2
    exit 2
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/nj-headertest.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

(cd "$incdir" && find . -name '*.h' -type f | sed 's,^\./,,' | sort) >"$tmp/headers"
fail=0
n=0
while IFS= read -r h; do
    n=$((n + 1))
    tu="$tmp/tu$n.$ext"
    {
        echo "/* headertest: $h on its own, included twice */"
        echo "#include <$h>"
        echo "#include <$h>"
        echo "int headertest_unit_$n(void);"
        echo "int headertest_unit_$n(void) { return 0; }"
    } >"$tu"
    # shellcheck disable=SC2086  # $flags is a word list on purpose
    if "$@" $flags -I"$incdir" -c "$tu" -o "$tmp/tu$n.o" >"$tmp/out$n" 2>&1; then
        echo "ok   $lang $h"
    else
        echo "FAIL $lang $h"
        sed 's/^/     /' "$tmp/out$n"
        fail=1
    fi
done <"$tmp/headers"

if [ "$n" -eq 0 ]; then
    echo "headertest: no headers under $incdir" >&2
    exit 2
fi

if [ "$lang" = "c++" ]; then
    # Every NJ_API function, by the same rule as check_symbols.sh.
    find "$incdir" -name '*.h' -type f -exec awk '
        /^[ \t]*NJ_API[ \t]/ {
            i = index($0, "(")
            if (i == 0) next
            pre = substr($0, 1, i - 1)
            if (match(pre, /[A-Za-z_][A-Za-z0-9_]*[ \t]*$/)) {
                name = substr(pre, RSTART, RLENGTH)
                gsub(/[ \t]+$/, "", name)
                print name
            }
        }' {} + | sort -u >"$tmp/functions"
    {
        echo "/* headertest: every NJ_API function has C linkage */"
        echo "#include <nearjob.h>"
        echo "typedef void (*headertest_fn)(void);"
        echo "extern const headertest_fn headertest_functions[];"
        echo "const headertest_fn headertest_functions[] = {"
        sed 's/.*/    reinterpret_cast<headertest_fn>(\&&),/' "$tmp/functions"
        echo "    0"
        echo "};"
    } >"$tmp/linkage.cpp"
    # shellcheck disable=SC2086
    if "$@" $flags -I"$incdir" -c "$tmp/linkage.cpp" -o "$tmp/linkage.o" >"$tmp/linkage.out" 2>&1; then
        nm_prog=${NM:-nm}
        if "$nm_prog" -u "$tmp/linkage.o" >"$tmp/undef" 2>/dev/null; then
            awk '{ print $NF }' "$tmp/undef" | sort -u >"$tmp/referenced"
            missing=$(comm -23 "$tmp/functions" "$tmp/referenced")
            if [ -n "$missing" ]; then
                echo "FAIL c++ linkage: not referenced by their C name (missing extern \"C\"?):"
                printf '%s\n' "$missing" | sed 's/^/     /'
                fail=1
            else
                echo "ok   c++ linkage: $(wc -l <"$tmp/functions" | tr -d ' ') NJ_API functions have C linkage"
            fi
        else
            echo "note c++ linkage: nm not available; linkage not checked"
        fi
    else
        echo "FAIL c++ linkage unit"
        sed 's/^/     /' "$tmp/linkage.out"
        fail=1
    fi
fi

if [ "$fail" -ne 0 ]; then
    echo "headertest: FAILED ($lang)"
    exit 1
fi
echo "headertest: OK: $n headers compile alone as $lang ($flags)"
exit 0
