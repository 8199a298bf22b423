"""Help for each hallmark and element: short guidance on what to think about, and an example
answer, in our own words (the official page each is about is linked from the step itself, as
framework.Hallmark.link and framework.Element.link). Bilingual through the catalogue.

Examples are made up for a fictional primary school: they show the kind of answer that helps a
plan, not the answer to give."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class Guidance:
    think_about: LazyString
    """What to think about when answering (one or two sentences)."""
    example: LazyString
    """An example answer."""


HALLMARKS: dict[str, Guidance] = {
    "rooted-in-professional-enhancement": Guidance(
        _l(
            "Think about whether leaders take part in professional learning themselves, and whether what staff learn is linked to the school's improvement priorities."
        ),
        _l(
            "Our senior leaders join the same enquiry groups as other staff. Each group's question comes from our school development plan, and groups share what changed in their classrooms at the end of each term."
        ),
    ),
    "centred-on-all-learners": Guidance(
        _l(
            "Think about how professional learning helps every group of learners, and how you protect staff well-being when you bring in something new."
        ),
        _l(
            "Training on additional learning needs was planned with our ALNCo so that every class teacher could use it. We spread new initiatives across the year and ask staff about workload before starting one."
        ),
    ),
    "designed-for-innovation": Guidance(
        _l(
            "Think about whether staff have time to try new approaches to pedagogy, curriculum design and assessment, and time to make them secure before the next change."
        ),
        _l(
            "Two teachers trialled a new approach to feedback in one year group for a term. After reviewing pupils' work, we extended it to the whole school and set aside time to refine it."
        ),
    ),
    "planned-strategically": Guidance(
        _l(
            "Think about how professional learning is planned over this year and the years ahead, and how it fits the school's longer-term aims."
        ),
        _l(
            "Our three-year plan sets out when each area of the curriculum will be the focus. Each year's plan names the learning for the year, and we review progress every term."
        ),
    ),
    "focussed-on-application": Guidance(
        _l(
            "Think about how staff put what they learn into practice, and how you know it made a difference to teaching and learning."
        ),
        _l(
            "After each training day, staff choose one thing to try in class and report back at a staff meeting six weeks later. Leaders look at pupils' work to see the effect."
        ),
    ),
    "built-on-research": Guidance(
        _l(
            "Think about how staff use research evidence with a critical eye, carry out their own enquiry, and draw on expertise from outside the school."
        ),
        _l(
            "Staff read a short research summary before each enquiry meeting. This year two teachers are working with a university partner on an enquiry into reading for pleasure."
        ),
    ),
    "strengthened-by-collaboration": Guidance(
        _l(
            "Think about how staff learn with and from each other, within the school, across the cluster and beyond."
        ),
        _l(
            "Teachers plan in triads across our cluster's schools and visit each other's lessons twice a year. Support staff meet termly with colleagues from two other schools."
        ),
    ),
    "bespoke-to-practitioners": Guidance(
        _l(
            "Think about whether staff help decide what they learn, so that professional learning meets their own needs and those of their learners."
        ),
        _l(
            "Each member of staff agrees a professional learning focus in their review meeting. A staff survey in the summer term shapes next year's priorities."
        ),
    ),
}

ELEMENTS: dict[str, Guidance] = {
    "schools-as-learning-organisations": Guidance(
        _l(
            "Think about where your school is as a learning organisation, for example from the schools as learning organisations survey, and what that means for this year."
        ),
        _l(
            "Our survey showed that staff feel less confident about team learning. We will give year-group teams time every half term to learn together."
        ),
    ),
    "research-and-enquiry": Guidance(
        _l(
            "Think about how much enquiry staff already do, and what support they would need to do more."
        ),
        _l(
            "A few staff have led enquiries before. This year each team will carry out one small enquiry, supported by a teacher who has done one."
        ),
    ),
    "professional-learning-passport": Guidance(
        _l(
            "Think about how staff record and reflect on their professional learning, and whether they use the passport to do so."
        ),
        _l(
            "Newly qualified teachers use the passport already. We will show other staff how to use it to record their reflections after each enquiry."
        ),
    ),
    "pedagogy-for-professional-learning": Guidance(
        _l(
            "Think about how your region's approach to the way professionals learn could shape the way your school organises its own professional learning."
        ),
        _l(
            "We will use the coaching model our region recommends for the staff who are new to leading a team."
        ),
    ),
    "professional-learning-offer": Guidance(
        _l(
            "Think about which parts of your region's professional learning offer meet your priorities, and which needs you will meet another way."
        ),
        _l(
            "Two teachers will join the regional programme on curriculum design; for early years we will work with the schools of our cluster instead."
        ),
    ),
    "collaborative-networks": Guidance(
        _l(
            "Think about which national networks your staff could join or learn from, and what they would bring back to the school."
        ),
        _l(
            "Our Welsh language lead will join a national network this year and share what she learns with the cluster."
        ),
    ),
    "professional-standards": Guidance(
        _l(
            "Think about how the professional standards help staff reflect on their practice and plan their next steps."
        ),
        _l("Teachers use the standards in their review meetings to choose a focus for the year."),
    ),
    "national-professional-learning-entitlement": Guidance(
        _l(
            "Think about how the national entitlement to professional learning reaches every member of staff, support staff included."
        ),
        _l(
            "We will make sure every teaching assistant has at least one day of professional learning linked to our priorities."
        ),
    ),
}
