// Warn before the session times out (the GOV.UK / DWP timeout warning
// pattern).
//
// The server ends a session after data-idle-seconds without a request (see
// load_user in wizard/__init__.py). data-warning-seconds before that, the
// modal dialog #app-timeout-warning opens (only on pages of a signed-in user):
//
// - "Stay signed in" posts to auth.stay_signed_in with fetch, which restarts
//   the wait on the server, and closes the dialog; nothing on the page changes,
//   so nothing typed is lost. (Its form also works as a plain POST.)
// - "Sign out" is an ordinary sign-out form.
// - Escape is the same as "Stay signed in", as in the DWP pattern.
// - When the time is up, the page is reloaded: the server now answers with
//   the sign-in page, which brings the user back here afterwards.
//
// Every request to the server (a boosted page, an htmx save) also restarts the
// wait, but not the board's poll (see BACKGROUND_ENDPOINTS in wizard/__init__.py). Other tabs of the service count too: the time of the latest request
// from any tab is shared through localStorage.

const STORAGE_KEY = 'app-session-last-request'

let timer = null
let lastRequest = Date.now()

function dialog () {
  return document.getElementById('app-timeout-warning')
}

function seconds (name) {
  const element = dialog()
  const value = element ? Number(element.getAttribute(name)) : NaN
  return Number.isFinite(value) && value > 0 ? value : null
}

function sharedLastRequest () {
  try {
    const stored = Number(window.localStorage.getItem(STORAGE_KEY))
    return Number.isFinite(stored) && stored > lastRequest ? stored : lastRequest
  } catch (error) {
    return lastRequest // storage may be switched off
  }
}

function noteRequest () {
  lastRequest = Date.now()
  try {
    window.localStorage.setItem(STORAGE_KEY, String(lastRequest))
  } catch (error) {
    // storage may be switched off: this tab still counts its own requests
  }
  schedule()
}

function schedule () {
  window.clearTimeout(timer)
  const idle = seconds('data-idle-seconds')
  const warning = seconds('data-warning-seconds')
  if (idle === null || warning === null) {
    return
  }
  const elapsed = (Date.now() - sharedLastRequest()) / 1000
  const element = dialog()
  if (elapsed >= idle) {
    timeUp()
  } else if (elapsed >= idle - warning) {
    open()
    timer = window.setTimeout(schedule, (idle - elapsed) * 1000)
  } else {
    if (element && element.open) {
      element.close() // another tab kept the session going
    }
    timer = window.setTimeout(schedule, (idle - warning - elapsed) * 1000)
  }
}

function open () {
  const element = dialog()
  if (!element || element.open || typeof element.showModal !== 'function') {
    return
  }
  // Any other dialog (the unsaved changes warning) gives way.
  document.querySelectorAll('dialog[open]').forEach(function (other) { other.close() })
  element.showModal()
  const stay = element.querySelector('[data-app-stay-signed-in] button')
  if (stay) {
    stay.focus()
  }
}

function timeUp () {
  const element = dialog()
  window.clearTimeout(timer)
  if (element && element.open) {
    element.close()
  }
  // The reload asks before dropping unsaved changes (leave-warning.mjs).
  window.location.reload()
}

function staySignedIn (form) {
  const element = dialog()
  window.fetch(form.action, {
    method: 'POST',
    body: new window.FormData(form),
    headers: { 'X-Requested-With': 'fetch' },
    credentials: 'same-origin'
  }).then(function (response) {
    if (response.status === 204) {
      if (element && element.open) {
        element.close()
      }
      noteRequest()
    } else {
      window.location.reload() // already signed out: the server says what next
    }
  }).catch(function () {
    // Offline for a moment: leave the dialog open so that the user can try again.
  })
}

document.addEventListener('submit', function (event) {
  const form = event.target
  if (form instanceof HTMLFormElement && form.hasAttribute('data-app-stay-signed-in')) {
    event.preventDefault()
    staySignedIn(form)
  }
})

document.addEventListener('keydown', function (event) {
  const element = dialog()
  if (event.key === 'Escape' && element && element.open) {
    event.preventDefault()
    const form = element.querySelector('form[data-app-stay-signed-in]')
    if (form) {
      staySignedIn(form)
    }
  }
})

// Every htmx request reached the server and restarted its wait (a boosted
// page also brings a new dialog, with the current page's addresses), except a
// request the page makes by itself (the board's poll, marked
// data-app-background): the server does not count those either.
document.addEventListener('htmx:afterRequest', function (event) {
  const source = event.detail && event.detail.elt
  if (source instanceof Element && source.closest('[data-app-background]')) {
    return
  }
  noteRequest()
})

window.addEventListener('storage', function (event) {
  if (event.key === STORAGE_KEY) {
    schedule()
  }
})

// Timers can be late after the computer sleeps: look again on return.
document.addEventListener('visibilitychange', function () {
  if (!document.hidden) {
    schedule()
  }
})

noteRequest()
