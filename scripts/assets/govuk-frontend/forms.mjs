// GOV.UK Frontend's components for form fields that only some pages have (the plan's steps,
// sign-in): ../govuk-frontend-subset.mjs imports this module only on a page with one of them.
import { CharacterCount } from 'govuk-frontend/dist/govuk/components/character-count/character-count.mjs'
import { Checkboxes } from 'govuk-frontend/dist/govuk/components/checkboxes/checkboxes.mjs'
import { PasswordInput } from 'govuk-frontend/dist/govuk/components/password-input/password-input.mjs'
import { Radios } from 'govuk-frontend/dist/govuk/components/radios/radios.mjs'

export const COMPONENTS = {
  'govuk-character-count': CharacterCount,
  'govuk-checkboxes': Checkboxes,
  'govuk-password-input': PasswordInput,
  'govuk-radios': Radios
}
