"""Real-browser tests of the self-review: the three contexts of the national approach and the
eight hallmarks, their check pages, the whole plan's check page, two colleagues saving the same
page, and axe-core on every kind of self-review page, in Welsh and in English.

As in test_browser.py, the browser finds things by role, label and text in the page's language,
and Welsh comes from the `cy` translator, so that a missing translation fails.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Locator, Page, expect

from wizard.data.models import User
from wizard.domain import framework

from .conftest import TIMEOUT_MS, LiveServer
from .support import (
    COLLEAGUE_NAME,
    CONTEXTS_TASK,
    HALLMARKS_TASK,
    LANGUAGES,
    AccessibilityAudit,
    ContextFactory,
    Translator,
    answer_completed,
    assert_accessible,
    error_summary,
    expect_errors,
    expect_focus_within,
    expect_html_lang,
    expect_main,
    field,
    heading,
    htmx_requests,
    is_console_error,
    msgid,
    navigation_statuses,
    plan_path,
    plural,
    save_answer,
    save_button,
    sign_in,
    task_item,
    task_link,
    wait_until_ready,
    yaml_string,
)

HALLMARK_COUNT = len(framework.HALLMARKS)
EMPTY_HALLMARK_ERRORS = [
    "Select how well your school does this",
    "Enter how you know",
    "Enter what you will do next",
]


# What a school types -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ContextAnswer:
    key: str
    reflection: str
    element: str  # the English msgid of the element ticked


def context_answers() -> list[ContextAnswer]:
    """A reflection for each context, and its last element ticked."""
    reflections = {
        "school": "Lles staff a dysgwyr",
        "regional": "Cynnig y clwstwr ar gyfer addysgeg",
        "national": "Y safonau proffesiynol newydd",
    }
    return [
        ContextAnswer(
            key=context.key,
            reflection=reflections[context.key],
            element=msgid(framework.elements_of(context.key)[-1].title),
        )
        for context in framework.CONTEXTS
    ]


@dataclass(frozen=True)
class HallmarkAnswer:
    number: int
    rating: str  # the English msgid of the rating
    evidence: str
    next_steps: str


def hallmark_answer(number: int) -> HallmarkAnswer:
    return HallmarkAnswer(
        number=number,
        rating=msgid(framework.RATINGS[number % len(framework.RATINGS)].title),
        evidence=f"Arsylwi gwersi ac arolwg staff, dilysnod {number}",
        next_steps=f"Cynllun gweithredu ar gyfer dilysnod {number}",
    )


def rating_key(rating: str) -> str:
    return next(r.key for r in framework.RATINGS if msgid(r.title) == rating)


def save_hallmark(user: User, answer: HallmarkAnswer, revision: int = 0) -> None:
    """Save a hallmark for the user's school, as if they had filled it in."""
    data = {
        "rating": rating_key(answer.rating),
        "evidence": answer.evidence,
        "next_steps": answer.next_steps,
    }
    save_answer(user, f"hallmark-{answer.number}", data, revision=revision)


def save_self_review(user: User, *, contexts: bool = True, hallmarks: bool = True) -> None:
    """Save every context and hallmark for the user's school, as if they had filled them in."""
    if contexts:
        for answer in context_answers():
            element = next(
                e.key for e in framework.elements_of(answer.key) if msgid(e.title) == answer.element
            )
            data = {"reflection": answer.reflection, "priorities": [element]}
            save_answer(user, f"context-{answer.key}", data, revision=0)
    if hallmarks:
        for number in range(1, HALLMARK_COUNT + 1):
            save_hallmark(user, hallmark_answer(number))


# Where things are ----------------------------------------------------------------------------


def hallmark_caption(t: Translator, number: int) -> str:
    return t("Hallmark %(number)d of %(count)d", number=number, count=HALLMARK_COUNT)


def hallmark_card_title(t: Translator, number: int) -> str:
    """A hallmark's summary card title: "Dilysnod 3 o 8: <title>"."""
    hallmark = framework.hallmark(number)
    assert hallmark is not None
    return f"{hallmark_caption(t, number)}: {t(msgid(hallmark.title))}"


