// The Diamond 9 board (templates/plan/diamond/): extras on top of the move
// buttons, which work on their own (with htmx, or as plain forms without
// JavaScript). Every button is in the board's one form (#board-form), named
// "m" with the value "<card> <where to>"; htmx posts the form and the server
// answers with only what changed, out of band (see move_response.html).
//
// 1. Drag and drop with SortableJS: every place on the board and the card
//    bank accept cards. A drop changes nothing in the page itself: it posts
//    the same move as the buttons (card, to, version, csrf_token) to the
//    form's action with htmx. Dropped on a card, the two swap ("with:<card>");
//    on an empty place, the card goes there; on the bank, it goes back. A drag
//    released while the page is scrolling (or not over a place, a card or the
//    bank) drops nothing. Dragging is never the only way (WCAG 2.2 SC 2.5.7).
// 2. Focus after a move: keyboard focus stays on the moved card (on the same
//    button, where its moves are still open), or goes to the "which card?"
//    question, the undo button, or the error summary. A card added from the
//    bank is focused without scrolling to it: the page stays where it was, the
//    next bank card in the added one's place. A "card added" banner goes once
//    the next move is made.
//    Escape closes a chooser or a card's open "Move to" menu.
//
// 3. "About" in the card bank: the school's bank leaves each card's
//    description out to keep the page small (a card with something to say is
//    marked data-about). Each gets an "About" disclosure; opened, it shows the
//    card's section of the "About the cards" page (#card-bank's
//    data-about-url), fetched once. Until then, or if that fails, it holds a
//    link to that section. Without JavaScript the bank links to the page.
//
// Imported by app.mjs (a dynamic import) only when the page has the board
// (#diamond-board), so no other page downloads it. Print buttons (data-print)
// are handled by app.mjs.
// The board can also arrive by a boosted navigation (data-hx-select="#app-container"
// from the task list), which runs no <script>: SortableJS is then loaded here.

const SORTABLE_URL = new URL('../vendor/Sortable-1.15.7.min.js', import.meta.url).href

const BOARD = '#diamond-board'
const FORM = '#board-form'
const CONTAINERS = '#diamond-board .app-diamond__slot[data-slot], #card-bank [data-slot="bank"]'
// A drop within this long after the page scrolled is not a drop (the pointer
// was wherever the scrolling had taken the page).
const SCROLL_SETTLE_MS = 250
const DRAGGABLE_CLASS = 'app-diamond-draggable'
const DROP_TARGET_CLASS = 'app-drop-target'
const MOVED_CLASS = 'app-card--moved'

const htmx = window.htmx

/** @type {any[]} live Sortable instances, destroyed before the next set is made */
let sortables = []
/** Requests for moves in flight: while there is one, nothing can be dragged. */
let movesInFlight = 0
/** The move each request made: xhr -> { card, to } */
const moves = new WeakMap()
let refreshQueued = false
let sortableLoading = null
let lastScrollAt = -Infinity

function getForm () {
  return document.querySelector(FORM)
}

function currentVersion () {
  const input = document.getElementById('board-version')
  return input ? input.value : ''
}

function getBoard () {
  return document.querySelector(BOARD)
}

/** Whether an htmx request config is a move posted to the board's move URL. */
function isMove (config) {
  const form = getForm()
  const moveUrl = form && form.getAttribute('data-hx-post')
  if (!moveUrl || !config || config.verb !== 'post' || !config.path) {
    return false
  }
  return new URL(config.path, document.baseURI).pathname === new URL(moveUrl, document.baseURI).pathname
}

function loadSortable () {
  if (window.Sortable) {
    return Promise.resolve(window.Sortable)
  }
  if (!sortableLoading) {
    sortableLoading = new Promise(function (resolve) {
      const script = document.createElement('script')
      script.src = SORTABLE_URL
      script.addEventListener('load', function () { resolve(window.Sortable || null) })
      script.addEventListener('error', function () {
        sortableLoading = null
        resolve(null)
      })
      document.head.appendChild(script)
    })
  }
  return sortableLoading
}

