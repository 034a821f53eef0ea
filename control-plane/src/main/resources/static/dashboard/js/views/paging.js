import {h} from '../dom.js';

/**
 * Previous/next paging for a Cloudflare result_info ({page, per_page, count, total_count,
 * total_pages}); onPage(n) loads page n.
 */
export function pager(info, label, onPage) {
  if (!info) return null;
  const page = info.page || 1;
  const pages = info.total_pages || 0;
  return h('nav', {class: 'pager', 'aria-label': label},
      h('button', {type: 'button', class: 'button secondary', disabled: page <= 1, 'data-page': 'previous',
        onclick: () => onPage(page - 1)}, 'Previous'),
      h('span', {class: 'pager-status', 'aria-live': 'polite'},
          pages === 0 ? 'No results' : `Page ${page} of ${pages} · ${info.total_count} in total`),
      h('button', {type: 'button', class: 'button secondary', disabled: page >= pages, 'data-page': 'next',
        onclick: () => onPage(page + 1)}, 'Next'));
}