def context_title(t: Translator, key: str) -> str:
    context = framework.context(key)
    assert context is not None
    return t(msgid(context.title))


def count_message(t: Translator, remaining: int) -> re.Pattern[str]:
    """The character count's message for so many characters left, in the translator's language.

    The plural form comes from the catalogue; the browser formats the number (with or without a
    thousands separator, depending on the language), so the pattern accepts both."""
    text = plural(
        t,
        "You have %(count)s character remaining",
        "You have %(count)s characters remaining",
        remaining,
        count="\x00",
    )
    number = f"{remaining:,}".replace(",", ",?")
    return re.compile("^" + re.escape(text).replace("\x00", number) + "$")


def expect_count_message(page: Page, t: Translator, remaining: int) -> None:
    # The visible message comes first; a copy for screen readers follows it.
    expect(page.get_by_text(count_message(t, remaining)).first).to_be_visible()


# What check pages show, as ARIA snapshot templates (partial: other content may come between) ----


def _node(role: str, name: str, level: int | None = None) -> str:
    """`role "name" [level=n]` as one YAML scalar (names may hold ": " and quotes)."""
    key = f"{role} {json.dumps(name, ensure_ascii=False)}" + (f" [level={level}]" if level else "")
    return "'" + key.replace("'", "''") + "'"


def context_card_rows(t: Translator, answers: list[ContextAnswer], level: int = 2) -> list[str]:
    rows: list[str] = []
    for answer in answers:
        rows += [
            f"- {_node('heading', context_title(t, answer.key), level)}",
            f"- term: {yaml_string(t('What this context means for your priorities'))}",
            f"- definition: {yaml_string(answer.reflection)}",
            f"- term: {yaml_string(t('Elements to prioritise'))}",
            "- definition:",
            "  - list:",
            f"    - listitem: {yaml_string(t(answer.element))}",
        ]
    return rows


def hallmark_card_rows(t: Translator, answers: list[HallmarkAnswer], level: int = 2) -> list[str]:
    """Card titles are headings of level 2 on a task's check page, 3 on the whole plan's."""
    rows: list[str] = []
    for answer in answers:
        rows += [
            f"- {_node('heading', hallmark_card_title(t, answer.number), level)}",
            f"- term: {yaml_string(t('Rating'))}",
            f"- definition: {yaml_string(t(answer.rating))}",
            f"- term: {yaml_string(t('How do you know?'))}",
            f"- definition: {yaml_string(answer.evidence)}",
            f"- term: {yaml_string(t('What will you do next?'))}",
            f"- definition: {yaml_string(answer.next_steps)}",
        ]
    return rows


def section_rows(t: Translator, task: str, status: str) -> list[str]:
    """A task's heading and status tag on the whole plan's check page."""
    return [
        f"- {_node('heading', t(task), 2)}",
        "- paragraph:",
        f"  - strong: {yaml_string(t(status))}",
    ]


# The journeys ---------------------------------------------------------------------------------


