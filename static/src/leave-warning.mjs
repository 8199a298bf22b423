// Warn before leaving a page with unsaved changes.
//
// Forms marked data-app-warn-unsaved (the step pages, funding lines, cards,
// comments...) are watched. A form is "changed" when a field differs from the
// value the page was served with (defaultValue, defaultChecked,
// defaultSelected), so typing something and deleting it again is no change,
// and a page sent back with errors starts unchanged (what was typed is in it).
//
// - A link (boosted by htmx or not: the language toggle is not) or another
//   form's button (sign out, say) opens the in-page dialog #app-leave-warning,
//   in the page's language: "Stay on this page" keeps everything as it is,
//   "Leave without saving" goes on.
// - Any other way of leaving (the address bar, closing the tab, back) gets the
//   browser's own beforeunload question (browsers show their own words).
//
// Submitting the changed form itself is never interrupted.

const FORMS = 'form[data-app-warn-unsaved]'

// Set while the user has chosen to leave, or a watched form is submitting.
let leaving = false

function fieldChanged (field) {
  if (field.disabled || !field.name) {
    return false
  }
  const type = (field.type || '').toLowerCase()
  if (type === 'hidden' || type === 'submit' || type === 'button') {
    return false
  }
  if (type === 'checkbox' || type === 'radio') {
    return field.checked !== field.defaultChecked
  }
  if (field.tagName === 'SELECT') {
    // With no option marked selected, a single select starts on its first.
    const options = Array.from(field.options)
    const marked = options.some(function (option) { return option.defaultSelected })
    return options.some(function (option, index) {
      const initially = marked ? option.defaultSelected : (!field.multiple && index === 0)
      return option.selected !== initially
    })
  }
  if ('defaultValue' in field) {
    return field.value !== field.defaultValue
  }
  return false
}

function changedForms () {
  return Array.from(document.querySelectorAll(FORMS)).filter(function (form) {
    return Array.from(form.elements).some(fieldChanged)
  })
}

export function hasUnsavedChanges () {
  return !leaving && changedForms().length > 0
}

function ask (onLeave) {
  const dialog = document.getElementById('app-leave-warning')
  if (!dialog || typeof dialog.showModal !== 'function') {
    // No in-page dialog: fall back to the browser's beforeunload question.
    onLeave()
    return
  }
  const opener = document.activeElement
  function choose (event) {
    const button = event.target.closest('[data-app-dialog-action]')
    if (!button) {
      return
    }
    dialog.removeEventListener('click', choose)
    dialog.close()
    if (button.getAttribute('data-app-dialog-action') === 'leave') {
      onLeave()
    } else if (opener && typeof opener.focus === 'function') {
      opener.focus()
    }
  }
  dialog.addEventListener('click', choose)
  // Escape closes the dialog: the same as "Stay on this page".
  dialog.addEventListener('close', function () {
    dialog.removeEventListener('click', choose)
  }, { once: true })
  dialog.showModal()
  const stay = dialog.querySelector('[data-app-dialog-action="stay"]')
  if (stay) {
    stay.focus()
  }
}

// Leaving is allowed until the page unloads or, for htmx (a boosted link or
// form does not unload the page), until its request has finished: then the
// new content is watched.
function leaveAgain (action) {
  leaving = true
  action()
}

document.addEventListener('htmx:afterRequest', function () { leaving = false })
window.addEventListener('pageshow', function () { leaving = false })

// Links: capture on window, before htmx's own click handler on the link.
window.addEventListener('click', function (event) {
  if (leaving || event.defaultPrevented || event.button !== 0 ||
      event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
    return
  }
  const link = event.target instanceof Element && event.target.closest('a[href]')
  if (!link || link.closest('dialog') || (link.target && link.target !== '_self') ||
      link.hasAttribute('download')) {
    return
  }
  const url = new URL(link.href, window.location.href)
  if (url.origin === window.location.origin && url.pathname === window.location.pathname &&
      url.search === window.location.search && url.hash) {
    return // a link within the page (the skip link, an error summary link)
  }
  if (!hasUnsavedChanges()) {
    return
  }
  event.preventDefault()
  event.stopPropagation()
  ask(function () {
    leaveAgain(function () { link.click() })
  })
}, true)

// Other forms' buttons (sign out, a filter...): the same question.
window.addEventListener('submit', function (event) {
  const form = event.target
  if (!(form instanceof HTMLFormElement)) {
    return
  }
  if (form.matches(FORMS) || form.hasAttribute('data-app-sign-out')) {
    leaving = true // saving this form, or signing out from the timeout warning
    return
  }
  if (form.closest('dialog')) {
    return
  }
  if (leaving || !hasUnsavedChanges()) {
    return
  }
  event.preventDefault()
  event.stopPropagation()
  const submitter = event.submitter
  ask(function () {
    leaveAgain(function () { form.requestSubmit(submitter || undefined) })
  })
}, true)

window.addEventListener('beforeunload', function (event) {
  if (hasUnsavedChanges()) {
    event.preventDefault()
    event.returnValue = '' // older browsers need a value to ask
  }
})
