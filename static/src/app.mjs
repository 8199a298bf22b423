// Professional learning planner: page behaviour.
//
// The source of static/js/app.mjs: scripts/build-assets.sh (`make assets`)
// bundles it with the modules it imports and minifies it. Loaded as an ES
// module, after the htmx classic script:
//
//   <script src="/static/vendor/htmx-2.0.11.min.js"></script>
//   <script type="module" src="/static/js/app.mjs"></script>
//
// Module scripts run once the document has been parsed (like `defer`) and
// before DOMContentLoaded, so the `htmx` global is defined by then, and the
// handlers below are in place before htmx starts. Browsers without ES module
// support never run this file; the site works without it.

import * as GOVUKFrontend from '../vendor/govuk-frontend-6.3.0-subset.min.js'
// A warning before leaving a page with unsaved changes (the language toggle
// included), and before the session times out.
import './leave-warning.mjs'
import './session-timeout.mjs'
// After filtering a list: focus on its heading, and its count said again.
import './results.mjs'

// initAll() and createComponent() create the components of nearly every page at once, and
// those of form fields (radios, checkboxes, character count, password input) once their own
// module is loaded, only on a page that has one.
const { initAll, createComponent } = GOVUKFrontend

// Numbers in Welsh as the hint and the errors write them ("2,000"). GOV.UK Frontend's character
// count formats its number with Intl.NumberFormat only for a language the browser lists as
// supported; Chromium lists no Welsh number data (supportedLocalesOf("cy") is empty, though
// formatting "cy" gives "2,000"), so its count said "Mae gennych 2000 nod ar ôl" under a hint
// of "hyd at 2,000 nod". Welsh groups thousands with a comma, as English does: list Welsh as
// supported when formatting it does so.
const supportedNumberLocales = Intl.NumberFormat.supportedLocalesOf
Intl.NumberFormat.supportedLocalesOf = function (locales, options) {
  const found = supportedNumberLocales.call(Intl.NumberFormat, locales, options)
  const welsh = [].concat(locales || []).find(function (locale) {
    return /^cy(-|$)/i.test(String(locale))
  })
  if (welsh && found.length === 0 && new Intl.NumberFormat(welsh).format(2000) === '2,000') {
    return [welsh]
  }
  return found
}

const htmx = window.htmx

// 1. GOV.UK Frontend components on the page as first served.
initAll()

// Scripts that only some pages need are loaded only on such a page: as first
// served, or when a boosted navigation brings it in. The imports are literal
// relative paths so that the static build (wizard/web/assets.py) can rewrite
// them to the fingerprinted names; a module is only ever fetched and run once.
// - the Diamond 9 board's (drag and drop, focus after a move);
// - the funding line's amount: an old error goes once the live total changes;
// - "Preparing your download" on a PDF, Word or ZIP link that takes a moment.
function loadPageScripts () {
  if (document.getElementById('diamond-board')) {
    import('./diamond.mjs')
  }
  if (document.getElementById('funding-total')) {
    import('./funding.mjs')
  }
  if (document.querySelector('a[data-download]')) {
    import('./downloads.mjs')
  }
}
loadPageScripts()

// The funding line's amount: the listener is here, not in funding.mjs, so that it is in place
// before htmx starts. A live total swapped in before funding.mjs has loaded (the user typed
// first) still removes the old error, once the module is there (the browser fetches and runs a
// module once: this import waits for, or reuses, the one above).
document.addEventListener('htmx:oobAfterSwap', function (event) {
  const target = event.detail && event.detail.target
  if (target instanceof Element && target.id === 'funding-total') {
    import('./funding.mjs').then(function (funding) {
      funding.liveTotalChanged()
    })
  }
})

// Any element with a data-print attribute prints the page when clicked (no
// inline handler: the Content Security Policy forbids them).
document.addEventListener('click', function (event) {
  const trigger = event.target instanceof Element && event.target.closest('[data-print]')
  if (trigger) {
    event.preventDefault()
    window.print()
  }
})

// A button with data-copy="<id>" copies the text of that element (a new
// link) to the clipboard and says so in its status region. The button's
// paragraph is served hidden and shown here, only where the Clipboard API
// exists, so that without JavaScript there is no button that does nothing:
// the link itself can still be selected and copied.
function showCopyButtons (root) {
  if (!navigator.clipboard) {
    return
  }
  for (const button of root.querySelectorAll('[data-copy]')) {
    const holder = button.closest('[hidden]')
    if (holder) {
      holder.hidden = false
    }
  }
}
showCopyButtons(document)

document.addEventListener('click', function (event) {
  const button = event.target instanceof Element && event.target.closest('[data-copy]')
  const source = button && document.getElementById(button.getAttribute('data-copy'))
  if (!source) {
    return
  }
  const status = button.parentElement.querySelector('[data-copy-status]')
  navigator.clipboard.writeText(source.textContent.trim()).then(function () {
    if (status) {
      status.textContent = button.getAttribute('data-copied') || ''
    }
  })
})

if (htmx) {
  // 2. GOV.UK Frontend components in content that htmx swaps in later, and
  //    only inside that content (initialising a component twice logs an
  //    error). htmx also calls this once for document.body when it starts;
  //    initAll() above has already covered the whole page then.
  //
  //    initAll({ scope }) only looks at the element's descendants, so when
  //    the swapped-in element is itself a component root (for example a
  //    character count or password input macro's outer <div data-module>),
  //    that component is created directly.
  htmx.onLoad(function (el) {
    loadPageScripts()
    if (!(el instanceof Element) || el === document.body) {
      return
    }
    showCopyButtons(el)
    initAll({ scope: el })
    createComponent(el)
  })

  // 3. Send the CSRF token with every htmx request.
  document.addEventListener('htmx:configRequest', function (event) {
    const meta = document.querySelector('meta[name="csrf-token"]')
    if (meta) {
      event.detail.headers['X-CSRFToken'] = meta.getAttribute('content')
    }
  })

  // 4. After a boosted navigation (a whole new page swapped into <body>),
  //    start at the top of the page and move keyboard focus to its <h1>, as
  //    a full page load would for screen reader and keyboard users. Not when
  //    the page has an error summary: that component focuses itself (it is
  //    initialised by step 2 before htmx:afterSettle fires).
  //
  //    htmx fires htmx:afterSettle once for each top-level element swapped
  //    in, all with the same request, so each request is handled only once.
  const settledRequests = new WeakSet()

  document.addEventListener('htmx:afterSettle', function (event) {
    const detail = event.detail
    const boosted = detail.boosted || (detail.requestConfig && detail.requestConfig.boosted)
    if (!boosted || !detail.xhr || settledRequests.has(detail.xhr)) {
      return
    }
    settledRequests.add(detail.xhr)

    window.scrollTo(0, 0)

    // The new content: after an outerHTML swap, detail.target is the old,
    // detached element, so look the container up again.
    const content = document.getElementById('app-container') || document.body
    if (content.querySelector('.govuk-error-summary')) {
      return
    }

    const heading = document.querySelector('main h1') || document.querySelector('h1')
    if (!heading) {
      return
    }
    // Focusable by script only (not in the tab order); the attribute is
    // removed again on blur, as GOV.UK Frontend does for its own focus moves.
    if (!heading.hasAttribute('tabindex')) {
      heading.setAttribute('tabindex', '-1')
      heading.addEventListener('blur', function () {
        heading.removeAttribute('tabindex')
      }, { once: true })
    }
    heading.focus({ preventScroll: true })
  })
}