def review_contexts(
    page: Page, t: Translator, year: str, answers: list[ContextAnswer], *, javascript: bool
) -> None:
    """From the task list: answer the three contexts, one page each, to the task's check page."""
    lang = t.locale
    expect(task_item(page, t, CONTEXTS_TASK)).to_contain_text(t("Not yet started"))
    task_link(page, t, CONTEXTS_TASK).click()
    for number, answer in enumerate(answers, start=1):
        expect(page).to_have_url(plan_path(lang, year, f"context-{answer.key}"))
        expect(heading(page)).to_have_text(context_title(t, answer.key))
        if javascript:
            expect(heading(page)).to_be_focused()
        caption = t(
            "Contexts of the national approach: %(number)d of %(count)d", number=number, count=3
        )
        expect(page.get_by_text(caption, exact=True)).to_be_visible()
        # The elements of this context, each a heading, and each a choice to prioritise.
        elements = [t(msgid(e.title)) for e in framework.elements_of(answer.key)]
        expect(page.get_by_role("main").get_by_role("heading", level=2)).to_have_text(elements)
        priorities = page.get_by_role(
            "group", name=t("Which of these elements do you want to prioritise?")
        )
        expect(priorities.get_by_role("checkbox")).to_have_count(len(elements))

        reflection = field(
            page, t, "What does this context mean for your professional learning priorities?"
        )
        if javascript:
            # GOV.UK's character count, in the page's language, counting down as one types.
            expect_count_message(page, t, 2000)
            reflection.press_sequentially(answer.reflection)
            expect_count_message(page, t, 2000 - len(answer.reflection))
        else:
            expect(
                page.get_by_text(t("You can enter up to %(count)s characters", count="2,000"))
            ).to_be_visible()
            reflection.fill(answer.reflection)
        priorities.get_by_role("checkbox", name=t(answer.element), exact=True).check()
        save_button(page, t).click()

    expect(page).to_have_url(plan_path(lang, year, "contexts/check"))
    expect(heading(page)).to_have_text(t("Check your answers: %(task)s", task=t(CONTEXTS_TASK)))
    if javascript:
        expect(heading(page)).to_be_focused()
    expect_main(page, context_card_rows(t, answers))


def fill_hallmark(page: Page, t: Translator, answer: HallmarkAnswer) -> None:
    rating = page.get_by_role("group", name=t("How well does your school do this?"))
    rating.get_by_role("radio", name=t(answer.rating), exact=True).check()
    field(page, t, "How do you know?").fill(answer.evidence)
    field(page, t, "What will you do next?").fill(answer.next_steps)


def expect_hallmark_page(page: Page, t: Translator, year: str, number: int) -> None:
    expect(page).to_have_url(plan_path(t.locale, year, f"hallmark-{number}"))
    hallmark = framework.hallmark(number)
    assert hallmark is not None
    expect(heading(page)).to_have_text(t(msgid(hallmark.title)))
    expect(page.get_by_text(hallmark_caption(t, number), exact=True)).to_be_visible()


@pytest.mark.e2e
def test_welsh_self_review_with_javascript(
    page: Page, school_lead: User, cy: Translator, plan_year: str
) -> None:
    sign_in(page, school_lead.email, cy)
    expect(page).to_have_url(plan_path("cy", plan_year))
    boosted = htmx_requests(page)

    # The three contexts, their check page and "Have you completed this section?".
    contexts = context_answers()
    review_contexts(page, cy, plan_year, contexts, javascript=True)
    answer_completed(page, cy, plan_year, CONTEXTS_TASK)
    expect(heading(page)).to_be_focused()

    # The eight hallmarks. First, nothing answered: the three messages, in Welsh.
    expect(task_item(page, cy, HALLMARKS_TASK)).to_contain_text(cy("Not yet started"))
    task_link(page, cy, HALLMARKS_TASK).click()
    expect_hallmark_page(page, cy, plan_year, 1)
    expect(heading(page)).to_be_focused()
    save_button(page, cy).click()
    expect_errors(page, cy, EMPTY_HALLMARK_ERRORS)
    expect_focus_within(error_summary(page))
    hallmarks = [hallmark_answer(number) for number in range(1, HALLMARK_COUNT + 1)]
    for answer in hallmarks:
        expect_hallmark_page(page, cy, plan_year, answer.number)
        if answer.number > 1:  # (the first still has its error summary, which has focus)
            expect(heading(page)).to_be_focused()
        fill_hallmark(page, cy, answer)
        save_button(page, cy).click()

    # Their check page: a summary card each, then the completion question.
    expect(page).to_have_url(plan_path("cy", plan_year, "hallmarks/check"))
    expect(heading(page)).to_have_text(cy("Check your answers: %(task)s", task=cy(HALLMARKS_TASK)))
    expect(heading(page)).to_be_focused()
    main = page.get_by_role("main")
    expect(main.get_by_role("heading", level=2)).to_have_count(HALLMARK_COUNT)
    expect(
        main.get_by_role("link", name=re.compile("^" + re.escape(cy("Change")) + " "))
    ).to_have_count(HALLMARK_COUNT)
    expect_main(page, hallmark_card_rows(cy, hallmarks))
    answer_completed(page, cy, plan_year, HALLMARKS_TASK)

    # The whole plan so far.
    page.get_by_role(
        "link", name=cy("Check your answers for the whole plan so far"), exact=True
    ).click()
    whole_plan = plan_path("cy", plan_year, "check-your-answers")
    expect(page).to_have_url(whole_plan)
    expect(heading(page)).to_have_text(cy("Check your answers: your plan so far"))
    wait_until_ready(page)  # (the link is not boosted: a whole page loads)
    expect_main(
        page,
        section_rows(cy, CONTEXTS_TASK, "Completed")
        + context_card_rows(cy, contexts, level=3)
        + section_rows(cy, HALLMARKS_TASK, "Completed")
        + hallmark_card_rows(cy, hallmarks, level=3),
    )

    # Change hallmark 5 from there, and come straight back.
    change = f"{cy('Change')} {cy('hallmark %(number)d', number=5)}"
    page.get_by_role("link", name=change, exact=True).click()
    expect(page).to_have_url(plan_path("cy", plan_year, "hallmark-5?return_to=plan"))
    ratings = page.get_by_role("group", name=cy("How well does your school do this?"))
    expect(ratings.get_by_role("radio", name=cy(hallmarks[4].rating), exact=True)).to_be_checked()
    expect(heading(page)).to_be_focused()
    changed = HallmarkAnswer(5, "Embedded", hallmarks[4].evidence, hallmarks[4].next_steps)
    assert changed.rating != hallmarks[4].rating
    ratings.get_by_role("radio", name=cy(changed.rating), exact=True).check()
    save_button(page, cy).click()

    expect(page).to_have_url(whole_plan)
    expect(heading(page)).to_be_focused()
    expect_main(page, hallmark_card_rows(cy, [*hallmarks[:4], changed, *hallmarks[5:]], level=3))

    # Every save was an htmx request: 3 contexts, 2 completions, 9 hallmark saves, 1 change.
    posts = [request.url for request in boosted if request.method == "POST"]
    assert len(posts) == 15, posts


