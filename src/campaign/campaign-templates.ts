import { TEMPLATE_DEFINITIONS, TEMPLATE_KEYS, TemplateKey } from '../template/template-keys';

/**
 * The fields a campaign step's email gets: the outbox fills the candidate,
 * the company and, for nurture, the profile, unsubscribe and "still
 * interested" links. Templates needing more (a vacancy, a consent link)
 * cannot be a step, since nothing would fill them.
 */
const FIELDS_A_STEP_SUPPLIES = new Set([
  'candidate.firstName',
  'candidate.fullName',
  'company.name',
  'links.profile',
  'links.unsubscribe',
  'links.stillInterested',
]);

/** Template keys a campaign step may use (`nurture_checkin` today). */
export const CAMPAIGN_TEMPLATE_KEYS: readonly TemplateKey[] = TEMPLATE_KEYS.filter((key) => {
  const definition = TEMPLATE_DEFINITIONS[key];
  return definition.audience === 'candidate' && definition.required.every((field) => FIELDS_A_STEP_SUPPLIES.has(field));
});
