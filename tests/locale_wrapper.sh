#!/bin/sh
# locale_wrapper.sh DIR TEST: build the de_DE.UTF-8 locale (comma decimal
# point) into DIR with localedef, then run TEST under it. Exit 77 (skipped)
# where the locale sources are missing (Debian: the `locales` package,
# which README's test command and .ci/run install).
set -eu
dir=$1
test_program=$2
mkdir -p "$dir"
if [ ! -d "$dir/de_DE.UTF-8" ] &&
   ! localedef -i de_DE -f UTF-8 "$dir/de_DE.UTF-8" >/dev/null 2>&1; then
    echo "locale_wrapper: localedef cannot build de_DE.UTF-8 (install 'locales')"
    exit 77
fi
LOCPATH=$dir LC_ALL=de_DE.UTF-8 exec "$test_program"
