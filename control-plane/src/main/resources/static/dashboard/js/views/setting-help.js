// A setting card's two disclosures, as Cloudflare's dashboard has under each card: "Help" (the
// catalogue's explanation and what this zone's plan allows) and "API" (the curl command that makes
// the same change, with the value shown now, and a copy button). The command names the token as
// $ZONEPLANE_API_TOKEN: the console never writes a token into the page.
import {h} from '../dom.js';
import {apiUrl} from '../api.js';

/** The Help disclosure of a card: explanation, the plan's values and default, who may change it. */
export function helpPanel(info, planTitle) {
  const id = info.id;
  const facts = [];
  if (info.rule) {
    if (info.kind === 'select') {
      facts.push(h('li', {}, `Values on the ${planTitle} plan: ${info.rule.allowed.map((v) => info.label(v)).join(', ')}.`));
    }
    facts.push(h('li', {}, `Default on the ${planTitle} plan: ${info.label(info.rule.defaultValue)}.`));
    if (!info.rule.editable) facts.push(h('li', {}, `The ${planTitle} plan cannot change it.`));
  }
  if (info.upgrade) facts.push(h('li', {}, `Can be changed on the ${info.upgrade}.`));
  return h('details', {class: 'card-more', id: `help-${id}`},
      h('summary', {}, 'Help', h('span', {class: 'visually-hidden'}, `: ${info.title}`)),
      h('div', {class: 'card-more-body', id: `help-text-${id}`},
          h('p', {}, info.summary || 'No explanation is known for this setting.'),
          facts.length ? h('ul', {}, facts) : null));
}

/** The API disclosure: the curl command for the value shown now; update(value) follows changes. */
export function curlPanel(zoneId, info) {
  const id = info.id;
  const code = h('code', {id: `curl-${id}`});
  const status = h('span', {class: 'card-status', role: 'status', id: `curl-status-${id}`});
  const copy = h('button', {type: 'button', class: 'button secondary small', id: `copy-${id}`,
    'aria-describedby': `curl-${id}`}, 'Copy command');
  copy.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(code.textContent);
      status.textContent = 'Copied';
    } catch (e) {
      // No clipboard permission (an insecure origin, a locked-down browser): select it for Ctrl+C.
      const range = document.createRange();
      range.selectNodeContents(code);
      const selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      status.textContent = 'Selected: press Ctrl+C to copy';
    }
  });
  const el = h('details', {class: 'card-more', id: `api-${id}`},
      h('summary', {}, 'API', h('span', {class: 'visually-hidden'}, `: the same change with curl`)),
      h('div', {class: 'card-more-body'},
          h('p', {class: 'help'}, 'The same change through the API (set ZONEPLANE_API_TOKEN to a token with zone_settings:edit):'),
          h('pre', {class: 'curl', tabindex: '0', 'aria-label': `curl command for ${info.title}`}, code),
          h('div', {class: 'inline'}, copy, status)));
  function update(value) {
    const wire = info.wire === 'megabytes' ? Number(value) : String(value);
    const url = apiUrl(`/client/v4/zones/${encodeURIComponent(zoneId)}/settings/${encodeURIComponent(id)}`);
    code.textContent = [
      `curl -X PATCH "${url}"`,
      '  -H "Authorization: Bearer $ZONEPLANE_API_TOKEN"',
      '  -H "Content-Type: application/json"',
      `  --data '${JSON.stringify({value: wire})}'`,
    ].join(' \\\n');
    status.textContent = '';
  }
  return {el, update};
}
