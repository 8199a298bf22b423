// The Diamond 9 board (templates/plan/diamond/): extras on top of the move
// buttons, which work on their own (with htmx, or as plain forms without
// JavaScript). Every button is in the board's one form (#board-form), named
// "m" with the value "<card> <where to>"; htmx posts the form and the server
// answers with only what changed, out of band (see move_response.html).
//
// 1. Drag and drop (pointer events, no library): every place on the board and
//    the card bank accept cards. A drop changes nothing in the page itself: it posts
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
// from the task list): the drag listeners are on the document, and refresh()
// notices the board after every swap.

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

/** Requests for moves in flight: while there is one, nothing can be dragged. */
let movesInFlight = 0
/** The move each request made: xhr -> { card, to } */
const moves = new WeakMap()
let refreshQueued = false
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

// -----------------------------------------------------------------------------
// 1. Drag and drop
// -----------------------------------------------------------------------------
//
// Pointer events, for mouse, pen and touch alike. A mouse or pen drag starts
// once the pointer has moved a few pixels with the button down; a finger must
// rest on the card a moment first (a swipe over a card still scrolls the
// page), and while it drags the page does not scroll under it. A copy of the
// card follows the pointer; the card itself stays where it is, dimmed, and the
// place under the pointer is highlighted. The page scrolls when the pointer
// nears the top or bottom of the window.

const MOUSE_TOLERANCE_PX = 3
const TOUCH_DELAY_MS = 200
const TOUCH_TOLERANCE_PX = 5
const EDGE_PX = 40
const EDGE_SPEED_PX = 15
// Where a drag cannot start: the card's own buttons, links and fields.
const NOT_A_HANDLE = '.app-card__moves, .app-card__links, a, button, select, input, label, summary, textarea'

let dragEnabled = false
let dragDisabled = false
/** The drag under way (or about to start): see startPress. */
let press = null

function draggableAt (target) {
  if (!dragEnabled || dragDisabled || !(target instanceof Element) || target.closest(NOT_A_HANDLE)) {
    return null
  }
  const card = target.closest('.app-card[data-card]')
  const container = card && card.closest('[data-slot]')
  if (!container || !container.matches(CONTAINERS)) {
    return null
  }
  // In the bank the whole list item moves; on the board, the card.
  const item = container.getAttribute('data-slot') === 'bank' ? card.closest('.app-bank__item') || card : card
  return { card, container, item }
}

function setDisabled (disabled) {
  dragDisabled = disabled
  if (disabled && press) {
    endPress(null)
  }
}

// The place (or the bank) under the pointer. The copy of the card that
// follows the pointer has pointer-events: none, so it is looked through.
function containerAt (point) {
  const element = document.elementFromPoint(point.clientX, point.clientY)
  const found = element && element.closest('[data-slot]')
  return found && found.matches(CONTAINERS) ? found : null
}

// Where a drop lands: a card on the board (swap with it), an empty place,
// or the bank; or nowhere.
function dropAt (point, from) {
  const element = document.elementFromPoint(point.clientX, point.clientY)
  if (!element) return null
  const onCard = element.closest('#diamond-board .app-card[data-card]')
  if (onCard) return 'with:' + onCard.getAttribute('data-card')
  const over = containerAt(point)
  if (!over || over === from) return null
  return over.getAttribute('data-slot')
}

function setTarget (next) {
  if (next !== press.target) {
    if (press.target) press.target.classList.remove(DROP_TARGET_CLASS)
    if (next) next.classList.add(DROP_TARGET_CLASS)
    press.target = next
  }
}

function startPress (event) {
  if (press || event.button !== 0 || !event.isPrimary) {
    return
  }
  const found = draggableAt(event.target)
  if (!found) {
    return
  }
  press = {
    ...found,
    pointerId: event.pointerId,
    touch: event.pointerType === 'touch',
    startX: event.clientX,
    startY: event.clientY,
    x: event.clientX,
    y: event.clientY,
    dragging: false,
    copy: null,
    target: null,
    timer: 0,
    frame: 0,
    scrollFrame: 0
  }
  if (press.touch) {
    press.timer = window.setTimeout(beginDrag, TOUCH_DELAY_MS)
  } else {
    // No text selection or native drag of the card's text while pressing.
    event.preventDefault()
  }
}

