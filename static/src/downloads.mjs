// Downloads that take a moment: a PDF or Word file being rendered, a ZIP of a
// cluster's plans. Every such link is a plain link (it downloads without
// JavaScript, and the browser shows its own progress); it carries
// data-download, and data-download-preparing with what to say while the file
// is made, in the page's language.
//
// With JavaScript, a click fetches the file itself: if it has not come within
// a moment, the words appear after the link, in a status region that a screen
// reader announces; once it has come, it is saved under the server's name and
// the words go. Anything but a file (the "busy, try again" page, a sign-in
// page, a network error) is left to the browser: the link is followed as if
// there were no script, so the page the server sends is shown.

const MOMENT_MS = 400

function fileName (response, href) {
  const header = response.headers.get('Content-Disposition') || ''
  const found = /filename="([^"]+)"/.exec(header)
  return found ? found[1] : href.split('/').pop().split('?')[0]
}

function statusFor (link) {
  let status = link.nextElementSibling
  if (!status || !status.hasAttribute('data-download-status')) {
    status = document.createElement('span')
    status.setAttribute('data-download-status', '')
    status.setAttribute('role', 'status')
    status.className = 'app-download-status'
    link.after(status)
  }
  return status
}

document.addEventListener('click', function (event) {
  const link = event.target instanceof Element && event.target.closest('a[data-download]')
  if (!link || event.defaultPrevented || event.button !== 0 ||
      event.metaKey || event.ctrlKey || event.shiftKey || event.altKey ||
      !window.fetch || !window.URL || !URL.createObjectURL) {
    return
  }
  event.preventDefault()
  if (link.getAttribute('aria-busy') === 'true') {
    return
  }
  const href = link.href
  const status = statusFor(link)
  link.setAttribute('aria-busy', 'true')
  const timer = window.setTimeout(function () {
    status.textContent = ' ' + (link.getAttribute('data-download-preparing') || '')
  }, MOMENT_MS)
  function done () {
    window.clearTimeout(timer)
    link.removeAttribute('aria-busy')
    status.textContent = ''
  }
  window.fetch(href, { credentials: 'same-origin' }).then(function (response) {
    const disposition = response.headers.get('Content-Disposition') || ''
    if (!response.ok || !disposition.startsWith('attachment')) {
      throw new Error('not a file')
    }
    return response.blob().then(function (blob) {
      const url = URL.createObjectURL(blob)
      const save = document.createElement('a')
      save.href = url
      save.download = fileName(response, href)
      save.hidden = true
      document.body.appendChild(save)
      save.click()
      save.remove()
      window.setTimeout(function () { URL.revokeObjectURL(url) }, 60000)
      done()
    })
  }).catch(function () {
    done()
    window.location.assign(href)
  })
})
