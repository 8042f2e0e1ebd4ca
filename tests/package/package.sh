#!/usr/bin/env bash
# ctest: build the .deb with CPack (scripts/package), unpack it into a staging prefix, check what
# it holds, and build two outside consumers against it — C++ with find_package(daliz), C with
# pkg-config — that must decide as `daliz run` does.
#   package.sh BUILD_DIR SOURCE_DIR WORK_DIR
set -euo pipefail
build=$1 src=$2 work=$3
rm -rf "$work" && mkdir -p "$work"
deb=$("$src/scripts/package" --build-dir "$build" --out "$work" | tail -n 1)
[ -f "$deb" ] || { echo "FAIL: no package written ($deb)"; exit 1; }
echo "package: $deb"
stage=$work/stage
dpkg-deb -x "$deb" "$stage"
multiarch=$(gcc -print-multiarch)
for f in usr/bin/daliz "usr/lib/$multiarch/libdaliz.so.0" "usr/lib/$multiarch/libdaliz.so" \
         usr/include/daliz/daliz.h usr/include/daliz/daliz_c.h usr/include/daliz/export.h usr/include/daliz/version.h \
         "usr/lib/$multiarch/cmake/daliz/dalizConfig.cmake" "usr/lib/$multiarch/pkgconfig/daliz.pc"; do
  [ -e "$stage/$f" ] || { echo "FAIL: the package lacks $f"; dpkg-deb -c "$deb"; exit 1; }
done
soname=$(readelf -d "$stage/usr/lib/$multiarch/libdaliz.so.0" | sed -n 's/.*SONAME.*\[\(.*\)\]/\1/p')
[ "$soname" = libdaliz.so.0 ] || { echo "FAIL: SONAME is '$soname'"; exit 1; }
depends=$(dpkg-deb -f "$deb" Depends)
echo "$depends" | grep -q libsimdjson || { echo "FAIL: Depends lacks the shared libraries: $depends"; exit 1; }
# Only the public API is exported.
leaked=$(nm -D --defined-only "$stage/usr/lib/$multiarch/libdaliz.so.0" | c++filt | awk '{print $3}' |
         grep -v -e '^daliz_' -e '^daliz::api::' -e '^DALIZ_0$' || true)
[ -z "$leaked" ] || { echo "FAIL: libdaliz exports more than its API:"; echo "$leaked" | head; exit 1; }
echo "ok: package holds the CLI, libdaliz.so.0 (SONAME, API-only exports), headers, CMake and pkg-config files"

"$stage/usr/bin/daliz" --version | head -n 1
"$stage/usr/bin/daliz" compile "$src/tests/spec/examples/01_valuation.dlz" --ref "$src/tests/spec/examples" -o "$work/v.bundle" 2>/dev/null
head -n 1 "$src/tests/spec/examples/01_valuation_declarations.jsonl" >"$work/one.jsonl"
"$stage/usr/bin/daliz" run "$work/v.bundle" --in "$work/one.jsonl" >"$work/expected.txt"
export LD_LIBRARY_PATH="$stage/usr/lib/$multiarch"

cmake -S "$src/tests/package/consumer" -B "$work/consumer" -DCMAKE_PREFIX_PATH="$stage/usr" >/dev/null
cmake --build "$work/consumer" >/dev/null
"$work/consumer/consumer_cpp" "$work/v.bundle" <"$work/one.jsonl" >"$work/cpp.txt"
cmp "$work/expected.txt" "$work/cpp.txt" || { echo "FAIL: the CMake consumer decides differently"; exit 1; }
echo "ok: a CMake consumer (find_package(daliz), daliz::daliz) decides as daliz run"

export PKG_CONFIG_PATH="$stage/usr/lib/$multiarch/pkgconfig"
flags=$(pkg-config --cflags --libs daliz)
case "$flags" in *"$stage"*) ;; *) echo "FAIL: pkg-config does not point into the staging prefix: $flags"; exit 1 ;; esac
# shellcheck disable=SC2086
gcc -std=c99 -Wall -Wextra -Werror -o "$work/consumer_c" "$src/tests/package/consumer/consumer.c" $flags
"$work/consumer_c" "$work/v.bundle" <"$work/one.jsonl" >"$work/c.txt"
cmp "$work/expected.txt" "$work/c.txt" || { echo "FAIL: the pkg-config consumer decides differently"; exit 1; }
echo "ok: a C consumer built with pkg-config decides as daliz run"
