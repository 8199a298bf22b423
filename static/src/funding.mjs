// The funding plan's line page: when the live total has been worked out again for a new
// amount, an error message about the amount as it was saved is out of date. Remove it
// (from the field and the error summary); the live total beside the field says whether the
// plan is still more than the allocation, and the server checks again on save.
//
// htmx swaps the total in out of band (into #funding-total) and fires htmx:oobAfterSwap on
// each swapped-in element, with the target in event.detail: app.mjs listens for it and calls
// liveTotalChanged() below.

function removeToken (element, attribute, token) {
  const tokens = (element.getAttribute(attribute) || '').split(/\s+/).filter(function (t) {
    return t && t !== token
  })
  if (tokens.length) {
    element.setAttribute(attribute, tokens.join(' '))
  } else {
    element.removeAttribute(attribute)
  }
}

export function clearFieldError (input) {
  const errorId = input.id + '-error'
  const message = document.getElementById(errorId)
  if (!message) {
    return
  }
  message.remove()
  removeToken(input, 'aria-describedby', errorId)
  input.classList.remove('govuk-input--error')
  const group = input.closest('.govuk-form-group')
  if (group) {
    group.classList.remove('govuk-form-group--error')
  }
  const summary = document.querySelector('.govuk-error-summary')
  if (!summary) {
    return
  }
  summary.querySelectorAll('a[href="#' + input.id + '"]').forEach(function (link) {
    link.closest('li').remove()
  })
  if (!summary.querySelector('.govuk-error-summary__list li')) {
    summary.remove()
    // The page title no longer starts with "Error:" (in the page's language).
    const prefix = summary.getAttribute('data-title-prefix')
    if (prefix && document.title.startsWith(prefix + ' ')) {
      document.title = document.title.slice(prefix.length + 1)
    }
  }
}

// Called by app.mjs, which listens for htmx:oobAfterSwap itself (so that a swap made before
// this module has loaded is not missed), once a new live total is in #funding-total.
export function liveTotalChanged () {
  const input = document.querySelector('input[name="amount"][data-hx-get]')
  if (input) {
    clearFieldError(input)
  }
}