// -----------------------------------------------------------------------------
// 1. Drag and drop
// -----------------------------------------------------------------------------

function destroySortables () {
  sortables.forEach(function (sortable) { sortable.destroy() })
  sortables = []
  document.body.classList.remove(DRAGGABLE_CLASS)
}

function setDisabled (disabled) {
  sortables.forEach(function (sortable) { sortable.option('disabled', disabled) })
}

function upToDate () {
  const containers = Array.from(document.querySelectorAll(CONTAINERS))
  return sortables.length === containers.length && sortables.every(function (sortable, index) {
    return sortable.el === containers[index]
  })
}

/** Make the board's places and the bank drop targets, afresh. */
function refresh () {
  refreshQueued = false
  if (sortables.length && upToDate()) {
    return
  }
  destroySortables()
  // Only a board that can be changed has move forms.
  const board = getBoard()
  if (!board || !document.querySelector('#board-form[data-hx-post]')) {
    return
  }
  loadSortable().then(function (Sortable) {
    // The page may have changed while SortableJS was loading.
    if (!Sortable || sortables.length || getBoard() !== board) {
      return
    }
    document.querySelectorAll(CONTAINERS).forEach(function (container) {
      sortables.push(createSortable(Sortable, container))
    })
    setDisabled(movesInFlight > 0)
    document.body.classList.add(DRAGGABLE_CLASS)
  })
}

function queueRefresh () {
  if (!refreshQueued) {
    refreshQueued = true
    queueMicrotask(refresh)
  }
}

function createSortable (Sortable, container) {
  const inBank = container.getAttribute('data-slot') === 'bank'
  let pointer = null
  let target = null
  let frame = 0

  function setTarget (next) {
    if (next !== target) {
      if (target) target.classList.remove(DROP_TARGET_CLASS)
      if (next) next.classList.add(DROP_TARGET_CLASS)
      target = next
    }
  }

  // The place (or the bank) under the pointer. The copy of the card that
  // follows the pointer has pointer-events: none, so it is looked through.
  function containerAt (point) {
    if (!point) return null
    const element = document.elementFromPoint(point.clientX, point.clientY)
    const found = element && element.closest('[data-slot]')
    return found && found.matches(CONTAINERS) ? found : null
  }

  // Where a drop lands: a card on the board (swap with it), an empty place,
  // or the bank; or nowhere.
  function dropAt (point) {
    if (!point) return null
    const element = document.elementFromPoint(point.clientX, point.clientY)
    if (!element) return null
    const onCard = element.closest('#diamond-board .app-card[data-card]')
    if (onCard) return 'with:' + onCard.getAttribute('data-card')
    const over = containerAt(point)
    if (!over || over === container) return null
    return over.getAttribute('data-slot')
  }

  function track (event) {
    pointer = event.touches ? event.touches[0] : event
    if (!frame) {
      frame = window.requestAnimationFrame(function () {
        frame = 0
        const over = containerAt(pointer)
        setTarget(over && over !== container ? over : null)
      })
    }
  }

  function stopTracking () {
    document.removeEventListener('pointermove', track)
    document.removeEventListener('mousemove', track)
    document.removeEventListener('touchmove', track)
    if (frame) window.cancelAnimationFrame(frame)
    frame = 0
    setTarget(null)
    document.body.classList.remove('app-diamond-dragging')
  }

  return Sortable.create(container, {
    group: 'diamond',
    draggable: inBank ? '.app-bank__item' : '.app-card',
    // The whole card is the handle, except its buttons, links and fields.
    handle: '.app-card',
    filter: '.app-card__moves, .app-card__links, a, button, select, input, label, summary',
    preventOnFilter: false,
    // The same drag for mouse, pen and touch, with no native HTML5 drag
    // image. On touch a short press picks the card up, so that a swipe over
    // a card still scrolls the page.
    forceFallback: true,
    fallbackOnBody: true,
    fallbackTolerance: 3,
    delay: 200,
    delayOnTouchOnly: true,
    touchStartThreshold: 5,
    scroll: true,
    scrollSensitivity: 40,
    scrollSpeed: 15,
    bubbleScroll: true,
    animation: 0,
    ghostClass: 'app-sortable-ghost',
    chosenClass: 'app-sortable-chosen',
    dragClass: 'app-sortable-drag',
    fallbackClass: 'app-sortable-fallback',
    // Sortable never rearranges the page: where the card goes is decided
    // by the server. The drop target is highlighted instead.
    onMove: function () { return false },
    onStart: function () {
      document.body.classList.add('app-diamond-dragging')
      document.addEventListener('pointermove', track)
      document.addEventListener('mousemove', track)
      document.addEventListener('touchmove', track, { passive: true })
    },
    onEnd: function (event) {
      const original = event.originalEvent
      stopTracking()
      // Only a real drop moves the card: not a cancelled touch or pointer
      // (the browser took the gesture over), nor the instance being destroyed.
      if (!original || !/^(pointerup|mouseup|touchend)$/.test(original.type)) {
        return
      }
      // Released while the page was scrolling: where the pointer is was not chosen.
      if (performance.now() - lastScrollAt < SCROLL_SETTLE_MS) {
        return
      }
      const point = original.changedTouches ? original.changedTouches[0] : original
      const to = dropAt(point && 'clientX' in point ? point : pointer)
      const card = event.item.matches('.app-card') ? event.item : event.item.querySelector('.app-card')
      if (!to || !card || to === 'with:' + card.getAttribute('data-card')) {
        return
      }
      postMove(card.getAttribute('data-card'), to)
    }
  })
}

