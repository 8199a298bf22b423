#!/usr/bin/env bash
# Build the committed front-end assets (see static/README.md).
#
#   1. npm ci: install the exact versions in package-lock.json
#   2. compile static/scss/app.scss -> static/css/app.css
#   3. copy the vendored JavaScript into place, with its version in the name
#
# Needs Node.js >= 20.19 and npm (only here: the app, `make run` and
# `make test` never need Node). Deterministic: running it twice produces
# byte-identical files. Normally run through `make assets`.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

die() {
  echo "build-assets: $*" >&2
  exit 1
}

command -v node >/dev/null || die "node is not installed (needed only to rebuild assets)"
command -v npm >/dev/null || die "npm is not installed (needed only to rebuild assets)"

# sass 1.108 declares engines.node >= 20.19.0.
node -e '
  const [maj, min] = process.versions.node.split(".").map(Number);
  if (maj < 20 || (maj === 20 && min < 19)) {
    console.error("build-assets: Node.js >= 20.19 is required, found " + process.versions.node);
    process.exit(1);
  }
'

# The lock file must stay free of registry host names and download URLs
# (.npmrc sets omit-lockfile-registry-resolved). `npm install` also writes
# packages' "funding" URLs, which are stripped by hand after an upgrade:
#   node -e 'const f="package-lock.json",fs=require("fs"),l=JSON.parse(fs.readFileSync(f));
#            for (const p of Object.values(l.packages)) delete p.funding;
#            fs.writeFileSync(f, JSON.stringify(l, null, 2) + "\n")'
if grep -qE 'https?://' package-lock.json; then
  die "package-lock.json contains a URL; see the comment above this check"
fi

# 1. Install exactly what the lock file says. No install scripts are needed:
#    sass is pure JavaScript (its optional native file watcher is unused), and
#    esbuild's binary comes in its platform package (@esbuild/linux-x64).
npm ci --ignore-scripts --no-audit --no-fund --loglevel=error

pkg_version() {
  node -p "require('./node_modules/$1/package.json').version"
}
GOVUK_VERSION="$(pkg_version govuk-frontend)"
HTMX_VERSION="$(pkg_version htmx.org)"
AXE_VERSION="$(pkg_version axe-core)"
SASS_VERSION="$(pkg_version sass)"
ESBUILD_VERSION="$(pkg_version esbuild)"

# govuk-frontend must match the Python package govuk-frontend-jinja 4.1.0.
[[ "$GOVUK_VERSION" == "6.3.0" ]] || die "govuk-frontend must be 6.3.0 (govuk-frontend-jinja 4.1.0), found $GOVUK_VERSION"
[[ "$HTMX_VERSION" == 2.0.* ]] || die "htmx.org must be a 2.0.x release, found $HTMX_VERSION"

# 2. Sass. "pkg:" URLs resolve through node_modules (Node package importer).
#    Three stylesheets (see static/README.md): app.css on every page (what the plan's
#    steps use), pages.css on every other page but the Diamond 9 board, board.css on
#    the board.
mkdir -p static/css
node_modules/.bin/sass \
  --pkg-importer=node \
  --style=compressed \
  --no-source-map \
  static/scss/app.scss:static/css/app.css \
  static/scss/pages.scss:static/css/pages.css \
  static/scss/board.scss:static/css/board.css

for css in static/css/app.css static/css/pages.css static/css/board.css; do
  if grep -q 'GDS Transport' "$css"; then
    die "$css mentions GDS Transport (its @font-face must not be emitted)"
  fi
done

# 3. Vendored JavaScript. Old versions are removed so that only the pinned
#    one is served. GOV.UK Frontend is bundled by esbuild from its ES modules
#    with only the components our pages use (scripts/assets/govuk-frontend-subset.mjs),
#    tree-shaken and minified: about 6 KB gzipped instead of the full build's 11 KB, of which
#    a page without form fields loads 3.7 KB.
mkdir -p static/vendor tests/e2e/vendor
rm -f static/vendor/govuk-frontend-*.min.js static/vendor/htmx-*.min.js static/vendor/Sortable-*.min.js  # SortableJS: no longer used

