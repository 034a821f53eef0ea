import {h} from '../dom.js';
import {api} from '../api.js';

const POLL_MS = 500;
const NO_ROUTE = 7000;

// Set once the control plane answered that it has no propagation endpoint, so the console stops
// asking (each refused request would be one more failed load in the browser's console).
let unsupported = false;
const GIVE_UP_MS = 60000;

/**
 * Reads GET /zones/{id}/propagation: the zone's latest revision and, per live edge node, the
 * revision it applied. Nodes apply revisions in order, so a node that applied r or later has every
 * change up to r, except one it refused (it could not decode it): such a node reports the refusal
 * (revision and reason) and does not count as applied.
 */
export function summarise(result, target) {
  const latest = Number(result.revision ?? result.latest_revision ?? result.zone_revision ?? 0);
  const nodes = result.nodes || result.edge_nodes || [];
  const wanted = target ?? latest;
  if (nodes.length > 0 || result.total === undefined) {
    const refused = nodes.filter((n) => n.refused).map((n) => ({node: n.node_id, ...n.refused}));
    const applied = nodes.filter((n) => !n.refused && Number(n.applied_revision ?? n.revision ?? -1) >= wanted).length;
    return {latest, wanted, applied, total: nodes.length, refused};
  }
  return {latest, wanted, applied: Number(result.applied), total: Number(result.total)};
}

/**
 * The "applied on N/M edge nodes" line of a zone page. track(revision) polls until every live
 * node applied that revision (or a minute passed); stop() ends polling when the page goes away.
 */
export function propagationPanel(zoneId) {
  const text = h('span', {id: 'propagation-text'}, 'Checking edge nodes…');
  const el = h('p', {id: 'propagation', class: 'propagation', role: 'status', 'aria-live': 'polite'}, text);
  let timer = null;
  let generation = 0;

  function show(summary, tracking) {
    const {applied, total, wanted} = summary;
    const refused = summary.refused || [];
    el.dataset.applied = String(applied);
    el.dataset.total = String(total);
    el.dataset.revision = String(wanted);
    const complete = total > 0 && applied === total;
    el.dataset.state = total === 0 ? 'no-nodes' : (complete ? 'complete' : 'partial');
    if (total === 0) {
      text.textContent = `Revision ${wanted}: no live edge nodes to apply it.`;
    } else if (complete) {
      text.textContent = `Revision ${wanted} applied on all ${total} edge nodes (${applied}/${total}).`;
    } else {
      text.textContent = `Revision ${wanted} applied on ${applied}/${total} edge nodes${tracking ? '…' : '.'}`;
    }
    if (refused.length > 0) {
      // A node that refused a change of this zone keeps serving the zone's earlier config until a
      // later change of it, or a snapshot, applies: waiting would not help, so say so.
      el.dataset.state = 'refused';
      text.textContent += ` Refused by ${refused.length} edge node${refused.length === 1 ? '' : 's'}: `
          + refused.map((r) => `${r.node} (revision ${r.revision}: ${r.reason})`).join('; ')
          + '. It serves the zone\'s earlier configuration until a later change of the zone or a snapshot applies.';
    }
  }

  function fail(e) {
    el.dataset.state = 'unknown';
    if (e.status === 404 && e.code === NO_ROUTE) {
      unsupported = true;
      text.textContent = 'This control plane does not report propagation to edge nodes.';
    } else if (e.forbidden) {
      text.textContent = 'Propagation status is not available to this token.';
    } else {
      text.textContent = `Propagation status unavailable: ${e.message}`;
    }
  }

  function unavailable() {
    el.dataset.state = 'unknown';
    text.textContent = 'This control plane does not report propagation to edge nodes.';
  }

  async function once(target) {
    const {result} = await api.propagation(zoneId);
    return summarise(result || {}, target);
  }

  function stop() {
    generation += 1;
    clearTimeout(timer);
  }

  return {
    el,
    stop,
    /** Shows the current state once. */
    refresh() {
      if (unsupported) return unavailable();
      const mine = generation;
      once(undefined).then((s) => {
        if (mine === generation) show(s, false);
      }).catch((e) => {
        if (mine === generation) fail(e);
      });
    },
    /** Polls until every live node has applied revision (bounded to a minute). */
    track(revision) {
      stop();
      if (unsupported) return unavailable();
      const mine = generation;
      const deadline = Date.now() + GIVE_UP_MS;
      el.dataset.state = 'partial';
      text.textContent = `Revision ${revision}: waiting for edge nodes…`;
      const poll = async () => {
        try {
          const s = await once(revision);
          if (mine !== generation) return;
          const done = s.total === 0 || s.applied === s.total || (s.refused || []).length > 0;
          show(s, !done);
          if (!done && Date.now() < deadline) timer = setTimeout(poll, POLL_MS);
          else if (!done) text.textContent += ' Still waiting after a minute; see Edge nodes.';
        } catch (e) {
          if (mine === generation) fail(e);
        }
      };
      poll();
    },
  };
}