function postMove (card, to) {
  const form = getForm()
  const csrf = document.querySelector('meta[name="csrf-token"]')
  if (!form || !card || !to) {
    return
  }
  setDisabled(true)
  htmx.ajax('POST', form.getAttribute('data-hx-post'), {
    source: getBoard(),
    target: '#board-announcement',
    swap: 'none',
    values: {
      csrf_token: csrf ? csrf.getAttribute('content') : '',
      version: currentVersion(),
      card,
      to
    }
  }).catch(function () {
    // Network errors: htmx:afterRequest below has made dragging possible again.
  })
}

// -----------------------------------------------------------------------------
// 2. Focus after a move
// -----------------------------------------------------------------------------

// Whatever the request, a move is made on the board the person is looking at:
// the version in the form, which every move's answer brings up to date.
function sendBoardVersion (event) {
  const config = event.detail
  const version = currentVersion()
  if (version && isMove(config) && config.formData) {
    config.formData.set('version', version)
  }
}

function rememberMove (event) {
  const detail = event.detail
  if (!isMove(detail.requestConfig)) {
    return
  }
  const data = detail.requestConfig.formData
  const combined = data && data.get('m')
  const parts = combined ? String(combined).split(' ') : []
  const card = combined ? parts[0] : (data ? data.get('card') : null)
  moves.set(detail.xhr, {
    card,
    to: combined ? parts.slice(1).join(' ') : (data ? data.get('to') : null),
    button: combined ? String(combined) : null,
    bank: bankPlace(card)
  })
  movesInFlight += 1
  setDisabled(true)
}

// Where a card added from the bank was: its place in the bank's list and how far
// from the top of the window it was, so that the page can stay where the person
// was (on a phone the bank is below the board: jumping to the board after every
// "Add to board" meant scrolling back down for the next card).
function bankPlace (card) {
  const items = Array.from(document.querySelectorAll('#bank-cards > li'))
  const index = items.findIndex(function (item) {
    return item.querySelector('[data-card="' + CSS.escape(String(card)) + '"]') !== null
  })
  if (index < 0) return null
  return { index, top: items[index].getBoundingClientRect().top }
}