#    With code splitting: the form fields' components (scripts/assets/govuk-frontend/forms.mjs,
#    imported only on a page with one) become govuk-frontend-<version>-forms-<hash>.min.js,
#    and the code both use govuk-frontend-<version>-chunk-<hash>.min.js.
node_modules/.bin/esbuild "govuk-frontend-${GOVUK_VERSION}-subset.min=scripts/assets/govuk-frontend-subset.mjs" \
  --bundle --splitting --minify --format=esm --target=es2020 --legal-comments=none --log-level=warning \
  --outdir=static/vendor "--chunk-names=govuk-frontend-${GOVUK_VERSION}-[name]-[hash].min"
cp node_modules/htmx.org/dist/htmx.min.js "static/vendor/htmx-${HTMX_VERSION}.min.js"

# 4. Our ES modules: static/src/ holds the sources, static/js/ what is served.
#    app.mjs (with leave-warning, session-timeout and results, which it imports)
#    becomes one minified module; diamond.mjs, funding.mjs and downloads.mjs,
#    which app.mjs imports only on a page that needs them, one each. The vendored files stay separate files (shared, cached).
#    The banner records a digest of every source, which tests/unit/test_assets.py
#    checks, so that a source changed without `make assets` fails the tests.
SOURCES_DIGEST="$(LC_ALL=C; cat static/src/*.mjs scripts/assets/govuk-frontend-subset.mjs scripts/assets/govuk-frontend/*.mjs | sha256sum | cut -c1-16)"
mkdir -p static/js
for module in app diamond funding downloads; do
  node_modules/.bin/esbuild "static/src/${module}.mjs" \
    --bundle --minify --format=esm --target=es2020 --legal-comments=none --log-level=warning \
    --external:./diamond.mjs --external:./funding.mjs --external:./downloads.mjs '--external:../vendor/*' \
    "--banner:js=// Built by scripts/build-assets.sh from static/src/${module}.mjs (sources ${SOURCES_DIGEST}): edit the source, then run make assets." \
    --outfile="static/js/${module}.mjs"
done
cp node_modules/axe-core/axe.min.js tests/e2e/vendor/axe.min.js

# app.mjs imports GOV.UK Frontend by its versioned file name.
grep -q "govuk-frontend-${GOVUK_VERSION}-subset\.min\.js" static/src/app.mjs ||
  die "static/src/app.mjs does not import ../vendor/govuk-frontend-${GOVUK_VERSION}-subset.min.js"

echo "build-assets: sass ${SASS_VERSION}, esbuild ${ESBUILD_VERSION}, govuk-frontend ${GOVUK_VERSION}, htmx.org ${HTMX_VERSION}, axe-core ${AXE_VERSION}"
size() {
  printf '  %-45s %8d bytes, %7d gzipped\n' "$1" "$(wc -c <"$1")" "$(gzip -9c "$1" | wc -c)"
}
gzipped_total() {
  local total=0 f
  for f in "$@"; do total=$((total + $(gzip -9c "$f" | wc -c))); done
  echo "$total"
}
# What a step of the plan loads, and what the Diamond 9 board page adds.
step_page=(static/css/app.css
  "static/vendor/govuk-frontend-${GOVUK_VERSION}-subset.min.js"
  "static/vendor/htmx-${HTMX_VERSION}.min.js"
  static/js/js-enabled.js
  static/js/app.mjs)
step_page+=(static/vendor/govuk-frontend-"${GOVUK_VERSION}"-chunk-*.min.js  # app.mjs imports them
  static/vendor/govuk-frontend-"${GOVUK_VERSION}"-forms-*.min.js)  # imported on a page with form fields
# app.mjs imports diamond.mjs only on a page with the board (which has no form fields).
board_page=(static/css/board.css static/js/diamond.mjs)
for f in "${step_page[@]}" static/css/pages.css "${board_page[@]}" static/js/funding.mjs static/js/downloads.mjs tests/e2e/vendor/axe.min.js; do
  size "$f"
done
printf '  %-45s %8s        %7d gzipped\n' "CSS + JS on a step page" "" "$(gzipped_total "${step_page[@]}")"
printf '  %-45s %8s        %7d gzipped\n' "CSS + JS on other pages (at most)" "" "$(gzipped_total "${step_page[@]}" static/css/pages.css static/js/funding.mjs static/js/downloads.mjs)"
printf '  %-45s %8s        %7d gzipped\n' "CSS + JS on the Diamond 9 board page" "" "$(gzipped_total "${step_page[@]:0:6}" "${board_page[@]}")"