@pytest.mark.e2e
def test_english_contexts_without_javascript(
    new_context: ContextFactory, school_lead: User, en: Translator, plan_year: str
) -> None:
    page = new_context(java_script_enabled=False).new_page()
    boosted = htmx_requests(page)
    sign_in(page, school_lead.email, en)
    expect_html_lang(page, "en")

    contexts = context_answers()
    review_contexts(page, en, plan_year, contexts, javascript=False)

    # Change one context from the check page, and come back to it.
    page.get_by_role(
        "link", name=f"{en('Change')} {context_title(en, 'regional').lower()}", exact=True
    ).click()
    expect(page).to_have_url(plan_path("en", plan_year, "context-regional?return_to=check"))
    reflection = field(
        page, en, "What does this context mean for your professional learning priorities?"
    )
    expect(reflection).to_have_value(contexts[1].reflection)
    contexts[1] = ContextAnswer("regional", "Our cluster's coaching network", contexts[1].element)
    reflection.fill(contexts[1].reflection)
    save_button(page, en).click()
    expect(page).to_have_url(plan_path("en", plan_year, "contexts/check"))
    expect_main(page, context_card_rows(en, contexts))

    # The completion question needs an answer.
    page.get_by_role("button", name=en("Continue"), exact=True).click()
    expect_errors(page, en, ["Select whether you have completed this section"])
    answer_completed(page, en, plan_year, CONTEXTS_TASK)

    assert not boosted, f"Without JavaScript nothing can use htmx: {boosted}"


# Two colleagues at once -----------------------------------------------------------------------


def the_colleagues_answers(page: Page, t: Translator) -> Locator:
    """The conflict page's box of what the colleague saved (an open <details>)."""
    return page.get_by_role("group").filter(has_text=t("The answers saved by your colleague"))


