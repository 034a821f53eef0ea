// The zone settings catalogue as the control plane serves it (GET /zone_settings): titles,
// explanations, values and which plans may change what come from the server's one catalogue
// (zoneplane.model.Setting), so a new setting or value needs no console release. Which change a zone
// may make is still decided by the API (editable, 1007/1057 refusals); the console shows its answer.
import {api} from './api.js';

const PLAN_NAMES = {free: 'Free', pro: 'Pro', business: 'Business', enterprise: 'Enterprise'};

let loading = null;

/** The catalogue, fetched once per page load (it changes only with a control-plane release). */
export function loadCatalogue() {
  if (!loading) {
    loading = api.catalogue().then(({result}) => new Catalogue(result || [])).catch((e) => {
      loading = null; // a failed fetch is retried by the next view that needs it
      throw e;
    });
  }
  return loading;
}

class Catalogue {
  constructor(entries) {
    this.entries = entries;
    this.byId = new Map(entries.map((entry) => [entry.id, entry]));
  }

  /** Every setting, in the catalogue's order (the order of the Network page's cards). */
  get settings() {
    return this.entries.map((entry) => ({id: entry.id, title: entry.title}));
  }

  title(id) {
    const entry = this.byId.get(id);
    return entry ? entry.title : id;
  }

  /**
   * How the console draws a setting the API reported. One the catalogue does not know (a newer
   * control plane behind a cached page) still gets a card: a toggle for on/off, else a select of its
   * current value.
   */
  describe(setting, planId) {
    const entry = this.byId.get(setting.id);
    if (!entry) {
      const value = String(setting.value);
      const toggle = value === 'on' || value === 'off';
      return {id: setting.id, title: setting.id, summary: '', upgrade: null, kind: toggle ? 'toggle' : 'select',
        wire: typeof setting.value === 'number' ? 'megabytes' : 'word', options: toggle ? undefined : [{value, label: value}],
        rule: null, label: String};
    }
    const values = entry.values.map(String);
    const toggle = entry.kind === 'word' && values.length === 2 && values.includes('on') && values.includes('off');
    // Offer only what the zone's plan allows, in the catalogue's order; a plan the catalogue does not
    // name (or no plan) falls back to every value and the API decides.
    const rule = (entry.plans || {})[planId] || null;
    const allowed = rule && Array.isArray(rule.allowed) ? new Set(rule.allowed.map(String)) : null;
    const offered = allowed ? values.filter((value) => allowed.has(value)) : values;
    return {
      id: entry.id,
      title: entry.title,
      summary: entry.summary,
      upgrade: upgrade(entry),
      kind: toggle ? 'toggle' : 'select',
      wire: entry.kind,
      options: toggle ? undefined : offered.map((value) => ({value, label: label(entry, value)})),
      rule: rule ? {defaultValue: String(rule.default), allowed: offered, editable: rule.editable} : null,
      label: (value) => label(entry, String(value)),
    };
  }

  /** Orders API settings as the catalogue does; unknown ones last, by id. */
  order(settings) {
    const rank = (id) => (this.byId.has(id) ? this.entries.indexOf(this.byId.get(id)) : this.entries.length);
    return [...settings].sort((a, b) => rank(a.id) - rank(b.id) || a.id.localeCompare(b.id));
  }
}

/**
 * "Enterprise plan", "Business or Enterprise plan": the plans that may change it; null when all may.
 * The one place the word "plan" is added: callers use the phrase as it is.
 */
function upgrade(entry) {
  const plans = Object.entries(entry.plans || {});
  const editable = plans.filter(([, rule]) => rule.editable).map(([plan]) => planLabel(plan));
  if (editable.length === 0 || editable.length === plans.length) return null;
  return `${editable.join(' or ')} plan`;
}

/** "Enterprise" for the plan id enterprise (an unknown id as it is). */
export function planLabel(planId) {
  return PLAN_NAMES[planId] || planId;
}

function label(entry, value) {
  if (entry.kind === 'megabytes') return `${value} MB`;
  const words = value.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
