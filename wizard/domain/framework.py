"""The framework content, in one place with a source for each item so it can be checked.

Titles and summaries are in English here and in Welsh in the catalogue
(translations/cy/LC_MESSAGES/messages.po). Summaries are our own words. `verified=False` marks
items whose name or placement we could not confirm from an official source; they are listed
in docs/framework-content.md and should be checked with Welsh Government / the national professional
learning body before launch.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

HWB_NAPL = (
    "https://hwb.gov.wales/professional-development/national-approach-to-professional-learning/"
)
HWB_ELEMENTS = (
    "https://hwb.gov.wales/professional-learning/planning-and-designing-professional-learning/"
    "national-approach-to-professional-learning/"
)
NAEL = "https://nael.cymru/en/"
NAEL_CY = "https://nael.cymru/cy/"


@dataclass(frozen=True)
class Link:
    """A page of an official source that the service links to, in the language it is written in.

    A page with a Welsh version names it in `welsh`; a page without one (none was found: see
    research/content.md) is linked to in English from Welsh pages too, which then say so.
    """

    english: str
    welsh: str | None = None

    def for_language(self, lang: str) -> tuple[str, str]:
        """The address to link to from a page in `lang`, and the language of the page there."""
        if lang == "cy" and self.welsh:
            return self.welsh, "cy"
        return self.english, "en"


@dataclass(frozen=True)
class Context:
    key: str
    title: LazyString
    question_hint: LazyString


@dataclass(frozen=True)
class Element:
    key: str
    context: str
    title: LazyString
    summary: LazyString
    link: Link
    source: str
    verified: bool


@dataclass(frozen=True)
class SloDimension:
    key: str
    title: LazyString
    source: str


@dataclass(frozen=True)
class Hallmark:
    """A hallmark of professional learning.

    `id` is its identity in everything stored: the step slug and answers key `hallmark-<id>`,
    the Diamond 9 card key `hallmark:<id>` (in board slots, funding lines' priorities and
    staff voice boards), `fact_rating.hallmark` and staff voice ratings. It is the number the
    hallmark had when the first plans were stored, and it never changes.

    `number` is what people see ("Hallmark 3 of 8"). NAEL's own numbering is still to be
    confirmed (README, "Framework content, and what is still to be confirmed"): when it is,
    only `number` (and the order of HALLMARKS, which is the order shown) changes, and every
    stored plan, version, board, funding line and fact still points at the same hallmark.

    Why today's stored keys were kept as the ids rather than migrated to slugs: they are frozen
    in submitted versions, which must read the same for ever, and in five tables; a slug would
    have bought readability of the JSON at the price of a data migration of every snapshot
    and two schemas for every reader. Keeping the keys, and separating them from the display
    number, buys the renumbering without touching a stored byte
    (tests/unit/test_plan_document.py renumbers the framework to show it).
    """

    id: int
    number: int
    key: str
    title: LazyString
    summary: LazyString
    slo_dimension: str
    link: Link
    source: str
    verified: bool
    """Whether the Welsh title is the official one (the English titles are all verified)."""


@dataclass(frozen=True)
class Rating:
    key: str
    title: LazyString
    hint: LazyString
    low: bool
    """Low ratings are offered as suggested cards on the Diamond 9."""


@dataclass(frozen=True)
class Card:
    key: str
    title: LazyString
    summary: LazyString


@dataclass(frozen=True)
class FundingPurpose:
    key: str
    title: LazyString
    source: str


CONTEXTS: tuple[Context, ...] = (
    Context(
        "school",
        _l("School context"),
        _l(
            "Think about your school's development plan, self-evaluation and the needs of your staff and learners."
        ),
    ),
    Context(
        "regional",
        _l("Regional context"),
        _l(
            "Think about the professional learning offered to your school by your local authority, partnership or cluster."
        ),
    ),
    Context(
        "national",
        _l("National context"),
        _l(
            "Think about national priorities, the professional standards and the networks your staff belong to."
        ),
    ),
)

ELEMENTS: tuple[Element, ...] = (
    Element(
        "schools-as-learning-organisations",
        "school",
        _l("Schools as learning organisations"),
        _l(
            "The school-level framework in which staff learn: a shared vision, learning for all staff, team learning, a culture of enquiry and learning leadership."
        ),
        Link(
            HWB_NAPL
            + "schools-as-learning-organisations-national-approach-to-professional-learning/"
        ),
        "Hwb, national approach: Schools as learning organisations (school context)",
        True,
    ),
    Element(
        "research-and-enquiry",
        "school",
        _l("Research and enquiry"),
        _l(
            "Practitioners use research evidence with a critical eye and carry out their own professional enquiry into teaching and learning."
        ),
        Link("https://hwb.gov.wales/professional-learning/leading-professional-learning"),
        "Hwb, Leading professional learning: one of three inter-connected elements for leaders. To be confirmed as a national approach element and its context.",
        False,
    ),
    Element(
        "professional-learning-passport",
        "school",
        _l("Professional learning passport"),
        _l(
            "Each practitioner records and reflects on their own learning, building an individual professional learning journey."
        ),
        Link(HWB_NAPL),
        "Estyn, Inspecting professional learning (2022): policy initiatives list. To be confirmed as a national approach element and its context.",
        False,
    ),
    Element(
        "pedagogy-for-professional-learning",
        "regional",
        _l("Pedagogy for professional learning"),
        _l(
            "A common approach to designing professional learning, founded on evidence of what works: collaboration, reflective practice, data and research, coaching and mentoring."
        ),
        Link(HWB_ELEMENTS + "regional-context"),
        "Hwb element page, regional context, element 1",
        True,
    ),
    Element(
        "professional-learning-offer",
        "regional",
        _l("Professional learning offer"),
        _l(
            "Equity of access to high-quality professional learning for every practitioner, wherever they work."
        ),
        Link(HWB_ELEMENTS + "regional-context/professional-learning-offer"),
        "Hwb element page, regional context, element 2",
        True,
    ),
    Element(
        "collaborative-networks",
        "national",
        _l("Collaborative networks"),
        _l(
            "Practitioners learn in networks within and beyond their school, sharing expertise and experience with a joint moral purpose."
        ),
        Link(HWB_ELEMENTS + "national-context"),
        "Hwb element page, national context (heading inferred from the page's text)",
        True,
    ),
    Element(
        "professional-standards",
        "national",
        _l("Professional standards"),
        _l(
            "The professional standards set clear expectations for every role, support reflection and help practitioners see what to develop next."
        ),
        Link(HWB_ELEMENTS + "national-context"),
        "Hwb element page, national context (heading inferred from the page's text)",
        True,
    ),
    Element(
        "national-professional-learning-entitlement",
        "national",
        _l("National professional learning entitlement"),
        _l(
            "What every practitioner in Wales is entitled to: time and support for professional learning throughout their career."
        ),
        Link(
            "https://hwb.gov.wales/professional-learning/leading-professional-learning/national-professional-learning-entitlement/",
            "https://hwb.gov.wales/datblygiad-proffesiynol/hawl-genedlaethol-ar-gyfer-dysgu-proffesiynol/",
        ),
        "Hwb, Leading professional learning: one of three inter-connected elements for leaders. To be confirmed as a national approach element and its context.",
        False,
    ),
)

# The seven dimensions of the Welsh schools as learning organisations model (Welsh
# Government, 2017, as quoted by the OECD, 2018). Welsh from the EAS Welsh list (unconfirmed
# as the official Welsh Government wording).
SLO_DIMENSIONS: tuple[SloDimension, ...] = (
    SloDimension(
        "shared-vision",
        _l("Developing a shared vision centred on the learning of all learners"),
        "OECD 2018; EAS (Welsh)",
    ),
    SloDimension(
        "continuous-learning",
        _l("Creating and supporting continuous learning opportunities for all staff"),
        "OECD 2018; EAS (Welsh)",
    ),
    SloDimension(
        "team-learning",
        _l("Promoting team learning and collaboration among all staff"),
        "OECD 2018; EAS (Welsh)",
    ),
    SloDimension(
        "enquiry",
        _l("Establishing a culture of enquiry, innovation and exploration"),
        "OECD 2018; EAS (Welsh)",
    ),
    SloDimension(
        "knowledge-systems",
        _l("Embedding systems for collecting and exchanging knowledge and learning"),
        "OECD 2018; EAS (Welsh)",
    ),
    SloDimension(
        "external-environment",
        _l("Learning with and from the external environment and larger learning system"),
        "OECD 2018; EAS (Welsh)",
    ),
    SloDimension(
        "learning-leadership",
        _l("Modelling and growing learning leadership"),
        "OECD 2018; EAS (Welsh)",
    ),
)

HALLMARKS: tuple[Hallmark, ...] = (
    Hallmark(
        1,
        1,
        "rooted-in-professional-enhancement",
        _l("Rooted in professional enhancement and school improvement"),
        _l(
            "Leaders model their own professional learning and build a culture that is collaborative and professionally critical, so that learning improves both practice and the school."
        ),
        "learning-leadership",
        Link(
            NAEL + "rooted-in-professional-enhancement-and-school-improvement",
            NAEL_CY + "rooted-in-professional-enhancement-and-school-improvement",
        ),
        "NAEL hallmark page (English and Welsh titles verified); dimension link is ours",
        True,
    ),
    Hallmark(
        2,
        2,
        "centred-on-all-learners",
        _l("Centred on supporting all learners and mindful of well-being"),
        _l(
            "Professional learning meets the needs of every learner, recognises how different professionals learn, and is sensitive to well-being when change is introduced."
        ),
        "shared-vision",
        Link(
            NAEL + "centred-on-supporting-all-learners-and-mindful-of-well-being/",
            NAEL_CY + "centred-on-supporting-all-learners-and-mindful-of-well-being",
        ),
        "NAEL hallmark page (English title and dimension link verified; Welsh title ours)",
        False,
    ),
    Hallmark(
        3,
        3,
        "designed-for-innovation",
        _l("Designed to enable innovative approaches to learning and pedagogy"),
        _l(
            "Staff develop specialist expertise, pedagogy, curriculum design and assessment, with space to consolidate as well as to try transformative new approaches."
        ),
        "continuous-learning",
        Link(NAEL + "designed-to-enable-innovative-approaches-to-learning-and-pedagogy"),
        "NAEL hallmark page (English title and dimension link verified; Welsh title ours)",
        False,
    ),
    Hallmark(
        4,
        4,
        "planned-strategically",
        _l("Planned strategically over short, medium and longer terms"),
        _l(
            "Professional learning is aligned with local and national priorities in a coherent, realistic plan, and some of it is given at least two terms or a year."
        ),
        "continuous-learning",
        Link(
            NAEL + "planned-strategically-over-short-medium-and-longer-terms",
            NAEL_CY + "planned-strategically-over-short-medium-and-longer-terms",
        ),
        "NAEL hallmark page (English title and dimension link verified; Welsh title ours)",
        False,
    ),
    Hallmark(
        5,
        5,
        "focussed-on-application",
        _l("Focussed on the application of professional learning"),
        _l(
            "Staff have time to plan, apply and reflect, and evaluate the impact of their learning on their own practice and on learners."
        ),
        "knowledge-systems",
        Link(NAEL + "focussed-on-the-application-of-professional-learning"),
        "NAEL hallmark page (English title verified; Welsh title and dimension link ours)",
        False,
    ),
    Hallmark(
        6,
        6,
        "built-on-research",
        _l("Built on a critical view of research, professional enquiry and external expertise"),
        _l(
            "Practice is informed by research read with a critical eye, by staff's own professional enquiry, and by expertise from outside the school as well as within it."
        ),
        "enquiry",
        Link(
            "https://nael.cymru/built-on-a-critical-view-of-research-professional-enquiry-and-external-expertise/"
        ),
        "NAEL hallmark page (English title verified; Welsh title and dimension link ours)",
        False,
    ),
    Hallmark(
        7,
        7,
        "strengthened-by-collaboration",
        _l("Strengthened by professional collaboration"),
        _l(
            "Staff learn together within and beyond the school, across departments and phases, through networks, coaching and mentoring, with time set aside for it."
        ),
        "team-learning",
        Link(
            NAEL + "strengthened-by-professional-collaboration/",
            NAEL_CY + "strengthened-by-professional-collaboration",
        ),
        "NAEL hallmark page (English and Welsh titles verified); dimension link is ours",
        True,
    ),
    Hallmark(
        8,
        8,
        "bespoke-to-practitioners",
        _l("Bespoke to and driven by practitioners"),
        _l(
            "Every member of staff, including supply, part-time and support staff, owns a personalised professional learning journey, shaped by listening to learners too."
        ),
        "continuous-learning",
        Link(NAEL + "bespoke-to-and-driven-by-practitioners"),
        "NAEL hallmark page (English title verified; Welsh title and dimension link ours)",
        False,
    ),
)

RATINGS: tuple[Rating, ...] = (
    # Not the task list's "Not yet started": a rating says how the school does, not a task's state.
    Rating(
        "not-yet-started", _l("Not happening yet"), _l("We have not begun to work on this."), True
    ),
    Rating(
        "developing",
        _l("Developing"),
        _l("We have started, but it is not yet consistent across the school."),
        True,
    ),
    Rating("established", _l("Established"), _l("It happens across most of the school."), False),
    Rating(
        "embedded",
        _l("Embedded"),
        _l("It is part of how we work, and we can show its impact."),
        False,
    ),
    Rating("not-sure", _l("Not sure"), _l("We need to find out more before we can say."), True),
)

# Our designed Diamond 9 priority cards (the official Hwb card set was not found; these are
# not presented as Welsh Government content).
CARDS: tuple[Card, ...] = (
    Card(
        "pedagogy",
        _l("Pedagogy and teaching approaches"),
        _l("Developing the teaching approaches that help learners make progress."),
    ),
    Card(
        "curriculum-design",
        _l("Curriculum design"),
        _l("Designing our curriculum for the Curriculum for Wales."),
    ),
    Card(
        "assessment",
        _l("Assessment and progression"),
        _l("Using assessment to support each learner's progression."),
    ),
    Card(
        "subject-knowledge",
        _l("Subject and area knowledge"),
        _l("Deepening staff knowledge across the areas of learning and experience."),
    ),
    Card(
        "additional-learning-needs",
        _l("Additional learning needs"),
        _l("Meeting the needs of learners with additional learning needs."),
    ),
    Card(
        "early-years",
        _l("Early years"),
        _l("Play-based and developmentally appropriate learning for our youngest learners."),
    ),
    Card(
        "leading-teams",
        _l("Leading teams"),
        _l("Developing leaders of teams at every level of the school."),
    ),
    Card("well-being", _l("Well-being"), _l("The well-being of learners and staff.")),
    Card(
        "research-and-enquiry",
        _l("Research and critical enquiry"),
        _l("Using research and professional enquiry to improve practice."),
    ),
    Card(
        "cluster-collaboration",
        _l("Collaboration across the cluster"),
        _l("Learning with and from the other schools in our cluster."),
    ),
    Card(
        "coaching-and-mentoring",
        _l("Coaching and mentoring"),
        _l("Growing coaching and mentoring between colleagues."),
    ),
    Card(
        "welsh-language",
        _l("The Welsh language"),
        _l("Developing staff confidence and skills in Welsh."),
    ),
    Card(
        "digital-competence",
        _l("Digital competence"),
        _l("Digital skills for teaching, learning and working."),
    ),
    Card(
        "literacy-and-numeracy",
        _l("Literacy and numeracy across the curriculum"),
        _l("Developing literacy and numeracy in every area of learning."),
    ),
    Card(
        "learning-organisation",
        _l("Our school as a learning organisation"),
        _l("Becoming a school where everyone learns, together and continuously."),
    ),
    Card(
        "equity",
        _l("Equity and the impact of poverty"),
        _l("Tackling the impact of poverty on learners' attainment and well-being."),
    ),
    Card(
        "support-staff",
        _l("Professional learning for support staff"),
        _l("Learning opportunities for teaching assistants and all support staff."),
    ),
    Card(
        "early-career",
        _l("Early career and induction"),
        _l("Supporting newly qualified and early career practitioners."),
    ),
    Card(
        "learner-voice",
        _l("Learner voice"),
        _l("Listening to learners and acting on what they tell us."),
    ),
    Card(
        "inclusion",
        _l("Inclusion and diversity"),
        _l("Anti-racist and inclusive practice in every classroom."),
    ),
)

FUNDING_PURPOSES: tuple[FundingPurpose, ...] = (
    FundingPurpose(
        "release-and-cover",
        _l("Release and cover for collaborative professional learning and planning"),
        "Hwb national approach page, funding examples",
    ),
    FundingPurpose(
        "critical-enquiry",
        _l("Funded release for critical enquiry"),
        "Hwb national approach page, funding examples",
    ),
    FundingPurpose(
        "roles-and-posts",
        _l(
            "Roles and posts for critical enquiry, change management and schools as learning organisations"
        ),
        "Hwb national approach page, funding examples",
    ),
    FundingPurpose(
        "learning-coach",
        _l("A school or cluster professional learning coach"),
        "Hwb national approach page, funding examples",
    ),
    FundingPurpose("other", _l("Other"), "ours: any other use, described by the school"),
)


def elements_of(context: str) -> tuple[Element, ...]:
    return tuple(element for element in ELEMENTS if element.context == context)


def context(key: str) -> Context | None:
    return next((c for c in CONTEXTS if c.key == key), None)


def hallmark(hallmark_id: int) -> Hallmark | None:
    """The hallmark with this stable id (as stored), whatever its display number."""
    return next((h for h in HALLMARKS if h.id == hallmark_id), None)


def hallmark_card(hallmark: Hallmark) -> str:
    """The key of a hallmark's card on the Diamond 9."""
    return f"hallmark:{hallmark.id}"


def slo_dimension(key: str) -> SloDimension | None:
    return next((d for d in SLO_DIMENSIONS if d.key == key), None)


RATING_TITLES = {rating.key: rating.title for rating in RATINGS}

# Short titles for hallmark cards on the Diamond 9 (ours: the full hallmark is shown on demand),
# by the hallmark's stable id.
HALLMARK_SHORT_TITLES: dict[int, LazyString] = {
    1: _l("School improvement"),
    2: _l("All learners and well-being"),
    3: _l("Innovative pedagogy"),
    4: _l("Planned strategically"),
    5: _l("Applying professional learning"),
    6: _l("A critical view of research"),
    7: _l("Professional collaboration"),
    8: _l("Driven by practitioners"),
}

# Designed cards that say nearly what an element says: where the element is on offer (suggested
# or on the board) the designed card is left out of the bank, and the other way round.
MERGED_CARDS: dict[str, str] = {
    "learning-organisation": "schools-as-learning-organisations",
    "research-and-enquiry": "research-and-enquiry",
}
ELEMENT_TITLES = {element.key: element.title for element in ELEMENTS}