// After a card went from the bank to the board: the bank card now in its place
// (or the bank's last) stays where the added card was on the screen.
function stayInBank (place) {
  const items = Array.from(document.querySelectorAll('#bank-cards > li'))
  const anchor = items[Math.min(place.index, items.length - 1)] || document.getElementById('card-bank')
  if (anchor) window.scrollBy(0, anchor.getBoundingClientRect().top - place.top)
}

// Escape closes the open chooser ("Which row?", "Which card?": its Cancel) or a
// card's open "Move to" menu, and focus goes back to where it was opened from.
function closeOnEscape (event) {
  if (event.key !== 'Escape' || event.defaultPrevented) return
  const cancel = document.querySelector('#board-chooser .app-chooser__panel button[name="m"][value$=" cancel"]')
  if (cancel && !cancel.disabled) {
    event.preventDefault()
    cancel.click()
    return
  }
  const menu = event.target instanceof Element && event.target.closest('details.app-card__moves[open]')
  if (menu) {
    event.preventDefault()
    menu.open = false
    const summary = menu.querySelector('summary')
    if (summary) summary.focus()
  }
}

function moveFinished (event) {
  const detail = event.detail
  if (!detail || !moves.has(detail.xhr) || detail.moveFinished) {
    return
  }
  // htmx fires htmx:afterRequest a second time on an ancestor when the
  // element that made the request has been swapped out.
  detail.moveFinished = true
  movesInFlight = Math.max(0, movesInFlight - 1)
  if (movesInFlight === 0) {
    setDisabled(false)
  }
}

function focusElement (element, options) {
  if (!element.hasAttribute('tabindex') && !element.matches('a[href], button, input, select, textarea')) {
    element.setAttribute('tabindex', '-1')
  }
  element.focus(options)
}

// htmx fires htmx:afterSettle once for each element swapped in (each
// out-of-band part), with the same xhr: focus is moved once.
function focusAfterMove (event) {
  const detail = event.detail
  const move = detail && moves.get(detail.xhr)
  if (!move) {
    return
  }
  moves.delete(detail.xhr)
  const board = getBoard()
  const version = currentVersion()
  if (board && version) {
    board.setAttribute('data-version', version)
  }

  const errorSummary = document.querySelector('#board-errors .govuk-error-summary')
  if (detail.xhr.status === 409 || errorSummary) {
    if (errorSummary) {
      focusElement(errorSummary)
    }
    return
  }
  const question = document.querySelector('#board-chooser .app-chooser__panel')
  if (question) {
    focusElement(question)
    return
  }
  if (move.to === 'cancel' || move.to === 'swap') {
    // Back to the card whose question it was.
  } else {
    // A move was made: a "card added" (or any success) banner is now old news.
    document.querySelectorAll('#main-content > .govuk-notification-banner--success').forEach(function (banner) {
      banner.remove()
    })
  }
  // Added to the board from the bank: focus goes to the card on the board as
  // after any move, but the page does not scroll to it (on a phone the board is
  // above the bank): it stays where the person was, for the next card.
  const fromBank = move.bank && move.to === 'next' &&
    !document.querySelector('#bank-cards [data-card="' + CSS.escape(String(move.card)) + '"]')
  if (fromBank) stayInBank(move.bank)
  if (move.to === 'undo') {
    const undo = document.querySelector('#board-undo button')
    if (undo) {
      focusElement(undo)
      return
    }
  }

  const cards = Array.from(document.querySelectorAll('.app-card[data-card]'))
  const card = cards.find(function (element) {
    return element.getAttribute('data-card') === move.card && element.classList.contains(MOVED_CLASS)
  }) || cards.find(function (element) {
    return element.getAttribute('data-card') === move.card
  }) || document.querySelector('.' + MOVED_CLASS)
  if (!card) {
    return
  }
  // Only one card is highlighted.
  document.querySelectorAll('.' + MOVED_CLASS).forEach(function (element) {
    if (element !== card) element.classList.remove(MOVED_CLASS)
  })
  const button = move.button && Array.from(card.querySelectorAll('button[name="m"]')).find(function (element) {
    return element.value === move.button && !element.disabled && element.offsetParent !== null
  })
  const summary = card.querySelector('summary')
  focusElement(button || (summary && summary.offsetParent !== null ? summary : card), fromBank ? { preventScroll: true } : undefined)
}