@pytest.mark.e2e
def test_two_colleagues_save_the_same_hallmark(
    new_context: ContextFactory,
    school_lead: User,
    colleague: User,
    en: Translator,
    cy: Translator,
    plan_year: str,
) -> None:
    # The lead's browser has JavaScript off: with it on, htmx logs a console error for the 409
    # (see test_boosted_conflict_logs_no_console_error), which fails any test here.
    mine = new_context(java_script_enabled=False).new_page()
    theirs = new_context().new_page()
    statuses = navigation_statuses(mine)
    sign_in(mine, school_lead.email, cy)
    sign_in(theirs, colleague.email, en)
    mine.goto(plan_path("cy", plan_year, "hallmark-2"))
    theirs.goto(plan_path("en", plan_year, "hallmark-2"))
    wait_until_ready(theirs)

    my_answer = HallmarkAnswer(2, "Developing", "Ein harsylwadau gwersi", "Hyfforddiant i staff")
    their_answer = HallmarkAnswer(2, "Established", "Their staff survey", "Their next steps")
    fill_hallmark(mine, cy, my_answer)
    fill_hallmark(theirs, en, their_answer)
    save_button(theirs, en).click()
    expect_hallmark_page(theirs, en, plan_year, 3)

    # The lead's save is stale: nothing is lost, and the colleague's answer is shown.
    save_button(mine, cy).click()
    alert = error_summary(mine)
    expect(alert.get_by_role("heading", level=2)).to_have_text(
        cy("Someone else has changed this page")
    )
    assert statuses[-1] == 409, statuses
    expect_html_lang(mine, "cy")
    expect(mine).to_have_url(plan_path("cy", plan_year, "hallmark-2"))
    expect(alert).to_contain_text(COLLEAGUE_NAME)
    expect(alert).to_contain_text(
        cy("Your answers have not been saved. They are still in the form below.")
    )
    expect(field(mine, cy, "How do you know?")).to_have_value(my_answer.evidence)
    expect(field(mine, cy, "What will you do next?")).to_have_value(my_answer.next_steps)
    ratings = mine.get_by_role("group", name=cy("How well does your school do this?"))
    expect(ratings.get_by_role("radio", name=cy(my_answer.rating), exact=True)).to_be_checked()
    expect(the_colleagues_answers(mine, cy)).to_contain_text(their_answer.evidence)

    # The conflict page offers only its two choices (issue 29): saving mine over theirs keeps
    # the lead's answer.
    mine.get_by_role("button", name=cy("Save my answers over theirs"), exact=True).first.click()
    expect_hallmark_page(mine, cy, plan_year, 3)
    assert statuses[-1] == 200, statuses
    theirs.goto(plan_path("en", plan_year, "hallmark-2"))
    expect(field(theirs, en, "How do you know?")).to_have_value(my_answer.evidence)
    expect(field(theirs, en, "What will you do next?")).to_have_value(my_answer.next_steps)


# axe-core on every kind of self-review page, in both languages -------------------------------


# axe-core rules a page is known to break, each shown by an xfail test below: the audit checks
# every other rule on that page, so nothing else can slip in meanwhile.
KNOWN_VIOLATIONS: dict[str, set[str]] = {}


@pytest.mark.e2e
@pytest.mark.parametrize("lang", LANGUAGES)
def test_self_review_pages_are_accessible(
    lang: str, page: Page, school_lead: User, en: Translator, cy: Translator, plan_year: str
) -> None:
    t = cy if lang == "cy" else en
    audit = AccessibilityAudit(page, t, plan_path(lang, plan_year), known=KNOWN_VIOLATIONS)
    sign_in(page, school_lead.email, t)
    for context in framework.CONTEXTS:
        audit.visit(f"context-{context.key}", context_title(t, context.key))
    hallmark = framework.hallmark(3)
    assert hallmark is not None
    audit.visit("hallmark-3", t(msgid(hallmark.title)))
    save_button(page, t).click()  # boosted by htmx
    expect_errors(page, t, EMPTY_HALLMARK_ERRORS)
    audit.audit(t(msgid(hallmark.title)))

    save_self_review(school_lead)
    audit.visit("contexts/check", t("Check your answers: %(task)s", task=t(CONTEXTS_TASK)))
    expect(page.get_by_role("group", name=t("Have you completed this section?"))).to_be_visible()
    audit.visit("hallmarks/check", t("Check your answers: %(task)s", task=t(HALLMARKS_TASK)))
    audit.visit("check-your-answers", t("Check your answers: your plan so far"))
    audit.assert_clean()


