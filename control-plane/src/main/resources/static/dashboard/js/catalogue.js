// Titles and one-line explanations of the zone settings, mirrored from the catalogue
// zoneplane.model.Setting (shared-model) because the API does not expose them: keep the two in step
// until the control plane serves the catalogue itself. Which values a zone may choose is NOT
// mirrored: the API decides (editable, 1007/1057 refusals) and the console shows its answer.

const uploadSizes = [];
for (let mb = 100; mb <= 500; mb += 25) uploadSizes.push(mb);
for (let mb = 1000; mb <= 5000; mb += 500) uploadSizes.push(mb);

/** In the order the catalogue lists them (the order of the Network page's cards). */
export const SETTINGS = [
  {id: 'websockets', title: 'WebSockets', kind: 'toggle', upgrade: null,
    summary: 'Allow WebSocket connections to your origin server.'},
  {id: 'ip_geolocation', title: 'IP Geolocation', kind: 'toggle', upgrade: null,
    summary: 'Include the country code of the visitor location with all requests to your website (CF-IPCountry).'},
  {id: 'ipv6', title: 'IPv6 Compatibility', kind: 'toggle', upgrade: 'Enterprise plan',
    summary: 'Publish AAAA records for this zone so visitors can reach it over IPv6. Only Enterprise zones can turn it off.'},
  {id: 'pseudo_ipv4', title: 'Pseudo IPv4', kind: 'select', upgrade: null,
    summary: 'Give IPv6 visitors a Class E IPv4 address hashed from their IPv6 address (Cf-Pseudo-IPv4).',
    options: [
      {value: 'off', label: 'Off'},
      {value: 'add_header', label: 'Add header'},
      {value: 'overwrite_header', label: 'Overwrite headers'},
    ]},
  {id: 'opportunistic_onion', title: 'Onion Routing', kind: 'toggle', upgrade: null,
    summary: 'Tell Tor visitors (alt-svc) to reach the zone through the onion service instead of an exit node.'},
  {id: 'grpc', title: 'gRPC', kind: 'toggle', upgrade: null,
    summary: 'Allow gRPC connections to your origin server.'},
  {id: 'true_client_ip_header', title: 'True-Client-IP Header', kind: 'toggle', upgrade: 'Enterprise plan',
    summary: "Send the visitor's IP address to the origin in a True-Client-IP header. Enterprise only."},
  {id: 'max_upload', title: 'Maximum Upload Size', kind: 'select', upgrade: 'Business or Enterprise plan',
    summary: 'The largest request body, in megabytes, the edge accepts for this zone; larger ones get 413.',
    options: uploadSizes.map((mb) => ({value: String(mb), label: `${mb} MB`}))},
];

const BY_ID = new Map(SETTINGS.map((s) => [s.id, s]));

/**
 * The console's description of a setting the API reported. A setting the console does not know yet
 * (the API gained one) still gets a card: a toggle for on/off, else a select of its current value.
 */
export function describe(setting) {
  const known = BY_ID.get(setting.id);
  if (known) return known;
  const value = String(setting.value);
  const toggle = value === 'on' || value === 'off';
  return {id: setting.id, title: setting.id, summary: '', upgrade: null, kind: toggle ? 'toggle' : 'select',
    options: toggle ? undefined : [{value, label: value}]};
}

export function settingTitle(id) {
  const known = BY_ID.get(id);
  return known ? known.title : id;
}

/** Orders API settings as the catalogue does; unknown ones last, by id. */
export function catalogueOrder(settings) {
  const rank = (id) => (BY_ID.has(id) ? SETTINGS.indexOf(BY_ID.get(id)) : SETTINGS.length);
  return [...settings].sort((a, b) => rank(a.id) - rank(b.id) || a.id.localeCompare(b.id));
}
