// The GOV.UK Frontend components whose JavaScript our pages use, and nothing else:
// scripts/build-assets.sh bundles this with esbuild into
// static/vendor/govuk-frontend-<version>-subset.min.js (tree-shaken and minified), which
// static/js/app.mjs imports. The full build (govuk-frontend.min.js) also carries the
// accordion, tabs, header, exit this page and file upload, which no page has.
//
// A component added to a template (a govuk macro whose markup has data-module) must be
// added here too: tests/unit/test_stylesheet.py checks every data-module a macro we use
// can emit against COMPONENTS below.
import * as GOVUKFrontend from 'govuk-frontend'

// Named once: esbuild keeps only the components read from the namespace here.
export const COMPONENTS = [
  GOVUKFrontend.Button,
  GOVUKFrontend.CharacterCount,
  GOVUKFrontend.Checkboxes,
  GOVUKFrontend.ErrorSummary,
  GOVUKFrontend.NotificationBanner,
  GOVUKFrontend.PasswordInput,
  GOVUKFrontend.Radios,
  GOVUKFrontend.ServiceNavigation,
  GOVUKFrontend.SkipLink
]

/**
 * Every component of COMPONENTS in the scope (the whole page by default), as GOV.UK
 * Frontend's own initAll does for all of its components.
 *
 * @param {{ scope?: Element | Document }} [options]
 */
export function initAll (options = {}) {
  const scope = options.scope || document
  if (!GOVUKFrontend.isSupported()) {
    return
  }
  for (const Component of COMPONENTS) {
    GOVUKFrontend.createAll(Component, undefined, scope)
  }
}
