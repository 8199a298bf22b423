// The GOV.UK Frontend components whose JavaScript our pages use, and nothing else:
// scripts/build-assets.sh bundles this with esbuild into
// static/vendor/govuk-frontend-<version>-subset.min.js (tree-shaken and minified), which
// static/js/app.mjs imports. The components of nearly every page are in it; those of form
// fields that only some pages have are in govuk-frontend/forms.mjs, a module of their own
// (govuk-frontend-<version>-forms.min.js) that is imported only on a page with one of them
// (the code both use is in a third file, govuk-frontend-<version>-<hash>.min.js). The full
// build (govuk-frontend.min.js) also carries the accordion, tabs, header, exit this page and
// file upload, which no page has.
//
// A component added to a template (a govuk macro whose markup has data-module) must be
// added here or to govuk-frontend/forms.mjs: tests/unit/test_stylesheet.py checks every
// data-module a macro we use can emit against the names in the two.
import { isSupported } from 'govuk-frontend/dist/govuk/common/index.mjs'
import { Button } from 'govuk-frontend/dist/govuk/components/button/button.mjs'
import { ErrorSummary } from 'govuk-frontend/dist/govuk/components/error-summary/error-summary.mjs'
import { NotificationBanner } from 'govuk-frontend/dist/govuk/components/notification-banner/notification-banner.mjs'
import { ServiceNavigation } from 'govuk-frontend/dist/govuk/components/service-navigation/service-navigation.mjs'
import { SkipLink } from 'govuk-frontend/dist/govuk/components/skip-link/skip-link.mjs'

export const COMPONENTS = {
  'govuk-button': Button,
  'govuk-error-summary': ErrorSummary,
  'govuk-notification-banner': NotificationBanner,
  'govuk-service-navigation': ServiceNavigation,
  'govuk-skip-link': SkipLink
}

// The data-module names of govuk-frontend/forms.mjs's components.
const FORM_COMPONENTS = ['govuk-character-count', 'govuk-checkboxes', 'govuk-password-input', 'govuk-radios']

function loadForms () {
  return import('./govuk-frontend/forms.mjs').then(function (forms) {
    return forms.COMPONENTS
  })
}

// As GOV.UK Frontend's createAll does for each element (its init.mjs imports every
// component, so it is not used here).
function create (Component, element) {
  try {
    new Component(element) // eslint-disable-line no-new
  } catch (error) {
    console.log(error)
  }
}

function createIn (components, scope) {
  for (const name of Object.keys(components)) {
    for (const element of scope.querySelectorAll(`[data-module="${name}"]`)) {
      create(components[name], element)
    }
  }
}

/**
 * Every component in the scope (the whole page by default), as GOV.UK Frontend's own
 * initAll does for all of its components: those of COMPONENTS at once, those of form fields
 * once their module is loaded (the promise settles then).
 *
 * @param {{ scope?: Element | Document }} [options]
 * @returns {Promise<void>}
 */
export function initAll (options = {}) {
  const scope = options.scope || document
  if (!isSupported()) {
    return Promise.resolve()
  }
  createIn(COMPONENTS, scope)
  const selector = FORM_COMPONENTS.map(function (name) {
    return `[data-module="${name}"]`
  }).join(',')
  if (!scope.querySelector(selector)) {
    return Promise.resolve()
  }
  return loadForms().then(function (forms) {
    createIn(forms, scope)
  })
}

/**
 * The component of an element that is itself a component's root (initAll({ scope }) looks
 * only at the scope's descendants), if it is one of ours.
 *
 * @param {Element} element
 * @returns {Promise<void>}
 */
export function createComponent (element) {
  const name = element.getAttribute('data-module')
  if (name && Object.hasOwn(COMPONENTS, name)) {
    create(COMPONENTS[name], element)
  } else if (name && FORM_COMPONENTS.includes(name)) {
    return loadForms().then(function (forms) {
      create(forms[name], element)
    })
  }
  return Promise.resolve()
}