// -----------------------------------------------------------------------------
window.addEventListener('scroll', function () { lastScrollAt = performance.now() }, { capture: true, passive: true })

// 3. "About" disclosures in the card bank ----------------------------------------
/** The "About the cards" page, parsed, fetched at most once per page load. */
let aboutPage = null

function fetchAboutPage (url) {
  if (!aboutPage) {
    aboutPage = fetch(url, { credentials: 'same-origin', headers: { Accept: 'text/html' } })
      .then(function (response) {
        if (!response.ok) throw new Error('About the cards: ' + response.status)
        return response.text()
      })
      .then(function (html) { return new DOMParser().parseFromString(html, 'text/html') })
    aboutPage.catch(function () { aboutPage = null }) // try again on the next opening
  }
  return aboutPage
}

function showAbout (details, url, id) {
  const menu = details.querySelector('.app-card__menu')
  fetchAboutPage(url).then(function (page) {
    const section = page.getElementById('about-' + id)
    const about = section && section.querySelector('.app-card__about')
    if (!about || !menu) return
    menu.replaceChildren(...Array.from(about.children).map(function (child) {
      return document.importNode(child, true)
    }))
    details.setAttribute('data-about-loaded', '')
  }).catch(function () { /* the link to the page stays */ })
}

function addAboutDisclosures () {
  const bank = document.getElementById('card-bank')
  const url = bank && bank.getAttribute('data-about-url')
  if (!url) return
  bank.querySelectorAll('.app-card--bank[data-about]').forEach(function (card) {
    if (card.querySelector(':scope > details')) return
    const id = card.id.replace(/^card-/, '')
    const title = card.querySelector('h3')
    const details = document.createElement('details')
    details.className = 'app-card__moves'
    const summary = document.createElement('summary')
    summary.textContent = bank.getAttribute('data-about-text') || 'About'
    const hidden = document.createElement('span')
    hidden.className = 'govuk-visually-hidden'
    hidden.textContent = ': ' + (title ? title.textContent : '')
    summary.append(hidden)
    const menu = document.createElement('div')
    menu.className = 'app-card__menu'
    const paragraph = document.createElement('p')
    const link = document.createElement('a')
    link.className = 'govuk-link'
    link.href = url + '#about-' + id
    link.textContent = bank.getAttribute('data-about-link') || summary.textContent
    paragraph.append(link)
    menu.append(paragraph)
    details.append(summary, menu)
    details.addEventListener('toggle', function () {
      if (details.open && !details.hasAttribute('data-about-loaded')) showAbout(details, url, id)
    })
    // After the add button (and the tags), before an own card's links.
    const links = card.querySelector('.app-card__links')
    card.insertBefore(details, links)
  })
}

addAboutDisclosures()

if (htmx) {
  document.addEventListener('htmx:configRequest', sendBoardVersion)
  document.addEventListener('htmx:beforeRequest', rememberMove)
  document.addEventListener('htmx:afterRequest', moveFinished)
  document.addEventListener('htmx:afterSettle', focusAfterMove)
  document.addEventListener('keydown', closeOnEscape)

  // The board or the bank swapped in (or the page itself, when htmx starts,
  // or after a boosted navigation): make a fresh set of drop targets.
  htmx.onLoad(function (element) {
    if (!(element instanceof Element)) {
      return
    }
    if (element === document.body || element.matches('#diamond-board, #card-bank, #app-container, .app-diamond__slot, .app-bank__item') ||
        element.querySelector('#diamond-board, #card-bank')) {
      queueRefresh()
    }
    addAboutDisclosures()
  })
  queueRefresh()
}