function beginDrag () {
  press.timer = 0
  press.dragging = true
  const box = press.item.getBoundingClientRect()
  press.offsetX = press.startX - box.left
  press.offsetY = press.startY - box.top
  const copy = press.item.cloneNode(true)
  copy.removeAttribute('id')
  copy.querySelectorAll('[id]').forEach(function (element) { element.removeAttribute('id') })
  copy.setAttribute('aria-hidden', 'true')
  copy.classList.add('app-drag-copy')
  copy.style.width = box.width + 'px'
  copy.style.height = box.height + 'px'
  document.body.appendChild(copy)
  press.copy = copy
  press.item.classList.add('app-drag-origin')
  document.body.classList.add('app-diamond-dragging')
  follow()
}

function follow () {
  if (!press || !press.dragging) return
  press.copy.style.transform = 'translate(' + (press.x - press.offsetX) + 'px,' + (press.y - press.offsetY) + 'px)'
  if (!press.frame) {
    press.frame = window.requestAnimationFrame(function () {
      if (!press) return
      press.frame = 0
      const over = containerAt({ clientX: press.x, clientY: press.y })
      setTarget(over && over !== press.container ? over : null)
      autoScroll()
    })
  }
}

// Near the top or bottom of the window the page scrolls, a step a frame.
function autoScroll () {
  if (!press || !press.dragging || press.scrollFrame) return
  const step = press.y < EDGE_PX ? -EDGE_SPEED_PX : (press.y > window.innerHeight - EDGE_PX ? EDGE_SPEED_PX : 0)
  if (!step) return
  press.scrollFrame = window.requestAnimationFrame(function () {
    if (!press) return
    press.scrollFrame = 0
    window.scrollBy(0, step)
    autoScroll()
  })
}

function movePress (event) {
  if (!press || event.pointerId !== press.pointerId) {
    return
  }
  press.x = event.clientX
  press.y = event.clientY
  const distance = Math.max(Math.abs(press.x - press.startX), Math.abs(press.y - press.startY))
  if (!press.dragging) {
    if (press.touch) {
      // Moved before the card was picked up: the finger is scrolling the page.
      if (distance > TOUCH_TOLERANCE_PX) endPress(null)
      return
    }
    if (distance <= MOUSE_TOLERANCE_PX) return
    beginDrag()
  }
  follow()
}

/** The press is over: `event` is the pointer released (a drop), or null (cancelled). */
function endPress (event) {
  const ended = press
  press = null
  if (ended.timer) window.clearTimeout(ended.timer)
  if (ended.frame) window.cancelAnimationFrame(ended.frame)
  if (ended.scrollFrame) window.cancelAnimationFrame(ended.scrollFrame)
  if (ended.target) ended.target.classList.remove(DROP_TARGET_CLASS)
  if (ended.copy) ended.copy.remove()
  ended.item.classList.remove('app-drag-origin')
  document.body.classList.remove('app-diamond-dragging')
  if (!event || !ended.dragging) {
    return
  }
  // Released while the page was scrolling: where the pointer is was not chosen.
  if (performance.now() - lastScrollAt < SCROLL_SETTLE_MS) {
    return
  }
  const to = dropAt(event, ended.container)
  const card = ended.card.getAttribute('data-card')
  if (to && to !== 'with:' + card) {
    postMove(card, to)
  }
}

document.addEventListener('pointerdown', startPress)
document.addEventListener('pointermove', movePress)
document.addEventListener('pointerup', function (event) {
  if (press && event.pointerId === press.pointerId) endPress(event)
})
document.addEventListener('pointercancel', function (event) {
  if (press && event.pointerId === press.pointerId) endPress(null)
})
// A finger that has picked a card up moves it, not the page (touchmove must be
// cancellable, so this listener is not passive).
document.addEventListener('touchmove', function (event) {
  if (press && press.touch && press.dragging && event.cancelable) event.preventDefault()
}, { passive: false })
// A long press on a card is a drag, not the browser's menu or a text selection.
document.addEventListener('contextmenu', function (event) {
  if (press && press.touch) event.preventDefault()
})
document.addEventListener('dragstart', function (event) {
  if (press) event.preventDefault()
})

/** Make the board's places and the bank drop targets (when the board can be changed). */
function refresh () {
  refreshQueued = false
  if (press && !document.contains(press.item)) {
    endPress(null)
  }
  // Only a board that can be changed has move forms.
  dragEnabled = Boolean(getBoard() && document.querySelector('#board-form[data-hx-post]'))
  document.body.classList.toggle(DRAGGABLE_CLASS, dragEnabled)
}

function queueRefresh () {
  if (!refreshQueued) {
    refreshQueued = true
    queueMicrotask(refresh)
  }
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