# Known app bugs -------------------------------------------------------------------------------

QUICK = 1_000  # milliseconds: enough for a focus move, and quick to fail while the bug is there


def save_as_colleague(colleague: User, answer: HallmarkAnswer, revision: int = 0) -> None:
    """The colleague saves a hallmark (from another browser, as far as the lead can tell)."""
    save_hallmark(colleague, answer, revision)


@pytest.fixture
def console_checked_page(
    browser: Browser, live_server: LiveServer
) -> Iterator[tuple[Page, list[str]]]:
    """A page with JavaScript on, outside `new_context`: its console errors are returned to the
    test (as a list) instead of failing it at teardown, where an xfail mark does not reach."""
    context: BrowserContext = browser.new_context(base_url=live_server.url, locale="en-GB")
    context.set_default_timeout(TIMEOUT_MS)
    errors: list[str] = []

    def console(message: ConsoleMessage) -> None:
        if is_console_error(message):
            errors.append(message.text)

    context.on("console", console)
    yield context.new_page(), errors
    context.close()


@pytest.mark.e2e
def test_boosted_conflict_logs_no_console_error(
    console_checked_page: tuple[Page, list[str]],
    school_lead: User,
    colleague: User,
    cy: Translator,
    plan_year: str,
) -> None:
    page, console_errors = console_checked_page
    sign_in(page, school_lead.email, cy)
    page.goto(plan_path("cy", plan_year, "hallmark-2"))
    wait_until_ready(page)
    boosted = htmx_requests(page)
    save_as_colleague(colleague, HallmarkAnswer(2, "Embedded", "Theirs", "Next"))
    mine = HallmarkAnswer(2, "Developing", "Ein tystiolaeth ni", "Ein camau nesaf")
    fill_hallmark(page, cy, mine)
    save_button(page, cy).click()

    # The boosted 409 swaps in the conflict page, as the whole page would be.
    expect(error_summary(page).get_by_role("heading", level=2)).to_have_text(
        cy("Someone else has changed this page")
    )
    assert boosted, "The save should have been an htmx request"
    expect(field(page, cy, "How do you know?")).to_have_value(mine.evidence)
    expect(the_colleagues_answers(page, cy)).to_contain_text("Theirs")
    assert not console_errors, console_errors


@pytest.mark.e2e
def test_conflict_shows_only_the_colleagues_answer_to_that_hallmark(
    new_context: ContextFactory,
    school_lead: User,
    colleague: User,
    en: Translator,
    plan_year: str,
) -> None:
    save_self_review(school_lead, contexts=False)  # every hallmark has an answer
    page = new_context(java_script_enabled=False).new_page()
    sign_in(page, school_lead.email, en)
    page.goto(plan_path("en", plan_year, "hallmark-2"))
    theirs = HallmarkAnswer(2, "Embedded", "Their evidence", "Their next steps")
    save_as_colleague(colleague, theirs, revision=1)
    save_button(page, en).click()

    box = the_colleagues_answers(page, en)
    expect(box).to_contain_text(theirs.evidence)
    expect(box.get_by_role("heading", level=2)).to_have_text(
        [hallmark_card_title(en, 2)], timeout=QUICK
    )
    expect(box).not_to_contain_text(en("Not provided"), timeout=QUICK)


@pytest.mark.e2e
def test_task_check_pages_have_no_known_axe_violations(
    page: Page, school_lead: User, en: Translator, plan_year: str
) -> None:
    save_self_review(school_lead)
    sign_in(page, school_lead.email, en)
    findings = []
    for path in KNOWN_VIOLATIONS:
        page.goto(plan_path("en", plan_year, path))
        try:
            assert_accessible(page)
        except AssertionError as error:
            findings.append(str(error))
    assert not findings, "\n\n".join(findings)
